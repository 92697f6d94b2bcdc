//! Every input the fuzzers crashed on (scripts/fuzz.sh), replayed: each file
//! in tests/fuzz/import_json and tests/fuzz/import_xlsx must now be refused
//! or accepted without a panic, with the fuzzers' properties holding.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if std::panic::catch_unwind(|| check(&bytes)).is_err() {
            panic!("{} fails again", path.display());
        }
        count += 1;
    }
    count
}

#[test]
fn json_inputs_that_once_crashed() {
    replay("import_json", hoshin_core::fuzzing::import_json);
}

#[test]
fn workbooks_that_once_crashed() {
    replay("import_xlsx", hoshin_core::fuzzing::import_xlsx);
}
