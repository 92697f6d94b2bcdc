//! The SQLite file: the user's document. Opening checks that the file is
//! ours and not from a newer Hoshin; before the first write to it in a process
//! (and before a migration) `PRAGMA quick_check` makes sure it is not damaged, so
//! nothing is ever written into a broken file, while reading (exports, the
//! plan list) costs no whole-file scan and still works on what is readable.
//! Migrations run only after a backup copy was taken. Every user action is
//! one `BEGIN IMMEDIATE` transaction that writes only the rows it changes and
//! records them, with the SQLite session extension, as one change set.

mod apply;
mod history;
mod images;
mod load;
mod migrate;
mod sync;
mod tree;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

pub use apply::Applied;
pub use history::{ChangeSet, FieldChange, HistoryStep, StepScope, UndoState};
pub use images::MAX_IMAGE_BYTES;
pub use migrate::{schema_version, CONDENSED_HISTORY};

use crate::edit::Edit;
use crate::error::{Error, Result};
use crate::model::{Plan, Stage};
use crate::validate::validate_plan;
use crate::wareki::{long_label, Digits};
use history::{Action, PlanKey};
use load::Images;
use sync::Writer;

/// 'HOSH' in the SQLite header's application_id field.
pub const APPLICATION_ID: i64 = 0x484F_5348;

/// How long a write waits for another process (window or CLI) to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A plan as the plan list shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PlanSummary {
    pub ward: String,
    pub fiscal_year: i32,
    /// 「令和6年度」
    pub year_label: String,
    pub stage: Option<Stage>,
    pub issue_count: u32,
}

/// An open Hoshin file.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (or creates) a Hoshin file. A file that is not ours, from a newer
    /// schema, or damaged is refused without being modified.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        let existing_version = inspect_existing(&path)?;
        let mut conn = Connection::open(&path).map_err(|e| open_error(&path, e))?;
        configure(&conn).map_err(|e| match e {
            Error::ReadOnly | Error::Sqlite(_) if !folder_is_writable(&folder_of(&path)) => {
                Error::FolderNotWritable {
                    folder: folder_of(&path),
                    path: path.clone(),
                }
            }
            other => other,
        })?;
        if existing_version > 0 && existing_version < schema_version() {
            check_sound(&conn, &path)?;
            backup_before_migration(&conn, &path, existing_version)?;
        }
        if let Err(e) = migrate(&mut conn) {
            // Another process created the same new file a moment before us:
            // its schema is ours, so use it (see `migrate`).
            let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if existing_version != 0 || version != schema_version() {
                return Err(e);
            }
            migrate(&mut conn)?;
        }
        Ok(Store { conn, path })
    }

    /// Opens again a file that [`Store::open`] opened earlier in this
    /// process, for one piece of work: only its header is read again. A
    /// program that keeps no connection between actions holds no lock that
    /// another part of the process could release by closing the file (POSIX
    /// advisory locks belong to the process), so a second program reading
    /// the file can never take the WAL from under it.
    pub fn reopen(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if !path.exists() {
            return Err(Error::Refused(format!(
                "ファイル {} が見つかりません（移動または削除されました）。「ファイルを開く」で開き直してください。",
                path.display()
            )));
        }
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // The header first: a file that is no longer ours is not written to.
        let header = |name: &str| conn.pragma_query_value(None, name, |r| r.get::<_, i64>(0));
        if header("application_id")? != APPLICATION_ID {
            return Err(Error::NotHoshinFile(path));
        }
        let version = header("user_version")?;
        if version != schema_version() {
            return Err(Error::TooNew {
                path,
                found: version,
                supported: schema_version(),
            });
        }
        configure(&conn)?;
        Ok(Store { conn, path })
    }

    /// A private database in memory, for tests and benchmarks.
    pub fn open_in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn list_plans(&self) -> Result<Vec<PlanSummary>> {
        self.reading(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT p.ward, p.fiscal_year, p.stage, (SELECT count(*) FROM issue i WHERE i.plan_id = p.id)
                 FROM plan p ORDER BY p.fiscal_year DESC, p.ward",
            )?;
            let rows = stmt.query_map([], |row| {
                let fiscal_year: i32 = row.get(1)?;
                let stage: Option<String> = row.get(2)?;
                Ok(PlanSummary {
                    ward: row.get(0)?,
                    fiscal_year,
                    year_label: long_label(fiscal_year, Digits::Half),
                    stage: stage.as_deref().and_then(Stage::from_code),
                    issue_count: row.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The whole plan, photos with their images.
    pub fn load_plan(&self, ward: &str, fiscal_year: i32) -> Result<Plan> {
        self.reading(|conn| load::load_plan(conn, ward, fiscal_year, Images::Embedded))?
            .ok_or_else(|| not_found(ward, fiscal_year))
    }

    /// The whole plan without photo images (their slots and captions stay):
    /// what the window shows; images come one by one from [`Store::photo`].
    pub fn load_plan_without_images(&self, ward: &str, fiscal_year: i32) -> Result<Plan> {
        self.reading(|conn| load::load_plan(conn, ward, fiscal_year, Images::Untouched))?
            .ok_or_else(|| not_found(ward, fiscal_year))
    }

    /// A photo's image: (media type, bytes), or None for an empty slot.
    pub fn photo(
        &self,
        ward: &str,
        fiscal_year: i32,
        photo_id: &str,
    ) -> Result<Option<(String, Vec<u8>)>> {
        let plan_id = load::plan_id(&self.conn, ward, fiscal_year)?
            .ok_or_else(|| not_found(ward, fiscal_year))?;
        images::of_photo(&self.conn, plan_id, photo_id)
    }

    /// Stores several plans in one transaction: all or nothing. Each plan
    /// is one change set of its own (undo is per plan). An existing plan is
    /// updated in place by identity (by place where the file has no ids),
    /// and only when `replace` is set.
    pub fn import_plans(&mut self, plans: &[Plan], replace: bool, action: &str) -> Result<()> {
        for plan in plans {
            validate_plan(plan)?;
        }
        self.write(|tx| {
            for plan in plans {
                store_plan(tx, plan, replace, action)?;
            }
            Ok(())
        })
    }

    /// Stores a whole plan (from JSON, xlsx or the demo). Without `replace`, a
    /// plan for the same ward and year is an error and nothing changes.
    pub fn import_plan(&mut self, plan: &Plan, replace: bool, action: &str) -> Result<()> {
        self.import_plans(std::slice::from_ref(plan), replace, action)
    }

    /// Changes a plan as a whole: `edit` gets the stored plan (images
    /// included) and may change anything but its ward and year; what differs
    /// afterwards is validated, written and recorded as one change set.
    /// Nodes `edit` adds without an id get one.
    pub fn update_plan(
        &mut self,
        ward: &str,
        fiscal_year: i32,
        action: &str,
        edit: impl FnOnce(&mut Plan) -> Result<()>,
    ) -> Result<Plan> {
        self.write(|tx| {
            let before = load::load_plan(tx, ward, fiscal_year, Images::Embedded)?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            let mut after = before.clone();
            edit(&mut after)?;
            after.clean_names();
            if (&after.ward, after.fiscal_year) != (&before.ward, before.fiscal_year) {
                return Err(Error::Refused(
                    "区名と年度はこの操作では変更できません。".into(),
                ));
            }
            after.renumber();
            crate::identity::assign_missing(&mut after);
            validate_plan(&after)?;
            let key = plan_key(tx, &after)?;
            recorded(tx, |conn| {
                let mut w = Writer::new(conn, key.id, Images::Embedded);
                w.plan(&before, &after, true)?;
                Ok(((), outcome(key, action, StepScope::Edit, w)))
            })?;
            Ok(after)
        })
    }

    /// Applies one edit from the window (see [`crate::edit`]): loads only
    /// the node it touches, writes only the rows that change.
    pub fn apply_edit(&mut self, ward: &str, fiscal_year: i32, edit: &Edit) -> Result<Applied> {
        self.write(|tx| {
            let plan_id = load::plan_id(tx, ward, fiscal_year)?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            let key = PlanKey {
                id: plan_id,
                ward: ward.to_string(),
                fiscal_year,
            };
            recorded(tx, |conn| {
                let mut run = apply::Run::new(conn, plan_id, fiscal_year);
                let place = run.apply(edit)?;
                let label = crate::edit::describe(edit, &place);
                let (applied, w) = run.finish();
                Ok((applied, outcome(key, &label, StepScope::Edit, w)))
            })
        })
    }

    /// What the planner should confirm before `edit` is saved (Japanese, one
    /// line each), e.g. a budget cell over 100億円; empty when nothing is unusual.
    pub fn edit_warnings(&self, ward: &str, fiscal_year: i32, edit: &Edit) -> Result<Vec<String>> {
        let plan_id = load::plan_id(&self.conn, ward, fiscal_year)?
            .ok_or_else(|| not_found(ward, fiscal_year))?;
        let mut warnings = Vec::new();
        apply::warnings(&self.conn, plan_id, edit, &mut warnings)?;
        Ok(warnings)
    }

    /// Deletes a plan (one undoable step).
    pub fn delete_plan(&mut self, ward: &str, fiscal_year: i32) -> Result<()> {
        self.write(|tx| {
            let plan = load::load_plan(tx, ward, fiscal_year, Images::Untouched)?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            let key = plan_key(tx, &plan)?;
            let label = format!(
                "{} {}の計画を削除",
                ward,
                long_label(fiscal_year, Digits::Half)
            );
            recorded(tx, |conn| {
                let mut w = Writer::new(conn, key.id, Images::Untouched);
                w.delete_plan(&plan)?;
                Ok(((), outcome(key, &label, StepScope::DeletePlan, w)))
            })
        })
    }

    /// Gives a plan another ward name or year (one undoable step).
    pub fn rename_plan(
        &mut self,
        ward: &str,
        fiscal_year: i32,
        new_ward: &str,
        new_year: i32,
    ) -> Result<()> {
        let new_ward = crate::normalize::clean_text(new_ward).ok_or_else(|| {
            Error::invalid("区名", "入力してください（空欄にはできません）", None)
        })?;
        self.write(|tx| {
            let before = load::plan_id(tx, ward, fiscal_year)?
                .map(|id| load::plan_fields(tx, id))
                .transpose()?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            if (ward, fiscal_year) != (new_ward.as_str(), new_year)
                && load::plan_id(tx, &new_ward, new_year)?.is_some()
            {
                return Err(Error::PlanExists {
                    ward: new_ward.clone(),
                    year_label: long_label(new_year, Digits::Half),
                });
            }
            let mut after = before.clone();
            after.ward = new_ward.clone();
            after.fiscal_year = new_year;
            validate_plan(&after)?;
            let key = plan_key(tx, &before)?;
            let label = format!(
                "計画の名前を「{} {}」に変更",
                after.ward,
                long_label(new_year, Digits::Half)
            );
            recorded(tx, |conn| {
                let mut w = Writer::new(conn, key.id, Images::Untouched);
                w.plan(&before, &after, false)?;
                let key = PlanKey {
                    ward: after.ward.clone(),
                    fiscal_year: after.fiscal_year,
                    ..key
                };
                Ok(((), outcome(key, &label, StepScope::Edit, w)))
            })
        })
    }

    /// Takes back the plan's latest change and says which step that was.
    /// With `expected`, only that step is undone (the one the user confirmed).
    pub fn undo(&mut self, ward: &str, fiscal_year: i32) -> Result<HistoryStep> {
        self.step(ward, fiscal_year, history::Direction::Undo, None)
    }

    pub fn redo(&mut self, ward: &str, fiscal_year: i32) -> Result<HistoryStep> {
        self.step(ward, fiscal_year, history::Direction::Redo, None)
    }

    /// Undo of exactly the step `step_id` (the one the window described).
    pub fn undo_step(&mut self, ward: &str, fiscal_year: i32, step_id: i64) -> Result<HistoryStep> {
        self.step(ward, fiscal_year, history::Direction::Undo, Some(step_id))
    }

    /// Redo of exactly the step `step_id`.
    pub fn redo_step(&mut self, ward: &str, fiscal_year: i32, step_id: i64) -> Result<HistoryStep> {
        self.step(ward, fiscal_year, history::Direction::Redo, Some(step_id))
    }

    fn step(
        &mut self,
        ward: &str,
        fiscal_year: i32,
        direction: history::Direction,
        expected: Option<i64>,
    ) -> Result<HistoryStep> {
        self.write(|tx| {
            let key = history::plan_key(tx, ward, fiscal_year)?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            history::step(tx, key.id, direction, expected)
        })
    }

    /// Makes the plan's history so far permanent: it stays listed but can no
    /// longer be undone (e.g. the demo plan a new file starts with).
    pub fn seal_history(&mut self, ward: &str, fiscal_year: i32) -> Result<()> {
        self.write(|tx| {
            let key = history::plan_key(tx, ward, fiscal_year)?
                .ok_or_else(|| not_found(ward, fiscal_year))?;
            history::seal(tx, key.id)
        })
    }

    /// Recent change sets across all plans, newest first.
    pub fn history(&self, limit: usize) -> Result<Vec<ChangeSet>> {
        history::list(&self.conn, None, limit)
    }

    pub fn plan_history(
        &self,
        ward: &str,
        fiscal_year: i32,
        limit: usize,
    ) -> Result<Vec<ChangeSet>> {
        match history::plan_key(&self.conn, ward, fiscal_year)? {
            Some(key) => history::list(&self.conn, Some(key.id), limit),
            None => Ok(Vec::new()),
        }
    }

    /// What undo and redo would do next for a plan (None: nothing to do).
    pub fn undo_state(&self, ward: &str, fiscal_year: i32) -> Result<UndoState> {
        match history::plan_key(&self.conn, ward, fiscal_year)? {
            Some(key) => history::undo_state(&self.conn, key.id),
            None => Ok(UndoState::default()),
        }
    }

    /// Creates plan year `from + 1` from `from` (see [`crate::rollover`]).
    /// Year `from` is not changed; an existing next year is an error. The
    /// new plan keeps the ids of the nodes it copies; photos are shared.
    pub fn rollover(&mut self, ward: &str, from: i32) -> Result<Plan> {
        let source = self.load_plan(ward, from)?;
        let next = crate::rollover::next_year(&source);
        self.import_plan(
            &next,
            false,
            &format!("{}から次年度を作成", long_label(from, Digits::Half)),
        )
        .map_err(|e| match e {
            // import's advice (--replace) is not an option of rollover.
            Error::PlanExists { ward, year_label } => Error::NextYearExists { ward, year_label },
            other => other,
        })?;
        self.load_plan(ward, next.fiscal_year)
    }

    /// Writes a consistent copy of the whole file (save as, backups): to a
    /// temporary file beside `target`, renamed over it when complete, so an
    /// earlier copy survives a failure. The open file itself is refused.
    pub fn save_copy(&self, target: &Path) -> Result<()> {
        crate::output::replace_with(target, &self.path, |_, temp| {
            self.conn.backup(rusqlite::MAIN_DB, temp, None)?;
            Ok(())
        })
    }

    /// `PRAGMA integrity_check`, "ok" when the file is sound.
    pub fn integrity_check(&self) -> Result<String> {
        check(&self.conn, "integrity_check")
    }

    /// A read that runs into a damaged part of the file says so (the file is
    /// not checked as a whole when it is only read).
    fn reading<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| match e {
            Error::Corrupt => Error::Damaged {
                path: self.path.clone(),
                detail: CORRUPT_DETAIL.into(),
            },
            other => other,
        })
    }

    /// Every change goes through here. Before the first write to a file in
    /// this process, `quick_check`: a damaged file is refused before it is
    /// written to. (Once per process, not per `Store`: the window opens the
    /// file again for every action.)
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        if !sound_files().lock().is_ok_and(|s| s.contains(&self.path)) {
            check_sound(&self.conn, &self.path)?;
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// What an action did, ready to be recorded.
struct Outcome {
    action: Action,
}

fn outcome(plan: PlanKey, label: &str, scope: StepScope, w: Writer) -> Outcome {
    Outcome {
        action: Action {
            plan,
            label: label.to_string(),
            scope,
            changes: w.log,
            images: w.images_used,
        },
    }
}

/// Runs `f`, recording the rows it writes as one change set.
fn recorded<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<(T, Outcome)>,
) -> Result<T> {
    let mut session = history::start(conn)?;
    let (value, outcome) = f(conn)?;
    history::record(conn, &mut session, outcome.action)?;
    Ok(value)
}

fn plan_key(conn: &Connection, plan: &Plan) -> Result<PlanKey> {
    let id = load::plan_id(conn, &plan.ward, plan.fiscal_year)?
        .ok_or_else(|| not_found(&plan.ward, plan.fiscal_year))?;
    Ok(PlanKey {
        id,
        ward: plan.ward.clone(),
        fiscal_year: plan.fiscal_year,
    })
}

/// Saves an imported plan: a new one whole, an existing one (only when
/// `replace`) by difference, nodes matched by id or, lacking ids, by place.
fn store_plan(conn: &Connection, plan: &Plan, replace: bool, action: &str) -> Result<()> {
    let mut plan = plan.clone();
    plan.clean_names();
    match load::load_plan(conn, &plan.ward, plan.fiscal_year, Images::Embedded)? {
        None => {
            crate::identity::assign_missing(&mut plan);
            recorded(conn, |conn| {
                let w = Writer::insert_plan(conn, &plan)?;
                let key = plan_key(conn, &plan)?;
                Ok(((), outcome(key, action, StepScope::CreatePlan, w)))
            })
        }
        Some(_) if !replace => Err(Error::PlanExists {
            ward: plan.ward.clone(),
            year_label: long_label(plan.fiscal_year, Digits::Half),
        }),
        Some(old) => {
            crate::identity::adopt(&old, &mut plan);
            validate_plan(&plan)?;
            let key = plan_key(conn, &plan)?;
            recorded(conn, |conn| {
                let mut w = Writer::new(conn, key.id, Images::Embedded);
                w.plan(&old, &plan, true)?;
                Ok(((), outcome(key, action, StepScope::ReplacePlan, w)))
            })
        }
    }
}

fn not_found(ward: &str, fiscal_year: i32) -> Error {
    Error::PlanNotFound {
        ward: ward.to_string(),
        year_label: long_label(fiscal_year, Digits::Half),
    }
}

/// Brings the schema to the latest version, in one IMMEDIATE transaction,
/// so a second process creating the same file waits for the first and then
/// fails cleanly (`Store::open` then takes the file as it is).
fn migrate(conn: &mut Connection) -> Result<()> {
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    let migrated = migrate::migrations().to_latest(conn);
    conn.set_transaction_behavior(TransactionBehavior::Deferred);
    migrated.map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => Error::from(err),
        _ => Error::Refused(
            "ファイルの更新（マイグレーション）に失敗しました。ファイルは変更していません。".into(),
        ),
    })?;
    let id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if id != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // WAL with synchronous=FULL: a committed action survives power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

/// `PRAGMA integrity_check` or `quick_check`: "ok", or what is wrong.
fn check(conn: &Connection, pragma: &str) -> Result<String> {
    let rows: Vec<String> = conn
        .prepare(&format!("PRAGMA {pragma}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows.join("; "))
}

/// What SQLite's "malformed" means to a planner (`Error::from` turns it
/// into `Error::Corrupt`; here the file's path is known).
const CORRUPT_DETAIL: &str = "ファイルが途中で切れているか、中身が壊れています";

/// Files whose `quick_check` passed in this process.
fn sound_files() -> &'static Mutex<HashSet<PathBuf>> {
    static SOUND: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    SOUND.get_or_init(Default::default)
}

/// Refuses a damaged file. `quick_check` reads every page and checks the
/// b-tree structure (what writing relies on) in O(N); the full
/// `integrity_check` also matches every index against its table, O(N log N).
/// A file SQLite cannot even read as a database counts as damaged too.
fn check_sound(conn: &Connection, path: &Path) -> Result<()> {
    let damaged = |detail: String| Error::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    match check(conn, "quick_check") {
        Ok(result) if result == "ok" => {
            if let Ok(mut sound) = sound_files().lock() {
                sound.insert(path.to_path_buf());
            }
            Ok(())
        }
        Ok(result) => Err(damaged(result)),
        Err(Error::Corrupt) => Err(damaged(CORRUPT_DETAIL.into())),
        Err(other) => Err(other),
    }
}

/// Looks at an existing file read-only and returns its schema version (0 for
/// a new or empty file). Refuses foreign and newer files; reads only the
/// header and the schema, so opening costs the same for any file size.
fn inspect_existing(path: &Path) -> Result<i64> {
    let len = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io(path, e)),
    };
    if len == 0 {
        return Ok(0);
    }
    let not_ours = || Error::NotHoshinFile(path.to_path_buf());
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| open_error(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let header = |name: &str| {
        conn.pragma_query_value(None, name, |r| r.get::<_, i64>(0))
            .map_err(|e| open_error(path, e))
    };
    let application_id = header("application_id")?;
    let version = header("user_version")?;
    let table_count: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| open_error(path, e))?;
    if application_id != APPLICATION_ID {
        // A blank SQLite file is fine to adopt; one that another program
        // has marked (its id, a version, tables) is not, and stays unwritten.
        return if application_id == 0 && version == 0 && table_count == 0 {
            Ok(0)
        } else {
            Err(not_ours())
        };
    }
    if version > schema_version() {
        return Err(Error::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: schema_version(),
        });
    }
    Ok(version)
}

/// Whether the file starts with an SQLite header carrying Hoshin's application_id.
fn has_our_header(path: &Path) -> bool {
    let mut header = [0u8; 72];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .is_ok_and(|()| {
            header.starts_with(b"SQLite format 3\0")
                && header[68..72] == (APPLICATION_ID as u32).to_be_bytes()
        })
}

/// Why an existing file could not be opened, in the planner's words: a
/// folder Hoshin cannot write to (SQLite needs its -wal and -shm beside the
/// file), a damaged or cut-off file, or not an SQLite file at all.
fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode as C;
    let folder = folder_of(path);
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => Error::Busy,
        Some(C::CannotOpen | C::ReadOnly | C::PermissionDenied) if !folder_is_writable(&folder) => {
            Error::FolderNotWritable {
                path: path.to_path_buf(),
                folder,
            }
        }
        Some(C::CannotOpen | C::PermissionDenied) if std::fs::File::open(path).is_err() => {
            Error::io(path, std::fs::File::open(path).unwrap_err())
        }
        Some(C::ReadOnly) => Error::ReadOnly,
        // E.g. cut short by a copy: SQLite reads no page, but the header says whose it is.
        Some(C::DatabaseCorrupt | C::NotADatabase) if has_our_header(path) => Error::Damaged {
            path: path.to_path_buf(),
            detail: CORRUPT_DETAIL.into(),
        },
        Some(C::NotADatabase) => Error::NotHoshinFile(path.to_path_buf()),
        _ => Error::from(e),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether a file can be created in `folder` (tried, then removed).
fn folder_is_writable(folder: &Path) -> bool {
    tempfile::tempfile_in(folder).is_ok()
}

/// Copies the file to `<name>.v<old>-<timestamp>.bak` before a migration.
fn backup_before_migration(conn: &Connection, path: &Path, old_version: i64) -> Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".v{old_version}-{stamp}.bak"));
    let target = path.with_file_name(name);
    conn.backup(rusqlite::MAIN_DB, &target, None)?;
    Ok(target)
}

#[cfg(test)]
mod tests;
