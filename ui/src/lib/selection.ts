// What the detail pane shows: the plan itself or one node of its tree,
// addressed by position (numbers like 5-1-2 follow from positions).
export type Selection =
  | { kind: "plan" }
  | { kind: "issue"; issue: number }
  | { kind: "strategy"; issue: number; strategy: number }
  | { kind: "initiative"; issue: number; strategy: number; initiative: number };

export function sameSelection(a: Selection, b: Selection): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
