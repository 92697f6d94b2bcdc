// Typed calls into the Rust commands. Every type here is generated from the
// Rust types (ui/src/bindings, by ts-rs); this file only names the commands.
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AppInfo } from "../bindings/AppInfo";
import type { CommandError } from "../bindings/CommandError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { PlanSummary } from "../bindings/PlanSummary";
import type { PlanView } from "../bindings/PlanView";
import type { Edit } from "../bindings/Edit";
import type { ChartKind } from "../bindings/ChartKind";
import type { Layout } from "../bindings/Layout";
import type { UndoPreview } from "../bindings/UndoPreview";
import type { Ask } from "../bindings/Ask";
import type { MergeDone } from "../bindings/MergeDone";
import type { MergePreview } from "../bindings/MergePreview";
import type { RequestOptions } from "../bindings/RequestOptions";

/** What kind of failure a command reported (null for anything else thrown). */
export function errorCode(e: unknown): ErrorCode | null {
  if (typeof e === "object" && e !== null && "code" in e) return (e as CommandError).code;
  return null;
}

/** The Japanese message of whatever a command threw. */
export function errorMessage(e: unknown): string {
  if (typeof e === "object" && e !== null && "message" in e) {
    return String((e as CommandError).message);
  }
  return String(e);
}

export const api = {
  appInfo: () => invoke<AppInfo>("app_info"),
  uiReady: (treeItems: number) => invoke<void>("ui_ready", { treeItems }),
  /** A second `hoshin FILE` (a double-click on a .hoshin file) hands FILE to this window. */
  onOpenFileRequest: (handler: (path: string) => void) =>
    listen<string>("open-file", (event) => handler(event.payload)),
  listPlans: () => invoke<PlanSummary[]>("list_plans"),
  loadPlan: (ward: string, fiscalYear: number) =>
    invoke<PlanView>("load_plan", { ward, fiscalYear }),
  editPlan: (ward: string, fiscalYear: number, edit: Edit) =>
    invoke<PlanView>("edit_plan", { ward, fiscalYear, edit }),
  editWarnings: (ward: string, fiscalYear: number, edit: Edit) =>
    invoke<string[]>("edit_warnings", { ward, fiscalYear, edit }),
  undoPreview: (ward: string, fiscalYear: number) => invoke<UndoPreview>("undo_preview", { ward, fiscalYear }),
  /** Undoes exactly the step `undoPreview` showed; the plan after it, or null when it removed the plan. */
  undo: (ward: string, fiscalYear: number, stepId: number) => invoke<PlanView | null>("undo", { ward, fiscalYear, stepId }),
  redo: (ward: string, fiscalYear: number, stepId: number) => invoke<PlanView | null>("redo", { ward, fiscalYear, stepId }),
  /** A photo's image as a data URL (the plan carries captions only). */
  photoImage: (ward: string, fiscalYear: number, photoId: string) =>
    invoke<string | null>("photo_image", { ward, fiscalYear, photoId }),
  renamePlan: (ward: string, fiscalYear: number, newWard: string) =>
    invoke<PlanView>("rename_plan", { ward, fiscalYear, newWard }),
  deletePlan: (ward: string, fiscalYear: number) => invoke<void>("delete_plan", { ward, fiscalYear }),
  rolloverPreview: (ward: string, fiscalYear: number) =>
    invoke<string[]>("rollover_preview", { ward, fiscalYear }),
  rollover: (ward: string, fiscalYear: number) => invoke<PlanView>("rollover", { ward, fiscalYear }),
  chartSvg: (ward: string, fiscalYear: number, kind: ChartKind, item: string, index: number) =>
    invoke<string>("chart_svg", { ward, fiscalYear, kind, item, index }),
  saveChart: (ward: string, fiscalYear: number, kind: ChartKind, item: string, index: number, path: string) =>
    invoke<void>("save_chart", { ward, fiscalYear, kind, item, index, path }),
  saveCouncilPack: (ward: string, fiscalYear: number, dateLabel: string, path: string) =>
    invoke<void>("save_council_pack", { ward, fiscalYear, dateLabel, path }),
  exportJson: (ward: string, fiscalYear: number, path: string) => invoke<void>("export_json", { ward, fiscalYear, path }),
  exportXlsx: (ward: string, fiscalYear: number, layout: Layout, path: string) =>
    invoke<void>("export_xlsx", { ward, fiscalYear, layout, path }),
  importFile: (path: string, layout: Layout | null, replace: boolean) =>
    invoke<PlanView>("import_file", { path, layout, replace }),
  /** `create`: 新しいファイル; `replace`: the planner agreed to replace a file that holds plans. */
  openFile: (path: string, create: boolean, replace = false) => invoke<AppInfo>("open_file", { path, create, replace }),
  filePlans: (path: string) => invoke<PlanSummary[]>("file_plans", { path }),
  saveCopy: (path: string) => invoke<void>("save_copy", { path }),
  recentFiles: () => invoke<string[]>("recent_files"),
  createPlan: (ward: string, year: string) => invoke<PlanView>("create_plan", { ward, year }),
  /** 照会・回答: the sections and items a request can have. */
  requestOptions: (ward: string, fiscalYear: number) => invoke<RequestOptions>("request_options", { ward, fiscalYear }),
  writeRequest: (ward: string, fiscalYear: number, section: string, asks: Ask[], path: string) =>
    invoke<void>("write_request", { ward, fiscalYear, section, asks, path }),
  /** Every section's request into `folder`; the paths written. */
  writeRequests: (ward: string, fiscalYear: number, asks: Ask[], folder: string) =>
    invoke<string[]>("write_requests", { ward, fiscalYear, asks, folder }),
  /** What merging the replies would do (nothing is written). */
  mergePreview: (ward: string, fiscalYear: number, paths: string[]) =>
    invoke<MergePreview>("merge_preview", { ward, fiscalYear, paths }),
  /** Merges the replies; `take` lists the conflicts where the reply's value wins. */
  mergeReplies: (ward: string, fiscalYear: number, paths: string[], take: string[]) =>
    invoke<MergeDone>("merge_replies", { ward, fiscalYear, paths, take }),
};

