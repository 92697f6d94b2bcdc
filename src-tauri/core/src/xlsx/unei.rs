//! Layout B, the city's 運営方針 様式 from 令和5年度: one portrait sheet of
//! labelled boxes. The layout is the three box lists below; one loop writes
//! them. Export only.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::grid::{print_setup, Out, Span, Styles};
use crate::limits::MAX_TEXT;
use crate::model::{Indicator, Issue, Plan};
use crate::normalize::is_percent;
use crate::wareki::{initial_label, long_label, Digits};

const WIDTHS: [f64; 3] = [2.0, 32.0, 76.0];
const LABEL: Span = Span(1, 1);
const BODY: Span = Span(2, 2);
const FULL: Span = Span(1, 2);

/// A box: its label (which may name the plan year) and its text.
struct PlanBox {
    label: fn(&Plan) -> String,
    text: fn(&Plan) -> String,
}
struct IssueBox {
    label: &'static str,
    text: fn(&Plan, &Issue) -> String,
}

fn or_blank(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

const HEAD_BOXES: [PlanBox; 3] = [
    PlanBox {
        label: |_| "【目標（何をめざすのか）】".into(),
        text: |p| or_blank(&p.goal),
    },
    PlanBox {
        label: |_| "【使命（どのような役割を担うのか）】".into(),
        text: |p| or_blank(&p.mission),
    },
    PlanBox {
        label: |p| {
            format!(
                "【{}　所属運営の基本的な考え方（区の方針）】",
                long_label(p.fiscal_year, Digits::Half)
            )
        },
        text: |p| or_blank(&p.basic_policy),
    },
];

const ISSUES_TITLE: &str = "重点的に取り組む主な経営課題";

const ISSUE_BOXES: [IssueBox; 4] = [
    IssueBox {
        label: "課題認識",
        text: |_, i| or_blank(&i.recognition),
    },
    IssueBox {
        label: "主な戦略（課題解決の方策）",
        text: |_, i| main_strategies(i),
    },
    IssueBox {
        label: "アウトカム指標",
        text: |_, i| bullets(outcome_indicators(i).iter().map(indicator_line)),
    },
    IssueBox {
        label: "アウトカム指標の達成状況（定量評価）",
        text: achievement,
    },
];

const TAIL_BOXES: [PlanBox; 2] = [
    PlanBox {
        label: |_| "自己評価（運営方針全体の定性評価）".into(),
        text: |p| or_blank(&p.self_evaluation),
    },
    PlanBox {
        label: |_| "今後の方針".into(),
        text: |p| or_blank(&p.future_policy),
    },
];

fn bullets(lines: impl Iterator<Item = String>) -> String {
    lines
        .map(|l| format!("・{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The issue's 主な戦略; a plan in the booklet layout lists its strategies.
fn main_strategies(issue: &Issue) -> String {
    if !issue.main_strategies.is_empty() {
        return bullets(issue.main_strategies.iter().cloned());
    }
    bullets(issue.strategies.iter().map(|s| match &s.number {
        Some(n) => format!("{n} {}", s.title),
        None => s.title.clone(),
    }))
}

/// The issue's アウトカム指標; a plan in the booklet layout has them per 戦略.
fn outcome_indicators(issue: &Issue) -> Vec<&Indicator> {
    if !issue.outcome_indicators.is_empty() {
        return issue.outcome_indicators.iter().collect();
    }
    issue
        .strategies
        .iter()
        .flat_map(|s| &s.outcome_indicators)
        .collect()
}

fn indicator_line(indicator: &&Indicator) -> String {
    match &indicator.target.text {
        Some(t) => format!("{}：{t}", indicator.text),
        None => indicator.text.clone(),
    }
}

fn result_text(indicator: &Indicator, year: i32, with_rating: bool) -> String {
    let Some(r) = indicator.results.iter().find(|r| r.fiscal_year == year) else {
        return "－".into();
    };
    let unit = if is_percent(&indicator.target.unit) {
        "%"
    } else {
        &indicator.target.unit
    };
    let mut text = r
        .value
        .as_ref()
        .map(|v| format!("{v}{unit}"))
        .unwrap_or_else(|| "－".into());
    if let (true, Some(rating)) = (with_rating, &r.rating) {
        text.push_str(&format!("：{rating}"));
    }
    text
}

/// 「<令和6年度実績と達成状況>」 with each indicator's result and grade, then
/// 「<前年度実績>」.
fn achievement(plan: &Plan, issue: &Issue) -> String {
    let indicators = outcome_indicators(issue);
    let year = plan.fiscal_year;
    let mut lines = vec![format!(
        "<{}実績と達成状況>",
        long_label(year, Digits::Half)
    )];
    lines.extend(
        indicators
            .iter()
            .map(|i| format!("・{}", result_text(i, year, true))),
    );
    lines.push("<前年度実績>".into());
    lines.extend(
        indicators
            .iter()
            .map(|i| format!("・{}", result_text(i, year - 1, false))),
    );
    lines.join("\n")
}

/// A box's text in one Excel cell. Each field fits one cell (see
/// `limits`), but a box joins several (bullets, indicator lines): a longer
/// join is cut, saying so, rather than failing the whole export.
fn fit_cell(text: String) -> String {
    const NOTE: &str = "…（長すぎるため以下を省略。全文は Hoshin で確認してください）";
    if text.encode_utf16().count() <= MAX_TEXT {
        return text;
    }
    let room = MAX_TEXT - NOTE.encode_utf16().count();
    let mut used = 0;
    let mut cut: String = text
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    cut.push_str(NOTE);
    cut
}

pub fn write(book: &mut Workbook, plan: &Plan, prefix_ward: bool) -> Result<(), XlsxError> {
    let st = Styles::new();
    let ws = book.add_worksheet();
    ws.set_name(if prefix_ward {
        format!("{} {} 運営方針", plan.ward, initial_label(plan.fiscal_year))
    } else {
        "運営方針".into()
    })?;
    let caption = format!(
        "{}　{}　運営方針",
        plan.ward,
        long_label(plan.fiscal_year, Digits::Half)
    );
    print_setup(ws, false, Some((0, 0)), &caption)?;
    let mut o = Out::new(ws, &WIDTHS)?;
    o.put(
        FULL,
        &format!(
            "{}　{}　運営方針",
            long_label(plan.fiscal_year, Digits::Half),
            plan.ward
        ),
        &st.title,
    )?;
    o.next(26.0)?;
    let plan_boxes = |o: &mut Out, boxes: &[PlanBox]| -> Result<(), XlsxError> {
        for b in boxes {
            o.put(FULL, &(b.label)(plan), &st.label)?;
            o.next(18.0)?;
            o.put(FULL, &fit_cell((b.text)(plan)), &st.text)?;
            o.next(40.0)?;
        }
        Ok(())
    };
    plan_boxes(&mut o, &HEAD_BOXES)?;
    o.put(FULL, ISSUES_TITLE, &st.heading)?;
    o.next(22.0)?;
    for issue in &plan.issues {
        o.put(
            FULL,
            &format!("【経営課題{}】{}", issue.number, issue.title),
            &st.heading,
        )?;
        o.next(20.0)?;
        for b in &ISSUE_BOXES {
            o.put(LABEL, b.label, &st.label)?;
            o.put(BODY, &fit_cell((b.text)(plan, issue)), &st.text)?;
            o.next(30.0)?;
        }
    }
    plan_boxes(&mut o, &TAIL_BOXES)
}
