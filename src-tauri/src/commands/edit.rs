//! Changing plans: edits, undo/redo, rollover. Each call is one transaction
//! in the core and answers with the plan as it now is.

use hoshin_core::edit::Edit;
use hoshin_core::rollover;
use tauri::State;

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

#[tauri::command]
pub fn undo(state: State<AppState>, ward: String, fiscal_year: i32) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        store.undo(&ward, fiscal_year)?;
        PlanView::of(store, store.load_plan(&ward, fiscal_year)?)
    })
}

#[tauri::command]
pub fn redo(state: State<AppState>, ward: String, fiscal_year: i32) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        store.redo(&ward, fiscal_year)?;
        PlanView::of(store, store.load_plan(&ward, fiscal_year)?)
    })
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
