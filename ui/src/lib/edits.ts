// Every edit the window sends to the core is built here. The core addresses
// nodes and rows by their stable id; the window shows them by position, so
// `nodeOf` carries a node's id together with the rows (主な取組, indicators,
// photos) the builders below turn from a position on screen into an id.
import type { Activity } from "../bindings/Activity";
import type { BudgetKind } from "../bindings/BudgetKind";
import type { Edit } from "../bindings/Edit";
import type { Indicator } from "../bindings/Indicator";
import type { InitiativeText } from "../bindings/InitiativeText";
import type { IssueText } from "../bindings/IssueText";
import type { LinesField } from "../bindings/LinesField";
import type { NodeRef } from "../bindings/NodeRef";
import type { Photo } from "../bindings/Photo";
import type { Plan } from "../bindings/Plan";
import type { PlanText } from "../bindings/PlanText";
import type { StrategyText } from "../bindings/StrategyText";
import type { Selection } from "./selection";

/** Which indicator list of a node a view shows (the node's kind decides it). */
export type IndicatorList = "outcome" | "process";

/** A node as edits see it: its id, and its rows in the order shown. */
export type Node = { ref: NodeRef; activities: Activity[]; indicators: Indicator[]; photos: Photo[] };

/** The node a selection shows (the plan itself, or one of its tree nodes). */
export function nodeOf(plan: Plan, s: Selection): Node {
  const none = { activities: [], indicators: [], photos: [] };
  if (s.kind === "plan") return { ref: { kind: "plan" }, ...none };
  const issue = plan.issues[s.issue];
  if (s.kind === "issue") return { ref: { kind: "issue", id: issue?.id ?? "" }, ...none, indicators: issue?.outcome_indicators ?? [] };
  const strategy = issue?.strategies[s.strategy];
  if (s.kind === "strategy")
    return { ref: { kind: "strategy", id: strategy?.id ?? "" }, ...none, indicators: strategy?.outcome_indicators ?? [] };
  const it = strategy?.initiatives[s.initiative];
  return {
    ref: { kind: "initiative", id: it?.id ?? "" },
    activities: it?.activities ?? [],
    indicators: it?.process_indicators ?? [],
    photos: it?.photos ?? [],
  };
}

/** A fresh id for a row the window creates and then edits in the same batch. */
export function newRowId(): string {
  return crypto.randomUUID().replaceAll("-", "");
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

const id = (row: { id?: string } | undefined) => row?.id ?? "";
const nodeId = (node: Node) => (node.ref.kind === "plan" ? "" : node.ref.id);

export const edits = {
  planText: (field: PlanText, value: string): Edit => ({ op: "set_plan_text", field, value }),
  issueText: (node: Node, field: IssueText, value: string): Edit => ({ op: "set_issue_text", issue: nodeId(node), field, value }),
  strategyText: (node: Node, field: StrategyText, value: string): Edit => ({
    op: "set_strategy_text",
    strategy: nodeId(node),
    field,
    value,
  }),
  initiativeText: (node: Node, field: InitiativeText, value: string): Edit => ({
    op: "set_initiative_text",
    initiative: nodeId(node),
    field,
    value,
  }),
  /** 主な戦略 / 区政会議等意見: one entry per line. */
  lines: (node: Node, field: LinesField, value: string): Edit => ({ op: "set_lines", node: node.ref, field, lines: value.split("\n") }),
  stage: (stage: Extract<Edit, { op: "set_stage" }>["stage"]): Edit => ({ op: "set_stage", stage }),
  issueNumber: (node: Node, number: string): Edit => ({ op: "set_issue_number", issue: nodeId(node), number }),
  sdgs: (node: Node, input: string): Edit => ({ op: "set_sdgs", issue: nodeId(node), input }),
  budget: (node: Node, fiscal_year: number, kind: BudgetKind, input: string): Edit => ({
    op: "set_budget",
    node: node.ref,
    fiscal_year,
    kind,
    input,
  }),
  addChild: (node: Node, title: string): Edit => ({ op: "add_node", parent: node.ref, title, after: null }),
  deleteNode: (node: Node): Edit => ({ op: "delete_node", node: node.ref }),
  moveNode: (node: Node, delta: number): Edit => ({ op: "move_node", node: node.ref, delta }),
  duplicateNode: (node: Node): Edit => ({ op: "duplicate_node", node: node.ref }),
  activity: (node: Node, row: number, text: string): Edit => ({ op: "set_activity_text", activity: id(node.activities[row]), text }),
  /** `activity`: the row's id (a row made in the same batch has the id given to insertActivity). */
  activityResult: (activity: string, fiscal_year: number, text: string): Edit => ({ op: "set_activity_result", activity, fiscal_year, text }),
  /** A new row before row `row` (at the end when `row` is the row count), named `rowId`. */
  insertActivity: (node: Node, row: number, text: string, rowId: string | null = null): Edit => ({
    op: "add_activity",
    initiative: nodeId(node),
    text,
    before: node.activities[row]?.id ?? null,
    id: rowId,
  }),
  deleteActivity: (node: Node, row: number): Edit => ({ op: "delete_activity", activity: id(node.activities[row]) }),
  moveActivity: (node: Node, row: number, delta: number): Edit => ({ op: "move_activity", activity: id(node.activities[row]), delta }),
  addIndicator: (node: Node, text: string, unit: string): Edit => ({ op: "add_indicator", node: node.ref, text, unit }),
  deleteIndicator: (node: Node, index: number): Edit => ({ op: "delete_indicator", indicator: id(node.indicators[index]) }),
  indicatorText: (node: Node, index: number, text: string): Edit => ({
    op: "set_indicator_text",
    indicator: id(node.indicators[index]),
    text,
  }),
  target: (node: Node, index: number, target: Omit<Extract<Edit, { op: "set_target" }>, "op" | "indicator">): Edit => ({
    op: "set_target",
    indicator: id(node.indicators[index]),
    ...target,
  }),
  result: (node: Node, index: number, fiscal_year: number, parts: Omit<Extract<Edit, { op: "set_result" }>, "op" | "indicator" | "fiscal_year">): Edit => ({
    op: "set_result",
    indicator: id(node.indicators[index]),
    fiscal_year,
    ...parts,
  }),
  addPhoto: (node: Node, caption: string, media_type: string | null, data_base64: string | null): Edit => ({
    op: "add_photo",
    initiative: nodeId(node),
    caption,
    media_type,
    data_base64,
  }),
  photoCaption: (node: Node, index: number, caption: string): Edit => ({ op: "set_photo_caption", photo: id(node.photos[index]), caption }),
  deletePhoto: (node: Node, index: number): Edit => ({ op: "delete_photo", photo: id(node.photos[index]) }),
};
