//! 照会・回答: request workbooks for the sections (one, or all into a
//! folder), and their replies merged back after a preview.

use std::path::PathBuf;

use hoshin_core::reply::{self, Ask, MergePreview, Reply};
use hoshin_core::xlsx;
use hoshin_core::Error;
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use super::export::write;
use super::plan::PlanView;
use super::{with_store, CommandResult};
use crate::state::AppState;

/// What the request dialog offers for a plan.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct RequestOptions {
    pub sections: Vec<SectionCount>,
    pub asks: Vec<AskOption>,
    /// 取組 without a 担当課 (in no request).
    pub unassigned: u32,
}

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct SectionCount {
    pub section: String,
    pub initiatives: u32,
    /// 「回答_市民協働課.xlsx」
    pub file_name: String,
}

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct AskOption {
    pub ask: Ask,
    /// 「主な取組の令和6年度実績」
    pub label: String,
    /// Asked unless the planner unticks it.
    pub default: bool,
}

#[tauri::command]
pub fn request_options(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
) -> CommandResult<RequestOptions> {
    with_store(&state, |store| {
        let plan = store.load_plan_without_images(&ward, fiscal_year)?;
        Ok(RequestOptions {
            sections: reply::sections(&plan)
                .into_iter()
                .map(|(section, n)| SectionCount {
                    file_name: reply::request_file_name(&section),
                    section,
                    initiatives: n as u32,
                })
                .collect(),
            asks: Ask::ALL
                .into_iter()
                .map(|ask| AskOption {
                    ask,
                    label: ask.label(fiscal_year),
                    default: Ask::DEFAULT.contains(&ask),
                })
                .collect(),
            unassigned: reply::unassigned(&plan) as u32,
        })
    })
}

/// One section's request workbook, written to `path`.
#[tauri::command]
pub async fn write_request(
    state: State<'_, AppState>,
    ward: String,
    fiscal_year: i32,
    section: String,
    asks: Vec<Ask>,
    path: PathBuf,
) -> CommandResult<()> {
    with_store(&state, |store| {
        let plan = store.load_plan(&ward, fiscal_year)?;
        let bytes = xlsx::write_request(&plan, &section, &asks, &reply::now_label())?;
        write(store, &path, &bytes)
    })
}

/// Every section's request workbook, into `folder`; answers the paths.
#[tauri::command]
pub async fn write_requests(
    state: State<'_, AppState>,
    ward: String,
    fiscal_year: i32,
    asks: Vec<Ask>,
    folder: PathBuf,
) -> CommandResult<Vec<String>> {
    with_store(&state, |store| {
        let plan = store.load_plan(&ward, fiscal_year)?;
        let files = xlsx::write_requests(&plan, &asks, &reply::now_label())?;
        files
            .into_iter()
            .map(|(_, name, bytes)| {
                let path = folder.join(name);
                write(store, &path, &bytes)?;
                Ok(path.display().to_string())
            })
            .collect()
    })
}

/// The replies at `paths`, for the plan the window shows.
fn replies(paths: &[PathBuf], ward: &str, fiscal_year: i32) -> Result<Vec<Reply>, Error> {
    let replies = paths
        .iter()
        .map(|p| xlsx::read_reply_file(p))
        .collect::<Result<Vec<_>, _>>()?;
    reply::check_for(&replies, ward, fiscal_year)?;
    Ok(replies)
}

/// What merging the replies would do; changes nothing.
#[tauri::command]
pub async fn merge_preview(
    state: State<'_, AppState>,
    ward: String,
    fiscal_year: i32,
    paths: Vec<PathBuf>,
) -> CommandResult<MergePreview> {
    let replies = replies(&paths, &ward, fiscal_year)?;
    with_store(&state, |store| reply::merge(store, &replies, &[], true))
}

/// A merge done: what it did, and the plan after it.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct MergeDone {
    pub preview: MergePreview,
    pub view: PlanView,
}

/// Merges the replies (one undo step); `take` names the conflicts where the
/// planner chose the reply's value.
#[tauri::command]
pub async fn merge_replies(
    state: State<'_, AppState>,
    ward: String,
    fiscal_year: i32,
    paths: Vec<PathBuf>,
    take: Vec<String>,
) -> CommandResult<MergeDone> {
    let replies = replies(&paths, &ward, fiscal_year)?;
    with_store(&state, |store| {
        let preview = reply::merge(store, &replies, &take, false)?;
        Ok(MergeDone {
            preview,
            view: PlanView::load(store, &ward, fiscal_year)?,
        })
    })
}
