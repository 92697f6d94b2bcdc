//! The 「グラフ」 sheet: two small tables (indicator results and budgets)
//! and native Excel column charts drawn from them, so city hall can restyle
//! the charts in Excel.
//!
//! When the plan sheets print the figures (the 事業計画書), every table cell
//! is a formula referencing the plan sheet's cell, so an edit made there in
//! Excel shows in the charts and no figure is written twice. Layouts that
//! print no figure cells (運営方針) get the numbers themselves.

use std::collections::HashMap;

use rust_xlsxwriter::utility::row_col_to_cell_absolute;
use rust_xlsxwriter::{Chart, ChartType, Formula, Workbook, XlsxError};

use super::grid::{plans_caption, print_setup, Styles};
use super::page::Field;
use crate::model::{Budget, Indicator, Plan};
use crate::rollover::{budget_columns, first_indicator_year};
use crate::validate::budget_column_label;
use crate::wareki::{long_label, Digits};

pub const SHEET: &str = "グラフ";

/// Where the plan sheets put each figure: (node path, field) → sheet, row,
/// column. The path is plan, issue, strategy[, 取組][, indicator] indices.
pub type Refs = HashMap<(Vec<usize>, Field), (String, u32, u16)>;

/// One figure of a table: the plan sheet's cells it comes from (summed
/// when several), or the number itself when no sheet prints it.
#[derive(Debug, Clone)]
enum Figure {
    Cells(Vec<String>, Option<f64>),
    Number(Option<f64>),
}

/// A table of the sheet: title, three column headers, labelled rows.
struct Series {
    title: String,
    number_format: &'static str,
    columns: [String; 3],
    rows: Vec<(String, [Figure; 3])>,
}

/// `'経営課題5'!$H$12`
fn reference(sheet: &str, row: u32, col: u16) -> String {
    format!(
        "'{}'!{}",
        sheet.replace('\'', "''"),
        row_col_to_cell_absolute(row, col)
    )
}

fn figure(refs: Option<&Refs>, cells: &[(Vec<usize>, Field)], value: Option<f64>) -> Figure {
    match refs {
        None => Figure::Number(value),
        Some(refs) => Figure::Cells(
            cells
                .iter()
                .filter_map(|key| refs.get(key))
                .map(|(sheet, row, col)| reference(sheet, *row, *col))
                .collect(),
            value,
        ),
    }
}

/// The field of an indicator's value in year column k: アウトカム or プロセス.
type ValueField = fn(usize) -> Field;

fn indicator_table(plans: &[Plan], refs: Option<&Refs>) -> Series {
    let first = first_indicator_year(plans[0].fiscal_year);
    let mut rows = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        let prefix = if plans.len() > 1 {
            format!("{} ", plan.ward)
        } else {
            String::new()
        };
        let first = first_indicator_year(plan.fiscal_year);
        let mut add = |label: String, ind: &Indicator, key: Option<(Vec<usize>, ValueField)>| {
            if refs.is_some() && key.is_none() {
                // Not on the plan sheet: nothing to reference.
                return;
            }
            let values = [0, 1, 2].map(|k| {
                let value = ind
                    .results
                    .iter()
                    .find(|r| r.fiscal_year == first + k as i32)
                    .and_then(|r| r.value.as_ref()?.as_f64());
                let key = key.clone().map(|(p, field)| (p, field(k)));
                figure(refs, key.as_slice(), value)
            });
            rows.push((format!("{prefix}{label}"), values));
        };
        for (ii, issue) in plan.issues.iter().enumerate() {
            for (n, ind) in issue.outcome_indicators.iter().enumerate() {
                add(format!("経営課題{} 指標{}", issue.number, n + 1), ind, None);
            }
            for (si, s) in issue.strategies.iter().enumerate() {
                let number = s
                    .number
                    .clone()
                    .unwrap_or_else(|| format!("{}-{}", issue.number, si + 1));
                for (k, ind) in s.outcome_indicators.iter().enumerate() {
                    let path = vec![pi, ii, si, k];
                    add(
                        format!("{number} アウトカム"),
                        ind,
                        Some((path, Field::IndicatorValue)),
                    );
                }
                for (ni, i) in s.initiatives.iter().enumerate() {
                    for (k, ind) in i.process_indicators.iter().enumerate() {
                        let path = vec![pi, ii, si, ni, k];
                        add(
                            format!("{} プロセス", i.number),
                            ind,
                            Some((path, Field::ProcessValue)),
                        );
                    }
                }
            }
        }
    }
    Series {
        title: "指標の実績".into(),
        number_format: "#,##0.0",
        columns: [0, 1, 2].map(|k| long_label(first + k, Digits::Half)),
        rows,
    }
}

/// Budgets per 具体的取組 for one plan, per ward (summed) for several.
fn budget_table(plans: &[Plan], refs: Option<&Refs>) -> Series {
    let columns = budget_columns(plans[0].fiscal_year);
    let mut rows = Vec::new();
    for (pi, plan) in plans.iter().enumerate() {
        let cols = budget_columns(plan.fiscal_year);
        let amount = |budgets: &[Budget], k: usize| {
            let (y, kind) = cols[k];
            budgets
                .iter()
                .find(|b| b.fiscal_year == y && b.kind == kind)
                .and_then(|b| b.amount_yen)
                .map(|a| a as f64)
        };
        let initiatives: Vec<(Vec<usize>, &crate::model::Initiative)> = plan
            .issues
            .iter()
            .enumerate()
            .flat_map(|(ii, issue)| {
                issue
                    .strategies
                    .iter()
                    .enumerate()
                    .flat_map(move |(si, s)| {
                        s.initiatives
                            .iter()
                            .enumerate()
                            .map(move |(ni, i)| (vec![pi, ii, si, ni], i))
                    })
            })
            .collect();
        if plans.len() == 1 {
            for (path, i) in &initiatives {
                let values = [0, 1, 2].map(|k| {
                    figure(
                        refs,
                        &[(path.clone(), Field::Budget(k))],
                        amount(&i.budgets, k),
                    )
                });
                rows.push((i.number.clone(), values));
            }
        } else {
            let values = [0, 1, 2].map(|k| {
                let amounts: Vec<f64> = initiatives
                    .iter()
                    .filter_map(|(_, i)| amount(&i.budgets, k))
                    .collect();
                let total = (!amounts.is_empty()).then(|| amounts.iter().sum());
                let keys: Vec<_> = initiatives
                    .iter()
                    .map(|(path, _)| (path.clone(), Field::Budget(k)))
                    .collect();
                figure(refs, &keys, total)
            });
            rows.push((plan.ward.clone(), values));
        }
    }
    Series {
        title: "予算（円）".into(),
        number_format: "#,##0",
        columns: columns.map(|(fiscal_year, kind)| {
            budget_column_label(&Budget {
                fiscal_year,
                kind,
                amount_yen: None,
            })
        }),
        rows,
    }
}

/// The formula for a figure taken from plan sheet cells: blank while they
/// are blank (no zero bar), their sum otherwise.
fn formula(cells: &[String], cached: Option<f64>) -> Formula {
    let formula = match cells {
        [one] => format!("=IF(ISNUMBER({one}),{one},\"\")"),
        _ => {
            let list = cells.join(",");
            format!("=IF(COUNT({list})=0,\"\",SUM({list}))")
        }
    };
    match cached {
        Some(v) => Formula::new(formula).set_result(v.to_string()),
        None => Formula::new(formula),
    }
}

pub fn write(book: &mut Workbook, plans: &[Plan], refs: Option<&Refs>) -> Result<(), XlsxError> {
    let st = Styles::new();
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    // A blank figure's cached result is "", not rust_xlsxwriter's 0.
    ws.set_formula_result_default("");
    print_setup(ws, true, Some((0, 0)), &plans_caption(plans))?;
    ws.set_column_width(0, 28.0)?;
    for c in 1..=3 {
        ws.set_column_width(c, 14.0)?;
    }
    let mut row = 0u32;
    let mut chart_row = 0u32;
    for table in [indicator_table(plans, refs), budget_table(plans, refs)] {
        ws.write_string_with_format(row, 0, &table.title, &st.header)?;
        for (c, name) in table.columns.iter().enumerate() {
            ws.write_string_with_format(row, c as u16 + 1, name, &st.header)?;
        }
        let first = row + 1;
        let number = st.yen.clone().set_num_format(table.number_format);
        for (label, values) in &table.rows {
            row += 1;
            ws.write_string_with_format(row, 0, label, &st.text)?;
            for (c, v) in values.iter().enumerate() {
                let col = c as u16 + 1;
                match v {
                    Figure::Cells(cells, _) if cells.is_empty() => {
                        ws.write_blank(row, col, &st.text)?
                    }
                    Figure::Cells(cells, cached) => {
                        ws.write_formula_with_format(row, col, formula(cells, *cached), &number)?
                    }
                    Figure::Number(Some(v)) => {
                        ws.write_number_with_format(row, col, *v, &number)?
                    }
                    Figure::Number(None) => ws.write_blank(row, col, &st.text)?,
                };
            }
        }
        if !table.rows.is_empty() {
            let mut chart = Chart::new(ChartType::Column);
            chart.title().set_name(&table.title);
            chart.y_axis().set_num_format(table.number_format);
            for c in 1..=3u16 {
                chart
                    .add_series()
                    .set_name((SHEET, first - 1, c))
                    .set_categories((SHEET, first, 0, row, 0))
                    .set_values((SHEET, first, c, row, c));
            }
            chart.set_width(640).set_height(300);
            ws.insert_chart(chart_row, 5, &chart)?;
            chart_row += 16;
        }
        row += 2;
    }
    Ok(())
}
