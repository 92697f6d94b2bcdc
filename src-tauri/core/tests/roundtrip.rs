//! The interchange round trip on plans nobody wrote by hand: proptest makes
//! random valid plans; each goes JSON → import → SQLite → export → JSON and
//! must come back identical.

use base64::Engine;
use hoshin_core::json::{parse_plan, to_json};
use hoshin_core::model::{
    self, Activity, ActivityResult, Budget, BudgetKind, Comparison, Indicator, IndicatorResult,
    Initiative, Issue, Photo, Plan, Stage, Target, FORMAT_NAME, FORMAT_VERSION,
};
use hoshin_core::Store;
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use serde_json::Number;

fn text() -> impl Strategy<Value = String> {
    // Japanese and ASCII, line breaks and ・ bullets, ending in a visible character.
    "[・あ-んア-ン一-龠０-９a-z0-9％（）、。\n 　]{0,24}[あ-ん一-龠A-Za-z]"
}

/// A name printed on one line (区名): no line breaks (see `limits`).
fn one_line() -> impl Strategy<Value = String> {
    "[あ-んア-ン一-龠０-９a-z0-9 　]{0,12}[あ-ん一-龠A-Za-z]"
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    option::of(text())
}

fn quantity(percent: bool) -> impl Strategy<Value = Number> {
    let max = if percent { 100 } else { 100_000 };
    prop_oneof![
        (0..=max as u64).prop_map(Number::from),
        (0..=max * 10).prop_map(|tenths| Number::from_f64(tenths as f64 / 10.0).unwrap()),
    ]
}

fn indicator(year: i32) -> impl Strategy<Value = Indicator> {
    prop_oneof![Just("%"), Just("件"), Just("人"), Just("世帯")].prop_flat_map(move |unit| {
        let percent = unit == "%";
        (
            text(),
            option::of(quantity(percent)),
            option::of(prop_oneof![
                Just(Comparison::AtLeast),
                Just(Comparison::AtMost)
            ]),
            option::of(year - 2..=year + 3),
            option::of(year - 5..=year - 2),
            option::of(any::<bool>()),
            opt_text(),
            btree_set(year - 2..=year, 0..=3),
            vec(
                (
                    option::of(quantity(percent)),
                    option::of(any::<bool>()),
                    opt_text(),
                    option::of("[A-D]"),
                    opt_text(),
                ),
                3,
            ),
        )
            .prop_map(
                move |(
                    text,
                    value,
                    comparison,
                    by,
                    from,
                    cumulative,
                    target_text,
                    years,
                    cells,
                )| Indicator {
                    text,
                    target: Target {
                        value,
                        unit: unit.to_string(),
                        comparison,
                        by_fiscal_year: by,
                        from_fiscal_year: from,
                        cumulative,
                        text: target_text,
                    },
                    results: years
                        .into_iter()
                        .zip(cells)
                        .map(|(fiscal_year, (value, achieved, source, rating, note))| {
                            IndicatorResult {
                                fiscal_year,
                                value,
                                achieved,
                                source,
                                rating,
                                note,
                            }
                        })
                        .collect(),
                    ..Default::default()
                },
            )
    })
}

fn budgets(year: i32) -> impl Strategy<Value = Vec<Budget>> {
    vec(option::of(0u64..10_000_000_000), 0..=3).prop_map(move |amounts| {
        let columns = [
            (year - 2, BudgetKind::Settled),
            (year - 1, BudgetKind::Budget),
            (year, BudgetKind::Budget),
        ];
        columns
            .into_iter()
            .zip(amounts)
            .map(|((fiscal_year, kind), amount_yen)| Budget {
                fiscal_year,
                kind,
                amount_yen,
            })
            .collect()
    })
}

/// A 1×1 PNG and a 1×1 JPEG (a photo must be the image it says).
const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const JPEG_B64: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

fn photo() -> impl Strategy<Value = Photo> {
    let image = (any::<bool>(), vec(any::<u8>(), 0..64)).prop_map(|(jpeg, tail)| {
        let (media_type, image) = if jpeg {
            ("image/jpeg", JPEG_B64)
        } else {
            ("image/png", PNG_B64)
        };
        // Random bytes after the image's end: every photo's bytes differ.
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut bytes = b64.decode(image).unwrap();
        bytes.extend(tail);
        (media_type.to_string(), b64.encode(bytes))
    });
    (text(), option::of(image)).prop_map(|(caption, image)| Photo {
        caption,
        media_type: image.as_ref().map(|(t, _)| t.clone()),
        data_base64: image.map(|(_, data)| data),
        ..Default::default()
    })
}

fn initiative(year: i32) -> impl Strategy<Value = Initiative> {
    (
        text(),
        opt_text(),
        budgets(year),
        vec(
            (text(), btree_set(year - 1..=year, 0..=2), vec(text(), 2)),
            0..3,
        ),
        vec(indicator(year), 0..2),
        vec(photo(), 0..3),
        vec(text(), 0..3),
    )
        .prop_map(
            |(
                title,
                summary,
                budgets,
                activities,
                process_indicators,
                photos,
                council_opinions,
            )| Initiative {
                number: String::new(),
                title,
                summary,
                budgets,
                activities: activities
                    .into_iter()
                    .map(|(text, years, results)| Activity {
                        text,
                        results: years
                            .into_iter()
                            .zip(results)
                            .map(|(fiscal_year, text)| ActivityResult { fiscal_year, text })
                            .collect(),
                        ..Default::default()
                    })
                    .collect(),
                process_indicators,
                photos,
                council_opinions,
                ..Default::default()
            },
        )
}

fn strategy(year: i32) -> impl Strategy<Value = model::Strategy> {
    (
        any::<bool>(),
        text(),
        [
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
            opt_text(),
        ],
        vec(indicator(year), 0..2),
        vec(initiative(year), 0..3),
    )
        .prop_map(
            |(
                numbered,
                title,
                [goal_state, current_state, challenges, direction, self_evaluation, improvements],
                outcome_indicators,
                initiatives,
            )| model::Strategy {
                number: numbered.then(String::new),
                title,
                goal_state,
                current_state,
                challenges,
                direction,
                outcome_indicators,
                self_evaluation,
                improvements,
                initiatives,
                ..Default::default()
            },
        )
}

fn issue(year: i32) -> impl Strategy<Value = Issue> {
    (
        text(),
        opt_text(),
        btree_set(1u8..=17, 0..4),
        opt_text(),
        vec(indicator(year), 0..2),
        budgets(year),
        vec(text(), 0..3),
        vec(strategy(year), 0..3),
    )
        .prop_map(
            |(
                title,
                summary,
                sdgs,
                recognition,
                outcome_indicators,
                budgets,
                main_strategies,
                strategies,
            )| Issue {
                number: 0,
                title,
                summary,
                sdgs: sdgs.into_iter().collect(),
                recognition,
                outcome_indicators,
                budgets,
                main_strategies,
                strategies,
                ..Default::default()
            },
        )
}

fn plan() -> impl Strategy<Value = Plan> {
    (2019..2100i32).prop_flat_map(|year| {
        (
            prop_oneof![
                Just("阿倍野区"),
                Just("此花区"),
                Just("西成区"),
                one_line().prop_map(|s| Box::leak(s.into_boxed_str()) as &str)
            ],
            option::of(prop_oneof![
                Just(Stage::Plan),
                Just(Stage::Midterm),
                Just(Stage::Final)
            ]),
            [
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
            ],
            btree_set(1u32..30, 0..3),
            vec(issue(year), 3),
        )
            .prop_map(
                move |(
                    ward,
                    stage,
                    [source, goal, mission, basic_policy, self_evaluation, future_policy],
                    numbers,
                    issues,
                )| {
                    let mut plan = Plan {
                        format: FORMAT_NAME.into(),
                        version: FORMAT_VERSION,
                        ward: ward.to_string(),
                        fiscal_year: year,
                        stage,
                        source,
                        goal,
                        mission,
                        basic_policy,
                        self_evaluation,
                        future_policy,
                        issues: numbers
                            .into_iter()
                            .zip(issues)
                            .map(|(number, issue)| Issue { number, ..issue })
                            .collect(),
                    };
                    plan.renumber();
                    plan
                },
            )
    })
}

use hoshin_core::identity::without_ids;

/// An exported JSON value with its `id` keys removed.
fn strip_ids(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("id");
            map.values_mut().for_each(strip_ids);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_ids),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// With ids (as Hoshin exports) a plan comes back byte for byte; without
    /// ids it comes back the same but for the ids the file gave it.
    #[test]
    fn json_to_sqlite_and_back_is_lossless(plan in plan(), with_section in any::<bool>()) {
        let mut plan = plan;
        if with_section {
            plan.issues.iter_mut().flat_map(|i| &mut i.strategies).flat_map(|s| &mut s.initiatives)
                .for_each(|it| it.section = Some("市民協働課".into()));
        }
        let mut with_ids = plan.clone();
        hoshin_core::identity::assign_missing(&mut with_ids);
        let json = to_json(&with_ids);
        let parsed = parse_plan(&json).unwrap();
        prop_assert_eq!(&parsed, &with_ids);

        let mut store = Store::open_in_memory().unwrap();
        store.import_plan(&parsed, false, "取り込み").unwrap();
        let loaded = store.load_plan(&plan.ward, plan.fiscal_year).unwrap();
        prop_assert_eq!(&loaded, &with_ids);
        prop_assert_eq!(to_json(&loaded), json);

        let mut store = Store::open_in_memory().unwrap();
        store.import_plan(&plan, false, "取り込み").unwrap();
        let loaded = store.load_plan(&plan.ward, plan.fiscal_year).unwrap();
        prop_assert_eq!(without_ids(loaded), plan);
    }
}

#[test]
fn the_example_round_trips_through_the_file() {
    let original = hoshin_core::DEMO_PLAN_JSON;
    let plan = parse_plan(original).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.hoshin");
    Store::open(&path)
        .unwrap()
        .import_plan(&plan, false, "取り込み")
        .unwrap();
    let loaded = Store::open(&path)
        .unwrap()
        .load_plan("阿倍野区", 2024)
        .unwrap();
    let exported = to_json(&loaded);
    let a: serde_json::Value = serde_json::from_str(original).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert!(
        exported.contains("\"id\": "),
        "the export carries the new ids"
    );
    strip_ids(&mut b);
    assert_eq!(a, b);
    // And that export, ids included, goes round exactly.
    let again = parse_plan(&exported).unwrap();
    assert_eq!(again, loaded);
    assert_eq!(to_json(&again), exported);
}
