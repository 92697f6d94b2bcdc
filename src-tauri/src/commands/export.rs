//! Charts and files going out (and plans coming in) through the OS dialogs:
//! the UI picks the path with the dialog plugin, the core does the work.

use std::path::{Path, PathBuf};

use hoshin_core::chart::{self, ChartKind, ChartRequest};
use hoshin_core::xlsx::{self, Layout};
use hoshin_core::{json, output, Error, Store};
use tauri::State;

use super::plan::PlanView;
use super::{with_store, CommandResult};
use crate::state::AppState;

/// Writes an output atomically, never over the open Hoshin file.
pub(super) fn write(store: &Store, path: &Path, bytes: impl AsRef<[u8]>) -> Result<(), Error> {
    output::write_file(path, bytes.as_ref(), store.path())
}

/// An SVG chart to show beside its indicator or budget.
#[tauri::command]
pub fn chart_svg(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    kind: ChartKind,
    item: String,
    index: usize,
) -> CommandResult<String> {
    with_store(&state, |store| {
        chart::render_svg(
            &store.load_plan(&ward, fiscal_year)?,
            &ChartRequest { kind, item, index },
        )
    })
}

/// Saves a chart as PNG (300 dpi) or SVG, by the file's extension.
#[tauri::command]
pub fn save_chart(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    kind: ChartKind,
    item: String,
    index: usize,
    path: PathBuf,
) -> CommandResult<()> {
    with_store(&state, |store| {
        let plan = store.load_plan(&ward, fiscal_year)?;
        let request = ChartRequest { kind, item, index };
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        {
            write(store, &path, chart::render_svg(&plan, &request)?)
        } else {
            write(store, &path, chart::render_png(&plan, &request, 300)?)
        }
    })
}

#[tauri::command]
pub fn save_council_pack(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    date_label: String,
    path: PathBuf,
) -> CommandResult<()> {
    with_store(&state, |store| {
        write(
            store,
            &path,
            chart::council_pack_pdf(&store.load_plan(&ward, fiscal_year)?, &date_label)?,
        )
    })
}

#[tauri::command]
pub fn export_json(
    state: State<AppState>,
    ward: String,
    fiscal_year: i32,
    path: PathBuf,
) -> CommandResult<()> {
    with_store(&state, |store| {
        write(
            store,
            &path,
            json::to_json(&store.load_plan(&ward, fiscal_year)?),
        )
    })
}

#[tauri::command]
pub async fn export_xlsx(
    state: State<'_, AppState>,
    ward: String,
    fiscal_year: i32,
    layout: Layout,
    path: PathBuf,
) -> CommandResult<()> {
    with_store(&state, |store| {
        let plan = store.load_plan(&ward, fiscal_year)?;
        xlsx::export_workbook(&[plan], layout, &path, store.path())
    })
}

/// Imports a JSON or xlsx plan; answers with the first plan imported.
#[tauri::command]
pub async fn import_file(
    state: State<'_, AppState>,
    path: PathBuf,
    layout: Option<Layout>,
    replace: bool,
) -> CommandResult<PlanView> {
    let action = format!("取り込み（{}）", path.display());
    with_store(&state, |store| {
        let plans = match layout {
            Some(layout) => xlsx::import_into(store, &path, layout, replace, &action)?,
            None => {
                let plan = json::read_plan_file(&path)?;
                store.import_plans(std::slice::from_ref(&plan), replace, &action)?;
                vec![plan]
            }
        };
        let first = plans
            .into_iter()
            .next()
            .ok_or_else(|| Error::Refused("取り込む計画がありません。".into()))?;
        PlanView::load(store, &first.ward, first.fiscal_year)
    })
}
