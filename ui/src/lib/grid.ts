// Pure helpers of the spreadsheet-like grid, unit-tested without a DOM.

/** One typed cell; `newRow` marks a row the grid adds (insert at `row`). */
export type CellEdit = { row: number; col: number; value: string; newRow?: boolean };

/** Parses what Excel puts on the clipboard: rows by line break, cells by
 * tab; a cell holding line breaks (Alt+Enter) or quotes comes quoted, with
 * quotes doubled inside. */
export function parseClipboard(text: string): string[][] {
  const s = text.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  const rows: string[][] = [[]];
  let i = 0;
  for (;;) {
    const quoted = s[i] === '"' ? readQuoted(s, i) : null;
    let end = i;
    if (quoted) end = quoted.end;
    else while (end < s.length && s[end] !== "\t" && s[end] !== "\n") end++;
    rows[rows.length - 1].push(quoted ? quoted.value : s.slice(i, end));
    if (end >= s.length) return rows;
    if (s[end] === "\n") rows.push([]);
    i = end + 1;
  }
}

/** A quoted cell starting at `start`: its value and the index after it, or
 * null when the quotes do not close right before a tab, a line end or the
 * end (then the quote is part of the text, as typed). */
function readQuoted(s: string, start: number): { value: string; end: number } | null {
  let value = "";
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] !== '"') value += s[i];
    else if (s[i + 1] === '"') value += s[i++];
    else return i + 1 === s.length || s[i + 1] === "\t" || s[i + 1] === "\n" ? { value, end: i + 1 } : null;
  }
  return null;
}

/** Places a pasted block at (row, col), dropping what falls outside the grid
 * or on read-only columns. */
export function placeBlock(
  block: string[][],
  row: number,
  col: number,
  rowCount: number,
  editable: boolean[],
): CellEdit[] {
  const edits: CellEdit[] = [];
  block.forEach((cells, r) =>
    cells.forEach((value, c) => {
      const target = { row: row + r, col: col + c };
      if (target.row < rowCount && target.col < editable.length && editable[target.col]) {
        edits.push({ ...target, value });
      }
    }),
  );
  return edits;
}

/** The cell a navigation key moves to, clamped to the grid. */
export function moveFrom(
  row: number,
  col: number,
  key: string,
  shift: boolean,
  rows: number,
  cols: number,
): { row: number; col: number } | null {
  const clamp = (v: number, max: number) => Math.max(0, Math.min(max - 1, v));
  switch (key) {
    case "ArrowUp":
      return { row: clamp(row - 1, rows), col };
    case "ArrowDown":
      return { row: clamp(row + 1, rows), col };
    case "ArrowLeft":
      return { row, col: clamp(col - 1, cols) };
    case "ArrowRight":
      return { row, col: clamp(col + 1, cols) };
    case "Enter":
      return { row: clamp(row + (shift ? -1 : 1), rows), col };
    default:
      return null;
  }
}
