//! `hoshin-cli`: Hoshin without a window, for scripts, servers and the
//! Windows console. It links the core only (no Tauri, GTK or WebKit), so it
//! starts in milliseconds. Each subcommand is a few lines over the core.
//! Errors go to stderr in Japanese and the exit code is 1.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` for results: when the reader has gone (`hoshin-cli history |
/// head`, or `| more` closed on Windows) the program just ends, where
/// `println!` would panic with a backtrace.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

use clap::{Args, Parser, Subcommand};
use hoshin_core::chart::{self, ChartKind, ChartRequest};
use hoshin_core::reply::{self, Ask};
use hoshin_core::store::StepScope;
use hoshin_core::wareki::{long_label, parse_label, Digits};
use hoshin_core::xlsx::{self, Layout};
use hoshin_core::{json, output, Error, Store};

#[derive(Parser)]
#[command(
    name = "hoshin-cli",
    version,
    about = "Hoshin — 区運営方針の作成・管理（コマンドライン。ウィンドウは hoshin）",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// グラフを PNG（300 dpi）または SVG で書き出す
    Chart {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
        /// 経営課題・戦略・具体的取組の番号（例: 5、5-1、5-1-2）
        #[arg(long, default_value = "")]
        item: String,
        /// indicator（指標の推移）、budget（予算）、overview（達成状況）、share（予算の構成）
        #[arg(long, value_parser = parse_kind)]
        kind: ChartKind,
        /// 何番目の指標か（1から）
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
        index: u32,
        /// 出力ファイル（.png または .svg）
        #[arg(long)]
        out: PathBuf,
    },
    /// 区政会議資料（A4 横の PDF）を書き出す
    CouncilPack {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
        #[arg(long)]
        out: PathBuf,
    },
    /// 市の様式の Excel ブックを書き出す
    ExportXlsx {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
        /// jigyo-keikakusho（事業計画書）、unei-hoshin（運営方針）、data（集計用の表）
        #[arg(long, value_parser = parse_layout)]
        layout: Layout,
        #[arg(long)]
        out: PathBuf,
    },
    /// Excel ブック（Hoshin が書き出し、Excel で編集したもの）を取り込む
    ImportXlsx {
        file: PathBuf,
        /// jigyo-keikakusho または data
        #[arg(long, value_parser = parse_layout)]
        layout: Layout,
        #[command(flatten)]
        db: DbArg,
        /// 同じ区・年度の計画があれば置き換える
        #[arg(long)]
        replace: bool,
    },
    /// 担当課への照会ブック（回答用の Excel）を作る
    RequestXlsx {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        plan: PlanArg,
        /// 担当課（例: 市民協働課）
        #[arg(
            long,
            required_unless_present = "all_sections",
            conflicts_with = "all_sections"
        )]
        section: Option<String>,
        /// 担当課ごとに1つずつ、--out のフォルダに作る
        #[arg(long)]
        all_sections: bool,
        /// 記入してもらう項目（カンマ区切り）: activity-results, process-values, process-marks, settled-budget, budgets, summary, comment
        #[arg(long, value_delimiter = ',', value_parser = parse_ask)]
        ask: Vec<Ask>,
        /// 出力ファイル（--all-sections のときはフォルダ）
        #[arg(long)]
        out: PathBuf,
    },
    /// 担当課からの回答（照会ブックに記入したもの）を取り込む
    MergeXlsx {
        /// 回答の Excel ファイル（いくつでも）
        #[arg(required = true)]
        replies: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
        /// 取り込む内容を表示するだけで、ファイルは変更しない
        #[arg(long)]
        dry_run: bool,
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

fn parse_layout(text: &str) -> Result<Layout, String> {
    Layout::from_code(text)
        .ok_or_else(|| format!("様式を読めません: {text}（jigyo-keikakusho, unei-hoshin, data）"))
}

fn parse_ask(text: &str) -> Result<Ask, String> {
    Ask::from_code(text).ok_or_else(|| {
        let codes: Vec<&str> = Ask::ALL.iter().map(|a| a.code()).collect();
        format!("項目を読めません: {text}（{}）", codes.join(", "))
    })
}

fn parse_kind(text: &str) -> Result<ChartKind, String> {
    ChartKind::from_code(text).ok_or_else(|| {
        format!("グラフの種類を読めません: {text}（indicator, budget, overview, share）")
    })
}

fn parse_year(text: &str) -> Result<i32, String> {
    parse_label(text).ok_or_else(|| format!("年度を読めません: {text}（例: 2024、令和6年度、R6）"))
}

/// Exit code of a merge that left conflicts or refused edits to look at.
const LOOK_AT_IT: u8 = 3;

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(Done::Clean) => ExitCode::SUCCESS,
        Ok(Done::LookAtIt) => ExitCode::from(LOOK_AT_IT),
        Err(error) => {
            eprintln!("エラー: {error}");
            ExitCode::FAILURE
        }
    }
}

/// How a command ended when it did not fail.
enum Done {
    Clean,
    /// Done, with something the user should look at (exit code 3).
    LookAtIt,
}

/// Writes an output atomically, never over the Hoshin file `db`.
fn write_out(path: &Path, bytes: impl AsRef<[u8]>, db: &Path) -> Result<(), Error> {
    output::write_file(path, bytes.as_ref(), db)
}

/// 「2026年11月25日」 for the council pack's cover.
fn today_label() -> String {
    let today =
        time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    format!(
        "{}年{}月{}日",
        today.year(),
        u8::from(today.month()),
        today.day()
    )
}

/// What an undo (or redo) did to the plan as a whole, if anything.
fn whole_plan_note(scope: StepScope, undo: bool) -> &'static str {
    match (scope, undo) {
        (StepScope::CreatePlan, true) | (StepScope::DeletePlan, false) => {
            "（計画全体を削除しました）"
        }
        (StepScope::CreatePlan, false) | (StepScope::DeletePlan, true) => {
            "（計画全体を復元しました）"
        }
        (StepScope::ReplacePlan, _) => "（計画全体を置き換えました）",
        _ => "",
    }
}

/// Adds what to do on the command line to an "already exists" refusal.
fn with_replace_hint(e: Error) -> Error {
    match e {
        Error::PlanExists { .. } => Error::Refused(format!(
            "{e} 置き換える場合は --replace を指定してください。"
        )),
        other => other,
    }
}

fn run(command: Command) -> Result<Done, Error> {
    match command {
        Command::ImportJson { file, db, replace } => {
            let plan = json::read_plan_file(&file)?;
            let mut store = Store::open(&db.db)?;
            let action = format!("JSON を取り込み（{}）", file.display());
            store
                .import_plan(&plan, replace, &action)
                .map_err(with_replace_hint)?;
            say!(
                "{} {} を取り込みました（経営課題 {} 件）",
                plan.ward,
                long_label(plan.fiscal_year, Digits::Half),
                plan.issues.len()
            );
        }
        Command::ExportJson { db, plan, out } => {
            let store = Store::open(&db.db)?;
            let plan = store.load_plan(&plan.ward, plan.year)?;
            write_out(&out, json::to_json(&plan), &db.db)?;
            say!("{} に書き出しました", out.display());
        }
        Command::Plans { db } => {
            for p in Store::open(&db.db)?.list_plans()? {
                // A plan without a stage is being drawn up (策定), as the window shows it.
                let stage = p.stage.unwrap_or(hoshin_core::model::Stage::Plan).label();
                say!(
                    "{}\t{}\t{}\t経営課題 {} 件",
                    p.ward,
                    p.year_label,
                    stage,
                    p.issue_count
                );
            }
        }
        Command::History { db, limit } => {
            for set in Store::open(&db.db)?.history(limit)? {
                let undone = match (set.undone, set.replayable) {
                    (true, _) => "（取り消し済み）",
                    (false, false) => "（元に戻せません）",
                    (false, true) => "",
                };
                say!(
                    "{}\t{} {}\t{}{}",
                    set.at,
                    set.ward,
                    long_label(set.fiscal_year, Digits::Half),
                    set.action,
                    undone
                );
                for c in set.changes {
                    let show = |v: Option<String>| v.unwrap_or_else(|| "－".into());
                    say!(
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
            let step = Store::open(&db.db)?.undo(&plan.ward, plan.year)?;
            say!(
                "元に戻しました: {}{}",
                step.action,
                whole_plan_note(step.scope, true)
            );
        }
        Command::Redo { db, plan } => {
            let step = Store::open(&db.db)?.redo(&plan.ward, plan.year)?;
            say!(
                "やり直しました: {}{}",
                step.action,
                whole_plan_note(step.scope, false)
            );
        }
        Command::Chart {
            db,
            plan,
            item,
            kind,
            index,
            out,
        } => {
            let plan = Store::open(&db.db)?.load_plan(&plan.ward, plan.year)?;
            let request = ChartRequest {
                kind,
                item,
                index: index as usize - 1,
            };
            let is_svg = out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
            let bytes = if is_svg {
                chart::render_svg(&plan, &request)?.into_bytes()
            } else {
                chart::render_png(&plan, &request, 300)?
            };
            write_out(&out, bytes, &db.db)?;
            say!("{} に書き出しました", out.display());
        }
        Command::CouncilPack { db, plan, out } => {
            let plan = Store::open(&db.db)?.load_plan(&plan.ward, plan.year)?;
            write_out(
                &out,
                chart::council_pack_pdf(&plan, &today_label())?,
                &db.db,
            )?;
            say!("{} に書き出しました", out.display());
        }
        Command::ExportXlsx {
            db,
            plan,
            layout,
            out,
        } => {
            let plan = Store::open(&db.db)?.load_plan(&plan.ward, plan.year)?;
            xlsx::export_workbook(std::slice::from_ref(&plan), layout, &out, &db.db)?;
            say!("{} に書き出しました（{}）", out.display(), layout.label());
        }
        Command::ImportXlsx {
            file,
            layout,
            db,
            replace,
        } => {
            let mut store = Store::open(&db.db)?;
            let action = format!("Excel を取り込み（{}）", file.display());
            let plans = xlsx::import_into(&mut store, &file, layout, replace, &action)
                .map_err(with_replace_hint)?;
            for plan in &plans {
                say!(
                    "{} {} を取り込みました",
                    plan.ward,
                    long_label(plan.fiscal_year, Digits::Half)
                );
            }
        }
        Command::RequestXlsx {
            db,
            plan,
            section,
            all_sections: _,
            ask,
            out,
        } => {
            let plan = Store::open(&db.db)?.load_plan(&plan.ward, plan.year)?;
            let asks = if ask.is_empty() {
                Ask::DEFAULT.to_vec()
            } else {
                ask
            };
            let made_at = reply::now_label();
            match section {
                Some(section) => {
                    write_out(
                        &out,
                        xlsx::write_request(&plan, &section, &asks, &made_at)?,
                        &db.db,
                    )?;
                    say!("{} に書き出しました（担当課: {section}）", out.display());
                }
                None => {
                    if out.is_file() {
                        return Err(Error::Refused(format!(
                            "--all-sections のときは --out に照会ブックを作るフォルダを指定してください（{} はファイルです）。",
                            out.display()
                        )));
                    }
                    let files = xlsx::write_requests(&plan, &asks, &made_at)?;
                    std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
                    for (section, name, bytes) in files {
                        let path = out.join(name);
                        write_out(&path, bytes, &db.db)?;
                        say!("{} に書き出しました（担当課: {section}）", path.display());
                    }
                    let unassigned = reply::unassigned(&plan);
                    if unassigned > 0 {
                        say!("担当課が未設定の具体的取組 {unassigned} 件は、どの照会にも含まれていません。");
                    }
                }
            }
        }
        Command::MergeXlsx {
            replies,
            db,
            dry_run,
        } => {
            let replies = replies
                .iter()
                .map(|path| xlsx::read_reply_file(path))
                .collect::<Result<Vec<_>, Error>>()?;
            let mut store = Store::open(&db.db)?;
            let preview = reply::merge(&mut store, &replies, &[], dry_run)?;
            print!("{}", preview.text());
            if preview.needs_attention() {
                return Ok(Done::LookAtIt);
            }
        }
        Command::Rollover { db, ward, from } => {
            let next = Store::open(&db.db)?.rollover(&ward, from)?;
            say!(
                "{} {} を {} から作成しました",
                ward,
                long_label(next.fiscal_year, Digits::Half),
                long_label(from, Digits::Half)
            );
        }
    }
    Ok(Done::Clean)
}
