//! Reading plans.

use hoshin_core::edit::{mark_doubts, MarkDoubt};
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
    /// Marks that disagree with their value and target, to be looked at.
    pub mark_doubts: Vec<MarkDoubt>,
}

#[tauri::command]
pub fn list_plans(state: State<AppState>) -> CommandResult<Vec<PlanSummary>> {
    with_store(&state, |store| store.list_plans())
}

impl PlanView {
    /// The plan as the window shows it: without photo images, which come
    /// one by one from `photo_image`, so an edit never resends them.
    pub fn load(
        store: &Store,
        ward: &str,
        fiscal_year: i32,
    ) -> Result<PlanView, hoshin_core::Error> {
        PlanView::of(store, store.load_plan_without_images(ward, fiscal_year)?)
    }

    fn of(store: &Store, plan: Plan) -> Result<PlanView, hoshin_core::Error> {
        let state = store.undo_state(&plan.ward, plan.fiscal_year)?;
        Ok(PlanView {
            mark_doubts: mark_doubts(&plan),
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
    with_store(&state, |store| PlanView::load(store, &ward, fiscal_year))
}

/// A photo's image as a data URL, or None for a slot without one.
#[tauri::command]
pub fn photo_image(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    photo_id: String,
) -> CommandResult<Option<String>> {
    use base64::Engine;
    with_store(&state, |store| {
        Ok(store
            .photo(&ward, fiscal_year, &photo_id)?
            .map(|(media_type, bytes)| {
                format!(
                    "data:{media_type};base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(bytes)
                )
            }))
    })
}
