//! The printed 事業計画書 (issue 12): each workbook is rendered by
//! LibreOffice to PDF and the pages are checked as a planner would look at
//! them: how many, which text on which page, how large on paper, nothing
//! cut off, the booklet's arrangement. Also: the charts follow an edit of
//! the plan sheet, and a workbook edited by another program re-imports.
//!
//! Skipped with a note when LibreOffice or poppler is missing
//! (scripts/test.sh installs them).

mod render;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use hoshin_core::demo_plan;
use hoshin_core::model::{Issue, Plan};
use hoshin_core::xlsx::{carried_by, export_workbook, import_workbook, Layout};
use render::{Page, Recalc};

fn export(dir: &Path, name: &str, plan: &Plan) -> PathBuf {
    let path = dir.join(format!("{name}.xlsx"));
    export_workbook(
        std::slice::from_ref(plan),
        Layout::JigyoKeikakusho,
        &path,
        std::path::Path::new("test.hoshin"),
    )
    .unwrap();
    path
}

/// 5-1-2 → ５－１－２, as headings print numbers.
fn wide(number: &str) -> String {
    number
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
            '-' => '－',
            c => c,
        })
        .collect()
}

/// The pages of the sheet of `issue`: they repeat its title row.
fn sheet_pages<'a>(pages: &'a [Page], issue: &Issue) -> Vec<(usize, &'a Page)> {
    let title = format!(
        "経営課題{}【{}】",
        wide(&issue.number.to_string()),
        issue.title
    );
    pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.has(&title) && p.has("事業計画書"))
        .collect()
}

/// The one page (index into `pages`) that carries `marker`.
fn page_of(pages: &[(usize, &Page)], marker: &str) -> usize {
    let on: Vec<usize> = pages
        .iter()
        .filter(|(_, p)| p.has(marker))
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(on.len(), 1, "「{marker}」 is on pages {on:?}");
    on[0]
}

/// Everything the page prints of a strategy, for the presence check.
fn strategy_text(s: &hoshin_core::model::Strategy) -> String {
    let mut parts: Vec<String> = vec![s.title.clone()];
    for text in [
        &s.goal_state,
        &s.direction,
        &s.current_state,
        &s.challenges,
        &s.self_evaluation,
        &s.improvements,
    ] {
        parts.extend(text.clone());
    }
    for ind in s
        .outcome_indicators
        .iter()
        .chain(s.initiatives.iter().flat_map(|i| &i.process_indicators))
    {
        parts.push(ind.text.clone());
        parts.extend(ind.target.text.clone());
        // A source shared by several years prints once.
        let mut sources: Vec<String> = ind
            .results
            .iter()
            .filter_map(|r| r.source.clone())
            .collect();
        sources.dedup();
        parts.extend(sources);
    }
    for i in &s.initiatives {
        parts.push(i.title.clone());
        parts.extend(i.summary.clone());
        for a in &i.activities {
            parts.push(a.text.clone());
            parts.extend(a.results.iter().map(|r| r.text.clone()));
        }
        parts.extend(i.photos.iter().map(|p| p.caption.clone()));
        parts.extend(i.council_opinions.clone());
    }
    parts.concat()
}

/// Checks every page of a sheet as printed: A4 landscape, no text under
/// 7 pt, no text cut by a cell border.
fn check_pages(pdf: &Path, pages: &[(usize, &Page)]) {
    for (n, page) in pages {
        assert!((page.width - 841.89).abs() < 1.0, "A4 landscape width");
        assert!((page.height - 595.28).abs() < 1.0, "A4 landscape height");
        let smallest = page
            .words
            .iter()
            .map(|w| (w.size_pt(), w.text.as_str()))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        assert!(
            smallest.0 >= 6.95,
            "page {}: 「{}」 prints at {:.2} pt",
            n + 1,
            smallest.1,
            smallest.0
        );
        let crossed = render::crossed_words(pdf, n + 1, page, 150);
        assert!(
            crossed.is_empty(),
            "page {}: cut by a cell border: {crossed:?}",
            n + 1
        );
    }
}

#[test]
fn the_demo_prints_on_two_pages_like_the_booklet() {
    if !render::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plan = demo_plan();
    let pdf = render::to_pdf(
        &export(dir.path(), "demo", &plan),
        dir.path(),
        Recalc::Cached,
    );
    let pages = render::pages(&pdf);
    let issue = &plan.issues[0];
    let sheet = sheet_pages(&pages, issue);
    assert_eq!(sheet.len(), 2, "the booklet's density: two A4 pages");
    check_pages(&pdf, &sheet);
    // The 「グラフ」 page after them is legible too.
    let charts = pages.iter().position(|p| p.has("予算（円）")).unwrap();
    let smallest = pages[charts]
        .words
        .iter()
        .map(render::Word::size_pt)
        .fold(f64::MAX, f64::min);
    assert!(
        smallest >= 6.95,
        "the グラフ page has {smallest:.2} pt text"
    );
    let (first, second) = (sheet[0].1, sheet[1].1);

    // Each 戦略 on its own page, whole: heading, boxes, both 取組, the
    // self-evaluation row; the title row repeats on the second page.
    for (page, strategy) in [first, second].iter().zip(&issue.strategies) {
        let number = wide(strategy.number.as_deref().unwrap());
        assert!(page.has(&format!("めざす成果及び戦略{number}【{}】", strategy.title)));
        for i in &strategy.initiatives {
            assert!(page.has(&format!("具体的取組{}【{}】", wide(&i.number), i.title)));
        }
        assert!(page.has(&format!("戦略{number}の自己評価")));
        let missing = render::missing_chars(&page.joined(), &strategy_text(strategy));
        assert!(missing.is_empty(), "{number}: not printed: {missing:?}");
    }
    assert!(!first.has("めざす成果及び戦略５－２"));
    assert!(second.has("経営課題５【区民から信頼される区役所づくり】"));
    assert!(first.has(issue.summary.as_deref().unwrap()));
    // The footer: ward, year, document, page.
    let total = pages.len();
    for (k, (_, page)) in sheet.iter().enumerate() {
        assert!(page.has("阿倍野区令和6年度事業計画書"));
        assert!(page.has(&format!("{}/{total}ページ", k + 1)));
    }

    // The seed's arrangement, by position on the page.
    let at = |page: &Page, text: &str| -> render::Word {
        page.words
            .iter()
            .find(|w| w.text == text)
            .unwrap_or_else(|| panic!("「{text}」 on the page"))
            .clone()
    };
    let same_line = |a: &render::Word, b: &render::Word| (a.y0 - b.y0).abs() < 2.0;
    let heading = first
        .words
        .iter()
        .find(|w| w.text.starts_with("具体的取組５－１－１"))
        .unwrap();
    // The budget row beside the heading, 4決算額 5予算額 6予算額 in yen.
    for label in ["4決算額", "5予算額", "6予算額"] {
        let w = at(first, label);
        assert!(same_line(&w, heading) && w.x0 > heading.x1, "{label}");
    }
    assert!(first.has("5,100,0005予算額5,442,0006予算額6,135,000"));
    // The vertical 「具体的取組」 label: one character above the next, left
    // of the heading.
    let column: Vec<&render::Word> = first
        .words
        .iter()
        .filter(|w| w.x1 <= heading.x0 && "具体的取組".contains(w.text.as_str()))
        .collect();
    assert!(column.len() >= 10, "two vertical labels: {column:?}");
    assert!(column
        .windows(2)
        .all(|p| p[1].y0 > p[0].y0 || p[1].x0 != p[0].x0));
    // 写真等 ×2, then 〈参考〉区政会議等意見 to their right.
    let photos: Vec<&render::Word> = first
        .words
        .iter()
        .filter(|w| w.text == "写真等" && same_line(w, heading))
        .collect();
    assert_eq!(photos.len(), 2);
    let opinions = first
        .words
        .iter()
        .find(|w| w.text == "〈参考〉区政会議等意見" && same_line(w, heading))
        .unwrap();
    assert!(photos.iter().all(|p| p.x1 < opinions.x0));
    let opinion = first
        .words
        .iter()
        .find(|w| w.text.starts_with("・委員からの質問"))
        .unwrap();
    assert!(opinion.x0 > photos[1].x1 && opinion.y0 > opinions.y1);
    // Captions under the photo slots, on the line of the legend.
    let caption = at(first, "区政会議");
    assert!(caption.x0 >= photos[0].x0 - 20.0 && caption.x1 <= photos[1].x0);
    let legend = first
        .words
        .iter()
        .filter(|w| w.text.starts_with("〇：目標達成") && same_line(w, &caption))
        .count();
    assert_eq!(legend, 1, "the legend on the captions' line");
    // 主な取組 with this and last year's 実績.
    let activities = at(first, "主な取組");
    assert!(same_line(&at(first, "5年度実績"), &activities));
    assert!(same_line(&at(first, "6年度実績"), &activities));
    // The process table's header over the year headers, the legend under
    // every indicator table: one outcome and two process tables.
    assert!(first.has("プロセス（過程）指標（取組によりめざす指標）プロセス（過程）指標の達成状況"));
    let legends = first
        .words
        .iter()
        .filter(|w| w.text.starts_with("〇：目標達成"))
        .count();
    assert_eq!(legends, 3);
    // The self-evaluation row: 自己評価 | 課題 | 改善策, left to right, last.
    let (evaluation, challenges, improvements) = (
        at(first, "戦略５－１の自己評価"),
        at(first, "課題"),
        at(first, "改善策"),
    );
    assert!(same_line(&evaluation, &challenges) && same_line(&challenges, &improvements));
    assert!(evaluation.x1 < challenges.x0 && challenges.x1 < improvements.x0);
    let lowest = first
        .words
        .iter()
        .filter(|w| w.y1 < page_footer_top(first))
        .map(|w| w.y0)
        .fold(0.0, f64::max);
    assert!(
        evaluation.y0 > lowest - 40.0,
        "the self-evaluation row ends the page"
    );
}

/// Where the footer starts (the page's lowest words).
fn page_footer_top(page: &Page) -> f64 {
    page.words.iter().map(|w| w.y0).fold(0.0, f64::max) - 2.0
}

/// A plan of five issues, each a renumbered copy of the demo's with its
/// own titles and captions (so every 取組 can be found on the page).
fn five_issue_plan() -> Plan {
    let mut plan = demo_plan();
    let titles = [
        "防災・減災の推進",
        "地域コミュニティの活性化",
        "子育て・教育環境の充実",
        "健康で安心して暮らせるまち",
        "区民から信頼される区役所づくり",
    ];
    let template = plan.issues[0].clone();
    plan.issues = titles
        .iter()
        .enumerate()
        .map(|(k, title)| {
            let n = k as u32 + 1;
            let mut issue = template.clone();
            issue.number = n;
            issue.title = title.to_string();
            for (si, s) in issue.strategies.iter_mut().enumerate() {
                s.number = Some(format!("{n}-{}", si + 1));
                for (ii, i) in s.initiatives.iter_mut().enumerate() {
                    i.number = format!("{n}-{}-{}", si + 1, ii + 1);
                    for (k, p) in i.photos.iter_mut().enumerate() {
                        p.caption = format!("{}の写真{}", i.number, k + 1);
                    }
                }
            }
            issue
        })
        .collect();
    // Not all alike: longer opinions, an activity more, a longer summary.
    let s = &mut plan.issues[1].strategies[0];
    s.initiatives[0]
        .council_opinions
        .push("地域の担い手が高齢化しており、若い世代が参加しやすい工夫をしてほしい。".into());
    s.initiatives[1]
        .activities
        .push(hoshin_core::model::Activity {
            text: "地域活動協議会への支援：随時".into(),
            ..Default::default()
        });
    let s = &mut plan.issues[2].strategies[1];
    let summary = s.initiatives[0].summary.clone().unwrap();
    s.initiatives[0].summary = Some(format!("{summary}{summary}"));
    plan
}

#[test]
fn a_five_issue_plan_prints_every_strategy_and_initiative_whole() {
    let plan = five_issue_plan();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = export(dir.path(), "five", &plan);
    // It re-imports exactly, as every jigyo-keikakusho workbook does.
    assert_eq!(
        import_workbook(&xlsx, Layout::JigyoKeikakusho).unwrap(),
        vec![carried_by(Layout::JigyoKeikakusho, &plan)]
    );
    if !render::available() {
        return;
    }
    let pdf = render::to_pdf(&xlsx, dir.path(), Recalc::Cached);
    let pages = render::pages(&pdf);
    for issue in &plan.issues {
        let sheet = sheet_pages(&pages, issue);
        assert!(
            (1..=2).contains(&sheet.len()),
            "経営課題{}: {} pages",
            issue.number,
            sheet.len()
        );
        check_pages(&pdf, &sheet);
        for s in &issue.strategies {
            let number = wide(s.number.as_deref().unwrap());
            let head = page_of(&sheet, &format!("めざす成果及び戦略{number}【"));
            for i in &s.initiatives {
                // Never split: its heading and its last row (the captions)
                // on the same page as the strategy.
                let heading = page_of(&sheet, &format!("具体的取組{}【", wide(&i.number)));
                let last = page_of(&sheet, &i.photos[1].caption);
                assert_eq!(heading, last, "具体的取組{} is split", i.number);
                assert_eq!(heading, head, "具体的取組{} left its 戦略", i.number);
            }
            let end = page_of(&sheet, &format!("戦略{number}の自己評価"));
            assert_eq!(end, head, "戦略{number} is split");
        }
    }
}

/// The demo with a 取組 of 60 activities.
fn long_initiative_plan() -> Plan {
    let mut plan = demo_plan();
    plan.issues[0].strategies[0].initiatives[1].photos[1].caption = "5-1-2の写真2".into();
    let initiative = &mut plan.issues[0].strategies[0].initiatives[0];
    let template = initiative.activities[0].clone();
    initiative.activities = (1..=60)
        .map(|n| {
            let mut a = template.clone();
            a.text = format!("地域での説明会の開催　第{n}回");
            a
        })
        .collect();
    plan
}

#[test]
fn an_initiative_taller_than_a_page_continues_with_its_headings() {
    let plan = long_initiative_plan();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = export(dir.path(), "long", &plan);
    // The rows printed again after the break are not read back as data.
    assert_eq!(
        import_workbook(&xlsx, Layout::JigyoKeikakusho).unwrap(),
        vec![carried_by(Layout::JigyoKeikakusho, &plan)]
    );
    if !render::available() {
        return;
    }
    let pdf = render::to_pdf(&xlsx, dir.path(), Recalc::Cached);
    let pages = render::pages(&pdf);
    let sheet = sheet_pages(&pages, &plan.issues[0]);
    check_pages(&pdf, &sheet);
    let start = sheet
        .iter()
        .find(|(_, p)| p.has("具体的取組５－１－１【"))
        .unwrap()
        .0;
    let first = page_of(&sheet, "第1回");
    let last = page_of(&sheet, "第60回");
    assert!(last > first, "60 activities do not fit on one page");
    // The strategy starts a page of its own; its first 取組 follows it.
    assert_eq!(start, first);
    for (n, page) in pages.iter().enumerate().take(last + 1).skip(first + 1) {
        assert!(
            page.has("具体的取組５－１－１ 【区民ニーズの的確な把握と施策への反映】（つづき）"),
            "page {}: the 取組's heading again",
            n + 1
        );
        assert!(
            page.has("主な取組5年度実績6年度実績"),
            "page {}: the table's header again",
            n + 1
        );
    }
    // The other 取組 is whole.
    let heading = page_of(&sheet, "具体的取組５－１－２【");
    assert_eq!(heading, page_of(&sheet, "5-1-2の写真2"));
}

/// The workbook with one plan-sheet number replaced (as an edit in Excel
/// would leave it).
fn with_number_replaced(path: &Path, from: &str, to: &str) -> PathBuf {
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut replaced = false;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(content).unwrap();
            let was = format!("<v>{from}</v>");
            replaced = xml.contains(&was);
            content = xml.replacen(&was, &format!("<v>{to}</v>"), 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    assert!(replaced, "{from} is a number cell of the plan sheet");
    let edited = path.with_file_name("edited.xlsx");
    std::fs::write(&edited, out.finish().unwrap().into_inner()).unwrap();
    edited
}

#[test]
fn the_charts_follow_an_edit_of_the_plan_sheet() {
    if !render::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xlsx = export(dir.path(), "demo", &demo_plan());
    let chart_page = |pdf: &Path| -> String {
        let pages = render::pages(pdf);
        let page = pages
            .iter()
            .find(|p| p.has("予算（円）") && !p.has("事業計画書"))
            .expect("the グラフ page");
        page.joined()
    };
    // Opened as it is: the cached results show.
    let page = chart_page(&render::to_pdf(&xlsx, dir.path(), Recalc::Cached));
    assert!(page.contains("16,217,000"), "{page}");
    // A planner corrects 5-1-2's 4決算額 on the plan sheet: the chart table
    // (and so the chart) shows the new figure once formulas are computed,
    // as Excel does on opening (the workbook asks for it).
    let edited = with_number_replaced(&xlsx, "16217000", "17250000");
    let page = chart_page(&render::to_pdf(&edited, dir.path(), Recalc::OnLoad));
    assert!(page.contains("17,250,000"), "{page}");
    assert!(!page.contains("16,217,000"), "{page}");
}

/// Runs `script` with python3 and openpyxl; None (with a note) when they
/// are missing. scripts/test.sh installs openpyxl.
fn python(script: &str, args: &[&Path]) -> Option<()> {
    let have = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        println!("note: python3 with openpyxl is not installed; the edited workbook is not checked. scripts/test.sh installs it.");
        return None;
    }
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(())
}

#[test]
fn a_workbook_edited_with_openpyxl_reimports_with_the_edits() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = demo_plan();
    plan.issues[0].strategies[0].initiatives[0].id = Some("initiative-a".into());
    plan.issues[0].strategies[0].initiatives[0].section = Some("総務課".into());
    let xlsx = export(dir.path(), "demo", &plan);
    let edited = dir.path().join("edited.xlsx");
    // A planner's edits in another program: a summary retyped, a budget
    // corrected, this year's result and mark filled in, 全角 digits.
    let script = r#"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["経営課題5"]
def find(test, after=1):
    return next(c for row in ws.iter_rows(min_row=after) for c in row if c.value is not None and test(c.value))
summary = find(lambda v: isinstance(v, str) and v.startswith("広報紙・ホームページについては"))
summary.value = "広報紙とホームページで、伝わりやすい情報発信に取り組みます。"
find(lambda v: v == 16217000).value = 17250000
activity = find(lambda v: v == "区政会議全体会の開催（オンライン併用）：3回程度")
ws.cell(row=activity.row, column=37).value = "３回"
header = find(lambda v: v == "令和6年度", after=activity.row)
ws.cell(row=header.row + 1, column=header.column).value = 47.5
ws.cell(row=header.row + 1, column=header.column + 4).value = "－"
wb.save(sys.argv[2])
"#;
    if python(script, &[&xlsx, &edited]).is_none() {
        return;
    }
    let mut expected = plan.clone();
    let strategy = &mut expected.issues[0].strategies[0];
    strategy.initiatives[1].summary =
        Some("広報紙とホームページで、伝わりやすい情報発信に取り組みます。".into());
    strategy.initiatives[1].budgets[0].amount_yen = Some(17_250_000);
    strategy.initiatives[0].activities[0]
        .results
        .push(hoshin_core::model::ActivityResult {
            fiscal_year: 2024,
            text: "３回".into(),
        });
    strategy.initiatives[0].process_indicators[0].results.push(
        hoshin_core::model::IndicatorResult {
            fiscal_year: 2024,
            value: Some(serde_json::Number::from_f64(47.5).unwrap()),
            achieved: Some(false),
            ..Default::default()
        },
    );
    assert_eq!(
        import_workbook(&edited, Layout::JigyoKeikakusho).unwrap(),
        vec![expected]
    );
}

/// Writes the workbooks these tests print, for a look:
/// `XLSX_PREVIEW_DIR=DIR cargo test -p hoshin-core --test xlsx_print print_preview -- --ignored`
/// (see docs/BENCHMARKS.md for rendering them).
#[test]
#[ignore]
fn print_preview() {
    let dir = PathBuf::from(std::env::var("XLSX_PREVIEW_DIR").expect("XLSX_PREVIEW_DIR"));
    std::fs::create_dir_all(&dir).unwrap();
    export(&dir, "demo", &demo_plan());
    export(&dir, "five-issues", &five_issue_plan());
    export(&dir, "long-initiative", &long_initiative_plan());
}
