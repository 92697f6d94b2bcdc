//! History, undo and redo by change. Each user action on a plan records the
//! SQLite session changeset of its writes (exact before and after values of
//! the rows it touched, and nothing else) and the changed fields in
//! planners' words. Undo applies the inverted changeset, redo the changeset;
//! a row that is not as the changeset expects stops the step and changes
//! nothing.

use std::io::Cursor;

use rusqlite::session::{ConflictAction, ConflictType, Session};
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

/// Change sets per plan that stay replayable; older ones keep their field
/// list but lose their changeset (and then their images may go).
const UNDO_DEPTH: i64 = 500;

/// Tables that hold the plans. History and images are not part of a change.
fn is_plan_table(table: &str) -> bool {
    !matches!(
        table,
        "change_set" | "change" | "change_set_image" | "image" | "sqlite_sequence"
    )
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ChangeSet {
    #[ts(type = "number")]
    pub id: i64,
    pub ward: String,
    pub fiscal_year: i32,
    /// Local time, ISO 8601.
    pub at: String,
    /// What the user did, e.g. 「具体的取組 5-1-2 の予算を編集」.
    pub action: String,
    pub scope: StepScope,
    pub undone: bool,
    /// False once the set can no longer be undone (older than the undo
    /// depth, sealed, or carried over from an older file format).
    pub replayable: bool,
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct FieldChange {
    /// 「具体的取組 5-1-2」
    pub entity: String,
    /// 「予算 › 6予算額」
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What one undo or redo would do, so the window can say it before doing it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct HistoryStep {
    /// The change set's id; undo/redo can insist on exactly this step.
    #[ts(type = "number")]
    pub id: i64,
    /// What the user did, e.g. 「具体的取組 5-1-2 の予算を編集」.
    pub action: String,
    /// Local time, ISO 8601.
    pub at: String,
    pub scope: StepScope,
}

/// How much of the plan a step touches. Undoing anything but an `Edit`
/// creates, removes or replaces the whole plan, which the window confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum StepScope {
    /// Some fields or nodes of the plan.
    Edit,
    /// The plan was created (new plan, import, rollover, demo).
    CreatePlan,
    /// The plan was replaced by an import.
    ReplacePlan,
    /// The plan was deleted.
    DeletePlan,
}

impl StepScope {
    fn code(self) -> &'static str {
        match self {
            StepScope::Edit => "edit",
            StepScope::CreatePlan => "create_plan",
            StepScope::ReplacePlan => "replace_plan",
            StepScope::DeletePlan => "delete_plan",
        }
    }
    fn from_code(code: &str) -> StepScope {
        match code {
            "create_plan" => StepScope::CreatePlan,
            "replace_plan" => StepScope::ReplacePlan,
            "delete_plan" => StepScope::DeletePlan,
            _ => StepScope::Edit,
        }
    }
}

/// The next undo and redo of a plan, if any.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UndoState {
    pub undo: Option<HistoryStep>,
    pub redo: Option<HistoryStep>,
}

impl UndoState {
    pub fn can_undo(&self) -> bool {
        self.undo.is_some()
    }
    pub fn can_redo(&self) -> bool {
        self.redo.is_some()
    }
}

/// The plan a change set belongs to: its row id (kept even after the plan
/// row is deleted) and its name at the time.
#[derive(Debug, Clone)]
pub(crate) struct PlanKey {
    pub id: i64,
    pub ward: String,
    pub fiscal_year: i32,
}

/// Starts recording the writes that follow on `conn`.
pub(crate) fn start(conn: &Connection) -> Result<Session<'_>> {
    let mut session = Session::new(conn)?;
    session.table_filter(Some(is_plan_table));
    session.attach(None::<&str>)?;
    Ok(session)
}

/// What an action wrote, to be recorded as one change set.
pub(crate) struct Action {
    pub plan: PlanKey,
    pub label: String,
    pub scope: StepScope,
    pub changes: Vec<super::history::FieldChange>,
    pub images: Vec<String>,
}

/// Records the session's changes as one change set. Nothing is recorded
/// (and None returned) when the action changed nothing.
pub(crate) fn record(
    conn: &Connection,
    session: &mut Session,
    action: Action,
) -> Result<Option<i64>> {
    if session.is_empty() {
        return Ok(None);
    }
    let mut changeset = Vec::new();
    session.changeset_strm(&mut changeset)?;
    let changeset = compress(&changeset);
    // A new action forgets what was undone: redo follows only undo.
    conn.execute(
        "DELETE FROM change_set WHERE plan_id = ?1 AND state = 'undone'",
        [action.plan.id],
    )?;
    conn.prepare_cached(
        "INSERT INTO change_set (plan_id, ward, fiscal_year, at, action, scope, changeset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        action.plan.id,
        action.plan.ward,
        action.plan.fiscal_year,
        now(),
        action.label,
        action.scope.code(),
        changeset
    ])?;
    let id = conn.last_insert_rowid();
    for (position, c) in action.changes.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO change (change_set_id, position, entity, field, old_value, new_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![id, position as i64, c.entity, c.field, c.old, c.new])?;
    }
    for hash in &action.images {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO change_set_image (change_set_id, hash) VALUES (?1, ?2)",
        )?
        .execute(params![id, hash])?;
    }
    prune(conn, action.plan.id, id)?;
    Ok(Some(id))
}

/// Keeps the newest UNDO_DEPTH change sets of a plan replayable.
fn prune(conn: &Connection, plan_id: i64, newest: i64) -> Result<()> {
    let pruned = conn.execute(
        "UPDATE change_set SET changeset = NULL WHERE plan_id = ?1 AND changeset IS NOT NULL AND id IN
         (SELECT id FROM change_set WHERE plan_id = ?1 AND id <= ?2 ORDER BY id DESC LIMIT -1 OFFSET ?3)",
        params![plan_id, newest, UNDO_DEPTH],
    )?;
    if pruned > 0 {
        super::images::collect_garbage(conn)?;
    }
    Ok(())
}

/// Makes a plan's history so far permanent: listed, never undone.
pub(crate) fn seal(conn: &Connection, plan_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE change_set SET changeset = NULL WHERE plan_id = ?1",
        [plan_id],
    )?;
    conn.execute(
        "DELETE FROM change_set WHERE plan_id = ?1 AND state = 'undone'",
        [plan_id],
    )?;
    Ok(())
}

/// The plan id whose history a ward and year name: the plan's, or, for a
/// deleted plan, the one its newest change set was recorded under.
pub(crate) fn plan_key(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<Option<PlanKey>> {
    let id: Option<i64> = match super::load::plan_id(conn, ward, fiscal_year)? {
        Some(id) => Some(id),
        None => conn
            .prepare_cached("SELECT plan_id FROM change_set WHERE ward = ?1 AND fiscal_year = ?2 ORDER BY id DESC LIMIT 1")?
            .query_row(params![ward, fiscal_year], |r| r.get(0))
            .optional()?,
    };
    Ok(id.map(|id| PlanKey {
        id,
        ward: ward.to_string(),
        fiscal_year,
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Undo,
    Redo,
}

/// The change set that undo (newest done) or redo (oldest undone) would
/// replay, if it can be replayed.
fn candidate(
    conn: &Connection,
    plan_id: i64,
    direction: Direction,
) -> Result<Option<(HistoryStep, Option<Vec<u8>>)>> {
    let sql = match direction {
        Direction::Undo => {
            "SELECT id, action, at, scope, changeset FROM change_set WHERE plan_id = ?1 AND state = 'done'
             ORDER BY id DESC LIMIT 1"
        }
        Direction::Redo => {
            "SELECT id, action, at, scope, changeset FROM change_set WHERE plan_id = ?1 AND state = 'undone'
             ORDER BY id ASC LIMIT 1"
        }
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([plan_id], |r| {
            Ok((
                HistoryStep {
                    id: r.get(0)?,
                    action: r.get(1)?,
                    at: r.get(2)?,
                    scope: StepScope::from_code(&r.get::<_, String>(3)?),
                },
                r.get(4)?,
            ))
        })
        .optional()?)
}

pub(crate) fn undo_state(conn: &Connection, plan_id: i64) -> Result<UndoState> {
    let step = |d| -> Result<Option<HistoryStep>> {
        Ok(candidate(conn, plan_id, d)?.and_then(|(step, changeset)| changeset.map(|_| step)))
    };
    Ok(UndoState {
        undo: step(Direction::Undo)?,
        redo: step(Direction::Redo)?,
    })
}

/// Undoes or redoes one change set of the plan. `expected` (a step id the
/// user saw) must be the step to replay, so a confirmation never applies
/// to a different step than the one it described.
pub(crate) fn step(
    conn: &Connection,
    plan_id: i64,
    direction: Direction,
    expected: Option<i64>,
) -> Result<HistoryStep> {
    let nothing = match direction {
        Direction::Undo => "元に戻せる操作はありません。",
        Direction::Redo => "やり直せる操作はありません。",
    };
    let Some((step, Some(changeset))) = candidate(conn, plan_id, direction)? else {
        return Err(Error::NothingToUndo(nothing.into()));
    };
    let changeset = decompress(&changeset)?;
    if expected.is_some_and(|id| id != step.id) {
        return Err(Error::Conflict(
            "履歴がほかの操作で変わりました。画面を更新しましたので、もう一度お試しください。"
                .into(),
        ));
    }
    let replay = match direction {
        Direction::Undo => {
            let mut inverted = Vec::new();
            rusqlite::session::invert_strm(&mut Cursor::new(&changeset), &mut inverted)?;
            inverted
        }
        Direction::Redo => changeset,
    };
    conn.apply_strm(
        &mut Cursor::new(replay),
        None::<fn(&str) -> bool>,
        |_: ConflictType, _| ConflictAction::SQLITE_CHANGESET_ABORT,
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationAborted) => Error::Conflict(format!(
            "「{}」を{}ことができません。ファイルの内容が履歴と一致しません（何も変更していません）。",
            step.action,
            match direction {
                Direction::Undo => "元に戻す",
                Direction::Redo => "やり直す",
            }
        )),
        _ => Error::from(e),
    })?;
    let state = match direction {
        Direction::Undo => "undone",
        Direction::Redo => "done",
    };
    conn.execute(
        "UPDATE change_set SET state = ?2 WHERE id = ?1",
        params![step.id, state],
    )?;
    Ok(step)
}

/// Change sets, newest first: of one plan (by id) or of the whole file.
pub(crate) fn list(
    conn: &Connection,
    plan_id: Option<i64>,
    limit: usize,
) -> Result<Vec<ChangeSet>> {
    let mut sets: Vec<ChangeSet> = conn
        .prepare_cached(
            "SELECT id, ward, fiscal_year, at, action, scope, state, changeset IS NOT NULL FROM change_set
             WHERE ?1 IS NULL OR plan_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?
        .query_map(params![plan_id, limit as i64], |r| {
            Ok(ChangeSet {
                id: r.get(0)?,
                ward: r.get(1)?,
                fiscal_year: r.get(2)?,
                at: r.get(3)?,
                action: r.get(4)?,
                scope: StepScope::from_code(&r.get::<_, String>(5)?),
                undone: r.get::<_, String>(6)? == "undone",
                replayable: r.get(7)?,
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

/// Changesets are stored deflated: a plan's rows are mostly Japanese text,
/// which shrinks to about a quarter, and an import's changeset holds them all.
fn compress(changeset: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(changeset).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn decompress(stored: &[u8]) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut changeset = Vec::new();
    flate2::read::DeflateDecoder::new(stored)
        .read_to_end(&mut changeset)
        .map_err(|_| {
            Error::Conflict(
                "履歴の記録が壊れているため、元に戻せません（何も変更していません）。".into(),
            )
        })?;
    Ok(changeset)
}

fn now() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
