// Pure helpers of the spreadsheet-like grid, unit-tested without a DOM.

/** One typed cell; `newRow` marks a row the grid adds (insert at `row`). */
export type CellEdit = { row: number; col: number; value: string; newRow?: boolean };

/** Parses what Excel puts on the clipboard: rows by newline, cells by tab. */
export function parseClipboard(text: string): string[][] {
  const trimmed = text.replace(/\r\n?/g, "\n").replace(/\n$/, "");
  return trimmed.split("\n").map((line) => line.split("\t"));
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
