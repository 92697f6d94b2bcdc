//! Year rollover: plan year Y+1 made from year Y.
//!
//! Structure, texts, indicators and targets are copied. Each budget table is
//! re-based to Y+1's three columns (Y-1 決算, Y 予算, Y+1 予算): Y's own budget
//! is carried, the rest is left empty to fill. Results keep their years and
//! are carried only where Y+1's tables still show that year. Evaluations and
//! council opinions belong to year Y and are not carried.

use crate::model::{Budget, BudgetKind, Plan, Stage};

/// The three budget columns a plan of `year` shows.
pub fn budget_columns(year: i32) -> [(i32, BudgetKind); 3] {
    [
        (year - 2, BudgetKind::Settled),
        (year - 1, BudgetKind::Budget),
        (year, BudgetKind::Budget),
    ]
}

/// Earliest year an indicator table of a `year` plan shows (Y-2 … Y).
pub fn first_indicator_year(year: i32) -> i32 {
    year - 2
}

/// Earliest year a 主な取組 table of a `year` plan shows (Y-1, Y).
pub fn first_activity_year(year: i32) -> i32 {
    year - 1
}

/// Re-bases a budget table to `year`'s columns, carrying amounts whose year
/// and kind are still shown.
pub fn rebase_budgets(budgets: &[Budget], year: i32) -> Vec<Budget> {
    if budgets.is_empty() {
        return Vec::new();
    }
    budget_columns(year)
        .into_iter()
        .map(|(fiscal_year, kind)| Budget {
            fiscal_year,
            kind,
            amount_yen: budgets
                .iter()
                .find(|b| b.fiscal_year == fiscal_year && b.kind == kind)
                .and_then(|b| b.amount_yen),
        })
        .collect()
}

/// What rollover will do, line by line, for the confirmation dialog.
pub fn preview(plan: &Plan) -> Vec<String> {
    use crate::wareki::{long_label, short_number, Digits};
    let (y, next) = (plan.fiscal_year, plan.fiscal_year + 1);
    let n = |year| short_number(year, Digits::Half);
    let counts = plan.issues.iter().fold((0, 0), |(s, i), issue| {
        (
            s + issue.strategies.len(),
            i + issue
                .strategies
                .iter()
                .map(|s| s.initiatives.len())
                .sum::<usize>(),
        )
    });
    vec![
        format!("{} {}を作成します（{}は変更しません）。", plan.ward, long_label(next, Digits::Half), long_label(y, Digits::Half)),
        format!("経営課題 {} 件・戦略 {} 件・具体的取組 {} 件の構成と文章、指標と目標をコピーします。", plan.issues.len(), counts.0, counts.1),
        format!("予算: {}予算額 → 新しい表の{}予算額へ移します。{}決算額と{}予算額は空欄になります（入力してください）。", n(y), n(y), n(y - 1), n(next)),
        format!("指標の実績: {}〜{}の実績はその年度のまま残ります。{}以前は新しい表に表示されないため移しません。", long_label(y - 1, Digits::Half), long_label(y, Digits::Half), long_label(y - 2, Digits::Half)),
        "自己評価・改善策・区政会議等意見は年度ごとのものなので、新しい計画では空欄になります。".to_string(),
    ]
}

pub fn next_year(plan: &Plan) -> Plan {
    let year = plan.fiscal_year + 1;
    let mut next = plan.clone();
    next.fiscal_year = year;
    next.stage = Some(Stage::Plan);
    next.self_evaluation = None;
    next.future_policy = None;
    next.source = None;
    for issue in &mut next.issues {
        issue.budgets = rebase_budgets(&issue.budgets, year);
        for indicator in &mut issue.outcome_indicators {
            indicator
                .results
                .retain(|r| r.fiscal_year >= first_indicator_year(year));
        }
        for strategy in &mut issue.strategies {
            strategy.self_evaluation = None;
            strategy.improvements = None;
            for indicator in &mut strategy.outcome_indicators {
                indicator
                    .results
                    .retain(|r| r.fiscal_year >= first_indicator_year(year));
            }
            for initiative in &mut strategy.initiatives {
                initiative.budgets = rebase_budgets(&initiative.budgets, year);
                initiative.council_opinions.clear();
                for activity in &mut initiative.activities {
                    activity
                        .results
                        .retain(|r| r.fiscal_year >= first_activity_year(year));
                }
                for indicator in &mut initiative.process_indicators {
                    indicator
                        .results
                        .retain(|r| r.fiscal_year >= first_indicator_year(year));
                }
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_plan;

    #[test]
    fn budgets_move_one_column_left() {
        let plan = demo_plan();
        let next = next_year(&plan);
        let b = &next.issues[0].strategies[0].initiatives[1].budgets;
        assert_eq!(next.fiscal_year, 2025);
        assert_eq!(b.len(), 3);
        assert_eq!(
            (b[0].fiscal_year, b[0].kind, b[0].amount_yen),
            (2023, BudgetKind::Settled, None)
        );
        assert_eq!(
            (b[1].fiscal_year, b[1].kind, b[1].amount_yen),
            (2024, BudgetKind::Budget, Some(25_037_000))
        );
        assert_eq!(
            (b[2].fiscal_year, b[2].kind, b[2].amount_yen),
            (2025, BudgetKind::Budget, None)
        );
    }

    #[test]
    fn results_keep_their_years() {
        let plan = demo_plan();
        let next = next_year(&plan);
        let outcome = &next.issues[0].strategies[0].outcome_indicators[0];
        let years: Vec<i32> = outcome.results.iter().map(|r| r.fiscal_year).collect();
        assert_eq!(years, vec![2023], "R4 drops out of a R7 table, R5 stays");
        assert_eq!(
            outcome.target,
            plan.issues[0].strategies[0].outcome_indicators[0].target
        );
        assert!(next.issues[0].strategies[0].initiatives[0]
            .council_opinions
            .is_empty());
    }
}
