//! Changing plans: edits, undo/redo, rollover, rename and delete. Each call
//! is one transaction in the core and answers with the plan as it now is.

use hoshin_core::edit::{place_of, Edit};
use hoshin_core::limits::group;
use hoshin_core::model::{Budget, Plan};
use hoshin_core::normalize::parse_amount;
use hoshin_core::rollover;
use hoshin_core::store::ChangeSet;
use hoshin_core::validate::budget_column_label;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::plan::PlanView;
use super::{with_store, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub fn edit_plan(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    edit: Edit,
) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        let plan = store.apply_edit(&ward, fiscal_year, edit)?;
        PlanView::of(store, plan)
    })
}

/// One budget cell above this asks the planner before it is saved: no single
/// 取組 of a ward comes near 100億円, a slip of the keyboard easily does.
const LARGE_YEN: u64 = 10_000_000_000;

/// What the planner should confirm before `edit` is saved (Japanese, one
/// line each); empty when nothing is unusual.
#[tauri::command]
pub fn edit_warnings(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    edit: Edit,
) -> CommandResult<Vec<String>> {
    with_store(&state, |store| {
        let plan = store.load_plan(&ward, fiscal_year)?;
        let mut warnings = Vec::new();
        large_amounts(&plan, &edit, &mut warnings);
        Ok(warnings)
    })
}

fn large_amounts(plan: &Plan, edit: &Edit, out: &mut Vec<String>) {
    match edit {
        Edit::SetBudget {
            node,
            fiscal_year,
            kind,
            input,
        } => {
            if let Ok(Some(yen)) = parse_amount(input) {
                if yen > LARGE_YEN {
                    let column = budget_column_label(&Budget {
                        fiscal_year: *fiscal_year,
                        kind: *kind,
                        amount_yen: None,
                    });
                    out.push(format!(
                        "{} の{column}に {}（{}円）と入力されています。",
                        place_of(plan, node),
                        in_oku(yen),
                        group(yen)
                    ));
                }
            }
        }
        Edit::Batch { edits, .. } => edits.iter().for_each(|e| large_amounts(plan, e, out)),
        _ => {}
    }
}

/// 20000000000 → 「200億円」, 52000005100000 → 「52兆510万円」 (as people say it).
fn in_oku(yen: u64) -> String {
    let units = [
        (yen / 1_000_000_000_000, "兆"),
        (yen / 100_000_000 % 10_000, "億"),
        (yen / 10_000 % 10_000, "万"),
    ];
    let mut text: String = units
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if !yen.is_multiple_of(10_000) {
        text.insert(0, '約');
    }
    text + "円"
}

/// What the next undo or redo would do to the whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum WholePlan {
    /// The plan disappears from the file.
    Removes,
    /// The plan comes back into the file.
    Creates,
    /// The whole plan is replaced by another version (an import).
    Replaces,
}

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct StepPreview {
    /// What the step takes back or does again, e.g. 「JSON を取り込み（…）」.
    pub action: String,
    pub whole_plan: Option<WholePlan>,
}

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct UndoPreview {
    pub undo: Option<StepPreview>,
    pub redo: Option<StepPreview>,
}

/// What 元に戻す and やり直す would do now, so the window can ask first when
/// a whole plan would be removed or replaced.
// TODO(core): read this from the history itself once the core says it.
#[tauri::command]
pub fn undo_preview(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<UndoPreview> {
    with_store(&state, |store| {
        let (can_undo, can_redo) = store.undo_state(&ward, fiscal_year)?;
        // Newest first: undone sets (newest actions) come before done ones.
        let sets = store.plan_history(&ward, fiscal_year, 400)?;
        let undo = sets.iter().find(|s| !s.undone).filter(|_| can_undo);
        let redo = sets.iter().rfind(|s| s.undone).filter(|_| can_redo);
        Ok(UndoPreview {
            undo: undo.map(|s| preview(s, true)),
            redo: redo.map(|s| preview(s, false)),
        })
    })
}

fn preview(set: &ChangeSet, undo: bool) -> StepPreview {
    let whole = |field: &str| {
        set.changes
            .iter()
            .any(|c| c.entity == "計画" && c.field == field)
    };
    let (created, deleted) = (whole("（新規作成）"), whole("（削除）"));
    let imported = set.action.contains("取り込み") || set.action.contains("読み込み");
    let whole_plan = match (created, deleted, imported) {
        (true, _, _) => Some(if undo {
            WholePlan::Removes
        } else {
            WholePlan::Creates
        }),
        (_, true, _) => Some(if undo {
            WholePlan::Creates
        } else {
            WholePlan::Removes
        }),
        (_, _, true) => Some(WholePlan::Replaces),
        _ => None,
    };
    StepPreview {
        action: set.action.clone(),
        whole_plan,
    }
}

/// Takes back the plan's latest change; None when that removed the plan.
#[tauri::command]
pub fn undo(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<Option<PlanView>> {
    with_store(&state, |store| {
        let plan = store.undo(&ward, fiscal_year)?;
        plan.map(|p| PlanView::of(store, p)).transpose()
    })
}

#[tauri::command]
pub fn redo(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<Option<PlanView>> {
    with_store(&state, |store| {
        let plan = store.redo(&ward, fiscal_year)?;
        plan.map(|p| PlanView::of(store, p)).transpose()
    })
}

#[tauri::command]
pub fn rename_plan(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    new_ward: String,
) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        let plan = store.rename_plan(&ward, fiscal_year, &new_ward)?;
        PlanView::of(store, plan)
    })
}

/// Deletes a whole plan (元に戻す brings it back).
#[tauri::command]
pub fn delete_plan(state: State<AppState>, ward: String, fiscal_year: i32) -> CommandResult<()> {
    with_store(&state, |store| store.delete_plan(&ward, fiscal_year))
}

#[tauri::command]
pub fn rollover_preview(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<Vec<String>> {
    with_store(&state, |store| {
        Ok(rollover::preview(&store.load_plan(&ward, fiscal_year)?))
    })
}

#[tauri::command]
pub fn rollover(state: State<AppState>, ward: String, fiscal_year: i32) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        let next = store.rollover(&ward, fiscal_year)?;
        PlanView::of(store, next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_say_them() {
        assert_eq!(in_oku(20_000_000_000), "200億円");
        assert_eq!(in_oku(52_000_005_100_000), "52兆510万円");
        assert_eq!(in_oku(10_000_000_001), "約100億円");
    }
}
