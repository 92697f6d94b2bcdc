//! Issue 14: nothing a user hands Hoshin can hurt the file or crash the
//! program. Hostile workbooks and JSON, as a careful tester would make them.

use std::io::{Cursor, Read, Write};

use hoshin_core::edit::Edit;
use hoshin_core::fields::{InitiativeText, StrategyText};
use hoshin_core::json::{parse_plan, to_json};
use hoshin_core::xlsx::{carried_by, export_workbook_bytes, import_workbook_bytes, Layout};
use hoshin_core::{demo_plan, Error, Store};
use serde_json::{json, Value};

/// The workbook with `change` applied to each part (name, content).
fn rewrite(bytes: &[u8], change: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        let content = change(&name, content);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The sheet's XML changed by `change`.
fn with_sheet(bytes: &[u8], sheet: &str, change: impl Fn(String) -> String) -> Vec<u8> {
    rewrite(bytes, |name, content| {
        if name == sheet {
            change(String::from_utf8(content).unwrap()).into_bytes()
        } else {
            content
        }
    })
}

fn with_sheet1(bytes: &[u8], change: impl Fn(String) -> String) -> Vec<u8> {
    with_sheet(bytes, "xl/worksheets/sheet1.xml", change)
}

/// The first cell holding `<v>{number}</v>` becomes `<c r=".." {inner}</c>`;
/// returns the workbook and the cell's name.
fn replace_number_cell(bytes: &[u8], number: &str, inner: &str) -> (Vec<u8>, String) {
    let value = format!("<v>{number}</v>");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let sheet = (1..=archive.len())
        .map(|n| format!("xl/worksheets/sheet{n}.xml"))
        .find(|name| {
            archive.by_name(name).is_ok_and(|mut f| {
                let mut xml = String::new();
                f.read_to_string(&mut xml).is_ok() && xml.contains(&value)
            })
        })
        .expect("the number");
    let xml = zip_text(bytes, &sheet);
    let v = xml.find(&value).unwrap();
    let c = xml[..v].rfind("<c r=\"").unwrap() + 6;
    let cell = xml[c..].split('"').next().unwrap().to_string();
    let changed = with_sheet(bytes, &sheet, |xml| {
        let v = xml.find(&value).unwrap();
        let c = xml[..v].rfind("<c ").unwrap();
        let end = v + value.len() + "</c>".len();
        format!("{}<c r=\"{cell}\">{inner}</c>{}", &xml[..c], &xml[end..])
    });
    (changed, cell)
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn import_error(bytes: &[u8], layout: Layout) -> String {
    match import_workbook_bytes(bytes, layout) {
        Ok(plans) => panic!("imported {} plans", plans.len()),
        Err(e) => e.to_string(),
    }
}

fn jigyo() -> Vec<u8> {
    export_workbook_bytes(&[demo_plan()], Layout::JigyoKeikakusho).unwrap()
}

fn data() -> Vec<u8> {
    export_workbook_bytes(&[demo_plan()], Layout::Data).unwrap()
}

/// A cell with a value far from the others, before the end of the sheet.
fn with_far_cell(bytes: &[u8], cell: &str, row: u32) -> Vec<u8> {
    with_sheet1(bytes, |xml| {
        xml.replace(
            "</sheetData>",
            &format!(
                "<row r=\"{row}\"><c r=\"{cell}\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>"
            ),
        )
    })
}

// ---- 2. Bounded memory and time ---------------------------------------------

#[test]
fn a_value_at_the_last_cell_of_a_sheet_is_refused_by_name() {
    // Before: calamine built a dense 1048576 × 16384 range (512 GB) and aborted.
    let far = with_far_cell(&jigyo(), "XFD1048576", 1_048_576);
    let message = import_error(&far, Layout::JigyoKeikakusho);
    assert!(
        message.contains("シート「経営課題5」のセル XFD1048576"),
        "{message}"
    );
    assert!(message.contains("100000 行目・IV 列まで"), "{message}");
    // Before: 2.6 GB for a 20 kB file.
    let far = with_far_cell(&data(), "XFD5000", 5000);
    let message = import_error(&far, Layout::Data);
    assert!(
        message.contains("シート「計画」のセル XFD5000"),
        "{message}"
    );
}

#[test]
fn a_cell_far_away_but_within_the_limits_costs_nothing() {
    // A note a planner typed far to the right and below the page: one cell,
    // not a dense range; the page reads as before.
    let far = with_far_cell(&jigyo(), "IV90000", 90_000);
    let plans = import_workbook_bytes(&far, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(
        plans,
        vec![carried_by(Layout::JigyoKeikakusho, &demo_plan())]
    );
}

#[test]
fn a_workbook_that_inflates_beyond_the_limit_is_refused() {
    // 1 MiB of zeros deflates to about 1 kB; 300 copies make a small file
    // that inflates to 300 MiB.
    let mut one = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    one.start_file("zeros", deflated).unwrap();
    one.write_all(&vec![0u8; 1 << 20]).unwrap();
    let one = one.finish().unwrap().into_inner();
    let mut one = zip::ZipArchive::new(Cursor::new(one)).unwrap();

    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut book = zip::ZipArchive::new(Cursor::new(jigyo())).unwrap();
    for i in 0..book.len() {
        bomb.raw_copy_file(book.by_index_raw(i).unwrap()).unwrap();
    }
    for n in 0..300 {
        bomb.raw_copy_file_rename(one.by_index_raw(0).unwrap(), format!("xl/media/pad{n}.bin"))
            .unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let message = import_error(&bomb, Layout::JigyoKeikakusho);
    assert!(message.contains("大きすぎて取り込めません"), "{message}");
    assert!(message.contains("256 MB"), "{message}");
}

#[test]
fn an_old_xls_or_a_password_protected_workbook_says_what_to_do() {
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    let message = import_error(&cfb, Layout::Data);
    assert!(message.contains("パスワード"), "{message}");
    assert!(message.contains(".xlsx"), "{message}");
}

// ---- 3. Formulas where values belong ----------------------------------------

#[test]
fn a_formula_without_a_cached_value_is_refused_not_read_as_empty() {
    // Before: the budget row was dropped (exit 0), deleting a saved amount.
    let (bad, cell) = replace_number_cell(&jigyo(), "16217000", "<f>1+1</f>");
    let message = import_error(&bad, Layout::JigyoKeikakusho);
    assert!(
        message.contains(&format!("シート「経営課題5」のセル {cell}")),
        "{message}"
    );
    assert!(message.contains("数式のセルは取り込めません"), "{message}");
    assert!(message.contains("=1+1"), "{message}");

    // Before: the data layout set the amount to null.
    let (bad, cell) = replace_number_cell(&data(), "16217000", "<f>1+1</f>");
    let message = import_error(&bad, Layout::Data);
    assert!(message.contains(&format!("のセル {cell}")), "{message}");
    assert!(message.contains("数式"), "{message}");
}

#[test]
fn a_formula_with_a_cached_value_or_an_external_link_is_refused_too() {
    let (bad, cell) = replace_number_cell(&jigyo(), "16217000", "<f>1+1</f><v>2</v>");
    let message = import_error(&bad, Layout::JigyoKeikakusho);
    assert!(message.contains(&format!("のセル {cell}")), "{message}");
    let (bad, _) = replace_number_cell(&data(), "16217000", "<f>[1]Sheet1!A1</f><v>16217000</v>");
    let message = import_error(&bad, Layout::Data);
    assert!(message.contains("=[1]Sheet1!A1"), "{message}");
}

#[test]
fn a_formula_outside_what_the_layout_reads_is_left_alone() {
    // A planner's own sum right of the page: not a value Hoshin reads.
    let bytes = with_far_cell(&jigyo(), "Z90000", 90_000);
    let bytes = with_sheet1(&bytes, |xml| {
        xml.replace(
            "<c r=\"Z90000\" t=\"inlineStr\"><is><t>x</t></is></c>",
            "<c r=\"Z90000\"><f>SUM(D1:D80)</f><v>0</v></c>",
        )
    });
    assert!(zip_text(&bytes, "xl/worksheets/sheet1.xml").contains("<f>SUM(D1:D80)</f>"));
    assert_eq!(
        import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap(),
        vec![carried_by(Layout::JigyoKeikakusho, &demo_plan())]
    );
    // In the data tables every cell of a row counts, so there it is refused.
    let bytes = with_sheet1(&data(), |xml| {
        xml.replace(
            "</sheetData>",
            "<row r=\"40\"><c r=\"AZ40\"><f>SUM(A1:A3)</f><v>0</v></c></row></sheetData>",
        )
    });
    let message = import_error(&bytes, Layout::Data);
    assert!(message.contains("シート「計画」のセル AZ40"), "{message}");
}

// ---- 5. Limits decided where the input comes in -----------------------------

fn demo_value() -> Value {
    serde_json::from_str(hoshin_core::DEMO_PLAN_JSON).unwrap()
}

fn json_error(value: &Value) -> String {
    match parse_plan(&value.to_string()) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_text_longer_than_an_excel_cell_is_refused_with_its_place() {
    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["initiatives"][1]["summary"] = json!("あ".repeat(32_768));
    let message = json_error(&v);
    assert!(
        message.contains("経営課題5 › 戦略 5-1 › 具体的取組 5-1-2 › 概要"),
        "{message}"
    );
    assert!(message.contains("32767文字まで"), "{message}");

    let mut v = demo_value();
    v["issues"][0]["title"] = json!("長".repeat(201));
    assert!(json_error(&v).contains("経営課題5 › 名称: 長すぎます（201文字。200文字まで"));

    // The window: the same edit is refused, and nothing is saved.
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&demo_plan(), false, "test").unwrap();
    let before = store.load_plan("阿倍野区", 2024).unwrap();
    let err = store
        .apply_edit(
            "阿倍野区",
            2024,
            &Edit::SetInitiativeText {
                initiative: before.issues[0].strategies[0].initiatives[1]
                    .id
                    .clone()
                    .unwrap(),
                field: InitiativeText::Summary,
                value: "い".repeat(40_000),
            },
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("具体的取組 5-1-2 › 概要: 長すぎます"), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), before);
}

#[test]
fn the_longest_text_accepted_exports_in_every_layout() {
    let mut plan = demo_plan();
    plan.issues[0].strategies[0].initiatives[1].summary = Some("あ".repeat(32_767));
    plan.issues[0].strategies[0].current_state = Some("い".repeat(32_767));
    parse_plan(&to_json(&plan)).unwrap();
    for layout in Layout::ALL {
        export_workbook_bytes(std::slice::from_ref(&plan), layout)
            .unwrap_or_else(|e| panic!("{}: {e}", layout.code()));
    }
    // The 運営方針 page joins fields in one cell (主な戦略 as bullets): cut, not failed.
    let mut joined = plan.clone();
    joined.issues[0].main_strategies = vec!["う".repeat(32_767), "え".repeat(32_767)];
    let bytes = export_workbook_bytes(std::slice::from_ref(&joined), Layout::UneiHoshin).unwrap();
    assert!(zip_text(&bytes, "xl/sharedStrings.xml").contains("長すぎるため以下を省略"));
    let back = import_workbook_bytes(
        &export_workbook_bytes(std::slice::from_ref(&plan), Layout::Data).unwrap(),
        Layout::Data,
    )
    .unwrap();
    assert_eq!(back, vec![plan]);
}

// ---- 6. Control characters ----------------------------------------------------

#[test]
fn control_characters_are_refused_at_import_and_dropped_when_typed() {
    let mut v = demo_value();
    v["issues"][0]["strategies"][1]["title"] = json!("行政\u{1b}[2J手続");
    let message = json_error(&v);
    assert!(message.contains("経営課題5 › 戦略 5-2 › 名称"), "{message}");
    assert!(message.contains("制御文字（U+001B）"), "{message}");

    let mut v = demo_value();
    v["ward"] = json!("阿倍野区\u{7}");
    assert!(json_error(&v).contains("区名: 表示できない制御文字"));
    let mut v = demo_value();
    v["ward"] = json!("阿倍野区\n北");
    assert!(json_error(&v).contains("区名: 改行やタブは入れられません"));

    // Typed or pasted in the window: dropped, and the chart stays valid XML.
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&demo_plan(), false, "test").unwrap();
    let strategy = store.load_plan("阿倍野区", 2024).unwrap().issues[0].strategies[1]
        .id
        .clone()
        .unwrap();
    store
        .apply_edit(
            "阿倍野区",
            2024,
            &Edit::SetStrategyText {
                strategy,
                field: StrategyText::Title,
                value: "行政\u{1b}[2J手続\u{0}き".into(),
            },
        )
        .unwrap();
    let plan = store.load_plan("阿倍野区", 2024).unwrap();
    assert_eq!(plan.issues[0].strategies[1].title, "行政[2J手続き");
}

// ---- 7. Messages in the planner's language ----------------------------------

fn assert_plain_japanese(message: &str) {
    for leak in [
        "CHECK",
        "constraint",
        "Multiple(",
        "Single(",
        "invalid type",
        "0行目 0文字目",
        "expected",
    ] {
        assert!(!message.contains(leak), "「{leak}」 in {message}");
    }
}

#[test]
fn out_of_range_numbers_are_named_in_japanese() {
    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["initiatives"][0]["budgets"][0]["amount_yen"] =
        json!(9_223_372_036_854_775_807u64);
    let message = json_error(&v);
    assert_plain_japanese(&message);
    assert!(
        message.contains("具体的取組 5-1-1 › 予算 › 1行目 › 金額（円）: 金額が大きすぎます"),
        "{message}"
    );

    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["initiatives"][0]["budgets"][0]["amount_yen"] = json!(1e30);
    let message = json_error(&v);
    assert_plain_japanese(&message);
    assert!(message.contains("金額（円）"), "{message}");

    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["outcome_indicators"][0]["target"]["by_fiscal_year"] =
        json!(3000);
    let message = json_error(&v);
    assert_plain_japanese(&message);
    assert!(
        message.contains("目標 › 期限の年度: 年度は1989〜2200年度"),
        "{message}"
    );

    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["outcome_indicators"][0]["results"][0]["value"] =
        json!(1.7e308);
    let message = json_error(&v);
    assert_plain_japanese(&message);
    assert!(message.contains("値が大きすぎます"), "{message}");

    let mut v = demo_value();
    v["issues"][0]["number"] = json!(1e12);
    assert_plain_japanese(&json_error(&v));

    let mut v = demo_value();
    v["issues"][0]["strategies"][0]["outcome_indicators"][0]["target"]["by_fiscal_year"] =
        json!("2025");
    let message = json_error(&v);
    assert_plain_japanese(&message);
    assert!(
        message.contains("空（null）か整数にしてください"),
        "{message}"
    );
}

#[test]
fn a_huge_number_in_a_budget_cell_is_refused_in_japanese() {
    // Before: 1e30 became u64::MAX and SQLite's CHECK text reached the user.
    for (bytes, layout) in [(jigyo(), Layout::JigyoKeikakusho), (data(), Layout::Data)] {
        let (bad, _) = replace_number_cell(&bytes, "16217000", "<v>1E+30</v>");
        let message = import_error(&bad, layout);
        assert_plain_japanese(&message);
        assert!(message.contains("金額が大きすぎます"), "{message}");
    }
}

// ---- 9. Smaller ----------------------------------------------------------------

#[test]
fn a_key_given_twice_is_refused_with_its_line() {
    let text = hoshin_core::DEMO_PLAN_JSON.replacen(
        "\"ward\": \"阿倍野区\",",
        "\"ward\": \"阿倍野区\",\n  \"ward\": \"北区\",",
        1,
    );
    let err = parse_plan(&text).unwrap_err();
    assert!(matches!(err, Error::Json { line: 5, .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("項目「ward」が同じところに2回あります"),
        "{message}"
    );
    assert_plain_japanese(&message);
}

#[test]
fn exported_amounts_can_always_be_imported_again() {
    let mut plan = demo_plan();
    plan.issues[0].strategies[0].initiatives[0].budgets[0].amount_yen =
        Some(hoshin_core::limits::MAX_YEN);
    let back = parse_plan(&to_json(&plan)).unwrap();
    let bytes = export_workbook_bytes(&[back], Layout::JigyoKeikakusho).unwrap();
    import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&plan, false, "test").unwrap();
}
