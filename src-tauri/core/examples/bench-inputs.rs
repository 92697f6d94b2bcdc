//! Writes the inputs of the whole-process benchmarks (benches/processes.sh):
//! `city-plan.json` and `city-plan.hoshin` (one plan with 1,200 具体的取組),
//! `demo.hoshin` (the demo plan) and `archive.hoshin` (24 wards × 10 years).
//! Run: `cargo run --release -p hoshin-core --example bench-inputs -- DIR`.

use std::path::PathBuf;

use hoshin_core::{json, sample, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: bench-inputs DIR")?);
    std::fs::create_dir_all(&dir)?;
    let fresh = |name: &str| -> Result<Store, Box<dyn std::error::Error>> {
        let path = dir.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        Ok(Store::open(path)?)
    };

    let city = sample::city_sized_plan("大阪市", 2024, 1200);
    std::fs::write(dir.join("city-plan.json"), json::to_json(&city))?;
    fresh("city-plan.hoshin")?.import_plan(&city, false, "bench")?;
    fresh("demo.hoshin")?.import_plan(&hoshin_core::demo_plan(), false, "bench")?;
    // Plan by plan, as the store benchmark builds it: ≈ 12 MB with history.
    let mut archive = fresh("archive.hoshin")?;
    for plan in sample::city_archive(10, 2024) {
        archive.import_plan(&plan, false, "bench")?;
    }
    println!("{}", dir.display());
    Ok(())
}
