// Every edit the window sends to the core is built here, so how nodes are
// addressed (today by position, NodePath) changes in one place.
import type { BudgetKind } from "../bindings/BudgetKind";
import type { Edit } from "../bindings/Edit";
import type { IndicatorList } from "../bindings/IndicatorList";
import type { NodePath } from "../bindings/NodePath";
import type { Selection } from "./selection";

export type Node = NodePath;

/** The node a selection shows (the plan itself, or one of its tree nodes). */
export function nodeOf(s: Selection): Node {
  return {
    issue: s.kind === "plan" ? null : s.issue,
    strategy: s.kind === "strategy" || s.kind === "initiative" ? s.strategy : null,
    initiative: s.kind === "initiative" ? s.initiative : null,
  };
}

/** Several edits as one action (one undo step): a pasted block, a row. */
export function together(edits: Edit[]): Edit {
  return edits.length === 1 ? edits[0] : { op: "batch", label: "", edits };
}

/** The budget cells an edit touches (they may need a confirmation). */
export function budgetInputs(edit: Edit): string[] {
  if (edit.op === "set_budget") return [edit.input];
  if (edit.op === "batch") return edit.edits.flatMap(budgetInputs);
  return [];
}

export const edits = {
  text: (node: Node, field: string, value: string): Edit => ({ op: "set_text", node, field, value }),
  stage: (stage: Extract<Edit, { op: "set_stage" }>["stage"]): Edit => ({ op: "set_stage", stage }),
  issueNumber: (node: Node, number: string): Edit => ({ op: "set_issue_number", node, number }),
  sdgs: (node: Node, input: string): Edit => ({ op: "set_sdgs", node, input }),
  budget: (node: Node, fiscal_year: number, kind: BudgetKind, input: string): Edit => ({
    op: "set_budget",
    node,
    fiscal_year,
    kind,
    input,
  }),
  addChild: (node: Node, title: string): Edit => ({ op: "add_child", node, title }),
  deleteNode: (node: Node): Edit => ({ op: "delete_node", node }),
  moveNode: (node: Node, delta: number): Edit => ({ op: "move_node", node, delta }),
  duplicateNode: (node: Node): Edit => ({ op: "duplicate_node", node }),
  activity: (node: Node, row: number, text: string): Edit => ({ op: "set_activity", node, row, text }),
  activityResult: (node: Node, row: number, fiscal_year: number, text: string): Edit => ({
    op: "set_activity_result",
    node,
    row,
    fiscal_year,
    text,
  }),
  insertActivity: (node: Node, row: number, text: string): Edit => ({ op: "insert_activity", node, row, text }),
  deleteActivity: (node: Node, row: number): Edit => ({ op: "delete_activity", node, row }),
  moveActivity: (node: Node, row: number, delta: number): Edit => ({ op: "move_activity", node, row, delta }),
  addIndicator: (node: Node, list: IndicatorList, text: string, unit: string): Edit => ({
    op: "add_indicator",
    node,
    list,
    text,
    unit,
  }),
  deleteIndicator: (node: Node, list: IndicatorList, index: number): Edit => ({ op: "delete_indicator", node, list, index }),
  indicatorText: (node: Node, list: IndicatorList, index: number, text: string): Edit => ({
    op: "set_indicator_text",
    node,
    list,
    index,
    text,
  }),
  target: (node: Node, list: IndicatorList, index: number, target: Omit<Extract<Edit, { op: "set_target" }>, "op" | "node" | "list" | "index">): Edit => ({
    op: "set_target",
    node,
    list,
    index,
    ...target,
  }),
  result: (node: Node, list: IndicatorList, index: number, fiscal_year: number, parts: Omit<Extract<Edit, { op: "set_result" }>, "op" | "node" | "list" | "index" | "fiscal_year">): Edit => ({
    op: "set_result",
    node,
    list,
    index,
    fiscal_year,
    ...parts,
  }),
  addPhoto: (node: Node, caption: string, media_type: string | null, data_base64: string | null): Edit => ({
    op: "add_photo",
    node,
    caption,
    media_type,
    data_base64,
  }),
  photoCaption: (node: Node, index: number, caption: string): Edit => ({ op: "set_photo_caption", node, index, caption }),
  deletePhoto: (node: Node, index: number): Edit => ({ op: "delete_photo", node, index }),
};
