//! Writes the fuzzers' seed inputs (scripts/fuzz.sh): the example plan as
//! JSON; the workbooks Hoshin exports from it and their parts, in the form
//! the xlsx target reads (a mode byte first, see `hoshin_core::fuzzing`).
//!
//! `cargo run -p hoshin-core --example fuzz_seeds -- OUT_DIR`

use std::path::PathBuf;

use hoshin_core::fuzzing::{part_seeds, RAW_MODE};
use hoshin_core::json::to_json;
use hoshin_core::xlsx::{export_workbook_bytes, ward_set, Layout};
use hoshin_core::{demo_plan, DEMO_PLAN_JSON};

fn main() {
    let out = PathBuf::from(std::env::args().nth(1).expect("usage: fuzz_seeds OUT_DIR"));
    let (json_dir, xlsx_dir) = (out.join("import_json"), out.join("import_xlsx"));
    std::fs::create_dir_all(&json_dir).unwrap();
    std::fs::create_dir_all(&xlsx_dir).unwrap();
    let plan = demo_plan();
    std::fs::write(json_dir.join("example.json"), DEMO_PLAN_JSON).unwrap();
    std::fs::write(json_dir.join("canonical.json"), to_json(&plan)).unwrap();
    for (name, bytes) in part_seeds() {
        std::fs::write(xlsx_dir.join(name), bytes).unwrap();
    }
    // Raw workbooks: the last mode, then the bytes.
    let raw = |bytes: Vec<u8>| [vec![RAW_MODE], bytes].concat();
    let unei = export_workbook_bytes(std::slice::from_ref(&plan), Layout::UneiHoshin).unwrap();
    std::fs::write(xlsx_dir.join("unei-hoshin.xlsx"), raw(unei)).unwrap();
    let all = export_workbook_bytes(&ward_set(&plan), Layout::Data).unwrap();
    std::fs::write(xlsx_dir.join("data-24-wards.xlsx"), raw(all)).unwrap();
}
