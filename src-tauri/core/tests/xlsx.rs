//! Excel export and import (issue 6): every workbook is read back with
//! calamine and checked against the layout.

use std::io::{Cursor, Read, Write};

use calamine::{Data, Reader, Xlsx};
use hoshin_core::model::{Photo, Plan};
use hoshin_core::xlsx::{
    carried_by, export_workbook, export_workbook_bytes, import_workbook, import_workbook_bytes,
    ward_set, Layout,
};
use hoshin_core::{demo_plan, Error};

/// A 1×1 PNG.
const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook")
}

fn sheet(bytes: &[u8], name: &str) -> calamine::Range<Data> {
    open(bytes)
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn text(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The absolute (row, col) of the first cell whose text is `wanted`.
fn find(range: &calamine::Range<Data>, wanted: &str) -> (u32, u32) {
    find_after(range, wanted, 0)
}

fn find_after(range: &calamine::Range<Data>, wanted: &str, after: u32) -> (u32, u32) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (row, col, cell) in range.used_cells() {
        let (row, col) = (row as u32 + r0, col as u32 + c0);
        if row >= after && matches!(cell, Data::String(s) if s == wanted) {
            return (row, col);
        }
    }
    panic!("「{wanted}」 not found");
}

/// The demo plan with what the demo leaves empty filled in, photos included.
fn rich_plan() -> Plan {
    let mut plan = demo_plan();
    plan.goal = Some("誰もが安心して暮らせるまち".into());
    plan.mission = Some("区民とともに".into());
    plan.basic_policy = Some("区民の声を区政に".into());
    plan.self_evaluation = Some("概ね順調".into());
    plan.future_policy = Some("引き続き取り組む".into());
    let issue = &mut plan.issues[0];
    issue.sdgs = vec![11, 16];
    issue.recognition = Some("区民の信頼を高める必要がある".into());
    issue.main_strategies = vec!["区民ニーズの把握".into(), "窓口サービスの向上".into()];
    issue.outcome_indicators = vec![issue.strategies[0].outcome_indicators[0].clone()];
    issue.outcome_indicators[0].results[1].rating = Some("A".into());
    issue.outcome_indicators[0].results[1].note = Some("備考".into());
    issue.outcome_indicators[0].target.from_fiscal_year = Some(2022);
    issue.outcome_indicators[0].target.cumulative = Some(true);
    issue.budgets = issue.strategies[0].initiatives[0].budgets.clone();
    let strategy = &mut issue.strategies[0];
    strategy.self_evaluation = Some("一定の成果".into());
    strategy.improvements = Some("SNS の発信を増やす".into());
    strategy.initiatives[0].photos[0] = Photo {
        caption: "区政会議".into(),
        media_type: Some("image/png".into()),
        data_base64: Some(PNG_B64.into()),
        ..Default::default()
    };
    plan
}

#[test]
fn xlsx_layout_codes() {
    for layout in Layout::ALL {
        assert_eq!(Layout::from_code(layout.code()), Some(layout));
    }
    assert_eq!(
        Layout::from_code("jigyo-keikakusho"),
        Some(Layout::JigyoKeikakusho)
    );
    assert_eq!(Layout::from_code("xls"), None);
}

/// The text of the cell at (row, col), numbers as calamine gives them.
fn at(range: &calamine::Range<Data>, (row, col): (u32, u32)) -> String {
    text(range, row, col)
}

#[test]
fn xlsx_jigyo_keikakusho_prints_the_seed_page() {
    let bytes = export_workbook_bytes(&[demo_plan()], Layout::JigyoKeikakusho).unwrap();
    let names = open(&bytes).sheet_names();
    assert_eq!(names, ["経営課題5", "グラフ"]);
    let s = sheet(&bytes, "経営課題5");
    // The title row, repeated on every page: issue, SDGs, ward, year.
    assert_eq!(
        text(&s, 0, 1),
        "経営課題５　【区民から信頼される区役所づくり】"
    );
    let (r, c) = find(&s, "阿倍野区");
    assert_eq!(r, 0);
    assert_eq!(text(&s, 0, c + 5), "令和６年度");
    find(&s, "【主なSDGｓゴール】");
    assert!(text(&s, 1, 1).starts_with("区民の意見やニーズを的確に把握し"));

    // The strategy: めざす状態 on one line, then three boxes side by side.
    let (r, c) = find(
        &s,
        "めざす成果及び戦略　５－１　【区民ニーズの的確な把握と区政情報の効果的な発信】",
    );
    assert_eq!(
        text(&s, r + 1, c),
        "【めざす状態】　区民の必要とする区政情報が必要なツールで届いている状態"
    );
    let boxes: Vec<String> = (c..60)
        .map(|col| text(&s, r + 2, col))
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    assert!(boxes[0].starts_with("【中期的な取組の方向性】\n区政会議"));
    assert!(boxes[1].starts_with("【現状】\n"));
    assert!(boxes[2].starts_with("【課題】\n"));

    // The outcome table: full-width year headers, values as numbers with
    // their unit in the format, 〇/－ beside them, the sources, the legend.
    assert_eq!(text(&s, r + 3, 1), "【アウトカム指標】");
    let (hr, hc) = find(&s, "令和４年度");
    assert_eq!(hr, r + 3);
    let (_, c5) = find(&s, "令和５年度");
    find(&s, "令和６年度");
    assert!(text(&s, hr + 1, 1).starts_with("区民モニターアンケートで、区政情報"));
    assert_eq!(s.get_value((hr + 1, hc)), Some(&Data::Float(42.5)));
    assert_eq!(s.get_value((hr + 1, c5)), Some(&Data::Float(52.5)));
    let (_, mark) = (hc + 1..c5)
        .map(|col| (hr + 1, col))
        .find(|p| !at(&s, *p).is_empty())
        .expect("a mark beside 42.5");
    assert_eq!(text(&s, hr + 1, mark), "－");
    assert_eq!('－' as u32, 0xFF0D);
    find(&s, "6年度までに70％以上");
    assert_eq!(
        text(&s, hr + 2, 1),
        "出典（令和４年度・令和５年度）：区政に関する区民アンケート 市民局実施"
    );
    assert_eq!(text(&s, hr + 3, 1), "〇：目標達成　　－：目標未達成");
    let xml = zip_entry(&bytes, "xl/styles.xml");
    assert!(
        xml.contains(r#"formatCode="0.0&quot;%&quot;""#),
        "42.5 prints as 42.5%"
    );

    // An initiative: heading and budgets on one row, the photo slots and
    // the opinions box beside it; 概要; activities; the process table.
    let (ir, _) = find(&s, "具体的取組５－１－２ 【区政情報の効果的な発信】");
    assert_eq!(text(&s, ir, 0), "具体的取組", "the vertical label");
    let (_, bc) = find_after(&s, "4決算額", ir);
    assert_eq!(s.get_value((ir, bc + 3)), Some(&Data::Float(16_217_000.0)));
    let (_, bc) = find_after(&s, "5予算額", ir);
    assert_eq!(s.get_value((ir, bc + 3)), Some(&Data::Float(22_043_000.0)));
    let (_, bc) = find_after(&s, "6予算額", ir);
    assert_eq!(s.get_value((ir, bc + 3)), Some(&Data::Float(25_037_000.0)));
    let photo = (0..61).filter(|c| text(&s, ir, *c) == "写真等").count();
    assert_eq!(photo, 2, "two photo slots");
    let (_, oc) = find_after(&s, "〈参考〉区政会議等意見", ir);
    assert_eq!(
        text(&s, ir + 1, oc),
        "・広報紙の紙面が見やすく良くなった。\n・SNSについては発信する情報の充実をしてほしい。"
    );
    assert_eq!(text(&s, ir + 1, 1), "概要");
    assert!(text(&s, ir + 1, 3).starts_with("広報紙・ホームページについては"));
    assert_eq!(text(&s, ir + 2, 1), "主な取組");
    let (_, y5) = find_after(&s, "5年度実績", ir);
    find_after(&s, "6年度実績", ir);
    assert_eq!(
        text(&s, ir + 3, 1),
        "広報紙の全戸配布　（月1回：65,500部発行）"
    );
    assert_eq!(text(&s, ir + 3, y5), "月1回");
    assert_eq!(
        text(&s, ir + 6, 1),
        "プロセス（過程）指標（取組によりめざす指標）"
    );
    find_after(&s, "プロセス（過程）指標の達成状況", ir);
    // The first indicator's text sits beside the year headers, its values
    // under them, as the booklet prints it.
    assert!(text(&s, ir + 7, 1).starts_with("区の様々な取組み"));
    let (yr, y4) = find_after(&s, "令和4年度", ir);
    assert_eq!(yr, ir + 7);
    let (_, y5) = find_after(&s, "令和5年度", ir);
    assert_eq!(text(&s, ir + 8, y4), "");
    assert_eq!(s.get_value((ir + 8, y5)), Some(&Data::Float(48.3)));
    assert_eq!(text(&s, ir + 9, 1), "〇：目標達成　　－：目標未達成");
    let (cr, _) = find_after(&s, "広報紙", ir);
    assert_eq!(
        cr,
        ir + 9,
        "captions under the photo slots, on the legend row"
    );
    find_after(&s, "ホームページ", ir);

    // 5-2-1 carries 〇; 5-2-2 has no budget: 「－」 in every amount cell.
    let (ir, _) = find(&s, "具体的取組５－２－１ 【区民が利用しやすい窓口の実現】");
    let (_, bc) = find_after(&s, "4決算額", ir);
    assert_eq!(text(&s, ir, bc + 3), "380000");
    let (ir, _) = find(&s, "具体的取組５－２－２ 【改革を推進する職員づくり】");
    for label in ["4決算額", "5予算額", "6予算額"] {
        let (_, bc) = find_after(&s, label, ir);
        assert_eq!(text(&s, ir, bc + 3), "－", "{label}");
    }
    // The self-evaluation row ends each strategy.
    let (er, ec) = find(&s, "戦略５－１の自己評価");
    let (s2, _) = find(
        &s,
        "めざす成果及び戦略　５－２　【区民サービスのさらなる向上】",
    );
    assert_eq!(er + 2, s2, "5-1's self-evaluation closes 5-1");
    let labels: Vec<String> = (ec..61)
        .map(|c| text(&s, er, c))
        .filter(|t| !t.is_empty())
        .collect();
    assert_eq!(labels, ["戦略５－１の自己評価", "課題", "改善策"]);
    find(&s, "戦略５－２の自己評価");
    let marks: Vec<_> = s
        .used_cells()
        .filter(|(_, _, c)| matches!(c, Data::String(t) if t == "〇"))
        .collect();
    assert_eq!(marks.len(), 2, "80.5% and 80.2% carry 〇");
}

/// What the page does not print but a round trip needs sits in hidden
/// columns right of the print area: ids, 担当課, target details, spellings.
#[test]
fn xlsx_jigyo_keikakusho_keeps_ids_and_details_out_of_print() {
    let mut plan = rich_plan();
    let issue = &mut plan.issues[0];
    issue.id = Some("issue-5".into());
    let strategy = &mut issue.strategies[0];
    strategy.id = Some("strategy-5-1".into());
    strategy.outcome_indicators[0].id = Some("indicator-5-1-a".into());
    let initiative = &mut strategy.initiatives[0];
    initiative.id = Some("initiative-5-1-1".into());
    initiative.section = Some("総務課".into());
    initiative.activities[0].id = Some("activity-1".into());
    initiative.photos[1].id = Some("photo-2".into());
    initiative.process_indicators[0].id = Some("indicator-5-1-1-a".into());
    let bytes =
        export_workbook_bytes(std::slice::from_ref(&plan), Layout::JigyoKeikakusho).unwrap();
    let back = import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(back, vec![carried_by(Layout::JigyoKeikakusho, &plan)]);
    assert_eq!(
        back[0].issues[0].strategies[0].initiatives[0]
            .section
            .as_deref(),
        Some("総務課")
    );
    // Hidden, and outside the print area.
    let s = sheet(&bytes, "経営課題5");
    let (_, col) = find(&s, "総務課");
    let (_, id_col) = find(&s, "initiative-5-1-1");
    let xml = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    for c in [col, id_col] {
        let n = c + 1;
        let hidden = xml
            .split("<col ")
            .filter_map(|tag| {
                let attr = |name: &str| -> Option<u32> {
                    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
                    tag[at..].split('"').next()?.parse().ok()
                };
                Some((attr("min")?, attr("max")?, tag.contains("hidden=\"1\"")))
            })
            .any(|(min, max, hidden)| min <= n && n <= max && hidden);
        assert!(hidden, "column {n} is hidden");
    }
    let book = zip_entry(&bytes, "xl/workbook.xml");
    assert!(
        book.contains("経営課題5!$A$1:$BI$"),
        "the print area ends at BI: {book}"
    );
    // A plan without ids writes no id.
    let bytes = export_workbook_bytes(&[demo_plan()], Layout::JigyoKeikakusho).unwrap();
    let back = import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(back, vec![demo_plan()]);
}

#[test]
fn xlsx_unei_hoshin_prints_the_city_layout() {
    let bytes = export_workbook_bytes(&[rich_plan()], Layout::UneiHoshin).unwrap();
    let s = sheet(&bytes, "運営方針");
    let (r, c) = find(&s, "【目標（何をめざすのか）】");
    assert_eq!(text(&s, r + 1, c), "誰もが安心して暮らせるまち");
    find(&s, "【使命（どのような役割を担うのか）】");
    find(&s, "【令和6年度　所属運営の基本的な考え方（区の方針）】");
    find(&s, "重点的に取り組む主な経営課題");
    find(&s, "【経営課題5】区民から信頼される区役所づくり");
    let (r, c) = find(&s, "課題認識");
    assert_eq!(text(&s, r, c + 1), "区民の信頼を高める必要がある");
    let (r, c) = find(&s, "主な戦略（課題解決の方策）");
    assert_eq!(
        text(&s, r, c + 1),
        "・区民ニーズの把握\n・窓口サービスの向上"
    );
    let (r, c) = find(&s, "アウトカム指標の達成状況（定量評価）");
    let achievement = text(&s, r, c + 1);
    assert!(
        achievement.starts_with("<令和6年度実績と達成状況>\n"),
        "{achievement}"
    );
    assert!(
        achievement.contains("<前年度実績>\n・52.5%"),
        "{achievement}"
    );
    let (r, c) = find(&s, "自己評価（運営方針全体の定性評価）");
    assert_eq!(text(&s, r + 1, c), "概ね順調");
    let (r, c) = find(&s, "今後の方針");
    assert_eq!(text(&s, r + 1, c), "引き続き取り組む");
}

#[test]
fn xlsx_data_layout_has_typed_tables() {
    let bytes = export_workbook_bytes(&[demo_plan()], Layout::Data).unwrap();
    let names = open(&bytes).sheet_names();
    for name in [
        "計画",
        "経営課題",
        "戦略",
        "具体的取組",
        "予算",
        "指標",
        "指標実績",
        "主な取組",
        "取組実績",
        "区政会議等意見",
        "写真",
        "グラフ",
    ] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    let s = sheet(&bytes, "予算");
    let (hr, hc) = find(&s, "金額（円）");
    assert_eq!(hr, 0);
    assert_eq!(s.get_value((1, hc)), Some(&Data::Float(5_100_000.0)));
    assert_eq!(text(&s, 1, 0), "阿倍野区");
    assert_eq!(s.get_value((1, 1)), Some(&Data::Float(2024.0)));
    let s = sheet(&bytes, "指標実績");
    let (_, vc) = find(&s, "値");
    assert_eq!(s.get_value((1, vc)), Some(&Data::Float(42.5)));
    // Print setup, autofilter, frozen header, Japanese font, native charts.
    let sheet1 = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    for needle in [
        "<autoFilter",
        "state=\"frozen\"",
        "paperSize=\"9\"",
        "orientation=\"landscape\"",
        "fitToHeight=\"0\"",
        "&amp;P / &amp;N ページ",
    ] {
        assert!(sheet1.contains(needle), "{needle}");
    }
    assert!(zip_entry(&bytes, "xl/workbook.xml").contains("_xlnm.Print_Titles"));
    assert!(zip_entry(&bytes, "xl/styles.xml").contains("游ゴシック"));
    assert!(zip_entry(&bytes, "xl/charts/chart1.xml").contains("<c:barChart>"));
}

#[test]
fn xlsx_every_sheet_is_set_up_for_a4_printing() {
    for layout in Layout::ALL {
        let bytes = export_workbook_bytes(&[rich_plan()], layout).unwrap();
        let names = open(&bytes).sheet_names();
        let book = zip_entry(&bytes, "xl/workbook.xml");
        assert_eq!(
            book.matches("_xlnm.Print_Titles").count(),
            names.len(),
            "{layout:?} print titles"
        );
        for (n, name) in names.iter().enumerate() {
            let xml = zip_entry(&bytes, &format!("xl/worksheets/sheet{}.xml", n + 1));
            assert!(xml.contains("paperSize=\"9\""), "{layout:?} {name}");
            assert!(xml.contains("orientation=\"landscape\"") || layout == Layout::UneiHoshin);
            assert!(xml.contains("阿倍野区"), "{layout:?} {name} footer");
            if layout == Layout::JigyoKeikakusho && name != "グラフ" {
                // The 事業計画書 prints at a fixed scale with chosen breaks
                // (Excel ignores manual breaks when fitting to a page).
                assert!(xml.contains("scale=\"80\""), "{name}");
                assert!(!xml.contains("fitToPage"), "{name}");
                assert!(xml.contains("<rowBreaks"), "{name}: two pages");
                assert!(xml.contains("&amp;P / &amp;N ページ"), "{name}");
                assert!(
                    xml.contains("経営課題５"),
                    "{name}: the footer names the issue"
                );
            } else {
                assert!(xml.contains("fitToPage=\"1\""), "{layout:?} {name}");
            }
        }
    }
}

#[test]
fn xlsx_jigyo_keikakusho_round_trip() {
    let plan = demo_plan();
    let bytes =
        export_workbook_bytes(std::slice::from_ref(&plan), Layout::JigyoKeikakusho).unwrap();
    let back = import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(back, vec![carried_by(Layout::JigyoKeikakusho, &plan)]);
    // The layout carries all of the demo plan.
    assert_eq!(back[0], plan);
    // A richer plan: evaluations, SDGs and photo captions survive too.
    let rich = rich_plan();
    let bytes =
        export_workbook_bytes(std::slice::from_ref(&rich), Layout::JigyoKeikakusho).unwrap();
    let back = import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(back, vec![carried_by(Layout::JigyoKeikakusho, &rich)]);
    assert_eq!(back[0].issues[0].sdgs, [11, 16]);
    assert_eq!(
        back[0].issues[0].strategies[0].improvements.as_deref(),
        Some("SNS の発信を増やす")
    );
    // Several plans: a sheet set per ward and year.
    let two = ward_set(&demo_plan())[..2].to_vec();
    let bytes = export_workbook_bytes(&two, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(
        open(&bytes).sheet_names()[..2],
        ["北区 R6 経営課題5", "都島区 R6 経営課題5"]
    );
    assert_eq!(
        import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap(),
        two
    );
}

/// What a booklet page makes hard to read back: several indicators per
/// table, sources shared by years, an opinion with lines of its own that
/// start with 「・」, a text that starts with its box's label, photos beyond
/// the two slots, spellings (62.0, 0.5件), a target's details.
#[test]
fn xlsx_jigyo_keikakusho_round_trip_of_tricky_content() {
    use hoshin_core::model::{Comparison, IndicatorResult};
    use serde_json::Number;
    let mut plan = rich_plan();
    let strategy = &mut plan.issues[0].strategies[0];
    strategy.current_state = Some("【現状】は見出しと同じ文字で始まる\n２行目".into());
    strategy.goal_state = Some("【めざす状態】　も同じ".into());
    let mut second = strategy.outcome_indicators[0].clone();
    second.text = "二つめのアウトカム指標".into();
    second.target.unit = "件".into();
    second.target.value = Some(Number::from(12));
    second.target.comparison = Some(Comparison::AtMost);
    second.target.from_fiscal_year = Some(2022);
    second.target.cumulative = Some(true);
    second.results = vec![
        IndicatorResult {
            fiscal_year: 2022,
            value: Some(serde_json::from_str("0.5").unwrap()),
            source: Some("調査A\n（2行目）".into()),
            ..Default::default()
        },
        IndicatorResult {
            fiscal_year: 2023,
            value: Some(serde_json::from_str("62.0").unwrap()),
            achieved: Some(true),
            source: Some("調査B".into()),
            ..Default::default()
        },
        IndicatorResult {
            fiscal_year: 2024,
            source: Some("調査A\n（2行目）".into()),
            ..Default::default()
        },
    ];
    strategy.outcome_indicators.push(second.clone());
    let initiative = &mut strategy.initiatives[0];
    initiative.council_opinions = vec![
        "一行目\n・二行目も同じ意見".into(),
        "・で始まる意見".into(),
        "普通の意見".into(),
    ];
    second.text = "二つめのプロセス指標".into();
    initiative.process_indicators.push(second);
    initiative.summary = None;
    initiative.budgets.remove(1);
    initiative.budgets[0].amount_yen = None;
    initiative.activities[0].results[0].text = "・点で始まる実績".into();
    for n in 3..=5 {
        initiative.photos.push(Photo {
            caption: format!("写真{n}"),
            ..Default::default()
        });
    }
    let bytes =
        export_workbook_bytes(std::slice::from_ref(&plan), Layout::JigyoKeikakusho).unwrap();
    let back = import_workbook_bytes(&bytes, Layout::JigyoKeikakusho).unwrap();
    assert_eq!(back, vec![carried_by(Layout::JigyoKeikakusho, &plan)]);
    let s = sheet(&bytes, "経営課題5");
    let (r, c) = find(&s, "二つめのアウトカム指標");
    assert_eq!(
        text(&s, r + 1, c),
        "出典（令和４年度・令和６年度）：調査A\n（2行目）\n出典（令和５年度）：調査B"
    );
    find(&s, "写真5");
}

#[test]
fn xlsx_data_round_trip_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("集計.xlsx");
    export_workbook(
        &[demo_plan()],
        Layout::Data,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap();
    assert_eq!(
        import_workbook(&path, Layout::Data).unwrap(),
        vec![demo_plan()]
    );
    let mut rich = rich_plan();
    // 担当課 (issue 11) travels with the 取組.
    rich.issues[0].strategies[0].initiatives[0].section = Some("市民協働課".into());
    export_workbook(
        std::slice::from_ref(&rich),
        Layout::Data,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap();
    assert_eq!(import_workbook(&path, Layout::Data).unwrap(), vec![rich]);
    let wards = ward_set(&demo_plan());
    assert_eq!(wards.len(), 24);
    export_workbook(
        &wards,
        Layout::Data,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap();
    assert_eq!(import_workbook(&path, Layout::Data).unwrap(), wards);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");
}

#[test]
fn xlsx_text_that_looks_like_a_formula_stays_text() {
    let mut plan = rich_plan();
    let evil = [
        "=1+2",
        "+SUM(A1:A2)",
        "-2+3",
        "@cmd",
        "=HYPERLINK(\"http://x\")",
    ];
    plan.issues[0].title = evil[0].into();
    plan.issues[0].strategies[0].title = evil[1].into();
    let initiative = &mut plan.issues[0].strategies[0].initiatives[0];
    initiative.title = evil[2].into();
    initiative.activities[0].text = evil[3].into();
    initiative.council_opinions[0] = evil[4].into();
    for layout in Layout::ALL {
        let bytes = export_workbook_bytes(&[plan.clone()], layout).unwrap();
        let mut book = open(&bytes);
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            // The only formulas: the chart table's references to the plan sheet.
            let reference = |f: &str| {
                f.starts_with("IF(ISNUMBER('経営課題5'!$")
                    && !f.contains('=')
                    && !f.contains("HYPERLINK")
            };
            assert!(
                formulas
                    .used_cells()
                    .all(|(_, _, f)| f.is_empty() || (name == "グラフ" && reference(f))),
                "{layout:?} {name} has a formula"
            );
            let range = book.worksheet_range(&name).unwrap();
            for (_, _, cell) in range.used_cells() {
                if let Data::String(s) = cell {
                    assert!(!s.starts_with('=') || evil.contains(&s.as_str()) || s.contains('【'));
                }
            }
        }
        if layout == Layout::Data {
            let s = book.worksheet_range("経営課題").unwrap();
            assert_eq!(s.get_value((1, 5)), Some(&Data::String("=1+2".into())));
            assert_eq!(
                import_workbook_bytes(&bytes, layout).unwrap(),
                vec![plan.clone()]
            );
        }
        if layout == Layout::JigyoKeikakusho {
            let s = book.worksheet_range("経営課題5").unwrap();
            find(&s, "@cmd");
            let opinions = s
                .used_cells()
                .find(|(_, _, c)| matches!(c, Data::String(t) if t.starts_with("〈参考〉")))
                .map(|(r, c, _)| (r as u32, c as u32))
                .unwrap();
            assert!(
                text(&s, opinions.0 + 1, opinions.1).starts_with("・=HYPERLINK(\"http://x\")\n"),
                "an opinion that looks like a formula stays text"
            );
            assert_eq!(
                import_workbook_bytes(&bytes, layout).unwrap(),
                vec![carried_by(layout, &plan)]
            );
        }
    }
}

/// The workbook with one number cell replaced by a text cell.
fn with_text_in_place_of(bytes: &[u8], number: &str, text: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(content).unwrap();
            let v = xml.find(&format!("<v>{number}</v>")).expect("the number");
            let c = xml[..v].rfind("<c ").unwrap();
            let head = &xml[c..v - 1];
            let cell = format!("{head} t=\"inlineStr\"><is><t>{text}</t></is></c>");
            let end = v + format!("<v>{number}</v></c>").len();
            content = format!("{}{cell}{}", &xml[..c], &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    s
}

#[test]
fn xlsx_a_bad_cell_is_named_in_japanese() {
    let bytes = export_workbook_bytes(&[demo_plan()], Layout::JigyoKeikakusho).unwrap();
    let bad = with_text_in_place_of(&bytes, "16217000", "16,217,000円x");
    let s = sheet(&bad, "経営課題5");
    let (r, c) = find(&s, "16,217,000円x");
    assert_eq!((r, c), (20, 24), "Y21");
    let err = import_workbook_bytes(&bad, Layout::JigyoKeikakusho).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("シート「経営課題5」のセル Y21"),
        "{message}"
    );
    assert!(message.contains("4決算額の金額"), "{message}");
    assert!(message.contains("数値を入力してください"), "{message}");

    let bytes = export_workbook_bytes(&[demo_plan()], Layout::Data).unwrap();
    let bad = with_text_in_place_of(&bytes, "2024", "二〇二四");
    let message = import_workbook_bytes(&bad, Layout::Data)
        .unwrap_err()
        .to_string();
    assert!(message.contains("シート「計画」のセル B2"), "{message}");
    assert!(message.contains("年度を入力してください"), "{message}");
}

#[test]
fn xlsx_a_file_that_is_not_a_workbook_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("memo.xlsx");
    std::fs::write(&path, "これは Excel ではありません").unwrap();
    let message = import_workbook(&path, Layout::JigyoKeikakusho)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("Excel ブック（.xlsx）として読めません"),
        "{message}"
    );
    assert!(message.contains("memo.xlsx"), "{message}");
    let json = dir.path().join("plan.json");
    std::fs::write(&json, hoshin_core::DEMO_PLAN_JSON).unwrap();
    assert!(import_workbook(&json, Layout::Data)
        .unwrap_err()
        .to_string()
        .contains("読めません"));
    let unei = export_workbook_bytes(&[demo_plan()], Layout::UneiHoshin).unwrap();
    assert!(import_workbook_bytes(&unei, Layout::UneiHoshin)
        .unwrap_err()
        .to_string()
        .contains("書き出し専用"));
    let message = import_workbook_bytes(&unei, Layout::JigyoKeikakusho)
        .unwrap_err()
        .to_string();
    assert!(message.contains("シートが見つかりません"), "{message}");
}

#[test]
fn xlsx_a_target_that_cannot_be_written_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ない フォルダ").join("計画.xlsx");
    let message = export_workbook(
        &[demo_plan()],
        Layout::Data,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        message.contains("に書き込めません（ファイルかフォルダが見つかりません）。ほかのプログラム（Excel など）で開いている場合は閉じてから"),
        "{message}"
    );
    assert!(message.contains("計画.xlsx"), "{message}");
}

#[test]
fn xlsx_renders_with_libreoffice() {
    if std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("note: soffice is not installed; skipping the LibreOffice render");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for layout in [Layout::JigyoKeikakusho, Layout::UneiHoshin, Layout::Data] {
        let path = dir.path().join(format!("{}.xlsx", layout.code()));
        export_workbook(
            &[rich_plan()],
            layout,
            &path,
            std::path::Path::new("test.hoshin"),
        )
        .unwrap();
        let status = std::process::Command::new("soffice")
            .arg("--headless")
            // A profile of its own: runs at the same time never share one.
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.path().join("lo-profile").display()
            ))
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&path)
            .output()
            .unwrap();
        let pdf = path.with_extension("pdf");
        assert!(
            pdf.exists(),
            "{layout:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        let head = std::fs::read(&pdf).unwrap();
        assert!(head.starts_with(b"%PDF"), "{layout:?}");
    }
}

/// Writes the demo workbooks for a look:
/// `cargo test -p hoshin-core --test xlsx xlsx_preview -- --ignored`, then render
/// them with soffice and pdftoppm (see docs/BENCHMARKS.md).
#[test]
#[ignore]
fn xlsx_preview() {
    let dir = std::env::var("XLSX_PREVIEW_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/xlsx-preview").into()
    });
    std::fs::create_dir_all(&dir).unwrap();
    for layout in Layout::ALL {
        let path = std::path::Path::new(&dir).join(format!("{}.xlsx", layout.code()));
        export_workbook(
            &[rich_plan()],
            layout,
            &path,
            std::path::Path::new("test.hoshin"),
        )
        .unwrap();
    }
    let path = std::path::Path::new(&dir).join("demo.xlsx");
    export_workbook(
        &[demo_plan()],
        Layout::JigyoKeikakusho,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap();
}

/// The openpyxl benchmark writes the same data workbook; Hoshin reads it back
/// as the same 24 plans. `OPENPYXL_XLSX=… cargo test --test xlsx xlsx_openpyxl -- --ignored`
#[test]
#[ignore]
fn xlsx_openpyxl_workbook_is_the_same_data() {
    let path = std::env::var("OPENPYXL_XLSX").expect("OPENPYXL_XLSX");
    let plans = import_workbook(std::path::Path::new(&path), Layout::Data).unwrap();
    assert_eq!(plans, ward_set(&demo_plan()));
}

#[test]
fn xlsx_empty_lists_round_trip() {
    let mut plan = demo_plan();
    plan.stage = Some(hoshin_core::model::Stage::Midterm);
    let issue = &mut plan.issues[0];
    issue.strategies[1].initiatives.clear();
    issue.strategies[1].outcome_indicators.clear();
    issue.strategies[1].goal_state = None;
    let initiative = &mut issue.strategies[0].initiatives[0];
    initiative.summary = None;
    initiative.budgets.clear();
    initiative.activities.clear();
    initiative.process_indicators.clear();
    initiative.photos.clear();
    initiative.council_opinions.clear();
    for layout in [Layout::JigyoKeikakusho, Layout::Data] {
        let bytes = export_workbook_bytes(std::slice::from_ref(&plan), layout).unwrap();
        assert_eq!(
            import_workbook_bytes(&bytes, layout).unwrap(),
            vec![plan.clone()],
            "{layout:?}"
        );
    }
}

/// Importing the 事業計画書 over the plan the file holds (置き換える) changes
/// only what the page shows: plan texts, the 経営課題's own indicators and
/// budgets, other years' results, ratings, notes and photos stay.
#[test]
fn xlsx_jigyo_keikakusho_import_over_a_plan_keeps_what_the_page_does_not_show() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = hoshin_core::Store::open(dir.path().join("plans.hoshin")).unwrap();
    let mut plan = rich_plan();
    // A year the page does not print (it shows three indicator years).
    let old_year = plan.issues[0].strategies[0].outcome_indicators[0].results[0].clone();
    plan.issues[0].strategies[0].outcome_indicators[0]
        .results
        .insert(
            0,
            hoshin_core::model::IndicatorResult {
                fiscal_year: old_year.fiscal_year - 3,
                ..old_year
            },
        );
    store.import_plan(&plan, false, "test").unwrap();
    let stored = store.load_plan("阿倍野区", 2024).unwrap();

    let book = dir.path().join("jigyo.xlsx");
    export_workbook(
        std::slice::from_ref(&stored),
        Layout::JigyoKeikakusho,
        &book,
        store.path(),
    )
    .unwrap();
    hoshin_core::xlsx::import_into(&mut store, &book, Layout::JigyoKeikakusho, true, "test")
        .unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), stored);

    // Without the ids the page carries, nodes are matched by place.
    let mut without = carried_by(Layout::JigyoKeikakusho, &stored);
    without = hoshin_core::identity::without_ids(without);
    without.issues[0].strategies[0].initiatives[0].title = "区民ニーズの把握".into();
    let other = dir.path().join("no-ids.xlsx");
    let scratch = dir.path().join("scratch.hoshin");
    export_workbook(
        std::slice::from_ref(&without),
        Layout::JigyoKeikakusho,
        &other,
        &scratch,
    )
    .unwrap();
    hoshin_core::xlsx::import_into(&mut store, &other, Layout::JigyoKeikakusho, true, "test")
        .unwrap();
    let after = store.load_plan("阿倍野区", 2024).unwrap();
    assert_eq!(
        after.issues[0].strategies[0].initiatives[0].title,
        "区民ニーズの把握"
    );
    assert_eq!(after.goal, stored.goal);
    assert_eq!(
        after.issues[0].outcome_indicators,
        stored.issues[0].outcome_indicators
    );
    assert_eq!(
        after.issues[0].strategies[0].outcome_indicators[0].results,
        stored.issues[0].strategies[0].outcome_indicators[0].results
    );
    assert_eq!(
        after.issues[0].strategies[0].initiatives[0].photos[0].data_base64,
        stored.issues[0].strategies[0].initiatives[0].photos[0].data_base64
    );
}
