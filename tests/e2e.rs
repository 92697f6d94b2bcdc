//! End-to-end tests in the real app. Run by scripts/test.sh:
//! `cargo test --features tauri/custom-protocol --test e2e -- --ignored`
//! (they need Xvfb, tauri-driver and WebKitWebDriver).

mod support;

use support::App;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run through scripts/test.sh"]
async fn opens_on_the_demo_plan_and_shows_an_initiative() {
    let app = App::start().await;
    assert_eq!(app.driver().title().await.unwrap(), "Hoshin — 区運営方針");
    app.find_text("区民から信頼される区役所づくり").await;
    let initiative = app.find("button[data-number='5-1-2']").await;
    assert!(initiative
        .text()
        .await
        .unwrap()
        .contains("区政情報の効果的な発信"));
    app.screenshot("01-tree").await;

    initiative.click().await.unwrap();
    let detail = app.find("[data-testid='initiative-detail']").await;
    let text = detail.text().await.unwrap();
    for expected in [
        "具体的取組 5-1-2",
        "4決算額",
        "5予算額",
        "6予算額",
        "5年度実績",
        "令和4年度",
    ] {
        assert!(
            text.contains(expected),
            "詳細に「{expected}」がない:\n{text}"
        );
    }
    assert_eq!(
        app.value("input[aria-label='1行目 4決算額']").await,
        "16,217,000"
    );
    assert_eq!(
        app.value("input[aria-label='1行目 6予算額']").await,
        "25,037,000"
    );
    assert!(app
        .value("input[aria-label='1行目 主な取組（取組：予定）']")
        .await
        .contains("広報紙の全戸配布"));
    assert_eq!(
        app.value("input[aria-label='令和5年度 実績値']").await,
        "48.3"
    );
    assert_eq!(app.value("input[aria-label='令和5年度 〇/－']").await, "－");
    app.screenshot("02-initiative-5-1-2").await;
    assert!(app.db.exists(), "the database file was created");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run through scripts/test.sh"]
async fn a_foreign_file_gets_a_japanese_message_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("memo.txt");
    std::fs::write(&db, "ただのメモ").unwrap();
    let app = App::start_on(dir, db.clone()).await;
    app.find_text("Hoshin のデータファイルではありません").await;
    app.screenshot("03-foreign-file").await;
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "ただのメモ");
    app.quit().await;
}
