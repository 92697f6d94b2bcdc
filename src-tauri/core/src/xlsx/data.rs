//! The `data` layout: flat typed tables, one sheet each, for aggregation
//! across wards. Every table starts with the key columns 区名・年度・経営課題・
//! 戦略・取組 (position within the plan, 1-based) and the reader finds columns
//! by their header, so the tables survive sorting columns in Excel; rows must
//! stay in plan order within a list. Together the tables carry the whole plan.

use std::borrow::Cow;
use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde_json::Number;

use super::grid::{height_for, plans_caption, print_setup, Styles};
use super::read::{format_float, Book, Grid};
use crate::error::{Error, Result};
use crate::model::*;
use crate::normalize::{clean_text, nfkc, parse_amount, parse_quantity};
use crate::wareki::{long_label, parse_label, Digits};

/// A typed cell of a data table, borrowing its text from the plan.
enum Cell<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Yen(Option<u64>),
    /// A measured value; its decimals go in the column after it.
    Qty(Option<&'a Number>),
    Blank,
}

fn text(s: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s))
}
fn owned<'a>(s: String) -> Cell<'a> {
    Cell::Text(Cow::Owned(s))
}
fn opt(s: &Option<String>) -> Cell<'_> {
    s.as_deref().map_or(Cell::Blank, text)
}
fn int<'a>(n: impl Into<i64>) -> Cell<'a> {
    Cell::Int(n.into())
}

/// Where a row belongs: plan, issue number, strategy and initiative position.
#[derive(Clone, Copy)]
struct Key<'a> {
    plan: &'a Plan,
    issue: u32,
    strategy: Option<usize>,
    initiative: Option<usize>,
}

impl<'a> Key<'a> {
    fn cells(&self) -> Vec<Cell<'a>> {
        let pos = |p: Option<usize>| p.map_or(Cell::Blank, |p| int(p as i64 + 1));
        vec![
            text(&self.plan.ward),
            int(self.plan.fiscal_year),
            int(self.issue),
            pos(self.strategy),
            pos(self.initiative),
        ]
    }
}

const KEYS: [&str; 5] = ["区名", "年度", "経営課題", "戦略", "取組"];

/// One sheet: its name, its columns after the keys (name, width), how a plan
/// becomes rows, and how a row goes back into the plans.
struct Table {
    sheet: &'static str,
    columns: &'static [(&'static str, f64)],
    rows: for<'a> fn(&'a Plan, &mut Vec<Vec<Cell<'a>>>),
    read: fn(&mut Vec<Plan>, &RowIn) -> Result<()>,
}

const TABLES: [Table; 12] = [
    Table {
        sheet: "計画",
        columns: &[
            ("和暦", 12.0),
            ("段階", 10.0),
            ("出典", 30.0),
            ("区の目標", 40.0),
            ("区の使命", 40.0),
            ("区運営の基本的な考え方", 40.0),
            ("自己評価", 40.0),
            ("今後の方針", 40.0),
        ],
        rows: |p, out| {
            let mut row = vec![
                text(&p.ward),
                int(p.fiscal_year),
                Cell::Blank,
                Cell::Blank,
                Cell::Blank,
            ];
            row.extend([
                owned(long_label(p.fiscal_year, Digits::Half)),
                p.stage.map_or(Cell::Blank, |s| text(s.label())),
                opt(&p.source),
                opt(&p.goal),
                opt(&p.mission),
                opt(&p.basic_policy),
                opt(&p.self_evaluation),
                opt(&p.future_policy),
            ]);
            out.push(row);
        },
        read: read_plan_row,
    },
    Table {
        sheet: "経営課題",
        columns: &[
            ("名称", 30.0),
            ("概要", 50.0),
            ("SDGsゴール", 12.0),
            ("課題認識", 50.0),
        ],
        rows: |p, out| {
            for issue in &p.issues {
                let mut row = Key {
                    plan: p,
                    issue: issue.number,
                    strategy: None,
                    initiative: None,
                }
                .cells();
                let goals: Vec<String> = issue.sdgs.iter().map(u8::to_string).collect();
                row.extend([
                    text(&issue.title),
                    opt(&issue.summary),
                    owned(goals.join("、")),
                    opt(&issue.recognition),
                ]);
                out.push(row);
            }
        },
        read: |plans, r| {
            let plan = r.plan(plans)?;
            let mut sdgs = Vec::new();
            for part in nfkc(&r.raw("SDGsゴール"))
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
            {
                sdgs.push(part.parse().map_err(|_| {
                    r.err(
                        "SDGsゴール",
                        "1〜17の番号を「、」で区切って入力してください",
                    )
                })?);
            }
            plan.issues.push(Issue {
                number: r
                    .int("経営課題")?
                    .ok_or_else(|| r.err("経営課題", "経営課題の番号を入力してください"))?
                    as u32,
                title: r.required("名称")?,
                summary: r.text("概要"),
                sdgs,
                recognition: r.text("課題認識"),
                outcome_indicators: Vec::new(),
                budgets: Vec::new(),
                main_strategies: Vec::new(),
                strategies: Vec::new(),
                ..Default::default()
            });
            Ok(())
        },
    },
    Table {
        sheet: "主な戦略",
        columns: &[("順", 6.0), ("主な戦略", 60.0)],
        rows: |p, out| {
            for issue in &p.issues {
                for (n, s) in issue.main_strategies.iter().enumerate() {
                    let mut row = Key {
                        plan: p,
                        issue: issue.number,
                        strategy: None,
                        initiative: None,
                    }
                    .cells();
                    row.extend([int(n as i64 + 1), text(s)]);
                    out.push(row);
                }
            }
        },
        read: |plans, r| {
            let issue = r.issue(plans)?;
            r.check_position("順", issue.main_strategies.len())?;
            issue.main_strategies.push(r.required("主な戦略")?);
            Ok(())
        },
    },
    Table {
        sheet: "戦略",
        columns: &[
            ("番号", 8.0),
            ("名称", 30.0),
            ("めざす状態", 40.0),
            ("中期的な取組の方向性", 40.0),
            ("現状", 40.0),
            ("課題", 40.0),
            ("自己評価", 30.0),
            ("改善策", 30.0),
        ],
        rows: |p, out| {
            for issue in &p.issues {
                for (si, s) in issue.strategies.iter().enumerate() {
                    let mut row = Key {
                        plan: p,
                        issue: issue.number,
                        strategy: Some(si),
                        initiative: None,
                    }
                    .cells();
                    row.extend([
                        opt(&s.number),
                        text(&s.title),
                        opt(&s.goal_state),
                        opt(&s.direction),
                        opt(&s.current_state),
                        opt(&s.challenges),
                        opt(&s.self_evaluation),
                        opt(&s.improvements),
                    ]);
                    out.push(row);
                }
            }
        },
        read: |plans, r| {
            let issue = r.issue(plans)?;
            r.check_position("戦略", issue.strategies.len())?;
            issue.strategies.push(Strategy {
                number: r.text("番号"),
                title: r.required("名称")?,
                goal_state: r.text("めざす状態"),
                current_state: r.text("現状"),
                challenges: r.text("課題"),
                direction: r.text("中期的な取組の方向性"),
                outcome_indicators: Vec::new(),
                self_evaluation: r.text("自己評価"),
                improvements: r.text("改善策"),
                initiatives: Vec::new(),
                ..Default::default()
            });
            Ok(())
        },
    },
    Table {
        sheet: "具体的取組",
        columns: &[
            ("番号", 8.0),
            ("名称", 30.0),
            ("担当課", 14.0),
            ("概要", 60.0),
        ],
        rows: |p, out| {
            each_initiative(p, |key, i| {
                let mut row = key.cells();
                row.extend([
                    text(&i.number),
                    text(&i.title),
                    opt(&i.section),
                    opt(&i.summary),
                ]);
                out.push(row);
            })
        },
        read: |plans, r| {
            let strategy = r.strategy(plans)?;
            r.check_position("取組", strategy.initiatives.len())?;
            strategy.initiatives.push(Initiative {
                number: r.required("番号")?,
                title: r.required("名称")?,
                // Absent in workbooks written before issue 11: no 担当課.
                section: r.text("担当課"),
                summary: r.text("概要"),
                budgets: Vec::new(),
                activities: Vec::new(),
                process_indicators: Vec::new(),
                photos: Vec::new(),
                council_opinions: Vec::new(),
                ..Default::default()
            });
            Ok(())
        },
    },
    Table {
        sheet: "予算",
        columns: &[("対象年度", 10.0), ("種別", 10.0), ("金額（円）", 16.0)],
        rows: |p, out| {
            for issue in &p.issues {
                let key = Key {
                    plan: p,
                    issue: issue.number,
                    strategy: None,
                    initiative: None,
                };
                budget_rows(key, &issue.budgets, out);
            }
            each_initiative(p, |key, i| budget_rows(key, &i.budgets, out));
        },
        read: |plans, r| {
            let kind_text = r.raw("種別");
            let kind = [BudgetKind::Settled, BudgetKind::Budget]
                .into_iter()
                .find(|k| k.label() == kind_text.trim())
                .ok_or_else(|| r.err("種別", "「決算額」か「予算額」にしてください"))?;
            let budget = Budget {
                fiscal_year: r.year("対象年度")?,
                kind,
                amount_yen: r.yen("金額（円）")?,
            };
            r.budgets(plans)?.push(budget);
            Ok(())
        },
    },
    Table {
        sheet: "指標",
        columns: &[
            ("種類", 10.0),
            ("指標", 6.0),
            ("内容", 50.0),
            ("目標値", 10.0),
            ("目標値の小数桁", 8.0),
            ("単位", 8.0),
            ("以上/以下", 8.0),
            ("期限年度", 10.0),
            ("開始年度", 10.0),
            ("累計", 8.0),
            ("目標（表記）", 24.0),
        ],
        rows: |p, out| {
            each_indicator_list(p, |key, kind, list| {
                for (n, ind) in list.iter().enumerate() {
                    let t = &ind.target;
                    let mut row = key.cells();
                    let year = |y: Option<i32>| y.map_or(Cell::Blank, int);
                    row.extend([
                        text(kind),
                        int(n as i64 + 1),
                        text(&ind.text),
                        Cell::Qty(t.value.as_ref()),
                        Cell::Blank,
                        text(&t.unit),
                        t.comparison.map_or(Cell::Blank, |c| text(c.label())),
                        year(t.by_fiscal_year),
                        year(t.from_fiscal_year),
                        t.cumulative.map_or(Cell::Blank, |c| {
                            text(if c { "累計" } else { "単年度" })
                        }),
                        opt(&t.text),
                    ]);
                    out.push(row);
                }
            })
        },
        read: |plans, r| {
            let list = r.indicators(plans)?;
            r.check_position("指標", list.len())?;
            let unit = r.raw("単位").trim().to_string();
            let comparison = match r.raw("以上/以下").trim() {
                "" => None,
                s => Some(
                    [Comparison::AtLeast, Comparison::AtMost]
                        .into_iter()
                        .find(|c| c.label() == s)
                        .ok_or_else(|| r.err("以上/以下", "「以上」か「以下」にしてください"))?,
                ),
            };
            let cumulative = match r.raw("累計").trim() {
                "" => None,
                "累計" => Some(true),
                "単年度" => Some(false),
                _ => return Err(r.err("累計", "「累計」か「単年度」にしてください")),
            };
            list.push(Indicator {
                text: r.required("内容")?,
                target: Target {
                    value: r.qty("目標値", &unit)?,
                    comparison,
                    by_fiscal_year: r.opt_year("期限年度")?,
                    from_fiscal_year: r.opt_year("開始年度")?,
                    cumulative,
                    text: r.text("目標（表記）"),
                    unit,
                },
                results: Vec::new(),
                ..Default::default()
            });
            Ok(())
        },
    },
    Table {
        sheet: "指標実績",
        columns: &[
            ("種類", 10.0),
            ("指標", 6.0),
            ("実績年度", 10.0),
            ("値", 10.0),
            ("値の小数桁", 8.0),
            ("達成", 6.0),
            ("出典", 30.0),
            ("評価", 6.0),
            ("備考", 20.0),
        ],
        rows: |p, out| {
            each_indicator_list(p, |key, kind, list| {
                for (n, ind) in list.iter().enumerate() {
                    for res in &ind.results {
                        let mut row = key.cells();
                        let mark = match res.achieved {
                            Some(true) => text("〇"),
                            Some(false) => text("－"),
                            None => Cell::Blank,
                        };
                        row.extend([
                            text(kind),
                            int(n as i64 + 1),
                            int(res.fiscal_year),
                            Cell::Qty(res.value.as_ref()),
                            Cell::Blank,
                            mark,
                            opt(&res.source),
                            opt(&res.rating),
                            opt(&res.note),
                        ]);
                        out.push(row);
                    }
                }
            })
        },
        read: |plans, r| {
            let n = r.position("指標")?;
            let list = r.indicators(plans)?;
            let indicator = list
                .get_mut(n)
                .ok_or_else(|| r.err("指標", "この番号の指標が「指標」シートにありません"))?;
            let unit = indicator.target.unit.clone();
            let achieved = match nfkc(r.raw("達成").trim()).as_str() {
                "" => None,
                "〇" | "○" | "◯" => Some(true),
                "-" | "ー" | "―" | "−" => Some(false),
                _ => {
                    return Err(r.err(
                        "達成",
                        "「〇」（目標達成）か「－」（目標未達成）にしてください",
                    ))
                }
            };
            indicator.results.push(IndicatorResult {
                fiscal_year: r.year("実績年度")?,
                value: r.qty("値", &unit)?,
                achieved,
                source: r.text("出典"),
                rating: r.text("評価"),
                note: r.text("備考"),
            });
            Ok(())
        },
    },
    Table {
        sheet: "主な取組",
        columns: &[("行", 6.0), ("内容", 60.0)],
        rows: |p, out| {
            each_initiative(p, |key, i| {
                for (n, a) in i.activities.iter().enumerate() {
                    let mut row = key.cells();
                    row.extend([int(n as i64 + 1), text(&a.text)]);
                    out.push(row);
                }
            })
        },
        read: |plans, r| {
            let i = r.initiative(plans)?;
            r.check_position("行", i.activities.len())?;
            i.activities.push(Activity {
                text: r.required("内容")?,
                results: Vec::new(),
                ..Default::default()
            });
            Ok(())
        },
    },
    Table {
        sheet: "取組実績",
        columns: &[("行", 6.0), ("実績年度", 10.0), ("実績", 30.0)],
        rows: |p, out| {
            each_initiative(p, |key, i| {
                for (n, a) in i.activities.iter().enumerate() {
                    for res in &a.results {
                        let mut row = key.cells();
                        row.extend([int(n as i64 + 1), int(res.fiscal_year), text(&res.text)]);
                        out.push(row);
                    }
                }
            })
        },
        read: |plans, r| {
            let n = r.position("行")?;
            let i = r.initiative(plans)?;
            let activity = i
                .activities
                .get_mut(n)
                .ok_or_else(|| r.err("行", "この行の主な取組が「主な取組」シートにありません"))?;
            activity.results.push(ActivityResult {
                fiscal_year: r.year("実績年度")?,
                text: r.raw("実績"),
            });
            Ok(())
        },
    },
    Table {
        sheet: "区政会議等意見",
        columns: &[("番号", 6.0), ("意見", 70.0)],
        rows: |p, out| {
            each_initiative(p, |key, i| {
                for (n, o) in i.council_opinions.iter().enumerate() {
                    let mut row = key.cells();
                    row.extend([int(n as i64 + 1), text(o)]);
                    out.push(row);
                }
            })
        },
        read: |plans, r| {
            let i = r.initiative(plans)?;
            r.check_position("番号", i.council_opinions.len())?;
            i.council_opinions.push(r.required("意見")?);
            Ok(())
        },
    },
    Table {
        sheet: "写真",
        columns: &[
            ("枚目", 6.0),
            ("説明", 30.0),
            ("画像形式", 12.0),
            ("分割", 6.0),
            ("画像データ（base64）", 40.0),
        ],
        rows: |p, out| {
            each_initiative(p, |key, i| {
                for (n, photo) in i.photos.iter().enumerate() {
                    let data = photo.data_base64.as_deref().unwrap_or("");
                    let chunks: Vec<&str> = if data.is_empty() {
                        vec![""]
                    } else {
                        chunks(data, PHOTO_CHUNK)
                    };
                    for (c, chunk) in chunks.into_iter().enumerate() {
                        let mut row = key.cells();
                        row.extend([
                            int(n as i64 + 1),
                            text(&photo.caption),
                            opt(&photo.media_type),
                            int(c as i64 + 1),
                            text(chunk),
                        ]);
                        out.push(row);
                    }
                }
            })
        },
        read: |plans, r| {
            let n = r.position("枚目")?;
            let part = r.position("分割")?;
            let i = r.initiative(plans)?;
            let chunk = r.raw("画像データ（base64）");
            if part > 0 {
                let photo = i
                    .photos
                    .get_mut(n)
                    .ok_or_else(|| r.err("分割", "分割の1行目がありません"))?;
                photo
                    .data_base64
                    .get_or_insert_with(String::new)
                    .push_str(chunk.trim());
                return Ok(());
            }
            r.check_position("枚目", i.photos.len())?;
            i.photos.push(Photo {
                caption: r.raw("説明"),
                media_type: r.text("画像形式"),
                data_base64: (!chunk.trim().is_empty()).then(|| chunk.trim().to_string()),
                ..Default::default()
            });
            Ok(())
        },
    },
];

/// Excel keeps at most 32,767 characters in a cell.
const PHOTO_CHUNK: usize = 30_000;

fn chunks(s: &str, n: usize) -> Vec<&str> {
    (0..s.len())
        .step_by(n)
        .map(|i| &s[i..(i + n).min(s.len())])
        .collect()
}

fn budget_rows<'a>(key: Key<'a>, budgets: &[Budget], out: &mut Vec<Vec<Cell<'a>>>) {
    for b in budgets {
        let mut row = key.cells();
        row.extend([
            int(b.fiscal_year),
            text(b.kind.label()),
            Cell::Yen(b.amount_yen),
        ]);
        out.push(row);
    }
}

fn each_initiative<'a>(p: &'a Plan, mut f: impl FnMut(Key<'a>, &'a Initiative)) {
    for issue in &p.issues {
        for (si, s) in issue.strategies.iter().enumerate() {
            for (ii, i) in s.initiatives.iter().enumerate() {
                f(
                    Key {
                        plan: p,
                        issue: issue.number,
                        strategy: Some(si),
                        initiative: Some(ii),
                    },
                    i,
                );
            }
        }
    }
}

const OUTCOME: &str = "アウトカム";
const PROCESS: &str = "プロセス";

fn each_indicator_list<'a>(p: &'a Plan, mut f: impl FnMut(Key<'a>, &'static str, &'a [Indicator])) {
    for issue in &p.issues {
        f(
            Key {
                plan: p,
                issue: issue.number,
                strategy: None,
                initiative: None,
            },
            OUTCOME,
            &issue.outcome_indicators,
        );
        for (si, s) in issue.strategies.iter().enumerate() {
            f(
                Key {
                    plan: p,
                    issue: issue.number,
                    strategy: Some(si),
                    initiative: None,
                },
                OUTCOME,
                &s.outcome_indicators,
            );
            for (ii, i) in s.initiatives.iter().enumerate() {
                f(
                    Key {
                        plan: p,
                        issue: issue.number,
                        strategy: Some(si),
                        initiative: Some(ii),
                    },
                    PROCESS,
                    &i.process_indicators,
                );
            }
        }
    }
}

/// Digits after the point in a number's spelling: 62.0 → 1, 70 → 0.
fn decimals(n: &Number) -> usize {
    let s = n.to_string();
    s.split_once('.').map_or(0, |(_, d)| d.len())
}

fn number_format(decimals: usize) -> String {
    if decimals == 0 {
        "#,##0".into()
    } else {
        format!("#,##0.{}", "0".repeat(decimals))
    }
}

// ---- Writing --------------------------------------------------------------

/// How a written cell looks. Styles are applied after the values, once per
/// run of equal styles down a column: rust_xlsxwriter hashes the whole
/// `Format` at every lookup, which cell by cell took a quarter of an export.
#[derive(Clone, Copy, PartialEq)]
enum Style {
    Text,
    Int,
    Yen,
    /// A measured value shown with this many decimals.
    Qty(usize),
}

pub fn write(book: &mut Workbook, plans: &[Plan]) -> Result<(), XlsxError> {
    let st = Styles::new();
    let caption = plans_caption(plans);
    let mut qty_formats: HashMap<usize, Format> = HashMap::new();
    let key_widths = [10.0, 7.0, 8.0, 6.0, 6.0];
    for table in &TABLES {
        let ws = book.add_worksheet();
        ws.set_name(table.sheet)?;
        print_setup(ws, true, Some((0, 0)), &caption)?;
        let headers: Vec<(&str, f64)> = KEYS
            .iter()
            .copied()
            .zip(key_widths)
            .chain(table.columns.iter().copied())
            .collect();
        // Rows grow to show wrapped text, up to Excel's largest row height.
        let fit = |c: u16, text: &str| {
            height_for(text, headers[c as usize].1 * 7.0 + 5.0, 15.0).min(409.0)
        };
        let mut header_height = 15.0f64;
        for (c, (name, width)) in headers.iter().enumerate() {
            ws.set_column_width(c as u16, *width)?;
            ws.write_string_with_format(0, c as u16, *name, &st.header)?;
            header_height = header_height.max(fit(c as u16, name));
        }
        ws.set_row_height(0, header_height)?;
        let mut rows = Vec::new();
        for plan in plans {
            (table.rows)(plan, &mut rows);
        }
        let row_count = rows.len() as u32;
        // Per column, where each run of one style starts: (row, style).
        let mut runs: Vec<Vec<(u32, Style)>> = vec![Vec::new(); headers.len()];
        let mut style = |r: u32, c: u16, style: Style| {
            let column = &mut runs[c as usize];
            if column.last().map(|&(_, s)| s) != Some(style) {
                column.push((r, style));
            }
        };
        for (r, mut row) in rows.into_iter().enumerate() {
            let r = r as u32 + 1;
            let mut c = 0u16;
            let mut height = 15.0f64;
            // Cells are indexed by column; a quantity's decimals column holds a Blank.
            while let Some(cell) = row.get_mut(c as usize) {
                match std::mem::replace(cell, Cell::Blank) {
                    Cell::Text(s) => {
                        height = height.max(fit(c, &s));
                        ws.write_string(r, c, s)?;
                        style(r, c, Style::Text);
                    }
                    Cell::Int(n) => {
                        ws.write_number(r, c, n as f64)?;
                        style(r, c, Style::Int);
                    }
                    Cell::Yen(Some(y)) => {
                        ws.write_number(r, c, y as f64)?;
                        style(r, c, Style::Yen);
                    }
                    Cell::Qty(Some(n)) => {
                        let d = decimals(n);
                        ws.write_number(r, c, n.as_f64().unwrap_or(0.0))?;
                        ws.write_number(r, c + 1, d as f64)?;
                        style(r, c, Style::Qty(d));
                        style(r, c + 1, Style::Int);
                        c += 1;
                    }
                    Cell::Qty(None) => {
                        style(r, c, Style::Text);
                        style(r, c + 1, Style::Text);
                        c += 1;
                    }
                    // A blank is a formatted empty cell, made by its column's run.
                    Cell::Yen(None) | Cell::Blank => style(r, c, Style::Text),
                }
                c += 1;
            }
            if height > 15.0 {
                ws.set_row_height(r, height)?;
            }
        }
        for (c, column) in runs.iter().enumerate() {
            for (k, &(first, run_style)) in column.iter().enumerate() {
                let last = column.get(k + 1).map_or(row_count, |&(next, _)| next - 1);
                let format = match run_style {
                    Style::Text => &st.text,
                    Style::Int => &st.int,
                    Style::Yen => &st.yen,
                    Style::Qty(d) => qty_formats
                        .entry(d)
                        .or_insert_with(|| st.yen.clone().set_num_format(number_format(d))),
                };
                ws.set_range_format(first, c as u16, last, c as u16, format)?;
            }
        }
        let last_col = headers.len() as u16 - 1;
        ws.autofilter(0, 0, row_count, last_col)?;
        ws.set_freeze_panes(1, 0)?;
    }
    Ok(())
}

// ---- Reading ----------------------------------------------------------------

/// One data row, its cells found by header name.
struct RowIn<'a> {
    g: &'a Grid,
    row: u32,
    cols: &'a HashMap<String, u16>,
}

impl RowIn<'_> {
    fn col(&self, name: &str) -> Option<u16> {
        self.cols.get(name).copied()
    }
    fn err(&self, name: &str, message: impl Into<String>) -> Error {
        match self.col(name) {
            Some(c) => self.g.error(self.row, c, message),
            None => Error::invalid(
                format!("シート「{}」", self.g.name),
                format!("見出し「{name}」の列がありません"),
                None,
            ),
        }
    }
    fn raw(&self, name: &str) -> String {
        self.col(name)
            .map(|c| self.g.text(self.row, c))
            .unwrap_or_default()
    }
    fn text(&self, name: &str) -> Option<String> {
        clean_text(&self.raw(name))
    }
    fn required(&self, name: &str) -> Result<String> {
        self.text(name)
            .ok_or_else(|| self.err(name, "入力してください（空欄にはできません）"))
    }
    fn int(&self, name: &str) -> Result<Option<i64>> {
        let raw = nfkc(&self.raw(name));
        if raw.trim().is_empty() {
            return Ok(None);
        }
        raw.trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| self.err(name, "整数を入力してください"))
    }
    /// A 1-based position as a 0-based index.
    fn position(&self, name: &str) -> Result<usize> {
        match self.int(name)? {
            Some(n) if n >= 1 => Ok(n as usize - 1),
            _ => Err(self.err(name, "1以上の番号を入力してください")),
        }
    }
    /// Rows of a list must come in order: the next one is `len + 1`.
    fn check_position(&self, name: &str, len: usize) -> Result<()> {
        if self.position(name)? != len {
            return Err(self.err(
                name,
                format!("番号は並び順どおり {} にしてください", len + 1),
            ));
        }
        Ok(())
    }
    fn opt_year(&self, name: &str) -> Result<Option<i32>> {
        let raw = self.raw(name);
        if raw.trim().is_empty() {
            return Ok(None);
        }
        parse_label(&raw)
            .map(Some)
            .ok_or_else(|| self.err(name, "年度を入力してください（例: 2024、令和6年度）"))
    }
    fn year(&self, name: &str) -> Result<i32> {
        self.opt_year(name)?
            .ok_or_else(|| self.err(name, "年度を入力してください（例: 2024、令和6年度）"))
    }
    fn yen(&self, name: &str) -> Result<Option<u64>> {
        parse_amount(&self.raw(name)).map_err(|p| self.err(name, p.to_string()))
    }
    /// A value in its spelling: the number and the decimals column after it.
    fn qty(&self, name: &str, unit: &str) -> Result<Option<Number>> {
        let decimals_name = format!("{name}の小数桁");
        let spelled = match (
            self.col(name).map(|c| self.g.value(self.row, c)),
            self.int(&decimals_name)?,
        ) {
            (Some(calamine::Data::Float(f)), Some(d)) if (0..=15).contains(&d) => {
                format!("{f:.*}", d as usize)
            }
            (Some(calamine::Data::Float(f)), _) => format_float(*f),
            _ => self.raw(name),
        };
        parse_quantity(&spelled, unit).map_err(|p| self.err(name, p.to_string()))
    }

    fn plan<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Plan> {
        let ward = self.required("区名")?;
        let year = self.year("年度")?;
        plans
            .iter_mut()
            .find(|p| p.ward == ward && p.fiscal_year == year)
            .ok_or_else(|| self.err("区名", "この区・年度の計画が「計画」シートにありません"))
    }
    fn issue<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Issue> {
        let number = self.int("経営課題")?.unwrap_or(-1);
        let err = self.err(
            "経営課題",
            "この番号の経営課題が「経営課題」シートにありません",
        );
        self.plan(plans)?
            .issues
            .iter_mut()
            .find(|i| i.number as i64 == number)
            .ok_or(err)
    }
    fn strategy<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Strategy> {
        let n = self.position("戦略")?;
        let err = self.err("戦略", "この番号の戦略が「戦略」シートにありません");
        self.issue(plans)?.strategies.get_mut(n).ok_or(err)
    }
    fn initiative<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Initiative> {
        let n = self.position("取組")?;
        let err = self.err(
            "取組",
            "この番号の具体的取組が「具体的取組」シートにありません",
        );
        self.strategy(plans)?.initiatives.get_mut(n).ok_or(err)
    }
    /// The budget list the row's keys name: an issue's or an initiative's.
    fn budgets<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Vec<Budget>> {
        Ok(match self.int("取組")? {
            Some(_) => &mut self.initiative(plans)?.budgets,
            None => &mut self.issue(plans)?.budgets,
        })
    }
    /// The indicator list the row's keys name.
    fn indicators<'p>(&self, plans: &'p mut [Plan]) -> Result<&'p mut Vec<Indicator>> {
        Ok(match (self.int("戦略")?, self.int("取組")?) {
            (_, Some(_)) => &mut self.initiative(plans)?.process_indicators,
            (Some(_), None) => &mut self.strategy(plans)?.outcome_indicators,
            (None, None) => &mut self.issue(plans)?.outcome_indicators,
        })
    }
}

fn read_plan_row(plans: &mut Vec<Plan>, r: &RowIn) -> Result<()> {
    let ward = r.required("区名")?;
    let year = r.year("年度")?;
    if plans
        .iter()
        .any(|p| p.ward == ward && p.fiscal_year == year)
    {
        return Err(r.err("区名", "同じ区・年度の計画が2行あります"));
    }
    let mut plan = Plan::new(&ward, year);
    plan.stage = match r.raw("段階").trim() {
        "" => None,
        s => Some(
            Stage::ALL
                .into_iter()
                .find(|st| st.label() == s)
                .ok_or_else(|| {
                    r.err(
                        "段階",
                        "「策定」「中間振り返り」「自己評価」のどれかにしてください",
                    )
                })?,
        ),
    };
    plan.source = r.text("出典");
    plan.goal = r.text("区の目標");
    plan.mission = r.text("区の使命");
    plan.basic_policy = r.text("区運営の基本的な考え方");
    plan.self_evaluation = r.text("自己評価");
    plan.future_policy = r.text("今後の方針");
    plans.push(plan);
    Ok(())
}

pub fn read(book: &Book) -> Result<Vec<Plan>> {
    let mut plans = Vec::new();
    for (t, table) in TABLES.iter().enumerate() {
        let Some(g) = book.sheet(table.sheet) else {
            if t == 0 {
                return Ok(plans);
            }
            return Err(Error::invalid(
                format!("シート「{}」", table.sheet),
                "集計用データのシートがありません。Hoshin で書き出したブックか確かめてください",
                None,
            ));
        };
        let cols: HashMap<String, u16> = (0..g.width())
            .map(|c| (g.text(0, c).trim().to_string(), c))
            .collect();
        for name in KEYS
            .iter()
            .take(if t == 0 { 2 } else { 5 })
            .chain(table.columns.iter().map(|(n, _)| n))
        {
            if !cols.contains_key(*name) {
                return Err(Error::invalid(
                    format!("シート「{}」の1行目", g.name),
                    format!("見出し「{name}」の列がありません"),
                    None,
                ));
            }
        }
        for row in 1..g.height() {
            let r = RowIn {
                g,
                row,
                cols: &cols,
            };
            if (0..g.width()).all(|c| g.text(row, c).trim().is_empty()) {
                continue;
            }
            (table.read)(&mut plans, &r)?;
        }
    }
    Ok(plans)
}
