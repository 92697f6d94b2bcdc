//! Schema versions. Version 1 stored a plan as rows rewritten on every edit
//! and its history as two whole copies per change; version 2 (schema_v2.sql
//! plus the hook below) keeps stable ids, rows updated in place, history by
//! change and images once. The file is copied before any migration runs.

use rusqlite::{params, Transaction};
use rusqlite_migration::{HookError, Migrations, M};

use super::images;

pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up_with_hook(include_str!("schema_v2.sql"), finish_v2),
    ])
}

/// The newest schema version this build reads and writes.
pub fn schema_version() -> i64 {
    2
}

/// What version 1's history becomes: listed, no longer undoable.
pub const CONDENSED_HISTORY: &str =
    "以前の履歴は一覧にのみ残ります（ファイル形式の更新のため、それより前の変更は元に戻せません）";

/// The part of migration 2 that SQL cannot do: images by SHA-256, then the
/// last old tables go, and each plan's history says it was condensed.
fn finish_v2(tx: &Transaction) -> Result<(), HookError> {
    let mut photos = tx.prepare(
        "SELECT n.plan_id, p.initiative_id, p.position, p.caption, p.media_type, p.data
         FROM v1_photo p JOIN initiative n ON n.id = p.initiative_id ORDER BY p.initiative_id, p.position",
    )?;
    let mut rows = photos.query([])?;
    while let Some(row) = rows.next()? {
        let image: (Option<String>, Option<Vec<u8>>) = (row.get(4)?, row.get(5)?);
        let hash = match image {
            (Some(media_type), Some(data)) => Some(
                images::put(tx, &media_type, &data).map_err(|e| HookError::Hook(e.to_string()))?,
            ),
            _ => None,
        };
        tx.execute(
            "INSERT INTO photo (plan_id, initiative_id, uid, position, caption, image_hash)
             VALUES (?1, ?2, lower(hex(randomblob(16))), ?3, ?4, ?5)",
            params![
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, String>(3)?,
                hash
            ],
        )?;
    }
    drop(rows);
    drop(photos);
    tx.execute_batch(
        "DROP TABLE v1_photo;
         DROP TABLE v1_initiative;
         DROP TABLE v1_strategy;
         DROP TABLE v1_issue;
         DROP TABLE v1_plan;",
    )?;
    tx.execute(
        "INSERT INTO change_set (plan_id, ward, fiscal_year, at, action, scope, state, changeset)
         SELECT id, ward, fiscal_year, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, 'edit', 'done', NULL
         FROM plan WHERE id IN (SELECT plan_id FROM change_set)",
        [CONDENSED_HISTORY],
    )?;
    Ok(())
}
