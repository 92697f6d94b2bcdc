//! What the charts show, read from a plan: items by number, indicator series,
//! budget columns, achievement counts and budget shares.

use crate::error::{Error, Result};
use crate::model::{Budget, BudgetKind, Indicator, Initiative, Issue, Plan, Strategy};
use crate::wareki::{long_label, Digits};

/// An item of the plan addressed by its number: 2, 2-1 or 2-1-1.
#[derive(Debug, Clone)]
pub enum Item<'a> {
    Issue(&'a Issue),
    Strategy(&'a Strategy, String),
    Initiative(&'a Initiative),
}

impl<'a> Item<'a> {
    /// 「経営課題5」「戦略5-1」「具体的取組5-1-1」 and the title.
    pub fn heading(&self) -> String {
        match self {
            Item::Issue(i) => format!("経営課題{}　{}", i.number, i.title),
            Item::Strategy(s, n) => format!("戦略{}　{}", n, s.title),
            Item::Initiative(i) => format!("具体的取組{}　{}", i.number, i.title),
        }
    }

    /// アウトカム指標 for issues and strategies, プロセス指標 for initiatives.
    pub fn indicators(&self) -> (&'a [Indicator], &'static str) {
        match self {
            Item::Issue(i) => (&i.outcome_indicators, "アウトカム指標"),
            Item::Strategy(s, _) => (&s.outcome_indicators, "アウトカム指標"),
            Item::Initiative(i) => (&i.process_indicators, "プロセス指標"),
        }
    }

    fn label(&self) -> String {
        match self {
            Item::Issue(i) => format!("経営課題{}", i.number),
            Item::Strategy(_, n) => format!("戦略{n}"),
            Item::Initiative(i) => format!("具体的取組{}", i.number),
        }
    }
}

/// A strategy's number, or the one its position gives (5-2) when the layout has none.
pub fn strategy_number(issue: &Issue, position: usize, strategy: &Strategy) -> String {
    strategy
        .number
        .clone()
        .unwrap_or_else(|| format!("{}-{}", issue.number, position + 1))
}

/// Finds an item by number; 「番号 9-9 の項目が見つかりません」 otherwise.
pub fn find_item<'a>(plan: &'a Plan, number: &str) -> Result<Item<'a>> {
    let wanted = crate::normalize::nfkc(number).trim().to_string();
    let not_found = || Error::Refused(format!("番号 {number} の項目が見つかりません"));
    let parts: Vec<&str> = wanted.split('-').collect();
    let issue_no: u32 = parts[0].parse().map_err(|_| not_found())?;
    let issue = plan
        .issues
        .iter()
        .find(|i| i.number == issue_no)
        .ok_or_else(not_found)?;
    if parts.len() == 1 {
        return Ok(Item::Issue(issue));
    }
    for (pos, strategy) in issue.strategies.iter().enumerate() {
        let n = strategy_number(issue, pos, strategy);
        if parts.len() == 2 && n == wanted {
            return Ok(Item::Strategy(strategy, n));
        }
        if let Some(initiative) = strategy.initiatives.iter().find(|i| i.number == wanted) {
            return Ok(Item::Initiative(initiative));
        }
    }
    Err(not_found())
}

/// The `index`-th (0-based) indicator of an item.
pub fn indicator<'a>(item: &Item<'a>, index: usize) -> Result<(&'a Indicator, &'static str)> {
    let (list, kind) = item.indicators();
    if list.is_empty() {
        return Err(Error::Refused(format!(
            "{}には指標がありません",
            item.label()
        )));
    }
    list.get(index).map(|i| (i, kind)).ok_or_else(|| {
        Error::Refused(format!(
            "{}の指標 {} がありません（指標は {} 件です）",
            item.label(),
            index + 1,
            list.len()
        ))
    })
}

/// One year of an indicator chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub fiscal_year: i32,
    /// The value drawn: the result, or the running total for cumulative targets.
    pub value: Option<f64>,
    /// The label: the result as written (42.5), or the running total.
    pub label: Option<String>,
    pub achieved: Option<bool>,
}

/// An indicator's yearly points, the target and the x-axis years.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub years: Vec<i32>,
    pub points: Vec<Point>,
    pub target: Option<f64>,
    pub target_label: Option<String>,
    pub unit: String,
    pub cumulative: bool,
}

/// Formats a number for a label: thousands separators, at most the decimals given.
pub fn fmt_num(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if v < 0.0 && out.chars().any(|c| c != '0' && c != '.' && c != ',') {
        out.insert(0, '-');
    }
    out
}

fn decimals_of(n: &serde_json::Number) -> usize {
    n.to_string().split_once('.').map_or(0, |(_, f)| f.len())
}

/// "70" + "%" → "70%"; the result as written in the plan.
pub fn with_unit(value: &str, unit: &str) -> String {
    format!("{value}{unit}")
}

pub fn trend(plan: &Plan, indicator: &Indicator) -> Trend {
    let t = &indicator.target;
    let cumulative = t.cumulative == Some(true);
    let mut results: Vec<_> = indicator.results.iter().collect();
    results.sort_by_key(|r| r.fiscal_year);
    let decimals = results
        .iter()
        .filter_map(|r| r.value.as_ref().map(decimals_of))
        .max()
        .unwrap_or(0);
    let mut total = 0.0;
    let mut points = Vec::new();
    for r in &results {
        if cumulative && t.from_fiscal_year.is_some_and(|from| r.fiscal_year < from) {
            continue;
        }
        let v = r.value.as_ref().and_then(|n| n.as_f64());
        let (value, label) = match v {
            Some(v) if cumulative => {
                total += v;
                (Some(total), Some(fmt_num(total, decimals)))
            }
            Some(v) => (
                Some(v),
                r.value.as_ref().map(|n| fmt_num(v, decimals_of(n))),
            ),
            None => (None, None),
        };
        points.push(Point {
            fiscal_year: r.fiscal_year,
            value,
            label,
            achieved: r.achieved,
        });
    }
    let mut first = results.first().map(|r| r.fiscal_year);
    let mut last = results.last().map(|r| r.fiscal_year);
    for y in [t.from_fiscal_year, t.by_fiscal_year, Some(plan.fiscal_year)]
        .into_iter()
        .flatten()
    {
        first = Some(first.map_or(y, |f| f.min(y)));
        last = Some(last.map_or(y, |l| l.max(y)));
    }
    let (first, last) = (
        first.unwrap_or(plan.fiscal_year),
        last.unwrap_or(plan.fiscal_year),
    );
    let first = first.max(last - 9); // at most ten years on the axis
    points.retain(|p| p.fiscal_year >= first);
    let target = t.value.as_ref().and_then(|n| n.as_f64());
    let target_label = t.value.as_ref().map(|n| {
        let mut s = format!(
            "目標 {}",
            with_unit(&fmt_num(n.as_f64().unwrap_or(0.0), decimals_of(n)), &t.unit)
        );
        if let Some(c) = t.comparison {
            s.push_str(c.label());
        }
        s
    });
    Trend {
        years: (first..=last).collect(),
        points,
        target,
        target_label,
        unit: t.unit.clone(),
        cumulative,
    }
}

/// The target as printed, or built from its parts: 「6年度までに70％以上」.
pub fn target_text(indicator: &Indicator) -> String {
    let t = &indicator.target;
    match t.text.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => text.to_string(),
        None => t.text_from_parts(),
    }
}

/// 出典 of an indicator's results, each once: 「区政に関する区民アンケート 市民局実施」.
pub fn sources(indicator: &Indicator) -> String {
    let mut out: Vec<&str> = Vec::new();
    for r in &indicator.results {
        if let Some(s) = r.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    if out.is_empty() {
        "－".to_string()
    } else {
        out.join("、")
    }
}

/// One budget column: 「令和4年度」「決算額」 and the amount.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub fiscal_year: i32,
    pub kind: BudgetKind,
    pub amount_yen: Option<u64>,
}

fn columns_of<'b>(budgets: impl Iterator<Item = &'b Budget>) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    for b in budgets {
        match cols
            .iter_mut()
            .find(|c| c.fiscal_year == b.fiscal_year && c.kind == b.kind)
        {
            Some(c) => {
                if let Some(a) = b.amount_yen {
                    c.amount_yen = Some(c.amount_yen.unwrap_or(0) + a);
                }
            }
            None => cols.push(Column {
                fiscal_year: b.fiscal_year,
                kind: b.kind,
                amount_yen: b.amount_yen,
            }),
        }
    }
    cols.sort_by_key(|c| (c.fiscal_year, c.kind == BudgetKind::Budget));
    cols
}

/// An initiative's own columns; for a strategy or an issue, the totals of its initiatives
/// per year and kind (an issue's own budget rows when it has no initiative budgets).
pub fn budget_columns(item: &Item) -> Vec<Column> {
    match item {
        Item::Initiative(i) => columns_of(i.budgets.iter()),
        Item::Strategy(s, _) => columns_of(s.initiatives.iter().flat_map(|i| &i.budgets)),
        Item::Issue(issue) => {
            let cols = columns_of(
                issue
                    .strategies
                    .iter()
                    .flat_map(|s| &s.initiatives)
                    .flat_map(|i| &i.budgets),
            );
            if cols.is_empty() {
                columns_of(issue.budgets.iter())
            } else {
                cols
            }
        }
    }
}

/// Every indicator of an issue: its own and its strategies' アウトカム指標, its initiatives' プロセス指標.
pub fn all_indicators(issue: &Issue) -> impl Iterator<Item = &Indicator> {
    issue
        .outcome_indicators
        .iter()
        .chain(issue.strategies.iter().flat_map(|s| {
            s.outcome_indicators
                .iter()
                .chain(s.initiatives.iter().flat_map(|i| &i.process_indicators))
        }))
}

/// Indicators achieved / not achieved / not yet measured, by the latest year's result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub achieved: usize,
    pub not_achieved: usize,
    pub unmeasured: usize,
}

impl Counts {
    pub fn total(&self) -> usize {
        self.achieved + self.not_achieved + self.unmeasured
    }
}

pub fn counts(issue: &Issue) -> Counts {
    let mut c = Counts::default();
    for ind in all_indicators(issue) {
        match ind
            .results
            .iter()
            .max_by_key(|r| r.fiscal_year)
            .and_then(|r| r.achieved)
        {
            Some(true) => c.achieved += 1,
            Some(false) => c.not_achieved += 1,
            None => c.unmeasured += 1,
        }
    }
    c
}

/// The plan year's budget of an issue: the sum of its initiatives' amounts for that year
/// (the issue's own rows when its initiatives have none).
pub fn plan_year_budget(plan: &Plan, issue: &Issue) -> u64 {
    let year = |b: &&Budget| b.fiscal_year == plan.fiscal_year;
    let from_initiatives: Vec<&Budget> = issue
        .strategies
        .iter()
        .flat_map(|s| &s.initiatives)
        .flat_map(|i| &i.budgets)
        .filter(year)
        .collect();
    let rows = if from_initiatives.is_empty() {
        issue.budgets.iter().filter(year).collect()
    } else {
        from_initiatives
    };
    rows.iter().filter_map(|b| b.amount_yen).sum()
}

/// 「令和6年度」
pub fn year_label(fiscal_year: i32) -> String {
    long_label(fiscal_year, Digits::Half)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(fmt_num(42.5, 1), "42.5");
        assert_eq!(fmt_num(70.0, 0), "70");
        assert_eq!(fmt_num(5100.0, 0), "5,100");
        assert_eq!(fmt_num(1234567.25, 2), "1,234,567.25");
        assert_eq!(fmt_num(-1500.0, 0), "-1,500");
    }

    #[test]
    fn finds_items_and_refuses_unknown_numbers() {
        let plan = crate::demo_plan();
        assert!(matches!(find_item(&plan, "5").unwrap(), Item::Issue(_)));
        assert!(matches!(
            find_item(&plan, "5-1").unwrap(),
            Item::Strategy(..)
        ));
        assert!(matches!(
            find_item(&plan, "５-1-2").unwrap(),
            Item::Initiative(_)
        ));
        let e = find_item(&plan, "9-9").unwrap_err();
        assert_eq!(e.to_string(), "番号 9-9 の項目が見つかりません");
        let issue = find_item(&plan, "5").unwrap();
        assert_eq!(
            indicator(&issue, 0).unwrap_err().to_string(),
            "経営課題5には指標がありません"
        );
    }

    #[test]
    fn cumulative_targets_run_totals() {
        let mut plan = crate::demo_plan();
        plan.issues[0].strategies[0].outcome_indicators[0]
            .target
            .cumulative = Some(true);
        let t = trend(&plan, &plan.issues[0].strategies[0].outcome_indicators[0]);
        let labels: Vec<_> = t.points.iter().map(|p| p.label.clone().unwrap()).collect();
        assert_eq!(labels, ["42.5", "95"]);
        assert_eq!(t.years, [2022, 2023, 2024]);
    }
}
