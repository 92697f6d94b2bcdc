//! Recently opened Hoshin files, newest first, kept beside the default data
//! file (a small JSON list; losing it loses nothing of the plans).

use std::path::{Path, PathBuf};

const KEEP: usize = 8;

fn list_path() -> PathBuf {
    crate::state::default_db_path().with_file_name("recent.json")
}

pub fn load() -> Vec<String> {
    std::fs::read_to_string(list_path())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Puts `path` first. Failing to write the list is not worth an error.
pub fn remember(path: &Path) {
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let path = path.display().to_string();
    let mut list = load();
    list.retain(|p| *p != path);
    list.insert(0, path);
    list.truncate(KEEP);
    if let Ok(text) = serde_json::to_string_pretty(&list) {
        let target = list_path();
        if let Some(dir) = target.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = std::fs::write(target, text);
    }
}
