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

/// One field edit through the store (`apply_edit`: find the node by id, load
/// it, validate it, write one row, record the changeset), on the demo plan and
/// on a plan the size of the whole city's: the cost should not depend on size.
fn one_field_edit(c: &mut Criterion) {
    use hoshin_core::edit::Edit;
    use hoshin_core::fields::InitiativeText;

    let mut group = c.benchmark_group("one field edit");
    for (name, plan) in [
        ("demo plan (4 取組)", hoshin_core::demo_plan()),
        (
            "city-sized plan (1,200 取組)",
            sample::city_sized_plan("大阪市", 2024, 1200),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path().join("edit.hoshin")).unwrap();
        store.import_plan(&plan, false, "bench").unwrap();
        let loaded = store.load_plan(&plan.ward, plan.fiscal_year).unwrap();
        let last = loaded
            .issues
            .last()
            .unwrap()
            .strategies
            .last()
            .unwrap()
            .initiatives
            .last()
            .unwrap();
        let id = last.id.clone().unwrap();
        let mut n = 0u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                let edit = Edit::SetInitiativeText {
                    initiative: id.clone(),
                    field: InitiativeText::Summary,
                    value: format!("概要 {n}"),
                };
                store
                    .apply_edit(&plan.ward, plan.fiscal_year, &edit)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, example, archive, one_field_edit);
criterion_main!(benches);
