//! What the window holds: the path of the open Hoshin file (or why it could
//! not be opened). This is the file's one owner in the app: every command
//! reaches the file through [`OpenFile::store`], which opens it for that
//! command only. No connection stays open between commands, so no lock can
//! be lost while a native dialog looks into the folder, and a second program
//! reading the file (the CLI) can never take an edit away.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hoshin_core::{Error, Store};
use tauri::{AppHandle, Runtime};

pub struct AppState {
    pub file: Mutex<OpenFile>,
}

pub struct OpenFile {
    pub path: PathBuf,
    /// Why the file could not be opened (Japanese), if it could not.
    pub problem: Option<String>,
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
    pub fn open<R: Runtime>(app: &AppHandle<R>, path: PathBuf) -> AppState {
        AppState {
            file: Mutex::new(OpenFile::open(app, path)),
        }
    }
}

impl OpenFile {
    /// Opens (and checks) a file; a new one is filled with the demo plan so a
    /// first start shows something real.
    pub fn open<R: Runtime>(app: &AppHandle<R>, path: PathBuf) -> OpenFile {
        let problem = open_seeded(&path).err().map(|e| e.to_string());
        match &problem {
            None => crate::recent::remember(app, &path),
            Some(message) => log::warn!("開けません: {}: {message}", path.display()),
        }
        OpenFile { path, problem }
    }

    /// The file for one command, closed again when the command is done.
    pub fn store(&self) -> Result<Store, Error> {
        match &self.problem {
            Some(problem) => Err(Error::Refused(problem.clone())),
            None => Store::reopen(&self.path),
        }
    }

    /// Whether `other` names the open file or its -wal/-shm (also through
    /// another spelling of its path, a link, or a name differing in case).
    pub fn is(&self, other: &Path) -> bool {
        hoshin_core::output::check_target(other, &self.path).is_err()
    }
}

pub fn open_seeded(path: &Path) -> Result<Store, Error> {
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
