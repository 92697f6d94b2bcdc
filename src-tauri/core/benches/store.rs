//! Storage benchmarks: JSON import/export of the example, loading a plan
//! tree, and a city archive of 24 wards × 10 years.

use criterion::{criterion_group, criterion_main, Criterion};
use hoshin_core::json::{parse_plan, to_json};
use hoshin_core::{sample, Store, DEMO_PLAN_JSON};

fn example(c: &mut Criterion) {
    let plan = parse_plan(DEMO_PLAN_JSON).unwrap();
    c.bench_function("parse example JSON (schema + rules)", |b| {
        b.iter(|| parse_plan(DEMO_PLAN_JSON).unwrap())
    });
    c.bench_function("import example into SQLite file", |b| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("b.hoshin")).unwrap();
        b.iter(|| store.import_plan(&plan, true, "bench").unwrap())
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.hoshin");
    Store::open(&path)
        .unwrap()
        .import_plan(&plan, false, "bench")
        .unwrap();
    let store = Store::open(&path).unwrap();
    c.bench_function("load example plan tree", |b| {
        b.iter(|| store.load_plan("阿倍野区", 2024).unwrap())
    });
    c.bench_function("export example to JSON (load + serialise)", |b| {
        b.iter(|| to_json(&store.load_plan("阿倍野区", 2024).unwrap()))
    });
}

fn archive(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.hoshin");
    {
        let mut store = Store::open(&path).unwrap();
        for plan in sample::city_archive(10, 2024) {
            store.import_plan(&plan, false, "bench").unwrap();
        }
    }
    let mut group = c.benchmark_group("archive 24 wards x 10 years");
    group.bench_function("open file and load one plan tree", |b| {
        b.iter(|| {
            Store::open(&path)
                .unwrap()
                .load_plan("西成区", 2020)
                .unwrap()
        })
    });
    let store = Store::open(&path).unwrap();
    group.bench_function("list plans", |b| b.iter(|| store.list_plans().unwrap()));
    group.finish();
}

criterion_group!(benches, example, archive);
criterion_main!(benches);
