//! Recently opened Hoshin files: our own list for the 「ファイル」 menu (a small
//! JSON list beside the default data file; losing it loses nothing of the
//! plans), and the platform's list (GTK's recently-used.xbel on Linux, the
//! Recent Items and the taskbar's jump list on Windows).

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};

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

/// Puts `path` first in both lists. Failing to write a list is not worth an error.
pub fn remember<R: Runtime>(app: &AppHandle<R>, path: &Path) {
    // Absolute, not canonical: canonicalize gives \\?\C:\… on Windows.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    log::info!("開きました: {}", path.display());
    tell_the_platform(app, &path);
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

#[cfg(target_os = "linux")]
fn tell_the_platform<R: Runtime>(app: &AppHandle<R>, path: &Path) {
    let Ok(uri) = tauri::Url::from_file_path(path) else {
        return;
    };
    // GTK objects belong to the main thread.
    let _ = app.run_on_main_thread(move || {
        use gtk::prelude::RecentManagerExt;
        if let Some(manager) = gtk::RecentManager::default() {
            manager.add_item(uri.as_str());
        }
    });
}

#[cfg(windows)]
fn tell_the_platform<R: Runtime>(_app: &AppHandle<R>, path: &Path) {
    use std::os::windows::ffi::OsStrExt;
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
    // SAFETY: a NUL-terminated UTF-16 path that lives for the call.
    unsafe {
        windows::Win32::UI::Shell::SHAddToRecentDocs(
            windows::Win32::UI::Shell::SHARD_PATHW.0 as u32,
            Some(wide.as_ptr().cast()),
        );
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
fn tell_the_platform<R: Runtime>(_app: &AppHandle<R>, _path: &Path) {}
