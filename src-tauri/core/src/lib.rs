//! Hoshin's core: the 区運営方針 (ward management plan) model, validation and
//! normalisation, the SQLite store with history, the JSON interchange, 和暦.
//! It knows nothing of Tauri; the app and the CLI are thin layers over it.

pub mod chart;
pub mod edit;
pub mod error;
pub mod fields;
#[doc(hidden)]
pub mod fuzzing;
pub mod identity;
pub mod json;
pub mod limits;
pub mod model;
pub mod normalize;
pub mod output;
pub mod reply;
pub mod rollover;
pub mod sample;
pub mod store;
pub mod validate;
pub mod wareki;
pub mod xlsx;

pub use error::{Error, ErrorCode, Result, Violation};
pub use model::Plan;
pub use store::Store;

/// The bundled demo plan: the seed's 経営課題5 (阿倍野区, 令和6年度).
pub const DEMO_PLAN_JSON: &str = include_str!("../../../assets/demo/abeno-2024-issue5.json");

/// The demo plan, read through the same import code as any JSON file.
pub fn demo_plan() -> Plan {
    json::parse_plan(DEMO_PLAN_JSON).expect("the bundled demo plan is valid")
}
