//! Files Hoshin writes for the planner (JSON, charts, PDFs, workbooks,
//! copies of the file): never over the open Hoshin file, never half a file.
//!
//! Every output goes through [`write_file`] (or [`replace_with`]): the
//! target is checked against the database, the bytes go to a temporary file
//! in the target's folder, which is synced and then renamed over the target.
//! A failure removes the temporary file and leaves an earlier target as it
//! was.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{io_reason, Error, Result};

/// The files SQLite keeps for a database at `path`.
fn database_files(database: &Path) -> Vec<PathBuf> {
    let mut files = vec![database.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = database.as_os_str().to_os_string();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// The path as the file system resolves it: links followed, `..` gone.
/// A file that does not exist yet is its folder's resolved path plus its name.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(real) = std::fs::canonicalize(path) {
        return Some(real);
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(folder).ok()?.join(path.file_name()?))
}

/// Refuses `target` when it is the Hoshin file `database`, its -wal, -shm or
/// -journal, or resolves to one of them: another spelling of the path, a
/// symbolic or hard link (same file identity), or a name differing only in
/// case (Windows and macOS folders ignore case). (The rename in
/// [`replace_with`] would replace a link rather than write through it; a
/// link to the database is refused all the same, as the planner surely
/// meant another file.)
pub fn check_target(target: &Path, database: &Path) -> Result<()> {
    let refuse = || Error::OutputIsDatabase(target.to_path_buf());
    let candidates = database_files(database);
    if target.exists()
        && candidates
            .iter()
            .any(|c| same_file::is_same_file(target, c).unwrap_or(false))
    {
        return Err(refuse());
    }
    let (Some(target), Some(database)) = (resolved(target), resolved(database)) else {
        return Ok(());
    };
    let folded = |p: &Path| p.to_string_lossy().to_lowercase();
    if database_files(&database)
        .iter()
        .any(|c| folded(c) == folded(&target))
    {
        return Err(refuse());
    }
    Ok(())
}

/// Writes `bytes` to `target` atomically, after [`check_target`].
pub fn write_file(target: &Path, bytes: &[u8], database: &Path) -> Result<()> {
    replace_with(target, database, |file, _| {
        file.write_all(bytes).map_err(|e| cannot_write(target, &e))
    })
}

/// Lets `write` fill a temporary file next to `target` (through the open
/// file or by its path), then syncs it and renames it over `target`.
pub fn replace_with(
    target: &Path,
    database: &Path,
    write: impl FnOnce(&mut std::fs::File, &Path) -> Result<()>,
) -> Result<()> {
    check_target(target, database)?;
    if target.is_dir() {
        return Err(Error::Refused(format!(
            "「{}」はフォルダです。書き出すファイルの名前を指定してください。",
            target.display()
        )));
    }
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Like a plain write: readable by others unless the umask says no.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // Dropping `temp` on any error below removes the temporary file.
    let mut temp = builder
        .tempfile_in(folder)
        .map_err(|e| cannot_write(target, &e))?;
    let temp_path = temp.path().to_path_buf();
    write(temp.as_file_mut(), &temp_path)?;
    temp.as_file()
        .sync_all()
        .map_err(|e| cannot_write(target, &e))?;
    temp.persist(target)
        .map_err(|e| cannot_write(target, &e.error))?;
    // The rename itself survives a power cut once the folder is synced.
    #[cfg(unix)]
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn cannot_write(target: &Path, e: &std::io::Error) -> Error {
    Error::Refused(format!(
        "ファイル「{}」に書き込めません（{}）。ほかのプログラム（Excel など）で開いている場合は閉じてから、もう一度お試しください。前に書き出したファイルはそのまま残っています。",
        target.display(),
        io_reason(e)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_its_companions_are_refused_by_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plans.hoshin");
        std::fs::write(&db, "db").unwrap();
        let refused =
            |target: &Path| matches!(check_target(target, &db), Err(Error::OutputIsDatabase(_)));
        assert!(refused(&db));
        assert!(refused(&dir.path().join("plans.hoshin-wal")));
        assert!(refused(&dir.path().join("plans.hoshin-shm")));
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(refused(&dir.path().join("sub/../plans.hoshin")));
        assert!(refused(&dir.path().join("./PLANS.HOSHIN")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(refused(&link));
        }
        let hard = dir.path().join("hard.json");
        std::fs::hard_link(&db, &hard).unwrap();
        assert!(refused(&hard));
        assert!(!refused(&dir.path().join("plans.json")));
        assert!(!refused(&dir.path().join("plans.hoshin.json")));
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("plans.hoshin");
        let target = dir.path().join("out.json");
        write_file(&target, b"good", &db).unwrap();
        let err = replace_with(&target, &db, |file, _| {
            file.write_all(b"half").unwrap();
            Err(Error::Refused("ディスクがいっぱい".into()))
        })
        .unwrap_err();
        assert!(err.to_string().contains("ディスクがいっぱい"));
        assert_eq!(std::fs::read(&target).unwrap(), b"good");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.json")]);
    }
}
