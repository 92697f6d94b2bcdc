//! Changing plans: edits, undo/redo, rollover, rename and delete. Each call
//! is one transaction in the core and answers with the plan as it now is.

use hoshin_core::edit::Edit;
use hoshin_core::rollover;
use hoshin_core::store::{HistoryStep, StepScope};
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
        store.apply_edit(&ward, fiscal_year, &edit)?;
        PlanView::load(store, &ward, fiscal_year)
    })
}

/// What the planner should confirm before `edit` is saved (Japanese, one
/// line each, e.g. a budget over 100億円); empty when nothing is unusual.
#[tauri::command]
pub fn edit_warnings(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    edit: Edit,
) -> CommandResult<Vec<String>> {
    with_store(&state, |store| {
        store.edit_warnings(&ward, fiscal_year, &edit)
    })
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
    /// The step's id: undo/redo take exactly this step.
    #[ts(type = "number")]
    pub id: i64,
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
#[tauri::command]
pub fn undo_preview(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<UndoPreview> {
    with_store(&state, |store| {
        let state = store.undo_state(&ward, fiscal_year)?;
        Ok(UndoPreview {
            undo: state.undo.map(|s| preview(s, true)),
            redo: state.redo.map(|s| preview(s, false)),
        })
    })
}

fn preview(step: HistoryStep, undo: bool) -> StepPreview {
    let whole_plan = match (step.scope, undo) {
        (StepScope::CreatePlan, true) | (StepScope::DeletePlan, false) => Some(WholePlan::Removes),
        (StepScope::CreatePlan, false) | (StepScope::DeletePlan, true) => Some(WholePlan::Creates),
        (StepScope::ReplacePlan, _) => Some(WholePlan::Replaces),
        (StepScope::Edit, _) => None,
    };
    StepPreview {
        id: step.id,
        action: step.action,
        whole_plan,
    }
}

/// The plan after an undo or redo; None when that removed it.
fn after_step(
    store: &hoshin_core::Store,
    ward: &str,
    fiscal_year: i32,
) -> Result<Option<PlanView>, hoshin_core::Error> {
    let exists = store
        .list_plans()?
        .iter()
        .any(|p| p.ward == ward && p.fiscal_year == fiscal_year);
    exists
        .then(|| PlanView::load(store, ward, fiscal_year))
        .transpose()
}

/// Takes back exactly the step `step_id` the window showed (and, for a
/// whole plan, confirmed); None when that removed the plan.
#[tauri::command]
pub fn undo(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    step_id: i64,
) -> CommandResult<Option<PlanView>> {
    with_store(&state, |store| {
        store.undo_step(&ward, fiscal_year, step_id)?;
        after_step(store, &ward, fiscal_year)
    })
}

#[tauri::command]
pub fn redo(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    step_id: i64,
) -> CommandResult<Option<PlanView>> {
    with_store(&state, |store| {
        store.redo_step(&ward, fiscal_year, step_id)?;
        after_step(store, &ward, fiscal_year)
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
        store.rename_plan(&ward, fiscal_year, &new_ward, fiscal_year)?;
        PlanView::load(store, new_ward.trim(), fiscal_year)
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
        Ok(rollover::preview(
            &store.load_plan_without_images(&ward, fiscal_year)?,
        ))
    })
}

#[tauri::command]
pub fn rollover(state: State<AppState>, ward: String, fiscal_year: i32) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        let next = store.rollover(&ward, fiscal_year)?;
        PlanView::load(store, &next.ward, next.fiscal_year)
    })
}
