//! The 「グラフ」 sheet: two small visible tables (indicator results and
//! budgets, as numbers) and native Excel column charts drawn from them, so
//! city hall can restyle the charts in Excel.

use rust_xlsxwriter::{Chart, ChartType, Workbook, XlsxError};

use super::grid::{plans_caption, print_setup, Styles};
use crate::model::{Indicator, Plan};
use crate::rollover::{budget_columns, first_indicator_year};
use crate::validate::budget_column_label;
use crate::wareki::{long_label, Digits};

pub const SHEET: &str = "グラフ";

/// A table of the sheet: title, three column headers, labelled rows.
struct Series {
    title: String,
    number_format: &'static str,
    columns: [String; 3],
    rows: Vec<(String, [Option<f64>; 3])>,
}

fn indicator_table(plans: &[Plan]) -> Series {
    let year = plans[0].fiscal_year;
    let first = first_indicator_year(year);
    let mut rows = Vec::new();
    for plan in plans {
        let prefix = if plans.len() > 1 {
            format!("{} ", plan.ward)
        } else {
            String::new()
        };
        let first = first_indicator_year(plan.fiscal_year);
        let mut add = |label: String, ind: &Indicator| {
            let value = |y: i32| {
                ind.results
                    .iter()
                    .find(|r| r.fiscal_year == y)
                    .and_then(|r| r.value.as_ref()?.as_f64())
            };
            rows.push((
                format!("{prefix}{label}"),
                [value(first), value(first + 1), value(first + 2)],
            ));
        };
        for issue in &plan.issues {
            for (n, ind) in issue.outcome_indicators.iter().enumerate() {
                add(format!("経営課題{} 指標{}", issue.number, n + 1), ind);
            }
            for s in &issue.strategies {
                for ind in &s.outcome_indicators {
                    add(
                        format!("{} アウトカム", s.number.as_deref().unwrap_or(&s.title)),
                        ind,
                    );
                }
                for i in &s.initiatives {
                    for ind in &i.process_indicators {
                        add(format!("{} プロセス", i.number), ind);
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
fn budget_table(plans: &[Plan]) -> Series {
    let columns = budget_columns(plans[0].fiscal_year);
    let mut rows = Vec::new();
    for plan in plans {
        let cols = budget_columns(plan.fiscal_year);
        let amounts = |budgets: &[crate::model::Budget]| {
            cols.map(|(y, k)| {
                budgets
                    .iter()
                    .find(|b| b.fiscal_year == y && b.kind == k)
                    .and_then(|b| b.amount_yen)
                    .map(|a| a as f64)
            })
        };
        let initiatives = plan
            .issues
            .iter()
            .flat_map(|i| &i.strategies)
            .flat_map(|s| &s.initiatives);
        if plans.len() == 1 {
            rows.extend(initiatives.map(|i| (i.number.clone(), amounts(&i.budgets))));
        } else {
            let mut total = [None; 3];
            for i in initiatives {
                for (t, a) in total.iter_mut().zip(amounts(&i.budgets)) {
                    if let Some(a) = a {
                        *t = Some(t.unwrap_or(0.0) + a);
                    }
                }
            }
            rows.push((plan.ward.clone(), total));
        }
    }
    Series {
        title: "予算（円）".into(),
        number_format: "#,##0",
        columns: columns.map(|(fiscal_year, kind)| {
            budget_column_label(&crate::model::Budget {
                fiscal_year,
                kind,
                amount_yen: None,
            })
        }),
        rows,
    }
}

pub fn write(book: &mut Workbook, plans: &[Plan]) -> Result<(), XlsxError> {
    let st = Styles::new();
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    print_setup(ws, true, Some((0, 0)), &plans_caption(plans))?;
    ws.set_column_width(0, 28.0)?;
    for c in 1..=3 {
        ws.set_column_width(c, 14.0)?;
    }
    let mut row = 0u32;
    let mut chart_row = 0u32;
    for table in [indicator_table(plans), budget_table(plans)] {
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
                match v {
                    Some(v) => ws.write_number_with_format(row, c as u16 + 1, *v, &number)?,
                    None => ws.write_blank(row, c as u16 + 1, &st.text)?,
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
