//! 照会・回答 (issue 11) at city size: 5 sections share the 1,200 具体的取組
//! of `sample::city_sized_plan`; each section's reply fills every asked value
//! of its 240 取組. Measures reading the 5 reply workbooks and merging them
//! into a file on disk (preview, and the merge as one transaction and undo
//! step). `cargo bench -p hoshin-core --bench reply`; figures go to
//! docs/BENCHMARKS.md.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use hoshin_core::model::{ActivityResult, IndicatorResult, Initiative, Plan};
use hoshin_core::reply::{self, Ask, Reply};
use hoshin_core::{identity, sample, xlsx, Store};

const WARD: &str = "大阪市";
const YEAR: i32 = 2024;
const SECTIONS: [&str; 5] = [
    "総務課",
    "市民協働課",
    "窓口サービス課",
    "保健福祉課",
    "地域課",
];

fn initiatives_mut(plan: &mut Plan) -> impl Iterator<Item = &mut Initiative> {
    plan.issues
        .iter_mut()
        .flat_map(|i| &mut i.strategies)
        .flat_map(|s| &mut s.initiatives)
}

/// What a section writes: this year's 実績 of every 主な取組, every process
/// indicator's value and mark, and the settled budget.
fn fill(reply: &mut Reply) {
    for plan in &mut reply.filled {
        for (n, it) in initiatives_mut(plan).enumerate() {
            for a in &mut it.activities {
                a.results.retain(|r| r.fiscal_year != YEAR);
                a.results.push(ActivityResult {
                    fiscal_year: YEAR,
                    text: format!("年{}回", n % 12 + 1),
                });
            }
            for ind in &mut it.process_indicators {
                ind.results.retain(|r| r.fiscal_year != YEAR);
                ind.results.push(IndicatorResult {
                    fiscal_year: YEAR,
                    value: Some(serde_json::Number::from(40 + n as u64 % 50)),
                    achieved: Some(n % 3 != 0),
                    ..Default::default()
                });
            }
            if let Some(b) = it.budgets.first_mut() {
                b.amount_yen = Some(1_000_000 + n as u64 * 1000);
            }
        }
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh copy of `pristine` at `work`, opened.
fn fresh(pristine: &Path, work: &Path) -> Store {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    std::fs::copy(pristine, work).unwrap();
    Store::open(work).unwrap()
}

fn merges(c: &mut Criterion) {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("hoshin-bench-reply-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0).unwrap();
    let pristine = scratch.0.join("pristine.hoshin");
    let work = scratch.0.join("work.hoshin");

    let mut plan = sample::city_sized_plan(WARD, YEAR, 1200);
    identity::assign_missing(&mut plan);
    for (n, it) in initiatives_mut(&mut plan).enumerate() {
        it.section = Some(SECTIONS[n % SECTIONS.len()].to_string());
    }
    let mut store = Store::open(&pristine).unwrap();
    store.import_plan(&plan, false, "ベンチマーク").unwrap();
    let plan = store.load_plan(WARD, YEAR).unwrap();
    drop(store);

    let requests: Vec<(String, Vec<u8>)> = SECTIONS
        .iter()
        .map(|s| {
            let bytes = xlsx::write_request(&plan, s, &Ask::DEFAULT, "2025-04-10 09:00").unwrap();
            (reply::request_file_name(s), bytes)
        })
        .collect();
    let read_all = || -> Vec<Reply> {
        requests
            .iter()
            .map(|(name, bytes)| xlsx::read_reply(bytes, name).unwrap())
            .collect()
    };
    let mut replies = read_all();
    replies.iter_mut().for_each(fill);

    // Once, outside the timing: the merge really applies every value.
    let mut store = fresh(&pristine, &work);
    let done = reply::merge(&mut store, &replies, &[], false).unwrap();
    assert!(done.applied && done.conflicts == 0 && done.refused == 0);
    assert!(done.changes > 5_000, "{} changes", done.changes);
    println!("5 replies: {} changes in one merge", done.changes);
    drop(store);

    c.bench_function("read 5 reply workbooks (city-sized plan)", |b| {
        b.iter(read_all)
    });
    let mut store = fresh(&pristine, &work);
    c.bench_function("preview 5 replies (dry run, city-sized plan)", |b| {
        b.iter(|| reply::merge(&mut store, &replies, &[], true).unwrap())
    });
    drop(store);
    c.bench_function("merge 5 replies into a file (city-sized plan)", |b| {
        b.iter_batched(
            || fresh(&pristine, &work),
            |mut store| reply::merge(&mut store, &replies, &[], false).unwrap(),
            BatchSize::PerIteration,
        )
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).without_plots();
    targets = merges
}
criterion_main!(benches);
