//! The long test: a planner types the seed's whole 経営課題5 into an empty
//! file through the window; the file, exported as JSON, must equal the
//! interchange example (photo images aside: the example has none).

mod support;

use serde_json::Value;
use support::{exported, hoshin_cli, App};

const EXAMPLE: &str = include_str!("../assets/demo/abeno-2024-issue5.json");

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// 〇 / － as the grid takes them; blank when not judged.
fn mark(v: &Value) -> &'static str {
    match v.as_bool() {
        Some(true) => "〇",
        Some(false) => "－",
        None => "",
    }
}

fn year_label(year: i64) -> String {
    format!("令和{}年度", year - 2018)
}

async fn type_indicator(app: &App, indicator: &Value, add_button: &str) {
    let t = &indicator["target"];
    app.click_button(add_button).await;
    app.answer_dialog(
        &[
            ("text", text(&indicator["text"])),
            ("unit", text(&t["unit"])),
        ],
        "追加する",
    )
    .await;
    app.type_into("input[aria-label='1行目 目標値']", &t["value"].to_string())
        .await;
    app.wait_saved().await;
    if let Some(by) = t["by_fiscal_year"].as_i64() {
        app.type_into("input[aria-label='1行目 期限（年度）']", &year_label(by))
            .await;
        app.wait_saved().await;
    }
    app.type_into(
        "input[aria-label='1行目 目標の表記（例: 6年度までに70％以上）']",
        text(&t["text"]),
    )
    .await;
    app.wait_saved().await;
    for r in indicator["results"].as_array().unwrap() {
        let year = year_label(r["fiscal_year"].as_i64().unwrap());
        // The value first: the core suggests a mark, which the planner then confirms or overrides.
        let value = r["value"].to_string();
        app.type_into(&format!("input[aria-label='{year} 実績値']"), &value)
            .await;
        app.wait_saved().await;
        app.type_into(
            &format!("input[aria-label='{year} 〇/－']"),
            mark(&r["achieved"]),
        )
        .await;
        app.wait_saved().await;
        if let Some(source) = r["source"].as_str() {
            app.type_into(&format!("input[aria-label='{year} 出典']"), source)
                .await;
            app.wait_saved().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run through scripts/test.sh"]
async fn type_the_seed_into_an_empty_file() {
    let example: Value = serde_json::from_str(EXAMPLE).unwrap();
    let keep = tempfile::tempdir().unwrap();
    let db = keep.path().join("empty.hoshin");
    // An empty Hoshin file (the window fills only files it creates itself).
    hoshin_cli(&["plans", "--db", db.to_str().unwrap()]);

    let app = App::reopen(&db).await;
    app.find_text("このファイルには計画がありません").await;
    app.click("details.menu summary").await;
    app.click_button("新しい計画…").await;
    app.answer_dialog(&[("ward", "阿倍野区"), ("year", "令和6年度")], "作成する")
        .await;
    app.find_text("令和6年度 阿倍野区 区運営方針").await;
    app.fill("出典・メモ（データの出所）", text(&example["source"]))
        .await;

    let issue = &example["issues"][0];
    app.click_button("経営課題を追加").await;
    app.answer_dialog(&[("title", text(&issue["title"]))], "追加する")
        .await;
    app.fill("経営課題の番号", &issue["number"].to_string())
        .await;
    app.fill("概要", text(&issue["summary"])).await;

    for (si, strategy) in issue["strategies"].as_array().unwrap().iter().enumerate() {
        app.click("button.node.issue").await;
        app.click_button("戦略を追加").await;
        app.answer_dialog(&[("title", text(&strategy["title"]))], "追加する")
            .await;
        app.find_text(&format!("めざす成果及び戦略 5-{}", si + 1))
            .await;
        for (field, label) in [
            ("goal_state", "めざす状態"),
            ("direction", "中期的な取組の方向性"),
            ("current_state", "現状"),
            ("challenges", "課題"),
        ] {
            app.fill(label, text(&strategy[field])).await;
        }
        for indicator in strategy["outcome_indicators"].as_array().unwrap() {
            type_indicator(&app, indicator, "アウトカム指標を追加").await;
        }
        for (ii, initiative) in strategy["initiatives"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            app.click_button("具体的取組を追加").await;
            app.answer_dialog(&[("title", text(&initiative["title"]))], "追加する")
                .await;
            let number = text(&initiative["number"]);
            app.find_text(&format!("具体的取組 {number}")).await;
            assert_eq!(number, format!("5-{}-{}", si + 1, ii + 1));
            app.fill("概要", text(&initiative["summary"])).await;
            for (col, budget) in ["4決算額", "5予算額", "6予算額"]
                .iter()
                .zip(initiative["budgets"].as_array().unwrap())
            {
                if let Some(amount) = budget["amount_yen"].as_u64() {
                    app.type_into(
                        &format!("input[aria-label='1行目 {col}']"),
                        &amount.to_string(),
                    )
                    .await;
                    app.wait_saved().await;
                }
            }
            for (row, activity) in initiative["activities"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
            {
                // Typing in the grid's blank last row adds the row.
                app.type_into(
                    "input[aria-label='新しい行 主な取組（取組：予定）']",
                    text(&activity["text"]),
                )
                .await;
                let cell = |label: &str| format!("input[aria-label='{}行目 {label}']", row + 1);
                app.find(&cell("主な取組（取組：予定）")).await;
                app.wait_saved().await;
                for result in activity["results"].as_array().unwrap() {
                    let label =
                        format!("{}年度実績", result["fiscal_year"].as_i64().unwrap() - 2018);
                    app.type_into(&cell(&label), text(&result["text"])).await;
                    app.wait_saved().await;
                }
            }
            for indicator in initiative["process_indicators"].as_array().unwrap() {
                type_indicator(&app, indicator, "プロセス指標を追加").await;
            }
            for (pi, photo) in initiative["photos"].as_array().unwrap().iter().enumerate() {
                app.click_button("写真枠を追加（画像なし）").await;
                app.wait_saved().await;
                app.fill(&format!("写真 {} の説明", pi + 1), text(&photo["caption"]))
                    .await;
            }
            let opinions: Vec<&str> = initiative["council_opinions"]
                .as_array()
                .unwrap()
                .iter()
                .map(text)
                .collect();
            if !opinions.is_empty() {
                app.fill("〈参考〉区政会議等意見（1行に1件）", &opinions.join("\n"))
                    .await;
            }
        }
    }
    app.screenshot("08-typed-seed").await;
    app.quit().await;

    let typed = exported(&db, "2024");
    assert_eq!(typed, example, "the typed plan differs from the example");
}
