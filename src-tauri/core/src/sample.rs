//! Generated plans for benchmarks and load tests: the demo plan varied per
//! ward and year, so an archive looks like a real city's (24 wards × N years).

use crate::model::Plan;
use crate::rollover::rebase_budgets;

/// Osaka City's 24 wards.
pub const WARDS: [&str; 24] = [
    "北区",
    "都島区",
    "福島区",
    "此花区",
    "中央区",
    "西区",
    "港区",
    "大正区",
    "天王寺区",
    "浪速区",
    "西淀川区",
    "淀川区",
    "東淀川区",
    "東成区",
    "生野区",
    "旭区",
    "城東区",
    "鶴見区",
    "阿倍野区",
    "住之江区",
    "住吉区",
    "東住吉区",
    "平野区",
    "西成区",
];

/// The demo plan moved to `ward` and `fiscal_year`, with amounts and results
/// varied deterministically so no two plans are alike.
pub fn varied_plan(ward: &str, fiscal_year: i32, seed: u64) -> Plan {
    let mut plan = crate::demo_plan();
    let shift = fiscal_year - plan.fiscal_year;
    plan.ward = ward.to_string();
    plan.fiscal_year = fiscal_year;
    let factor = 1.0 + (seed % 17) as f64 / 20.0;
    for issue in &mut plan.issues {
        for strategy in &mut issue.strategies {
            for indicator in &mut strategy.outcome_indicators {
                for r in &mut indicator.results {
                    r.fiscal_year += shift;
                }
            }
            for initiative in &mut strategy.initiatives {
                let mut budgets = initiative.budgets.clone();
                for b in &mut budgets {
                    b.fiscal_year += shift;
                    b.amount_yen = b.amount_yen.map(|a| (a as f64 * factor) as u64);
                }
                initiative.budgets = rebase_budgets(&budgets, fiscal_year);
                for a in &mut initiative.activities {
                    for r in &mut a.results {
                        r.fiscal_year += shift;
                    }
                }
                for indicator in &mut initiative.process_indicators {
                    for r in &mut indicator.results {
                        r.fiscal_year += shift;
                    }
                }
            }
        }
    }
    plan
}

/// Every ward for `years` years ending with `last_year`.
pub fn city_archive(years: i32, last_year: i32) -> Vec<Plan> {
    let mut plans = Vec::new();
    for (w, ward) in WARDS.iter().enumerate() {
        for year in last_year - years + 1..=last_year {
            plans.push(varied_plan(ward, year, (w as u64) * 31 + year as u64));
        }
    }
    plans
}

/// One plan the size of a whole city's (about 1,200 具体的取組 for
/// `initiatives` = 1200): the demo plan's initiatives repeated over issues of
/// six strategies of ten initiatives each, every text made distinct (as real
/// ones are) and budgets varied, for whole-process benchmarks of exports.
pub fn city_sized_plan(ward: &str, fiscal_year: i32, initiatives: usize) -> Plan {
    const PER_STRATEGY: usize = 10;
    const PER_ISSUE: usize = 6;
    let demo = varied_plan(ward, fiscal_year, 7);
    let template_issue = &demo.issues[0];
    let templates: Vec<_> = template_issue
        .strategies
        .iter()
        .flat_map(|s| &s.initiatives)
        .collect();
    let mut plan = demo.clone();
    plan.issues.clear();
    let mut made = 0;
    while made < initiatives {
        let number = plan.issues.len() as u32 + 1;
        let mut issue = template_issue.clone();
        issue.number = number;
        issue.title = format!("{}（その{number}）", issue.title);
        issue.strategies.clear();
        while made < initiatives && issue.strategies.len() < PER_ISSUE {
            let mut strategy = template_issue.strategies[issue.strategies.len() % 2].clone();
            strategy.number = Some(String::new());
            strategy.title = format!(
                "{}（{number}-{}）",
                strategy.title,
                issue.strategies.len() + 1
            );
            strategy.initiatives.clear();
            while made < initiatives && strategy.initiatives.len() < PER_STRATEGY {
                let mut initiative = templates[made % templates.len()].clone();
                let tag = format!("（No.{}）", made + 1);
                initiative.title.push_str(&tag);
                if let Some(summary) = &mut initiative.summary {
                    summary.push_str(&tag);
                }
                for activity in &mut initiative.activities {
                    activity.text.push_str(&tag);
                }
                let factor = 1.0 + (made % 13) as f64 / 10.0;
                for budget in &mut initiative.budgets {
                    budget.amount_yen = budget
                        .amount_yen
                        .map(|a| (a as f64 * factor / 1000.0).round() as u64 * 1000);
                }
                strategy.initiatives.push(initiative);
                made += 1;
            }
            issue.strategies.push(strategy);
        }
        plan.issues.push(issue);
    }
    plan.renumber();
    plan
}

#[cfg(test)]
mod tests {
    #[test]
    fn archive_plans_are_valid() {
        let plans = super::city_archive(2, 2024);
        assert_eq!(plans.len(), 48);
        for plan in &plans {
            crate::validate::validate_plan(plan).unwrap();
        }
    }

    #[test]
    fn city_sized_plan_has_the_asked_initiatives_and_is_valid() {
        let plan = super::city_sized_plan("大阪市", 2024, 1201);
        let initiatives: Vec<_> = plan
            .issues
            .iter()
            .flat_map(|i| &i.strategies)
            .flat_map(|s| &s.initiatives)
            .collect();
        assert_eq!(initiatives.len(), 1201);
        assert_eq!(initiatives[1200].number, "21-1-1");
        let titles: std::collections::HashSet<_> = initiatives.iter().map(|i| &i.title).collect();
        assert_eq!(titles.len(), 1201, "every title distinct");
        crate::validate::validate_plan(&plan).unwrap();
    }
}
