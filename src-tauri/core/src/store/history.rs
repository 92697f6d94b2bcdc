//! History, undo and redo. Each action stores the plan before and after (for
//! exact undo of any edit, structural or not) and the changed fields (for
//! people to read: entity, field, old → new).

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

use super::rows;
use crate::error::{Error, Result};
use crate::model::{field_label, Plan};

/// Change sets kept per plan for undo; older ones keep their field list but
/// lose their snapshots.
const UNDO_DEPTH: i64 = 200;

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ChangeSet {
    pub id: i64,
    pub ward: String,
    pub fiscal_year: i32,
    /// Local time, ISO 8601.
    pub at: String,
    /// What the user did, e.g. 「具体的取組 5-1-2 の予算を編集」.
    pub action: String,
    pub undone: bool,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldChange {
    /// 「具体的取組 5-1-2」
    pub entity: String,
    /// 「予算 3行目 › 金額（円）」
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

pub(super) enum Direction {
    Undo,
    Redo,
}

fn now() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(super) fn record(
    conn: &Connection,
    action: &str,
    before: Option<&Plan>,
    after: Option<&Plan>,
) -> Result<()> {
    let plan = after.or(before).expect("a change has a plan on one side");
    // A new action forgets what was undone: redo follows only undo.
    conn.execute(
        "DELETE FROM change_set WHERE ward = ?1 AND fiscal_year = ?2 AND state = 'undone'",
        params![plan.ward, plan.fiscal_year],
    )?;
    let to_json =
        |p: Option<&Plan>| p.map(|p| serde_json::to_string(p).expect("a plan serialises"));
    conn.prepare_cached(
        "INSERT INTO change_set (ward, fiscal_year, at, action, before_json, after_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![plan.ward, plan.fiscal_year, now(), action, to_json(before), to_json(after)])?;
    let id = conn.last_insert_rowid();
    let before_value = before.map(|p| serde_json::to_value(p).expect("a plan serialises"));
    let after_value = after.map(|p| serde_json::to_value(p).expect("a plan serialises"));
    let changes = diff_plans(before_value.as_ref(), after_value.as_ref());
    for (position, c) in changes.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO change (change_set_id, position, entity, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![id, position as i64, c.entity, c.field, c.old, c.new])?;
    }
    // Keep the file small: only the newest UNDO_DEPTH sets keep snapshots.
    conn.execute(
        "UPDATE change_set SET before_json = NULL, after_json = NULL
         WHERE ward = ?1 AND fiscal_year = ?2 AND before_json IS NOT NULL AND id <= ?3 - ?4",
        params![plan.ward, plan.fiscal_year, id, UNDO_DEPTH],
    )?;
    Ok(())
}

pub(super) fn seal(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<()> {
    conn.execute(
        "UPDATE change_set SET before_json = NULL, after_json = NULL WHERE ward = ?1 AND fiscal_year = ?2",
        params![ward, fiscal_year],
    )?;
    Ok(())
}

/// Moves a plan's history to its new ward name and makes it permanent: the
/// snapshots carry the old name, so they can no longer be restored.
pub(super) fn rename(
    conn: &Connection,
    ward: &str,
    new_ward: &str,
    fiscal_year: i32,
) -> Result<()> {
    conn.execute(
        "UPDATE change_set SET ward = ?3 WHERE ward = ?1 AND fiscal_year = ?2",
        params![ward, fiscal_year, new_ward],
    )?;
    seal(conn, new_ward, fiscal_year)?;
    conn.execute(
        "DELETE FROM change_set WHERE ward = ?1 AND fiscal_year = ?2 AND state = 'undone'",
        params![new_ward, fiscal_year],
    )?;
    conn.execute(
        "INSERT INTO change_set (ward, fiscal_year, at, action) VALUES (?1, ?2, ?3, ?4)",
        params![
            new_ward,
            fiscal_year,
            now(),
            format!("区名を「{ward}」から「{new_ward}」に変更")
        ],
    )?;
    Ok(())
}

/// A change set that undo or redo can use.
struct Candidate {
    id: i64,
    before: Option<String>,
    after: Option<String>,
    /// False once its snapshots were pruned (beyond UNDO_DEPTH).
    has_snapshot: bool,
}

/// The change set that undo (newest done) or redo (oldest undone) would use.
fn candidate(
    conn: &Connection,
    ward: &str,
    fiscal_year: i32,
    direction: &Direction,
) -> Result<Option<Candidate>> {
    let sql = match direction {
        Direction::Undo => "SELECT id, before_json, after_json, before_json IS NOT NULL OR after_json IS NOT NULL FROM change_set
                            WHERE ward = ?1 AND fiscal_year = ?2 AND state = 'done' ORDER BY id DESC LIMIT 1",
        Direction::Redo => "SELECT id, before_json, after_json, 1 FROM change_set
                            WHERE ward = ?1 AND fiscal_year = ?2 AND state = 'undone' ORDER BY id ASC LIMIT 1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row(params![ward, fiscal_year], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                before: r.get(1)?,
                after: r.get(2)?,
                has_snapshot: r.get(3)?,
            })
        })
        .optional()?)
}

pub(super) fn undo_state(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<(bool, bool)> {
    let undo =
        candidate(conn, ward, fiscal_year, &Direction::Undo)?.is_some_and(|c| c.has_snapshot);
    let redo = candidate(conn, ward, fiscal_year, &Direction::Redo)?.is_some();
    Ok((undo, redo))
}

pub(super) fn step(
    conn: &Connection,
    ward: &str,
    fiscal_year: i32,
    direction: Direction,
) -> Result<Option<Plan>> {
    let (nothing, new_state) = match direction {
        Direction::Undo => ("元に戻せる操作はありません。", "undone"),
        Direction::Redo => ("やり直せる操作はありません。", "done"),
    };
    let Some(Candidate {
        id,
        before,
        after,
        has_snapshot,
    }) = candidate(conn, ward, fiscal_year, &direction)?
    else {
        return Err(Error::Refused(nothing.into()));
    };
    if !has_snapshot {
        return Err(Error::Refused(nothing.into()));
    }
    let target = match direction {
        Direction::Undo => before,
        Direction::Redo => after,
    };
    let plan: Option<Plan> = target
        .map(|json| serde_json::from_str(&json))
        .transpose()
        .map_err(|e| Error::Refused(format!("履歴を読めません: {e}")))?;
    match &plan {
        Some(plan) => rows::save_plan(conn, plan)?,
        None => rows::delete_plan(conn, ward, fiscal_year)?,
    }
    conn.execute(
        "UPDATE change_set SET state = ?2 WHERE id = ?1",
        params![id, new_state],
    )?;
    Ok(plan)
}

pub(super) fn list(
    conn: &Connection,
    plan: Option<(&str, i32)>,
    limit: usize,
) -> Result<Vec<ChangeSet>> {
    let (ward, year) = plan.map_or((None, None), |(w, y)| (Some(w), Some(y)));
    let mut sets: Vec<ChangeSet> = conn
        .prepare_cached(
            "SELECT id, ward, fiscal_year, at, action, state FROM change_set
             WHERE (?1 IS NULL OR ward = ?1) AND (?2 IS NULL OR fiscal_year = ?2)
             ORDER BY id DESC LIMIT ?3",
        )?
        .query_map(params![ward, year, limit as i64], |r| {
            Ok(ChangeSet {
                id: r.get(0)?,
                ward: r.get(1)?,
                fiscal_year: r.get(2)?,
                at: r.get(3)?,
                action: r.get(4)?,
                undone: r.get::<_, String>(5)? == "undone",
                changes: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    for set in &mut sets {
        set.changes = conn
            .prepare_cached(
                "SELECT entity, field, old_value, new_value FROM change WHERE change_set_id = ?1 ORDER BY position",
            )?
            .query_map([set.id], |r| {
                Ok(FieldChange {
                    entity: r.get(0)?,
                    field: r.get(1)?,
                    old: r.get(2)?,
                    new: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(sets)
}

/// Field-level differences between two plans, named as planners name them.
pub(crate) fn diff_plans(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let mut out = Vec::new();
    match (before, after) {
        (Some(b), Some(a)) => walk(&mut out, "計画", &mut Vec::new(), b, a),
        (None, Some(a)) => out.push(whole("計画", "（新規作成）", None, Some(a))),
        (Some(b), None) => out.push(whole("計画", "（削除）", Some(b), None)),
        (None, None) => {}
    }
    out
}

fn whole(entity: &str, field: &str, old: Option<&Value>, new: Option<&Value>) -> FieldChange {
    FieldChange {
        entity: entity.to_string(),
        field: field.to_string(),
        old: old.map(short_text),
        new: new.map(short_text),
    }
}

/// A value as one readable line: strings as they are, objects by their title.
fn short_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "－".into(),
        Value::Object(map) => ["number", "title", "text", "caption"]
            .iter()
            .filter_map(|k| map.get(*k).filter(|v| !v.is_null()).map(short_text))
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

fn walk(
    out: &mut Vec<FieldChange>,
    entity: &str,
    field: &mut Vec<String>,
    before: &Value,
    after: &Value,
) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let entity = entity_name(entity, a);
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for key in keys {
                let (bv, av) = (
                    b.get(key).unwrap_or(&Value::Null),
                    a.get(key).unwrap_or(&Value::Null),
                );
                field.push(field_label(key).to_string());
                walk(out, &entity, field, bv, av);
                field.pop();
            }
        }
        (Value::Array(b), Value::Array(a)) => {
            let parent = field.join(" › ");
            for i in 0..b.len().max(a.len()) {
                match (b.get(i), a.get(i)) {
                    (Some(bv), Some(av)) if bv.is_object() && av.is_object() && is_entity(av) => {
                        let mut inner = Vec::new();
                        walk(out, entity, &mut inner, bv, av);
                    }
                    (Some(bv), Some(av)) => {
                        field.push(format!("{}行目", i + 1));
                        walk(out, entity, field, bv, av);
                        field.pop();
                    }
                    (bv, av) => {
                        let what = if bv.or(av).is_some_and(is_entity) {
                            "".to_string()
                        } else {
                            format!("{parent} {}行目", i + 1)
                        };
                        let verb = if av.is_some() { "追加" } else { "削除" };
                        out.push(whole(entity, format!("{what}（{verb}）").trim(), bv, av));
                    }
                }
            }
        }
        _ => out.push(whole(entity, &field.join(" › "), Some(before), Some(after))),
    }
}

fn is_entity(v: &Value) -> bool {
    v.get("strategies").is_some()
        || v.get("initiatives").is_some()
        || v.get("process_indicators").is_some()
}

/// 「経営課題5」「戦略 5-1」「具体的取組 5-1-2」 for entity objects.
fn entity_name(current: &str, v: &serde_json::Map<String, Value>) -> String {
    let number = v.get("number");
    if v.contains_key("strategies") {
        format!("経営課題{}", number.map(short_text).unwrap_or_default())
    } else if v.contains_key("initiatives") {
        format!("戦略 {}", number.map(short_text).unwrap_or_default())
    } else if v.contains_key("process_indicators") {
        format!("具体的取組 {}", number.map(short_text).unwrap_or_default())
    } else {
        current.to_string()
    }
}
