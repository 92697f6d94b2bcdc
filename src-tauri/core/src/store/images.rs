//! Image bytes, stored once per content (SHA-256) and referred to by hash
//! from photos and from the history, so an edit, an undo step or a rollover
//! copy never stores a photo again.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The largest image a photo may hold. Larger ones are refused with a
/// message that asks for a smaller copy.
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;

/// Why `bytes` are not the image `media_type` says (PNG or JPEG), if they
/// are not: a file only named .png, a JPEG declared as PNG, a cut-off file.
/// `name` is how the message names the photo (写真「…」).
pub(crate) fn kind_problem(name: &str, media_type: &str, bytes: &[u8]) -> Option<String> {
    use imagesize::ImageType;
    let kind = match imagesize::image_type(bytes) {
        Ok(ImageType::Png) => "image/png",
        Ok(ImageType::Jpeg) => "image/jpeg",
        _ => "",
    };
    // The header must also give a size: a signature alone is no image.
    if kind.is_empty() || imagesize::blob_size(bytes).is_err() {
        return Some(format!(
            "{name}は PNG・JPEG の画像ではありません。画像ファイル（.png・.jpg）を選んでください"
        ));
    }
    (kind != media_type).then(|| {
        let label = |t: &str| t.trim_start_matches("image/").to_uppercase();
        format!(
            "{name}は {} の画像ですが、形式（media_type）が {media_type} になっています",
            label(kind)
        )
    })
}

pub(crate) fn hash_of(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores `bytes` (if not stored yet) and returns their hash.
pub(crate) fn put(conn: &Connection, media_type: &str, bytes: &[u8]) -> Result<String> {
    let hash = hash_of(bytes);
    conn.prepare_cached(
        "INSERT OR IGNORE INTO image (hash, media_type, data) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![hash, media_type, bytes])?;
    Ok(hash)
}

pub(crate) fn bytes(conn: &Connection, hash: &str) -> Result<Vec<u8>> {
    conn.prepare_cached("SELECT data FROM image WHERE hash = ?1")?
        .query_row([hash], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::Refused(format!("写真の画像（{hash}）がファイルにありません。")))
}

/// Removes images that no photo and no replayable change set refers to.
pub(crate) fn collect_garbage(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM image WHERE hash NOT IN (SELECT image_hash FROM photo WHERE image_hash IS NOT NULL)
         AND hash NOT IN (SELECT i.hash FROM change_set_image i JOIN change_set c ON c.id = i.change_set_id
                          WHERE c.changeset IS NOT NULL)",
        params![],
    )?)
}

/// A photo's image by the photo's stable id: (media type, bytes).
pub(crate) fn of_photo(
    conn: &Connection,
    plan_id: i64,
    photo_uid: &str,
) -> Result<Option<(String, Vec<u8>)>> {
    Ok(conn
        .prepare_cached(
            "SELECT i.media_type, i.data FROM photo p JOIN image i ON i.hash = p.image_hash
             WHERE p.plan_id = ?1 AND p.uid = ?2",
        )?
        .query_row(params![plan_id, photo_uid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}
