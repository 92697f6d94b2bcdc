//! What the window holds: the open Hoshin file, or why it could not be opened.

use std::path::PathBuf;
use std::sync::Mutex;

use hoshin_core::{Error, Store};

pub struct AppState {
    pub file: Mutex<OpenFile>,
}

pub struct OpenFile {
    pub path: PathBuf,
    /// The open store, or the Japanese message that says why it is not open.
    pub store: Result<Store, String>,
}

/// The per-user data file: e.g. ~/.local/share/hoshin/plans.hoshin on Linux,
/// %APPDATA%\hoshin\data\plans.hoshin on Windows.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "hoshin")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("plans.hoshin")
}

impl AppState {
    pub fn open(path: PathBuf) -> AppState {
        AppState {
            file: Mutex::new(OpenFile::open(path)),
        }
    }
}

impl OpenFile {
    /// Opens a file; a new one is filled with the demo plan so a first start
    /// shows something real.
    pub fn open(path: PathBuf) -> OpenFile {
        let store = open_seeded(&path).map_err(|e| e.to_string());
        if store.is_ok() {
            crate::recent::remember(&path);
        }
        OpenFile { path, store }
    }
}

pub fn open_seeded(path: &std::path::Path) -> Result<Store, Error> {
    let is_new = std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(true);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut store = Store::open(path)?;
    if is_new && store.list_plans()?.is_empty() {
        let demo = hoshin_core::demo_plan();
        store.import_plan(&demo, false, "デモ計画を読み込み")?;
        // The starting point of a new file; Ctrl+Z must not empty it.
        store.seal_history(&demo.ward, demo.fiscal_year)?;
    }
    Ok(store)
}
