//! 主な取組 rows and their yearly 実績.

use super::{position_of, required, shift};
use crate::error::{Error, Result};
use crate::identity::new_id;
use crate::model::{Activity, ActivityResult, Initiative};
use crate::normalize::clean_text;

fn find(it: &Initiative, activity: &str) -> Result<usize> {
    position_of(&it.activities, activity, "主な取組の行", |a| {
        a.id.as_deref()
    })
}

/// A new row with its text, before the row `before` or at the end, with the
/// id the caller chose (checked) or a new one.
pub fn add_activity(
    it: &mut Initiative,
    text: &str,
    before: Option<&str>,
    id: Option<&str>,
    place: &str,
) -> Result<()> {
    let at = match before {
        Some(id) => find(it, id)?,
        None => it.activities.len(),
    };
    let text = required(format!("{place} の主な取組 {}行目", at + 1), text)?;
    let id = match id {
        Some(id)
            if crate::identity::is_valid(id)
                && it.activities.iter().all(|a| a.id.as_deref() != Some(id)) =>
        {
            id.to_string()
        }
        Some(id) => {
            return Err(Error::Refused(format!(
                "新しい行の id「{id}」は使えません。"
            )))
        }
        None => new_id(),
    };
    it.activities.insert(
        at,
        Activity {
            id: Some(id),
            text,
            results: Vec::new(),
        },
    );
    Ok(())
}

pub fn set_activity_text(
    it: &mut Initiative,
    activity: &str,
    text: &str,
    place: &str,
) -> Result<()> {
    let i = find(it, activity)?;
    it.activities[i].text = clean_text(text).ok_or_else(|| {
        Error::invalid(
            format!("{place} の主な取組 {}行目", i + 1),
            "入力してください（行を消すには「行を削除」を使います）",
            None,
        )
    })?;
    Ok(())
}

/// One year's 実績; blank removes it.
pub fn set_activity_result(
    it: &mut Initiative,
    activity: &str,
    fiscal_year: i32,
    text: &str,
) -> Result<()> {
    let i = find(it, activity)?;
    let results = &mut it.activities[i].results;
    match (
        results.iter().position(|r| r.fiscal_year == fiscal_year),
        clean_text(text),
    ) {
        (Some(r), Some(text)) => results[r].text = text,
        (Some(r), None) => {
            results.remove(r);
        }
        (None, Some(text)) => {
            results.push(ActivityResult { fiscal_year, text });
            results.sort_by_key(|r| r.fiscal_year);
        }
        (None, None) => {}
    }
    Ok(())
}

pub fn move_activity(it: &mut Initiative, activity: &str, delta: i32) -> Result<()> {
    let i = find(it, activity)?;
    shift(&mut it.activities, i, delta)
}

pub fn delete_activity(it: &mut Initiative, activity: &str) -> Result<()> {
    let i = find(it, activity)?;
    it.activities.remove(i);
    Ok(())
}
