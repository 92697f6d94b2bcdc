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
    #[error("{ward} {year_label}の計画はすでにあります（何も変更していません）。")]
    PlanExists { ward: String, year_label: String },
    #[error("{ward} {year_label}の計画はすでにあります。次年度の計画は作成済みのため、何も変更していません。")]
    NextYearExists { ward: String, year_label: String },
    #[error("{ward} {year_label}の計画が見つかりません。")]
    PlanNotFound { ward: String, year_label: String },
    /// A node or row addressed by id is gone (deleted meanwhile).
    #[error("{0}")]
    NodeNotFound(String),
    /// Undo or redo with nothing (replayable) to do.
    #[error("{0}")]
    NothingToUndo(String),
    /// The file is not as the action expected (history changed, rows differ).
    #[error("{0}")]
    Conflict(String),
    #[error("別のウィンドウまたはプログラムがこのファイルに書き込み中です。しばらく待ってからもう一度お試しください（変更は保存されていません）。")]
    Busy,
    #[error("JSON を読めません（{line}行目 {column}文字目）: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("ファイル「{}」を読み書きできません（{}）。", .path.display(), io_reason(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Refused(String),
    #[error("「{}」は開いている Hoshin のファイル（またはその作業用ファイル）です。上書きするとすべての計画と履歴が失われるため、書き出しませんでした。別のファイル名を指定してください。", .0.display())]
    OutputIsDatabase(PathBuf),
    #[error("「{}」を開けません。フォルダ「{}」に書き込めないためです（Hoshin はファイルと同じフォルダに作業用のファイルを作ります）。書き込みのできるフォルダにファイルをコピーしてから開いてください。ファイルは変更していません。", .path.display(), .folder.display())]
    FolderNotWritable { path: PathBuf, folder: PathBuf },
    #[error("ファイルが読み取り専用のため保存できませんでした（変更は保存されていません）。ファイルのプロパティで「読み取り専用」を外すか、書き込みのできるフォルダにコピーしてから開いてください。")]
    ReadOnly,
    #[error("ディスクの空きが足りないため保存できませんでした（変更は保存されていません）。不要なファイルを削除して空きを作ってから、もう一度お試しください。")]
    DiskFull,
    #[error("ファイルが壊れているため読み書きできません（変更は保存されていません）。Hoshin を閉じ、バックアップから復元してください。")]
    Corrupt,
    #[error("データベースの操作に失敗しました（{}）。Hoshin を開き直してもう一度お試しください。繰り返す場合はファイルのバックアップを取ってから担当者に連絡してください。", sqlite_reason(.0))]
    Sqlite(rusqlite::Error),
}

/// Why a file operation failed, in Japanese (the OS text is English).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "ファイルかフォルダが見つかりません".into(),
        K::PermissionDenied => "アクセスの権限がありません".into(),
        K::AlreadyExists => "同じ名前のファイルがあります".into(),
        K::StorageFull => "ディスクの空きが足りません".into(),
        K::ReadOnlyFilesystem => "読み取り専用の場所です".into(),
        K::IsADirectory => "フォルダです".into(),
        K::NotADirectory => "途中にフォルダでないものがあります".into(),
        K::InvalidFilename => "ファイル名が長すぎるか、使えない文字があります".into(),
        K::ResourceBusy => "ほかのプログラムが使用中です".into(),
        K::InvalidData => "内容を読めません".into(),
        _ => format!("OS のエラー {}", e.raw_os_error().unwrap_or(0)),
    }
}

/// A short Japanese reason for an SQLite failure without a variant of its own.
fn sqlite_reason(e: &rusqlite::Error) -> String {
    use rusqlite::ffi::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::CannotOpen) => "ファイルを開けません".into(),
        Some(C::PermissionDenied) => "アクセスの権限がありません".into(),
        Some(C::SystemIoFailure) => "ディスクの読み書きに失敗しました".into(),
        Some(C::OutOfMemory) => "メモリが足りません".into(),
        Some(C::ConstraintViolation) => "保存できない値があります".into(),
        Some(code) => format!("SQLite のエラー {code:?}"),
        None => "内部のエラー".into(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ReadOnly) => Error::ReadOnly,
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Corrupt,
            _ => Error::Sqlite(e),
        }
    }
}

/// What kind of failure an error is, for callers that act on it (the window
/// offers 「置き換える」 for `PlanExists`, reloads on `NodeNotFound` …)
/// without reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input broke a rule; `violations` say where.
    Invalid,
    PlanExists,
    PlanNotFound,
    NodeNotFound,
    NothingToUndo,
    Conflict,
    /// Another program is writing the file; try again.
    Busy,
    NotHoshinFile,
    TooNew,
    Damaged,
    /// A file could not be read or written.
    Io,
    /// Refused for a reason the message gives.
    Refused,
    /// The database failed in a way the user cannot fix by retyping.
    Internal,
}

impl Error {
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) | Error::Json { .. } => ErrorCode::Invalid,
            Error::PlanExists { .. } | Error::NextYearExists { .. } => ErrorCode::PlanExists,
            Error::PlanNotFound { .. } => ErrorCode::PlanNotFound,
            Error::NodeNotFound(_) => ErrorCode::NodeNotFound,
            Error::NothingToUndo(_) => ErrorCode::NothingToUndo,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::Busy => ErrorCode::Busy,
            Error::NotHoshinFile(_) => ErrorCode::NotHoshinFile,
            Error::TooNew { .. } => ErrorCode::TooNew,
            Error::Damaged { .. } | Error::Corrupt => ErrorCode::Damaged,
            Error::Io { .. }
            | Error::FolderNotWritable { .. }
            | Error::ReadOnly
            | Error::DiskFull => ErrorCode::Io,
            Error::OutputIsDatabase(_) => ErrorCode::Refused,
            Error::Refused(_) => ErrorCode::Refused,
            Error::Sqlite(_) => ErrorCode::Internal,
        }
    }

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
