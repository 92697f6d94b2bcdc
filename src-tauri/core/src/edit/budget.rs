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
