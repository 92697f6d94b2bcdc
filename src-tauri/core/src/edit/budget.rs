//! Budget cells (決算額 / 予算額 per year).

use super::refused;
use crate::error::Result;
use crate::model::{Budget, BudgetKind};
use crate::normalize::parse_amount;
use crate::validate::budget_column_label;

/// One cell as typed: 「１６，２１７，０００」, 「－」 or blank (no amount).
pub fn set_budget(
    budgets: &mut Vec<Budget>,
    fiscal_year: i32,
    kind: BudgetKind,
    input: &str,
    place: &str,
) -> Result<()> {
    let label = budget_column_label(&Budget {
        fiscal_year,
        kind,
        amount_yen: None,
    });
    let amount =
        parse_amount(input).map_err(|p| refused(format!("{place} の {label}"), p, input))?;
    match budgets
        .iter_mut()
        .find(|b| b.fiscal_year == fiscal_year && b.kind == kind)
    {
        Some(b) => b.amount_yen = amount,
        None => {
            budgets.push(Budget {
                fiscal_year,
                kind,
                amount_yen: amount,
            });
            budgets.sort_by_key(|b| (b.fiscal_year, b.kind == BudgetKind::Budget));
        }
    }
    Ok(())
}

/// One budget cell above this asks the planner before it is saved: no single
/// 取組 of a ward comes near 100億円, a slip of the keyboard easily does.
pub const LARGE_YEN: u64 = 10_000_000_000;

/// What the planner should confirm before a budget cell typed as `input` is
/// saved at `place` (None when nothing is unusual).
pub fn large_amount_warning(
    place: &str,
    fiscal_year: i32,
    kind: BudgetKind,
    input: &str,
) -> Option<String> {
    let yen = parse_amount(input).ok()??;
    (yen > LARGE_YEN).then(|| {
        let column = budget_column_label(&Budget {
            fiscal_year,
            kind,
            amount_yen: None,
        });
        format!(
            "{place} の{column}に {}（{}円）と入力されています。",
            in_oku(yen),
            crate::limits::group(yen)
        )
    })
}

/// 20000000000 → 「200億円」, 52000005100000 → 「52兆510万円」 (as people say it).
fn in_oku(yen: u64) -> String {
    let units = [
        (yen / 1_000_000_000_000, "兆"),
        (yen / 100_000_000 % 10_000, "億"),
        (yen / 10_000 % 10_000, "万"),
    ];
    let mut text: String = units
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if !yen.is_multiple_of(10_000) {
        text.insert(0, '約');
    }
    text + "円"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_say_them() {
        assert_eq!(in_oku(20_000_000_000), "200億円");
        assert_eq!(in_oku(52_000_005_100_000), "52兆510万円");
        assert_eq!(in_oku(10_000_000_001), "約100億円");
    }

    #[test]
    fn only_large_amounts_are_questioned() {
        let warn =
            |input| large_amount_warning("具体的取組 5-1-1", 2022, BudgetKind::Settled, input);
        assert_eq!(warn("5,200,000"), None);
        assert_eq!(warn("abc"), None);
        assert_eq!(
            warn("52000005100000").unwrap(),
            "具体的取組 5-1-1 の4決算額に 52兆510万円（52,000,005,100,000円）と入力されています。"
        );
    }
}
