//! Domain rules a plan must keep, beyond what the JSON schema says: numbering
//! that matches the tree, non-empty titles, percentages within 0–100, one
//! value per year. Every importer and every edit runs a plan through here
//! before it is stored.

use std::collections::HashSet;

use base64::Engine;

use crate::edit::NodeData;
use crate::error::{Error, Result, Violation};
use crate::model::{
    initiative_number, strategy_number, Budget, Indicator, Initiative, Issue, Plan, Strategy,
};
use crate::normalize::{check_quantity, is_percent};
use crate::wareki::{long_label, short_number, Digits};

pub const MIN_FISCAL_YEAR: i32 = 1989;
pub const MAX_FISCAL_YEAR: i32 = 2200;

/// Collects violations with their places.
#[derive(Default)]
struct Report(Vec<Violation>);

impl Report {
    fn add(&mut self, place: &str, message: impl Into<String>, input: Option<String>) {
        self.0.push(Violation {
            place: place.to_string(),
            message: message.into(),
            input,
        });
    }

    fn require_text(&mut self, place: &str, text: &str) {
        if text.trim().is_empty() {
            self.add(place, "入力してください（空欄にはできません）", None);
        }
    }

    fn check_year(&mut self, place: &str, year: i32) {
        if !(MIN_FISCAL_YEAR..=MAX_FISCAL_YEAR).contains(&year) {
            self.add(
                place,
                format!("年度は{MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR}年度の範囲で入力してください"),
                Some(year.to_string()),
            );
        }
    }
}

/// Place names as planners say them.
pub fn issue_place(number: u32) -> String {
    format!("経営課題{number}")
}
pub fn strategy_place(issue: u32, index: usize) -> String {
    format!("戦略 {}", strategy_number(issue, index))
}
pub fn initiative_place(issue: u32, strategy_index: usize, index: usize) -> String {
    format!(
        "具体的取組 {}",
        initiative_number(issue, strategy_index, index)
    )
}

/// 「6予算額」「4決算額」 as the ward booklet labels a budget column.
pub fn budget_column_label(budget: &Budget) -> String {
    format!(
        "{}{}",
        short_number(budget.fiscal_year, Digits::Half),
        budget.kind.label()
    )
}

/// A whole plan, as every importer stores it.
pub fn validate_plan(plan: &Plan) -> Result<()> {
    let mut r = Report::default();
    r.require_text("区名", &plan.ward);
    r.check_year("計画の年度", plan.fiscal_year);
    let mut issue_numbers = HashSet::new();
    for issue in &plan.issues {
        if !issue_numbers.insert(issue.number) {
            r.add(
                &issue_place(issue.number),
                "同じ番号の経営課題が2つあります",
                Some(issue.number.to_string()),
            );
        }
        check_issue(&mut r, issue, true);
    }
    check_unique_ids(&mut r, plan);
    r.0.extend(crate::limits::check_plan(plan));
    r.finish()
}

/// One node as an edit leaves it (see [`crate::edit::NodeData`]): the
/// plan's or an issue's or strategy's own fields, or a whole initiative.
pub fn validate_node(node: &NodeData) -> Result<()> {
    let mut r = Report::default();
    match node {
        NodeData::Plan(plan) => r.require_text("区名", &plan.ward),
        NodeData::Issue(issue) => check_issue(&mut r, issue, false),
        NodeData::Strategy(s) => {
            let number = s.number.clone().unwrap_or_default();
            check_strategy(&mut r, &number, s, false)
        }
        NodeData::Initiative(it) => check_initiative(&mut r, it),
    }
    let value = match node {
        NodeData::Plan(x) => serde_json::to_value(x),
        NodeData::Issue(x) => serde_json::to_value(x),
        NodeData::Strategy(x) => serde_json::to_value(x),
        NodeData::Initiative(x) => serde_json::to_value(x),
    };
    let place = node.place();
    for v in crate::limits::check_value(&value.expect("a node serialises")) {
        r.0.push(Violation {
            place: format!("{place} › {}", v.place),
            ..v
        });
    }
    r.finish()
}

impl Report {
    fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

/// Two nodes of one plan never share an id.
fn check_unique_ids(r: &mut Report, plan: &Plan) {
    let mut copy = plan.clone();
    let mut seen = HashSet::new();
    for id in crate::identity::ids_mut(&mut copy).into_iter().flatten() {
        if !seen.insert(id.clone()) {
            r.add(
                "計画",
                "同じ id の項目が2つあります（id は計画の中で重複できません）",
                Some(id.clone()),
            );
        }
    }
}

fn check_issue(r: &mut Report, issue: &Issue, deep: bool) {
    let ip = issue_place(issue.number);
    if issue.number == 0 {
        r.add(&ip, "経営課題の番号は1以上にしてください", Some("0".into()));
    }
    r.require_text(&format!("{ip} の名称"), &issue.title);
    let mut goals = HashSet::new();
    for goal in &issue.sdgs {
        if !(1..=17).contains(goal) || !goals.insert(*goal) {
            r.add(
                &format!("{ip} のSDGsゴール"),
                "1〜17の重複しない番号にしてください",
                Some(goal.to_string()),
            );
        }
    }
    check_budgets(r, &ip, &issue.budgets);
    check_indicators(r, &ip, "アウトカム指標", &issue.outcome_indicators);
    if deep {
        for (si, strategy) in issue.strategies.iter().enumerate() {
            check_strategy(r, &strategy_number(issue.number, si), strategy, true);
        }
    }
}

/// `expected` is the number the strategy's place gives it (5-1).
fn check_strategy(r: &mut Report, expected: &str, strategy: &Strategy, deep: bool) {
    let sp = format!("戦略 {expected}");
    if let Some(number) = &strategy.number {
        if number != expected {
            r.add(
                &sp,
                format!("戦略の番号は並び順どおり「{expected}」にしてください"),
                Some(number.clone()),
            );
        }
    }
    r.require_text(&format!("{sp} の名称"), &strategy.title);
    check_indicators(r, &sp, "アウトカム指標", &strategy.outcome_indicators);
    if deep {
        for (ii, initiative) in strategy.initiatives.iter().enumerate() {
            let expected = format!("{expected}-{}", ii + 1);
            if initiative.number != expected {
                r.add(
                    &format!("具体的取組 {expected}"),
                    format!("具体的取組の番号は並び順どおり「{expected}」にしてください"),
                    Some(initiative.number.clone()),
                );
            }
            check_initiative(r, initiative);
        }
    }
}

fn check_initiative(r: &mut Report, initiative: &Initiative) {
    let p = format!("具体的取組 {}", initiative.number);
    r.require_text(&format!("{p} の名称"), &initiative.title);
    check_budgets(r, &p, &initiative.budgets);
    for (ai, activity) in initiative.activities.iter().enumerate() {
        let ap = format!("{p} の主な取組 {}行目", ai + 1);
        r.require_text(&ap, &activity.text);
        let mut years = HashSet::new();
        for result in &activity.results {
            r.check_year(&format!("{ap} の実績"), result.fiscal_year);
            if !years.insert(result.fiscal_year) {
                r.add(
                    &format!("{ap} の実績"),
                    "同じ年度の実績が2つあります",
                    Some(long_label(result.fiscal_year, Digits::Half)),
                );
            }
        }
    }
    check_indicators(r, &p, "プロセス指標", &initiative.process_indicators);
    for (pi, photo) in initiative.photos.iter().enumerate() {
        let pp = format!("{p} の写真 {}枚目", pi + 1);
        match (&photo.media_type, &photo.data_base64) {
            (Some(t), _) if t != "image/png" && t != "image/jpeg" => {
                r.add(&pp, "画像は PNG か JPEG にしてください", Some(t.clone()))
            }
            (None, Some(_)) => r.add(&pp, "画像の形式（media_type）がありません", None),
            (_, Some(data))
                if base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .is_err() =>
            {
                r.add(&pp, "画像データ（base64）が壊れています", None)
            }
            _ => {}
        }
    }
    for (oi, opinion) in initiative.council_opinions.iter().enumerate() {
        r.require_text(&format!("{p} の区政会議等意見 {}件目", oi + 1), opinion);
    }
}

fn check_budgets(r: &mut Report, place: &str, budgets: &[Budget]) {
    let mut seen = HashSet::new();
    for budget in budgets {
        let bp = format!("{place} の {}", budget_column_label(budget));
        r.check_year(&bp, budget.fiscal_year);
        if !seen.insert((budget.fiscal_year, budget.kind)) {
            r.add(&bp, "同じ年度・種別の金額が2つあります", None);
        }
    }
}

fn check_indicators(r: &mut Report, place: &str, kind: &str, indicators: &[Indicator]) {
    for (n, indicator) in indicators.iter().enumerate() {
        let ip = format!("{place} の{kind} {}", n + 1);
        r.require_text(&format!("{ip} の内容"), &indicator.text);
        let unit = &indicator.target.unit;
        if let Some(value) = &indicator.target.value {
            if let Err(problem) = check_quantity(value.as_f64().unwrap_or(f64::NAN), unit) {
                r.add(
                    &format!("{ip} の目標値"),
                    problem.to_string(),
                    Some(format!("{value}{unit}")),
                );
            }
        }
        if let (Some(from), Some(by)) = (
            indicator.target.from_fiscal_year,
            indicator.target.by_fiscal_year,
        ) {
            if from > by {
                r.add(
                    &format!("{ip} の目標期間"),
                    "開始年度が期限の年度より後になっています",
                    Some(format!("{from}〜{by}")),
                );
            }
        }
        let mut years = HashSet::new();
        for result in &indicator.results {
            let rp = format!(
                "{ip} の{}実績",
                long_label(result.fiscal_year, Digits::Half)
            );
            r.check_year(&rp, result.fiscal_year);
            if !years.insert(result.fiscal_year) {
                r.add(&rp, "同じ年度の実績が2つあります", None);
            }
            if let Some(value) = &result.value {
                if let Err(problem) = check_quantity(value.as_f64().unwrap_or(f64::NAN), unit) {
                    r.add(
                        &rp,
                        problem.to_string(),
                        Some(format!(
                            "{value}{}",
                            if is_percent(unit) { "%" } else { unit }
                        )),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_plan;

    #[test]
    fn the_example_is_valid() {
        validate_plan(&demo_plan()).unwrap();
    }

    #[test]
    fn numbering_must_follow_the_tree() {
        let mut plan = demo_plan();
        plan.issues[0].strategies[0].initiatives[1].number = "5-1-3".into();
        let err = validate_plan(&plan).unwrap_err().to_string();
        assert!(err.contains("具体的取組 5-1-2"), "{err}");
        assert!(err.contains("「5-1-2」"), "{err}");
    }

    #[test]
    fn percent_over_100_names_the_place() {
        let mut plan = demo_plan();
        plan.issues[0].strategies[1].outcome_indicators[0].results[0].value = Some(120.into());
        let err = validate_plan(&plan).unwrap_err().to_string();
        assert!(
            err.contains("戦略 5-2 のアウトカム指標 1 の令和4年度実績"),
            "{err}"
        );
        assert!(err.contains("0〜100"), "{err}");
    }
}
