//! `hoshin` with no subcommand opens the window; with one it runs headless.
//! Each subcommand is a few lines over the core. Errors go to stderr in
//! Japanese and the exit code is 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use hoshin_core::wareki::{long_label, parse_label, Digits};
use hoshin_core::{json, Error, Store};

#[derive(Parser)]
#[command(
    name = "hoshin",
    version,
    about = "Hoshin — 区運営方針の作成・管理（引数なしでウィンドウを開きます）",
    long_about = None
)]
struct Cli {
    /// 開く Hoshin ファイル（既定: ユーザーのデータフォルダの plans.hoshin）
    #[arg(long, env = "HOSHIN_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Args)]
struct DbArg {
    /// Hoshin ファイル（SQLite）
    #[arg(long, env = "HOSHIN_DB")]
    db: PathBuf,
}

#[derive(Args)]
struct PlanArg {
    /// 区名（例: 阿倍野区）
    #[arg(long)]
    ward: String,
    /// 年度（2024、令和6年度、R6 のいずれでも）
    #[arg(long, value_parser = parse_year)]
    year: i32,
}

#[derive(Subcommand)]
enum Command {
    /// JSON（交換形式）の計画を取り込む
    ImportJson {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// 同じ区・年度の計画があれば置き換える
        #[arg(long)]
        replace: bool,
    },
    /// 計画を JSON（交換形式）で書き出す
    ExportJson {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
        #[arg(long)]
        out: PathBuf,
    },
    /// ファイル内の計画の一覧
    Plans {
        #[command(flatten)]
        db: DbArg,
    },
    /// 最近の変更履歴
    History {
        #[command(flatten)]
        db: DbArg,
        /// 表示する件数
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// 直前の変更を元に戻す
    Undo {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
    },
    /// 元に戻した変更をやり直す
    Redo {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
    },
    /// 次年度の計画を作成する（元の年度は変更しない）
    Rollover {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        ward: String,
        /// 元にする年度
        #[arg(long, value_parser = parse_year)]
        from: i32,
    },
}

fn parse_year(text: &str) -> Result<i32, String> {
    parse_label(text).ok_or_else(|| format!("年度を読めません: {text}（例: 2024、令和6年度、R6）"))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => crate::run_gui(cli.db.unwrap_or_else(default_db_path)),
        Some(command) => run(command).map_err(|e| e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("エラー: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The per-user data file: e.g. ~/.local/share/hoshin/plans.hoshin on Linux,
/// %APPDATA%\hoshin\data\plans.hoshin on Windows.
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("", "", "hoshin")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
        .join("plans.hoshin")
}

fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn write_text(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

fn run(command: Command) -> Result<(), Error> {
    match command {
        Command::ImportJson { file, db, replace } => {
            let plan = json::parse_plan(&read_text(&file)?)?;
            let mut store = Store::open(&db.db)?;
            let action = format!("JSON を取り込み（{}）", file.display());
            store.import_plan(&plan, replace, &action)?;
            println!(
                "{} {} を取り込みました（経営課題 {} 件）",
                plan.ward,
                long_label(plan.fiscal_year, Digits::Half),
                plan.issues.len()
            );
        }
        Command::ExportJson { db, plan, out } => {
            let store = Store::open(&db.db)?;
            let plan = store.load_plan(&plan.ward, plan.year)?;
            write_text(&out, &json::to_json(&plan))?;
            println!("{} に書き出しました", out.display());
        }
        Command::Plans { db } => {
            for p in Store::open(&db.db)?.list_plans()? {
                let stage = p.stage.map_or("", |s| s.label());
                println!(
                    "{}\t{}\t{}\t経営課題 {} 件",
                    p.ward, p.year_label, stage, p.issue_count
                );
            }
        }
        Command::History { db, limit } => {
            for set in Store::open(&db.db)?.history(limit)? {
                let undone = if set.undone {
                    "（取り消し済み）"
                } else {
                    ""
                };
                println!(
                    "{}\t{} {}\t{}{}",
                    set.at,
                    set.ward,
                    long_label(set.fiscal_year, Digits::Half),
                    set.action,
                    undone
                );
                for c in set.changes {
                    let show = |v: Option<String>| v.unwrap_or_else(|| "－".into());
                    println!(
                        "\t{} {}: {} → {}",
                        c.entity,
                        c.field,
                        show(c.old),
                        show(c.new)
                    );
                }
            }
        }
        Command::Undo { db, plan } => {
            Store::open(&db.db)?.undo(&plan.ward, plan.year)?;
            println!("元に戻しました");
        }
        Command::Redo { db, plan } => {
            Store::open(&db.db)?.redo(&plan.ward, plan.year)?;
            println!("やり直しました");
        }
        Command::Rollover { db, ward, from } => {
            let next = Store::open(&db.db)?.rollover(&ward, from)?;
            println!(
                "{} {} を {} から作成しました",
                ward,
                long_label(next.fiscal_year, Digits::Half),
                long_label(from, Digits::Half)
            );
        }
    }
    Ok(())
}
