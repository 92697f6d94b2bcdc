//! Indicators: text, target, yearly results with their 〇/－.

use super::{position_of, refused, required, suggest_achieved};
use crate::error::Result;
use crate::identity::new_id;
use crate::model::{Comparison, Indicator, IndicatorResult, Target};
use crate::normalize::{clean_text, nfkc, parse_mark, parse_quantity, Problem};
use crate::wareki::{long_label, Digits};

fn find(list: &[Indicator], indicator: &str) -> Result<usize> {
    position_of(list, indicator, "指標", |x| x.id.as_deref())
}

/// A new indicator with its text; unit % unless given, 以上.
pub fn add_indicator(list: &mut Vec<Indicator>, text: &str, unit: &str, place: &str) -> Result<()> {
    let text = required(format!("{place} の指標 {} の内容", list.len() + 1), text)?;
    list.push(Indicator {
        id: Some(new_id()),
        text,
        target: Target {
            unit: clean_text(&nfkc(unit)).unwrap_or_else(|| "%".into()),
            comparison: Some(Comparison::AtLeast),
            ..Default::default()
        },
        results: Vec::new(),
    });
    Ok(())
}

pub fn set_indicator_text(
    list: &mut [Indicator],
    indicator: &str,
    text: &str,
    place: &str,
) -> Result<()> {
    let i = find(list, indicator)?;
    list[i].text = required(format!("{place} の指標 {} の内容", i + 1), text)?;
    Ok(())
}

/// A target as typed in the window.
pub struct TargetInput<'a> {
    /// None keeps the stored value (and its spelling).
    pub value: Option<&'a str>,
    pub unit: &'a str,
    pub comparison: Option<Comparison>,
    pub by_fiscal_year: &'a str,
    pub from_fiscal_year: &'a str,
    pub cumulative: bool,
    pub text: &'a str,
}

pub fn set_target(
    list: &mut [Indicator],
    indicator: &str,
    input: TargetInput,
    place: &str,
) -> Result<()> {
    let i = find(list, indicator)?;
    let place = format!("{place} の指標 {} の目標", i + 1);
    let unit = clean_text(&nfkc(input.unit)).unwrap_or_default();
    let year = |typed: &str, what: &str| -> Result<Option<i32>> {
        clean_text(typed)
            .map(|label| {
                crate::wareki::parse_label(&label)
                    .ok_or_else(|| refused(format!("{place}の{what}"), Problem::NotAYear, &label))
            })
            .transpose()
    };
    let by = year(input.by_fiscal_year, "期限")?;
    let from = year(input.from_fiscal_year, "開始年度")?;
    let target = &mut list[i].target;
    let typed_text = clean_text(input.text);
    // A printed text that said what the parts say follows them when only the
    // parts change (50％以上 → 60％以上); one the planner wrote stays.
    let follows_parts = typed_text == target.text
        && target
            .text
            .as_deref()
            .is_some_and(|t| nfkc(t) == nfkc(&target.text_from_parts()));
    let full_width_percent = target.text.as_deref().is_some_and(|t| t.contains('％'));
    if let Some(value) = input.value {
        target.value =
            parse_quantity(value, &unit).map_err(|p| refused(format!("{place}値"), p, value))?;
    }
    target.unit = unit;
    target.comparison = input.comparison;
    target.by_fiscal_year = by;
    target.from_fiscal_year = from;
    // Absent unless set, as the interchange format writes it.
    target.cumulative = input.cumulative.then_some(true);
    target.text = if follows_parts {
        let text = target.text_from_parts();
        Some(if full_width_percent {
            text.replace('%', "％")
        } else {
            text
        })
    } else {
        typed_text
    };
    Ok(())
}

/// A year's result as typed. None parts keep what is stored.
#[derive(Default)]
pub struct ResultInput<'a> {
    pub value: Option<&'a str>,
    /// 〇/－ as typed; blank with a new value means "suggest one".
    pub mark: Option<&'a str>,
    pub source: Option<&'a str>,
    pub rating: Option<&'a str>,
    pub note: Option<&'a str>,
}

pub fn set_result(
    list: &mut [Indicator],
    indicator: &str,
    fiscal_year: i32,
    input: ResultInput,
    place: &str,
) -> Result<()> {
    let i = find(list, indicator)?;
    let place = format!(
        "{place} の指標 {} の{}実績",
        i + 1,
        long_label(fiscal_year, Digits::Half)
    );
    let indicator = &mut list[i];
    let unit = indicator.target.unit.clone();
    let value = input
        .value
        .map(|v| parse_quantity(v, &unit).map_err(|p| refused(place.clone(), p, v)))
        .transpose()?;
    let mark = input
        .mark
        .map(|m| parse_mark(m).map_err(|p| refused(format!("{place}の〇/－"), p, m)))
        .transpose()?;
    let target = indicator.target.clone();
    update_result(indicator, fiscal_year, |result| {
        if let Some(value) = value {
            result.value = value;
        }
        match mark {
            Some(Some(confirmed)) => result.achieved = confirmed,
            // The mark cell cleared, the value untouched: no mark.
            Some(None) if input.value.is_none() => result.achieved = None,
            // A new value without a typed mark: suggest one from that year's target.
            _ if input.value.is_some() => {
                result.achieved =
                    suggest_achieved(result.value.as_ref().and_then(|n| n.as_f64()), &target)
            }
            _ => {}
        }
        if let Some(source) = input.source {
            result.source = clean_text(source);
        }
        if let Some(rating) = input.rating {
            result.rating = clean_text(&nfkc(rating));
        }
        if let Some(note) = input.note {
            result.note = clean_text(note);
        }
    });
    Ok(())
}

/// Changes the result of `fiscal_year` with `change`: a missing result is
/// made (kept in year order), one left with nothing in it goes. Nothing
/// changes when `change` leaves the result as it was.
pub fn update_result(
    indicator: &mut Indicator,
    fiscal_year: i32,
    change: impl FnOnce(&mut IndicatorResult),
) {
    let existing = indicator
        .results
        .iter()
        .position(|r| r.fiscal_year == fiscal_year);
    let mut result = existing.map_or(
        IndicatorResult {
            fiscal_year,
            ..Default::default()
        },
        |i| indicator.results[i].clone(),
    );
    let before = result.clone();
    change(&mut result);
    if result == before {
        return;
    }
    let empty = result.value.is_none()
        && result.achieved.is_none()
        && result.source.is_none()
        && result.rating.is_none()
        && result.note.is_none();
    match (existing, empty) {
        (Some(i), true) => {
            indicator.results.remove(i);
        }
        (Some(i), false) => indicator.results[i] = result,
        (None, true) => {}
        (None, false) => {
            indicator.results.push(result);
            indicator.results.sort_by_key(|r| r.fiscal_year);
        }
    }
}
