//! A generated plan set for benchmarks and demos of the 24-ward aggregate.

use crate::model::Plan;

pub use crate::sample::WARDS;

/// `plan` copied to each of the 24 wards, with amounts and results varied
/// per ward (deterministically), e.g. for a city-wide `data` workbook.
pub fn ward_set(plan: &Plan) -> Vec<Plan> {
    WARDS
        .iter()
        .enumerate()
        .map(|(w, ward)| {
            let mut p = plan.clone();
            p.ward = ward.to_string();
            let factor = 0.6 + (w as f64 * 7.0 % 11.0) / 10.0;
            for issue in &mut p.issues {
                for s in &mut issue.strategies {
                    let vary = |ind: &mut crate::model::Indicator| {
                        for r in &mut ind.results {
                            if let Some(v) = r.value.as_ref().and_then(|v| v.as_f64()) {
                                let varied =
                                    ((v * (0.8 + factor / 5.0)).min(100.0) * 10.0).round() / 10.0;
                                r.value = serde_json::Number::from_f64(varied);
                            }
                        }
                    };
                    s.outcome_indicators.iter_mut().for_each(vary);
                    for i in &mut s.initiatives {
                        i.process_indicators.iter_mut().for_each(vary);
                        for b in &mut i.budgets {
                            b.amount_yen = b
                                .amount_yen
                                .map(|a| (a as f64 * factor / 1000.0).round() as u64 * 1000);
                        }
                    }
                }
            }
            p
        })
        .collect()
}
