//! Reading plans.

use hoshin_core::model::Plan;
use hoshin_core::store::{HistoryStep, PlanSummary};
use hoshin_core::wareki::YearLabel;
use hoshin_core::Store;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::{with_store, CommandResult};
use crate::state::AppState;

/// A plan with the labels of the years its tables show (Y-2 … Y+1).
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct PlanView {
    pub plan: Plan,
    pub years: Vec<YearLabel>,
    pub can_undo: bool,
    pub can_redo: bool,
    /// What 元に戻す / やり直す would do (the window confirms whole-plan steps).
    pub undo_step: Option<HistoryStep>,
    pub redo_step: Option<HistoryStep>,
}

#[tauri::command]
pub fn list_plans(state: State<AppState>) -> CommandResult<Vec<PlanSummary>> {
    with_store(&state, |store| store.list_plans())
}

impl PlanView {
    pub fn of(store: &Store, plan: Plan) -> Result<PlanView, hoshin_core::Error> {
        let state = store.undo_state(&plan.ward, plan.fiscal_year)?;
        Ok(PlanView {
            years: (plan.fiscal_year - 2..=plan.fiscal_year + 1)
                .map(YearLabel::of)
                .collect(),
            plan,
            can_undo: state.can_undo(),
            can_redo: state.can_redo(),
            undo_step: state.undo,
            redo_step: state.redo,
        })
    }
}

#[tauri::command]
pub fn load_plan(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<PlanView> {
    with_store(&state, |store| {
        PlanView::of(store, store.load_plan(&ward, fiscal_year)?)
    })
}
