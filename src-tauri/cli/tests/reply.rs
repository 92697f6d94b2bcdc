//! 照会・回答 with the real `hoshin-cli`: request workbooks filled in by
//! other programs — openpyxl (a section's script) and LibreOffice Calc
//! (through its Python bridge, values entered as typed) — merged back, the
//! file read back with `export-json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

const CLI: &str = env!("CARGO_BIN_EXE_hoshin-cli");
const WARD: &str = "阿倍野区";

fn hoshin(args: &[&str]) -> Output {
    Command::new(CLI)
        .args(args)
        .env_remove("HOSHIN_DB")
        .output()
        .expect("hoshin-cli runs")
}

/// Runs hoshin-cli, checks its exit code, returns stdout (or stderr on 1).
fn run(args: &[&str], code: i32) -> String {
    let out = hoshin(args);
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "hoshin-cli {args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    if code == 1 {
        stderr
    } else {
        stdout
    }
}

fn tool(dir: &Path, name: &str) -> PathBuf {
    let _ = dir;
    [env!("CARGO_MANIFEST_DIR"), "tests", "reply", name]
        .iter()
        .collect()
}

/// A file with the demo plan whose 取組 have 担当課: 5-1-1 and 5-1-2
/// 市民協働課, 5-2-1 窓口サービス課, 5-2-2 総務課 (`year` as given).
struct Office {
    dir: tempfile::TempDir,
    db: String,
}

impl Office {
    fn new(year: i32) -> Office {
        let dir = tempfile::tempdir().unwrap();
        let demo: PathBuf = [
            env!("CARGO_MANIFEST_DIR"),
            "..",
            "..",
            "assets",
            "demo",
            "abeno-2024-issue5.json",
        ]
        .iter()
        .collect();
        let mut plan: Value =
            serde_json::from_str(&std::fs::read_to_string(demo).unwrap()).unwrap();
        plan["fiscal_year"] = json!(year);
        let sections = ["市民協働課", "市民協働課", "窓口サービス課", "総務課"];
        let mut n = 0;
        for s in plan["issues"][0]["strategies"].as_array_mut().unwrap() {
            for it in s["initiatives"].as_array_mut().unwrap() {
                it["section"] = json!(sections[n]);
                n += 1;
            }
        }
        let office = Office {
            db: dir
                .path()
                .join("plans.hoshin")
                .to_str()
                .unwrap()
                .to_string(),
            dir,
        };
        let json = office.path("plan.json");
        std::fs::write(&json, plan.to_string()).unwrap();
        run(&["import-json", &json, "--db", &office.db], 0);
        office
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).to_str().unwrap().to_string()
    }

    /// The plan as the file holds it (with ids).
    fn plan(&self, year: i32) -> Value {
        let out = self.path("export.json");
        run(
            &[
                "export-json",
                "--db",
                &self.db,
                "--ward",
                WARD,
                "--year",
                &year.to_string(),
                "--out",
                &out,
            ],
            0,
        );
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
    }

    fn request(&self, section: &str) -> String {
        let out = self.path(&format!("照会_{section}.xlsx"));
        run(
            &[
                "request-xlsx",
                "--db",
                &self.db,
                "--ward",
                WARD,
                "--year",
                "2024",
                "--section",
                section,
                "--out",
                &out,
            ],
            0,
        );
        out
    }

    /// `request` filled in by `editor` (edit_openpyxl.py or edit_calc.py).
    fn fill(&self, request: &str, editor: &str, ops: &Value, name: &str) -> String {
        let ops_file = self.path(&format!("{name}.ops.json"));
        std::fs::write(&ops_file, ops.to_string()).unwrap();
        let out = self.path(name);
        let python = if editor == "edit_calc.py" {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let status = Command::new(python)
            .arg(tool(self.dir.path(), editor))
            .args([request, &out, &ops_file])
            .status()
            .expect("python3 runs (openpyxl; for Calc python3-uno)");
        assert!(status.success(), "{editor} failed");
        out
    }

    fn merge(&self, replies: &[&str], extra: &[&str], code: i32) -> String {
        let mut args = vec!["merge-xlsx"];
        args.extend(replies);
        args.extend(["--db", &self.db]);
        args.extend(extra);
        run(&args, code)
    }

    fn history(&self) -> String {
        run(&["history", "--db", &self.db, "--limit", "100"], 0)
    }
}

/// 取組 `number` of `plan`.
fn initiative<'a>(plan: &'a Value, number: &str) -> &'a Value {
    plan["issues"][0]["strategies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["initiatives"].as_array().unwrap())
        .find(|i| i["number"] == number)
        .unwrap()
}

/// What the section fills into 5-1-2, typed as people type: 全角 digits and
/// commas, 〇 as ○ (U+25CB), and a comment.
fn fill_5_1_2(plan: &Value) -> Value {
    let it = initiative(plan, "5-1-2");
    let indicator = &it["process_indicators"][0]["id"];
    json!([
        {"op": "fill", "id": it["activities"][0]["id"], "label": "6年度実績", "value": "月1回（12回）"},
        {"op": "fill", "id": it["activities"][1]["id"], "label": "6年度実績", "value": "随時（更新３６５回）"},
        {"op": "fill", "id": indicator, "label": "令和6年度", "value": "５１．５"},
        {"op": "mark", "id": indicator, "label": "令和6年度", "value": "○"},
        {"op": "right", "id": it["id"], "label": "4決算額", "value": "１６，０００，０００"},
        {"op": "comment", "id": it["id"], "value": "実績値は速報値です。"},
    ])
}

/// What [`fill_5_1_2`] leaves in the file.
fn assert_filled(plan: &Value) {
    let it = initiative(plan, "5-1-2");
    assert_eq!(
        it["activities"][0]["results"][1],
        json!({"fiscal_year": 2024, "text": "月1回（12回）"})
    );
    assert_eq!(
        it["activities"][1]["results"][1]["text"],
        "随時（更新３６５回）"
    );
    let result = &it["process_indicators"][0]["results"][1];
    assert_eq!(
        (
            &result["fiscal_year"],
            &result["value"],
            &result["achieved"]
        ),
        (&json!(2024), &json!(51.5), &json!(true))
    );
    assert_eq!(
        it["budgets"][0],
        json!({"fiscal_year": 2022, "kind": "settled", "amount_yen": 16000000})
    );
}

#[test]
fn an_untouched_reply_changes_nothing() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let history = office.history();
    let request = office.request("市民協働課");
    let reply = office.fill(&request, "edit_openpyxl.py", &json!([]), "回答.xlsx");
    let out = office.merge(&[&reply], &[], 0);
    assert!(out.contains("取り込む変更はありません"), "{out}");
    assert!(
        out.contains("変更 0 件、競合 0 件、取り込まない変更 0 件"),
        "{out}"
    );
    assert_eq!(office.plan(2024), before);
    assert_eq!(office.history(), history, "no undo step for nothing");
}

#[test]
fn a_fill_typed_with_full_width_digits_merges_and_a_dry_run_changes_nothing() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let request = office.request("市民協働課");
    let reply = office.fill(
        &request,
        "edit_openpyxl.py",
        &fill_5_1_2(&before),
        "回答.xlsx",
    );

    let dry = office.merge(&[&reply], &["--dry-run"], 0);
    assert!(dry.contains("ファイルは変更していません"), "{dry}");
    assert!(
        dry.contains("変更 5 件、競合 0 件、取り込まない変更 0 件"),
        "{dry}"
    );
    assert_eq!(office.plan(2024), before, "a dry run changes nothing");

    let out = office.merge(&[&reply], &[], 0);
    assert!(out.contains("ファイルに取り込みました"), "{out}");
    assert!(
        out.contains("令和4年度決算額: 16,217,000円 → 16,000,000円"),
        "{out}"
    );
    assert!(out.contains("達成状況: （空欄） → 〇"), "{out}");
    assert!(out.contains("コメント　実績値は速報値です。"), "{out}");
    // The comment stays where the office finds it later: in the history.
    let history = office.history();
    assert!(
        history.contains(
            "回答を取り込み（市民協働課）: 具体的取組 5-1-2 へのコメント「実績値は速報値です。」"
        ),
        "{history}"
    );
    let after = office.plan(2024);
    assert_filled(&after);
    assert_eq!(initiative(&after, "5-1-1"), initiative(&before, "5-1-1"));

    run(
        &["undo", "--db", &office.db, "--ward", WARD, "--year", "2024"],
        0,
    );
    assert_eq!(office.plan(2024), before, "one merge is one undo step");
}

#[test]
fn a_reply_filled_in_libreoffice_calc_merges() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let request = office.request("市民協働課");
    let reply = office.fill(
        &request,
        "edit_calc.py",
        &fill_5_1_2(&before),
        "回答_calc.xlsx",
    );
    let out = office.merge(&[&reply], &[], 0);
    assert!(
        out.contains("変更 5 件、競合 0 件、取り込まない変更 0 件"),
        "{out}"
    );
    assert!(out.contains("実績値は速報値です。"), "{out}");
    assert_filled(&office.plan(2024));
}

#[test]
fn a_locked_cell_edit_is_reported_and_not_applied() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let request = office.request("市民協働課");
    let it = initiative(&before, "5-1-1");
    let ops = json!([
        {"op": "retitle", "find": "具体的取組５－１－１", "value": "具体的取組５－１－１ 【区民ニーズの把握（担当課で修正）】"},
        {"op": "fill", "id": it["activities"][0]["id"], "label": "6年度実績", "value": "2回"},
    ]);
    let reply = office.fill(&request, "edit_openpyxl.py", &ops, "回答.xlsx");
    let out = office.merge(&[&reply], &[], 3);
    assert!(
        out.contains("変更 1 件、競合 0 件、取り込まない変更 1 件"),
        "{out}"
    );
    assert!(
        out.contains("不可　取組の名称: 区民ニーズの的確な把握と施策への反映 → 区民ニーズの把握（担当課で修正） — 入力欄ではないセル"),
        "{out}"
    );
    let after = office.plan(2024);
    let it = initiative(&after, "5-1-1");
    assert_eq!(it["title"], "区民ニーズの的確な把握と施策への反映");
    assert_eq!(
        it["activities"][0]["results"][1]["text"], "2回",
        "the rest merges"
    );
}

#[test]
fn a_conflict_keeps_the_office_value_and_is_reported() {
    let office = Office::new(2024);
    let request = office.request("市民協働課");
    // The office corrects 5-1-2's 決算額 after sending the request.
    let mut corrected = office.plan(2024);
    corrected["issues"][0]["strategies"][0]["initiatives"][1]["budgets"][0]["amount_yen"] =
        json!(16_300_000);
    let file = office.path("corrected.json");
    std::fs::write(&file, corrected.to_string()).unwrap();
    run(&["import-json", &file, "--db", &office.db, "--replace"], 0);

    let reply = office.fill(
        &request,
        "edit_openpyxl.py",
        &fill_5_1_2(&corrected),
        "回答.xlsx",
    );
    let out = office.merge(&[&reply], &[], 3);
    assert!(
        out.contains("変更 4 件、競合 1 件、取り込まない変更 0 件"),
        "{out}"
    );
    assert!(
        out.contains("競合　令和4年度決算額: ファイル 16,300,000円 ／ 回答 16,000,000円（照会時 16,217,000円）→ ファイルの値を残します"),
        "{out}"
    );
    let after = office.plan(2024);
    let it = initiative(&after, "5-1-2");
    assert_eq!(
        it["budgets"][0]["amount_yen"], 16_300_000,
        "the office's value stays"
    );
    assert_eq!(it["activities"][0]["results"][1]["text"], "月1回（12回）");
}

#[test]
fn replies_from_other_sections_touch_only_their_own_initiatives() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let mine = office.request("市民協働課");
    let theirs = office.request("総務課");
    let it = initiative(&before, "5-2-2");
    let ops = json!([
        {"op": "fill", "id": it["activities"][1]["id"], "label": "6年度実績", "value": "1回"},
    ]);
    let theirs_filled = office.fill(&theirs, "edit_openpyxl.py", &ops, "回答_総務課.xlsx");
    // 総務課's sheet copied into 市民協働課's workbook is not 市民協働課's to answer.
    let copied = json!([
        {"op": "copy_sheet", "from": theirs_filled, "sheet": "経営課題5", "as": "経営課題5 (2)"},
    ]);
    let mixed = office.fill(&mine, "edit_openpyxl.py", &copied, "回答_市民協働課.xlsx");
    let out = office.merge(&[&mixed], &[], 3);
    assert!(
        out.contains("具体的取組 5-2-2 改革を推進する職員づくり（総務課）"),
        "{out}"
    );
    assert!(out.contains("担当課「総務課」の取組"), "{out}");
    assert_eq!(office.plan(2024), before, "nothing of 総務課's applied");

    // 総務課's own reply: only its 取組 change.
    let out = office.merge(&[&theirs_filled], &[], 0);
    assert!(out.contains("変更 1 件"), "{out}");
    let after = office.plan(2024);
    assert_eq!(
        initiative(&after, "5-2-2")["activities"][1]["results"][0]["text"],
        "1回"
    );
    for n in ["5-1-1", "5-1-2", "5-2-1"] {
        assert_eq!(initiative(&after, n), initiative(&before, n));
    }
}

#[test]
fn a_reply_for_another_plan_or_year_is_refused_whole() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    // A request made from last year's plan, in another file.
    let last_year = Office::new(2023);
    let out = last_year.path("照会.xlsx");
    run(
        &[
            "request-xlsx",
            "--db",
            &last_year.db,
            "--ward",
            WARD,
            "--year",
            "2023",
            "--section",
            "総務課",
            "--out",
            &out,
        ],
        0,
    );
    let err = office.merge(&[&out], &[], 1);
    assert!(
        err.contains("阿倍野区 令和5年度 の計画への照会です。このファイルにはその計画がありません"),
        "{err}"
    );
    // Same ward and year, but another file's plan.
    let stranger = Office::new(2024);
    let other = stranger.request("総務課");
    let err = office.merge(&[&other], &[], 1);
    assert!(err.contains("作った照会ではありません"), "{err}");
    // Mixed with a good reply: nothing merged.
    let mine = office.request("総務課");
    let it = initiative(&before, "5-2-2");
    let ops = json!([{"op": "fill", "id": it["activities"][1]["id"], "label": "6年度実績", "value": "1回"}]);
    let good = office.fill(&mine, "edit_openpyxl.py", &ops, "回答.xlsx");
    let err = office.merge(&[&good, &out], &[], 1);
    assert!(err.contains("1つの計画の回答ずつ"), "{err}");
    // Not a reply at all.
    let plain = office.path("事業計画書.xlsx");
    run(
        &[
            "export-xlsx",
            "--db",
            &office.db,
            "--ward",
            WARD,
            "--year",
            "2024",
            "--layout",
            "jigyo-keikakusho",
            "--out",
            &plain,
        ],
        0,
    );
    let err = office.merge(&[&plain], &[], 1);
    assert!(err.contains("照会ブック（回答）ではありません"), "{err}");
    assert_eq!(office.plan(2024), before, "nothing merged");
}

#[test]
fn unreadable_cells_are_refused_one_by_one() {
    let office = Office::new(2024);
    let before = office.plan(2024);
    let request = office.request("市民協働課");
    let it = initiative(&before, "5-1-1");
    let indicator = &it["process_indicators"][0]["id"];
    let ops = json!([
        {"op": "fill", "id": indicator, "label": "令和6年度", "value": "=40+8"},
        {"op": "mark", "id": indicator, "label": "令和6年度", "value": "△"},
        {"op": "right", "id": it["id"], "label": "4決算額", "value": "約500万円"},
        {"op": "fill", "id": it["activities"][3]["id"], "label": "6年度実績", "value": "2回"},
    ]);
    let reply = office.fill(&request, "edit_openpyxl.py", &ops, "回答.xlsx");
    let out = office.merge(&[&reply], &[], 3);
    assert!(
        out.contains("変更 1 件、競合 0 件、取り込まない変更 3 件"),
        "{out}"
    );
    assert!(out.contains("数式のセルは取り込めません"), "{out}");
    assert!(out.contains("達成状況は「〇」"), "{out}");
    assert!(
        out.contains("4決算額の金額: 数値を入力してください"),
        "{out}"
    );
    let after = office.plan(2024);
    let it = initiative(&after, "5-1-1");
    assert_eq!(it["activities"][3]["results"][1]["text"], "2回");
    assert_eq!(it["budgets"], initiative(&before, "5-1-1")["budgets"]);
}

#[test]
fn requests_for_every_section_at_once() {
    let office = Office::new(2024);
    let folder = office.path("照会");
    let out = run(
        &[
            "request-xlsx",
            "--db",
            &office.db,
            "--ward",
            WARD,
            "--year",
            "2024",
            "--all-sections",
            "--ask",
            "activity-results,comment",
            "--out",
            &folder,
        ],
        0,
    );
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "回答_市民協働課.xlsx",
            "回答_窓口サービス課.xlsx",
            "回答_総務課.xlsx"
        ],
        "{out}"
    );
    // Each merges untouched, asking only for what was chosen.
    let replies: Vec<String> = files.iter().map(|f| format!("{folder}/{f}")).collect();
    let err = office.merge(
        &replies.iter().map(String::as_str).collect::<Vec<_>>(),
        &[],
        0,
    );
    assert!(
        err.contains("（3 件: 市民協働課、窓口サービス課、総務課）"),
        "{err}"
    );
    let bad = hoshin(&[
        "request-xlsx",
        "--db",
        &office.db,
        "--ward",
        WARD,
        "--year",
        "2024",
        "--section",
        "総務課",
        "--ask",
        "everything",
        "--out",
        &folder,
    ]);
    assert_eq!(bad.status.code(), Some(2), "clap refuses an unknown ask");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("項目を読めません: everything"));
}

#[test]
fn a_request_is_never_written_over_the_database() {
    let office = Office::new(2024);
    let before = std::fs::read(&office.db).unwrap();
    let wal = format!("{}-wal", office.db);
    for (target, all) in [(&office.db, false), (&wal, false), (&office.db, true)] {
        let mut args = vec![
            "request-xlsx",
            "--db",
            &office.db,
            "--ward",
            WARD,
            "--year",
            "2024",
            "--out",
            target,
        ];
        args.push(if all {
            "--all-sections"
        } else {
            "--section=総務課"
        });
        let message = run(&args, 1);
        assert!(
            message.contains(if all {
                "--out に照会ブックを作るフォルダを指定してください"
            } else {
                "すべての計画と履歴が失われる"
            }),
            "{args:?}: {message}"
        );
    }
    assert_eq!(std::fs::read(&office.db).unwrap(), before);
    assert!(office.plan(2024)["issues"].is_array());
}
