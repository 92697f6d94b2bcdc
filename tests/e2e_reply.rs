//! 照会・回答 in the window (issue 11): 担当課 typed with the sections used
//! so far offered, shown in the tree and found by search; a request made
//! from the menu; the reply, filled in by openpyxl as a section's script
//! would, previewed per 取組 and merged with a choice for a conflict; one
//! 元に戻す takes the merge back. Real clicks and keys; native dialogs
//! answered with xdotool; the file read back through the CLI.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::{json, Value};
use support::{initiative, plan_in_file, wait_file, App};
use thirtyfour::prelude::*;

fn plan_now(db: &Path) -> Value {
    plan_in_file(db, "阿倍野区", "2024").expect("the plan is in the file")
}

/// Fills `request` with openpyxl (the CLI tests' editor) into `out`.
fn fill_with_openpyxl(request: &Path, out: &Path, ops: &Value) {
    let ops_file = out.with_extension("ops.json");
    std::fs::write(&ops_file, ops.to_string()).unwrap();
    let editor: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "src-tauri",
        "cli",
        "tests",
        "reply",
        "edit_openpyxl.py",
    ]
    .iter()
    .collect();
    let status = Command::new("python3")
        .arg(editor)
        .args([request, out, &ops_file])
        .status()
        .expect("python3 with openpyxl");
    assert!(status.success(), "openpyxl could not fill the reply");
}

impl App {
    /// Answers a native open dialog titled `title` with `path` (typed into
    /// the location field).
    async fn answer_open_dialog(&self, title: &str, path: &Path) {
        let dialog = self.wait_native_window(title);
        self.xdotool(&["windowfocus", "--sync", &dialog]);
        self.xdotool(&["key", "ctrl+l"]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.xdotool(&["type", path.to_str().unwrap()]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.screenshot_display("63-open-dialog");
        self.xdotool(&["key", "Return"]);
        tokio::time::sleep(Duration::from_millis(800)).await;
        // A completion popup may take the first Return.
        if !self
            .xdotool(&["search", "--onlyvisible", "--name", title])
            .trim()
            .is_empty()
        {
            self.screenshot_display("64-open-dialog-after-return");
            self.xdotool(&["key", "Return"]);
        }
        self.wait_native_window_gone(title);
    }

    async fn select_initiative(&self, number: &str) {
        self.real_click(&format!("button[data-number='{number}']"))
            .await;
        self.find_text(&format!("具体的取組 {number}")).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run through scripts/test.sh"]
async fn a_request_and_its_reply_round_trip_through_the_window() {
    let app = App::start().await;
    let dir = app.db.parent().unwrap().to_path_buf();
    app.find("button[data-number='5-1-1']").await;

    // 担当課: typed once, then offered for the next 取組.
    app.select_initiative("5-1-1").await;
    app.fill("担当課", "市民協働課").await;
    app.select_initiative("5-1-2").await;
    let options = app
        .js("return [...document.querySelectorAll('datalist option')].map(o => o.value)")
        .await;
    assert_eq!(
        options,
        json!(["市民協働課"]),
        "the section used so far is offered"
    );
    app.fill("担当課", "市民協働課").await;
    app.select_initiative("5-2-2").await;
    app.fill("担当課", "総務課").await;
    let tree = app
        .js("return [...document.querySelectorAll('[data-testid=tree-section]')].map(e => e.textContent)")
        .await;
    assert_eq!(tree, json!(["市民協働課", "市民協働課", "総務課"]));
    app.type_into("#plan-search", "総務課").await;
    app.find_text("具体的取組 5-2-2").await;
    app.screenshot("60-sections-in-tree").await;

    // 照会を作る for 市民協働課.
    app.menu("書き出し", "照会を作る（担当課への Excel）…")
        .await;
    app.find("[data-testid='request-dialog']").await;
    app.find_text("市民協働課（具体的取組 2 件）").await;
    app.find_text("総務課（具体的取組 1 件）").await;
    app.click_text("市民協働課（具体的取組 2 件）").await;
    app.screenshot("61-request-dialog").await;
    app.click_button("保存先を選んで作成…").await;
    // (ASCII names: xdotool types other characters unreliably.)
    let request = dir.join("request.xlsx");
    app.answer_save_dialog("照会ブックの保存先", &request).await;
    app.find_text("担当課「市民協働課」への照会ブックを作りました")
        .await;
    assert!(request.exists(), "the request workbook was written");

    // The section fills it in; meanwhile the office corrects 5-1-2's 決算額.
    let before = plan_now(&app.db);
    let it = initiative(&before, "5-1-2");
    let indicator = &it["process_indicators"][0]["id"];
    let ops = json!([
        {"op": "fill", "id": it["activities"][0]["id"], "label": "6年度実績", "value": "月1回（12回）"},
        {"op": "fill", "id": indicator, "label": "令和6年度", "value": "５１．５"},
        {"op": "mark", "id": indicator, "label": "令和6年度", "value": "〇"},
        {"op": "right", "id": it["id"], "label": "4決算額", "value": 16000000},
        {"op": "comment", "id": it["id"], "value": "実績値は速報値です。"},
    ]);
    let reply = dir.join("reply.xlsx");
    fill_with_openpyxl(&request, &reply, &ops);
    app.select_initiative("5-1-2").await;
    // Typing into a selected cell replaces it, as in Excel.
    app.real_click("input[aria-label='1行目 4決算額']").await;
    app.keys("16300000").await;
    app.keys(Key::Enter).await;
    wait_file(&app.db, "4決算額 16,300,000", |p| {
        initiative(p, "5-1-2")["budgets"][0]["amount_yen"] == 16_300_000
    })
    .await;
    let corrected = plan_now(&app.db);

    // 回答を取り込む: the preview, nothing written yet.
    app.menu("取り込み", "回答を取り込む…").await;
    app.answer_open_dialog("回答（記入された照会ブック）を選ぶ", &reply)
        .await;
    let summary = app.find("[data-testid='merge-summary']").await;
    assert_eq!(
        summary.text().await.unwrap().trim(),
        "変更 3 件・競合 1 件・取り込まない変更 0 件"
    );
    app.find_text("実績値は速報値です。").await;
    app.find_text("照会時: 16,217,000円").await;
    app.screenshot("62-merge-preview").await;
    assert_eq!(plan_now(&app.db), corrected, "a preview writes nothing");

    // The planner takes the section's 決算額 after all.
    app.click_text("回答の値にする").await;
    app.click_button("取り込む").await;
    app.find_text("変更 4 件を取り込みました").await;
    let merged = plan_now(&app.db);
    let it = initiative(&merged, "5-1-2");
    assert_eq!(
        it["budgets"][0]["amount_yen"], 16_000_000,
        "the reply's value, as chosen"
    );
    assert_eq!(it["activities"][0]["results"][1]["text"], "月1回（12回）");
    assert_eq!(
        it["process_indicators"][0]["results"][1]["value"],
        json!(51.5)
    );
    assert_eq!(it["process_indicators"][0]["results"][1]["achieved"], true);
    // The window shows the merged plan.
    let start = std::time::Instant::now();
    while app
        .js("return [...document.querySelectorAll('[data-testid=activities] input')].some(i => i.value === '月1回（12回）')")
        .await
        != json!(true)
    {
        assert!(start.elapsed() < Duration::from_secs(10), "the window shows the merged 実績");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // One 元に戻す takes the whole merge back.
    app.click("button[title='Ctrl+Z']").await;
    app.wait_saved().await;
    let start = std::time::Instant::now();
    while plan_now(&app.db) != corrected {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "undo restores the plan before the merge"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.quit().await;
}
