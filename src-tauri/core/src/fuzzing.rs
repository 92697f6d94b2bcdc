//! What the fuzzers check (`fuzz/`), shared with the regression tests that
//! replay every input they ever crashed on (`tests/fuzz_regressions.rs`).
//! Each function panics when a property breaks.

use crate::json::{parse_plan, to_json};
use crate::xlsx::{export_workbook_bytes, import_workbook_bytes, Layout};

/// Any bytes as an interchange JSON file: reading refuses or accepts, never
/// panics; an accepted plan imports again unchanged and exports in every
/// workbook layout.
pub fn import_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(plan) = parse_plan(text) else {
        return;
    };
    let again = parse_plan(&to_json(&plan)).expect("an accepted plan imports again");
    assert_eq!(again, plan);
    for layout in Layout::ALL {
        export_workbook_bytes(std::slice::from_ref(&plan), layout)
            .expect("an accepted plan exports in every layout");
    }
}

/// Any bytes as a workbook, in both importable layouts: reading refuses or
/// accepts within bounded memory, never panics; an accepted plan is valid
/// interchange JSON.
///
/// Mutated zip bytes mostly fail the zip's checksums, so the first byte
/// also picks a part of an exported workbook that the rest replaces (a
/// sheet, the shared strings, the styles, the workbook list), zipped again
/// with correct checksums: the fuzzer then reaches the XML parsing and the
/// layout readers. See [`part_seeds`] for the matching seeds.
pub fn import_xlsx(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let workbook = match PARTS.get(mode as usize % (PARTS.len() + 1)) {
        None => rest.to_vec(),
        Some((layout, part)) => with_part(&base(*layout), part, rest),
    };
    for layout in [Layout::JigyoKeikakusho, Layout::Data] {
        if let Ok(plans) = import_workbook_bytes(&workbook, layout) {
            for plan in plans {
                parse_plan(&to_json(&plan)).expect("an imported plan is valid JSON again");
            }
        }
    }
}

/// The mode byte of [`import_xlsx`] for raw workbook bytes.
pub const RAW_MODE: u8 = PARTS.len() as u8;

/// The parts [`import_xlsx`] replaces, by mode 0…; [`RAW_MODE`] is raw bytes.
const PARTS: [(Layout, &str); 6] = [
    (Layout::JigyoKeikakusho, "xl/worksheets/sheet1.xml"),
    (Layout::JigyoKeikakusho, "xl/sharedStrings.xml"),
    (Layout::JigyoKeikakusho, "xl/styles.xml"),
    (Layout::JigyoKeikakusho, "xl/workbook.xml"),
    (Layout::Data, "xl/worksheets/sheet1.xml"),
    (Layout::Data, "xl/worksheets/sheet6.xml"),
];

/// The demo plan's workbook in `layout`, made once.
fn base(layout: Layout) -> Vec<u8> {
    static BOOKS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let books = BOOKS.get_or_init(|| {
        [Layout::JigyoKeikakusho, Layout::Data]
            .map(|l| export_workbook_bytes(&[crate::demo_plan()], l).expect("the demo exports"))
            .to_vec()
    });
    books[usize::from(layout == Layout::Data)].clone()
}

fn with_part(workbook: &[u8], part: &str, content: &[u8]) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(workbook)).expect("our workbook");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("our workbook");
        let name = entry.name().expect("our workbook").to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("our workbook");
        out.start_file(name.as_str(), stored).expect("in memory");
        out.write_all(if name == part { content } else { &bytes })
            .expect("in memory");
    }
    out.finish().expect("in memory").into_inner()
}

/// Seeds for [`import_xlsx`]: each part as it is (mode byte first), and the
/// raw workbooks.
pub fn part_seeds() -> Vec<(String, Vec<u8>)> {
    use std::io::{Cursor, Read};
    let mut seeds = Vec::new();
    for (mode, (layout, part)) in PARTS.iter().enumerate() {
        let workbook = base(*layout);
        let mut archive = zip::ZipArchive::new(Cursor::new(&workbook)).expect("our workbook");
        let mut bytes = vec![mode as u8];
        archive
            .by_name(part)
            .expect("the part")
            .read_to_end(&mut bytes)
            .expect("our workbook");
        let name = format!("{}-{}", layout.code(), part.replace('/', "_"));
        seeds.push((name, bytes));
    }
    for layout in [Layout::JigyoKeikakusho, Layout::Data] {
        let mut bytes = vec![RAW_MODE];
        bytes.extend(base(layout));
        seeds.push((format!("{}.xlsx", layout.code()), bytes));
    }
    seeds
}
