//! Excel workbooks in the city format (issue 6).
//!
//! Three layouts, each described as data:
//!
//! - [`Layout::JigyoKeikakusho`]: the ward's 事業計画書 page (layout C of
//!   `city-format.md`), one landscape sheet per 経営課題, printed like the
//!   booklet (issue 12). One page description (`page.rs`) that the writer
//!   and the reader both walk; `print.rs` chooses row heights and page
//!   breaks. Exported and re-imported.
//! - [`Layout::UneiHoshin`]: the city's 運営方針 様式 from 令和5年度 (layout B).
//!   Export only.
//! - [`Layout::Data`]: flat typed tables for aggregation across wards.
//!   Exported and re-imported, losslessly (photos included).
//!
//! Every workbook also has a 「グラフ」 sheet with native Excel charts; in the
//! 事業計画書 its tables are formulas referencing the plan sheet's cells.
//! Import reads visible sheets only, and the printed cells are the data: a
//! planner may edit them in Excel and import them again. The 事業計画書's
//! hidden columns hold only what its page does not print (ids, 担当課,
//! target details) and hints that are used while the printed cells still
//! agree with them (a number's spelling, each opinion's line count).
//!
//! What the jigyo-keikakusho layout cannot carry (it prints only what the
//! seed page prints) is listed in [`carried_by`]; everything else survives
//! an export and import unchanged.

mod charts;
mod data;
mod grid;
mod jigyo;
mod page;
mod print;
mod read;
mod request;
mod sample;
mod unei;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Plan;
use crate::store::Store;
use crate::validate::validate_plan;

pub use request::{read_reply, read_reply_file, write_request, write_requests};
pub use sample::ward_set;

/// The workbook layouts Hoshin writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// 事業計画書 (the ward booklet page, layout C): `jigyo-keikakusho`.
    JigyoKeikakusho,
    /// 運営方針 (the city 様式 from 令和5年度, layout B): `unei-hoshin`.
    UneiHoshin,
    /// Flat tables for aggregation: `data`.
    Data,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::JigyoKeikakusho, Layout::UneiHoshin, Layout::Data];

    pub fn code(self) -> &'static str {
        match self {
            Layout::JigyoKeikakusho => "jigyo-keikakusho",
            Layout::UneiHoshin => "unei-hoshin",
            Layout::Data => "data",
        }
    }

    /// `jigyo-keikakusho`, `unei-hoshin` or `data`.
    pub fn from_code(code: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.code() == code)
    }

    /// 「事業計画書」「運営方針」「集計用データ」
    pub fn label(self) -> &'static str {
        match self {
            Layout::JigyoKeikakusho => "事業計画書",
            Layout::UneiHoshin => "運営方針",
            Layout::Data => "集計用データ",
        }
    }
}

/// The workbook as bytes. `plans` is usually one plan; the data layout takes
/// any number (e.g. the 24 wards), the other layouts write one sheet set per
/// plan.
pub fn export_workbook_bytes(plans: &[Plan], layout: Layout) -> Result<Vec<u8>> {
    if plans.is_empty() {
        return Err(Error::Refused("書き出す計画がありません。".into()));
    }
    if layout == Layout::JigyoKeikakusho {
        plans.iter().try_for_each(jigyo::check_fits)?;
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    // Deflate level 2 instead of 6: a city-sized data workbook compresses in
    // 40 % of the time and grows by a third (0.85 → 1.1 MB).
    book.set_zip_compression_level(2);
    let refs = match layout {
        Layout::JigyoKeikakusho => Some(jigyo_sheets(&mut book, plans).map_err(xlsx_error)?),
        Layout::UneiHoshin => {
            plans
                .iter()
                .try_for_each(|p| unei::write(&mut book, p, plans.len() > 1))
                .map_err(xlsx_error)?;
            None
        }
        Layout::Data => {
            data::write(&mut book, plans).map_err(xlsx_error)?;
            None
        }
    };
    charts::write(&mut book, plans, refs.as_ref()).map_err(xlsx_error)?;
    book.save_to_buffer().map_err(xlsx_error)
}

/// The 事業計画書 sheets of every plan, and where their figures landed.
fn jigyo_sheets(
    book: &mut rust_xlsxwriter::Workbook,
    plans: &[Plan],
) -> std::result::Result<charts::Refs, rust_xlsxwriter::XlsxError> {
    let mut refs = charts::Refs::new();
    for (pi, plan) in plans.iter().enumerate() {
        for written in jigyo::write(book, plan, pi, plans.len() > 1)? {
            for f in written.printed.figures {
                refs.insert((f.path, f.field), (written.sheet.clone(), f.row, f.col));
            }
        }
    }
    Ok(refs)
}

/// Writes the workbook to `path` atomically (see [`crate::output`]); a path
/// that is the open Hoshin file `database` is refused.
pub fn export_workbook(plans: &[Plan], layout: Layout, path: &Path, database: &Path) -> Result<()> {
    crate::output::write_file(path, &export_workbook_bytes(plans, layout)?, database)
}

/// Reads plans back from a workbook of the jigyo-keikakusho or data layout.
/// Every plan returned has passed [`validate_plan`]; on any error nothing is
/// returned.
pub fn import_workbook(path: &Path, layout: Layout) -> Result<Vec<Plan>> {
    let bytes = crate::limits::read_input_file(path)?;
    import_workbook_bytes(&bytes, layout).map_err(|e| match e {
        Error::Refused(m) if m.is_empty() => Error::Refused(format!(
            "「{}」は Excel ブック（.xlsx）として読めません。Hoshin で書き出した .xlsx ファイルを指定してください。",
            path.display()
        )),
        other => other,
    })
}

/// Reads a workbook and imports its plans into `store` as one action
/// (`replace`: also over plans the file holds). Over a stored plan, what the
/// layout does not carry is kept from it (see [`carried_by`]), so the import
/// changes only what the workbook shows. Answers with the plans read.
pub fn import_into(
    store: &mut Store,
    path: &Path,
    layout: Layout,
    replace: bool,
    action: &str,
) -> Result<Vec<Plan>> {
    let mut plans = import_workbook(path, layout)?;
    if replace && layout == Layout::JigyoKeikakusho {
        for plan in &mut plans {
            match store.load_plan(&plan.ward, plan.fiscal_year) {
                Ok(stored) => jigyo::keep_uncarried(plan, &stored),
                Err(Error::PlanNotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    store.import_plans(&plans, replace, action)?;
    Ok(plans)
}

/// [`import_workbook`] from bytes. A file that is not an xlsx workbook gives
/// `Error::Refused` with an empty message, which `import_workbook` fills in.
pub fn import_workbook_bytes(bytes: &[u8], layout: Layout) -> Result<Vec<Plan>> {
    let book = read::Book::open(bytes)?;
    let read = match layout {
        Layout::JigyoKeikakusho => jigyo::read(&book),
        Layout::Data => data::read(&book),
        Layout::UneiHoshin => {
            return Err(Error::Refused(
                "運営方針（unei-hoshin）の様式は書き出し専用です。取り込みには jigyo-keikakusho か data の様式を使ってください。".into(),
            ))
        }
    };
    // A formula the layout read explains whatever it made of the cell.
    if let Some(formula) = book.formula_read() {
        return Err(formula);
    }
    let plans = read?;
    if plans.is_empty() {
        return Err(Error::Refused(format!(
            "このブックに{}の様式のシートが見つかりません。",
            layout.label()
        )));
    }
    for plan in &plans {
        validate_plan(plan)?;
    }
    Ok(plans)
}

/// The part of `plan` that `layout` carries through an export and import.
///
/// The jigyo-keikakusho page prints what the seed page prints, so it drops:
/// the plan's 目標 / 使命 / 基本的な考え方 / 自己評価 / 今後の方針;
/// an issue's 課題認識, issue-level アウトカム指標 and budgets, 主な戦略;
/// results and budgets of years outside the page's columns (indicators Y-2…Y,
/// activities Y-1…Y, budgets Y-2 決算 / Y-1 予算 / Y 予算, in that order);
/// a result's `rating` and `note`; photos' images (captions are kept); and
/// a strategy number left unset (the page always prints one). Results are
/// ordered by year and budgets by column, as the page shows them; a result
/// with no value, mark or source is not printed and so not read back.
/// The plan's stage and source note, every id and 担当課, and each target's
/// value, unit, 以上/以下, years and 累計 are kept in hidden columns beside
/// the page; the middle 「課題」 box of the 戦略 self-evaluation row has no
/// field in the model and is not read.
/// A percentage re-typed in Excel as a number cell (42.5% stored as 0.425)
/// reads as 0.425: type it as text, or edit the plan in Hoshin.
/// The data layout carries everything.
pub fn carried_by(layout: Layout, plan: &Plan) -> Plan {
    match layout {
        Layout::JigyoKeikakusho => jigyo::carried(plan),
        _ => plan.clone(),
    }
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Refused(format!("Excel ブックを作成できませんでした: {e}"))
}
