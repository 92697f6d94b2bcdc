//! The core's errors. Every message is Japanese and says what and where,
//! because it reaches a planning officer unchanged (UI dialog or CLI stderr).

use std::path::PathBuf;

/// One rule broken at one place, e.g.
/// 「具体的取組 5-1-2 の 6予算額: 数値を入力してください（入力値: "abc"）」.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Violation {
    /// 「具体的取組 5-1-2 の 6予算額」
    pub place: String,
    /// 「数値を入力してください」
    pub message: String,
    /// What was typed or read, when there was a value.
    pub input: Option<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.message)?;
        if let Some(input) = &self.input {
            write!(f, "（入力値: \"{input}\"）")?;
        }
        Ok(())
    }
}

fn list(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", list(.0))]
    Invalid(Vec<Violation>),
    #[error("「{}」は Hoshin のデータファイルではありません。開けるのは Hoshin で作成したファイル（.hoshin / .sqlite）です。", .0.display())]
    NotHoshinFile(PathBuf),
    #[error("「{}」は新しい版の Hoshin で作成されています（ファイルの版 {found}、この Hoshin は版 {supported} まで）。Hoshin を更新してから開いてください。ファイルは変更していません。", .path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("「{}」は壊れています（整合性検査: {detail}）。ファイルは変更していません。バックアップから復元してください。", .path.display())]
    Damaged { path: PathBuf, detail: String },
    #[error("{ward} {year_label}の計画はすでにあります。置き換える場合は --replace を指定してください（何も変更していません）。")]
    PlanExists { ward: String, year_label: String },
    #[error("{ward} {year_label}の計画が見つかりません。")]
    PlanNotFound { ward: String, year_label: String },
    #[error("別のウィンドウまたはプログラムがこのファイルに書き込み中です。しばらく待ってからもう一度お試しください（変更は保存されていません）。")]
    Busy,
    #[error("JSON を読めません（{line}行目 {column}文字目）: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("ファイル「{}」を読み書きできません: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    #[error("データベースの操作に失敗しました: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            _ => Error::Sqlite(e),
        }
    }
}

impl Error {
    pub fn invalid(
        place: impl Into<String>,
        message: impl Into<String>,
        input: Option<&str>,
    ) -> Error {
        Error::Invalid(vec![Violation {
            place: place.into(),
            message: message.into(),
            input: input.map(str::to_string),
        }])
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
