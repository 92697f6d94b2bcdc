//! Each chart kind to PNG (300 dpi) and SVG, for docs/BENCHMARKS.md.
//! Run: `cargo bench -p hoshin-core --bench chart`.

use criterion::{criterion_group, criterion_main, Criterion};
use hoshin_core::chart::{self, ChartRequest};

fn charts(c: &mut Criterion) {
    let plan = hoshin_core::demo_plan();
    let cases = [
        ("indicator", ChartRequest::indicator("5-1", 0)),
        ("budget", ChartRequest::budget("5-1-1")),
        ("overview", ChartRequest::overview()),
        ("share", ChartRequest::share()),
    ];
    chart::register_fonts();
    for (name, req) in &cases {
        c.bench_function(&format!("{name}/png300"), |b| {
            b.iter(|| chart::render_png(&plan, req, 300).unwrap())
        });
        c.bench_function(&format!("{name}/svg"), |b| {
            b.iter(|| chart::render_svg(&plan, req).unwrap())
        });
    }
    c.bench_function("council_pack/pdf", |b| {
        b.iter(|| chart::council_pack_pdf(&plan, "令和6年10月1日").unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = charts
}
criterion_main!(benches);
