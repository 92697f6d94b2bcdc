//! Export times per layout for the demo plan, and of the 24-ward data set.
//! `cargo bench -p hoshin-core --bench xlsx`; the openpyxl side is
//! benches/openpyxl/run.sh. Figures go to docs/BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use hoshin_core::demo_plan;
use hoshin_core::xlsx::{export_workbook_bytes, import_workbook_bytes, ward_set, Layout};

fn exports(c: &mut Criterion) {
    let plan = [demo_plan()];
    for layout in Layout::ALL {
        c.bench_function(&format!("export demo {}", layout.code()), |b| {
            b.iter(|| export_workbook_bytes(&plan, layout).unwrap())
        });
    }
    let wards = ward_set(&demo_plan());
    c.bench_function("export 24 wards data", |b| {
        b.iter(|| export_workbook_bytes(&wards, Layout::Data).unwrap())
    });
    let bytes = export_workbook_bytes(&wards, Layout::Data).unwrap();
    if let Ok(dir) = std::env::var("HOSHIN_BENCH_OUT") {
        std::fs::write(std::path::Path::new(&dir).join("wards-data.xlsx"), &bytes).unwrap();
    }
    c.bench_function("import 24 wards data", |b| {
        b.iter(|| import_workbook_bytes(&bytes, Layout::Data).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).without_plots();
    targets = exports
}
criterion_main!(benches);
