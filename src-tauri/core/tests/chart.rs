//! Charts (issue 5): labels and values in SVG, PNG size and ink, the CJK font
//! pitfall, empty data, and the 区政会議資料 PDF.

/// A module, so that `cargo test -p hoshin-core chart` selects these tests.
mod charts {
    use hoshin_core::chart::{self, ChartKind, ChartRequest, Scene, Shape};
    use hoshin_core::model::IndicatorResult;
    use hoshin_core::{demo_plan, Plan};

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut buf).expect("a frame");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (info.width, info.height, buf)
    }

    /// Dark pixels (sum of RGB below 300) inside a box.
    fn ink(img: &(u32, u32, Vec<u8>), x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
        let (w, _, px) = img;
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let i = ((y * w + x) * 3) as usize;
                if u32::from(px[i]) + u32::from(px[i + 1]) + u32::from(px[i + 2]) < 300 {
                    n += 1;
                }
            }
        }
        n
    }

    fn all_requests() -> Vec<ChartRequest> {
        vec![
            ChartRequest::indicator("5-1", 0),
            ChartRequest::budget("5-1-1"),
            ChartRequest::budget("5-1"),
            ChartRequest::overview(),
            ChartRequest::share(),
        ]
    }

    #[test]
    fn no_results_note_stays_clear_of_the_target_line() {
        let mut plan = demo_plan();
        plan.issues[0].strategies[0].initiatives[0].process_indicators[0]
            .results
            .clear();
        let scene = chart::scene(&plan, &ChartRequest::indicator("5-1-1", 0)).unwrap();
        let note = scene
            .shapes
            .iter()
            .find_map(|s| match s {
                Shape::Text { y, size, text, .. } if text == chart::NO_RESULTS => Some((*y, *size)),
                _ => None,
            })
            .expect("the note is drawn");
        // The dashed target line (in ink; grid lines are pale) never crosses the note.
        for shape in &scene.shapes {
            if let Shape::Line { points, color, .. } = shape {
                if *color == chart::palette::INK && points[0].1 == points[points.len() - 1].1 {
                    let y = points[0].1;
                    assert!(
                        y < note.0 - note.1 - 2.0 || y > note.0 + 6.0,
                        "line at {y} crosses 実績なし at {note:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn indicator_svg_holds_labels_and_values() {
        let svg = chart::render_svg(&demo_plan(), &ChartRequest::indicator("5-1", 0)).unwrap();
        for expected in [
            "42.5%",
            "52.5%",
            "令和4年度",
            "令和5年度",
            "令和6年度",
            "目標 70%以上",
            "－",
            "〇：目標達成　－：目標未達成",
            "区民モニターアンケートで",
            "目標：6年度までに70％以上",
            "font-family=\"IPAexGothic, sans-serif\"",
        ] {
            assert!(svg.contains(expected), "missing {expected}");
        }
        assert!(svg.starts_with("<svg"));
    }

    #[test]
    fn budget_svg_shows_three_columns_and_totals() {
        let plan = demo_plan();
        let svg = chart::render_svg(&plan, &ChartRequest::budget("5-1-1")).unwrap();
        for expected in [
            "5,100千円",
            "5,442千円",
            "6,135千円",
            "決算額",
            "予算額",
            "令和4年度",
        ] {
            assert!(svg.contains(expected), "missing {expected}");
        }
        // Strategy 5-1: the sum of its initiatives for 令和6年度.
        let strategy: u64 = plan.issues[0].strategies[0]
            .initiatives
            .iter()
            .flat_map(|i| &i.budgets)
            .filter(|b| b.fiscal_year == 2024)
            .filter_map(|b| b.amount_yen)
            .sum();
        let label = format!("{}千円", group((strategy as f64 / 1000.0).round() as u64));
        let svg = chart::render_svg(&plan, &ChartRequest::budget("5-1")).unwrap();
        assert!(svg.contains(&label), "missing {label}");
    }

    #[test]
    fn a_budget_of_dashes_only_says_there_is_none() {
        // 5-2-2 has 「－」 in every budget column.
        let plan = demo_plan();
        let svg = chart::render_svg(&plan, &ChartRequest::budget("5-2-2")).unwrap();
        assert!(svg.contains("予算額・決算額の登録なし"));
        let svg = chart::render_svg(&plan, &ChartRequest::budget("5-1-1")).unwrap();
        assert!(!svg.contains("登録なし"));
    }

    fn group(n: u64) -> String {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn overview_and_share_label_every_issue() {
        let plan = demo_plan();
        let svg = chart::render_svg(&plan, &ChartRequest::overview()).unwrap();
        assert!(svg.contains("経営課題5"));
        assert!(svg.contains("未達成"));
        assert!(svg.contains("令和6年度"));
        let svg = chart::render_svg(&plan, &ChartRequest::share()).unwrap();
        assert!(svg.contains("100.0%"), "one issue holds the whole budget");
    }

    #[test]
    fn png_has_the_documented_size_and_ink() {
        let plan = demo_plan();
        for req in all_requests() {
            let img = decode(&chart::render_png(&plan, &req, 96).unwrap());
            assert_eq!((img.0, img.1), (800, 560), "{req:?}");
            assert!(ink(&img, 0, 0, 800, 560) > 2000, "{req:?} has ink");
        }
        let png_bytes = chart::render_png(&plan, &ChartRequest::indicator("5-1", 0), 300).unwrap();
        let img = decode(&png_bytes);
        assert_eq!((img.0, img.1), (2500, 1750));
        let reader = png::Decoder::new(std::io::Cursor::new(&png_bytes))
            .read_info()
            .unwrap();
        let dims = reader.info().pixel_dims.expect("pHYs");
        assert_eq!((dims.xppu, dims.unit), (11811, png::Unit::Meter), "300 dpi");
        // The title band (top 150 px at 300 dpi) and the legend band have ink.
        assert!(ink(&img, 0, 60, 2500, 210) > 5000);
        assert!(ink(&img, 0, 1600, 2500, 1700) > 2000);
        assert!(chart::render_png(&plan, &ChartRequest::overview(), 20).is_err());
    }

    /// The plotters CJK pitfall: a registered font that draws only Latin glyphs.
    /// A kanji-only title must put ink in the title box, against a blank render.
    #[test]
    fn kanji_title_is_drawn() {
        let mut title = Scene::new(400.0, 80.0);
        title.shapes.push(Shape::Text {
            x: 20.0,
            y: 50.0,
            text: "区政会議資料".to_string(),
            size: 32.0,
            color: chart::palette::INK,
            anchor: chart::Anchor::Start,
        });
        let blank = Scene::new(400.0, 80.0);
        let drawn = decode(&chart::png_of(&title, 96).unwrap());
        let empty = decode(&chart::png_of(&blank, 96).unwrap());
        let (a, b) = (ink(&drawn, 20, 18, 220, 58), ink(&empty, 20, 18, 220, 58));
        assert_eq!(b, 0);
        assert!(a > 800, "kanji drew only {a} dark pixels");
        // Every glyph has ink (six boxes of one em), and they differ: tofu
        // (.notdef boxes) would be six identical shapes.
        let mut counts: Vec<usize> = (0..6)
            .map(|i| ink(&drawn, 20 + i * 32, 18, 52 + i * 32, 58))
            .collect();
        assert!(counts.iter().all(|n| *n > 40), "a blank glyph: {counts:?}");
        counts.sort();
        counts.dedup();
        assert!(counts.len() >= 4, "glyphs look alike (tofu?): {counts:?}");
    }

    /// Four 経営課題 made from the demo's one, with long titles and mixed results.
    fn multi_plan() -> Plan {
        let mut plan = demo_plan();
        let base = plan.issues[0].clone();
        let titles = [
        "安全・安心で快適に暮らせるまちづくり",
        "子育て・教育環境の充実と、すべての世代が健やかに自分らしく暮らし続けられる地域福祉の推進",
        "にぎわいと活力あるまちづくり",
        "区民から信頼される区役所づくり",
    ];
        plan.issues = titles
            .iter()
            .enumerate()
            .map(|(n, title)| {
                let mut issue = base.clone();
                issue.number = n as u32 + 2;
                issue.title = title.to_string();
                for (k, ind) in issue
                    .strategies
                    .iter_mut()
                    .flat_map(|s| s.initiatives.iter_mut())
                    .flat_map(|i| i.process_indicators.iter_mut())
                    .enumerate()
                {
                    match (k + n) % 3 {
                        0 => ind.results.iter_mut().for_each(|r| r.achieved = Some(true)),
                        1 => ind.results.clear(),
                        _ => {}
                    }
                }
                for b in issue
                    .strategies
                    .iter_mut()
                    .flat_map(|s| s.initiatives.iter_mut())
                    .flat_map(|i| i.budgets.iter_mut())
                {
                    b.amount_yen = b.amount_yen.map(|a| a * (n as u64 + 1));
                }
                issue
            })
            .collect();
        plan.renumber();
        plan
    }

    #[test]
    fn plan_wide_charts_list_every_issue() {
        let plan = multi_plan();
        for req in [ChartRequest::overview(), ChartRequest::share()] {
            let scene = chart::scene(&plan, &req).unwrap();
            let texts = scene.texts().join("");
            for n in 2..=5 {
                assert!(
                    texts.contains(&format!("経営課題{n}")),
                    "{req:?} lacks 経営課題{n}"
                );
            }
        }
        let svg = chart::render_svg(&plan, &ChartRequest::share()).unwrap();
        assert!(
            svg.contains("（10.0%）"),
            "issue 2 holds 1/10 of the budget"
        );
        assert!(svg.contains("（40.0%）"));
    }

    fn without_results(plan: &mut Plan, values: Option<()>) {
        let ind = &mut plan.issues[0].strategies[0].outcome_indicators[0];
        match values {
            None => ind.results.clear(),
            Some(()) => {
                for r in &mut ind.results {
                    r.value = None;
                    r.achieved = None;
                }
            }
        }
    }

    #[test]
    fn no_results_or_only_nulls_say_so() {
        for nulls in [None, Some(())] {
            let mut plan = demo_plan();
            without_results(&mut plan, nulls);
            let req = ChartRequest::indicator("5-1", 0);
            let svg = chart::render_svg(&plan, &req).unwrap();
            assert!(svg.contains(chart::NO_RESULTS));
            assert!(svg.contains("目標 70%以上"));
            chart::render_png(&plan, &req, 96).unwrap();
        }
        let mut plan = demo_plan();
        plan.issues[0].strategies[0].outcome_indicators[0]
            .results
            .push(IndicatorResult {
                fiscal_year: 2024,
                value: None,
                achieved: None,
                source: None,
                rating: None,
                note: None,
            });
        let svg = chart::render_svg(&plan, &ChartRequest::indicator("5-1", 0)).unwrap();
        assert!(svg.contains("未測定"));
        // An empty plan draws every plan-wide kind without panicking.
        let empty = Plan::new("阿倍野区", 2024);
        for req in [ChartRequest::overview(), ChartRequest::share()] {
            chart::render_svg(&empty, &req).unwrap();
            chart::render_png(&empty, &req, 96).unwrap();
        }
    }

    #[test]
    fn cumulative_targets_are_drawn_as_running_totals() {
        let mut plan = demo_plan();
        plan.issues[0].strategies[0].outcome_indicators[0]
            .target
            .cumulative = Some(true);
        let svg = chart::render_svg(&plan, &ChartRequest::indicator("5-1", 0)).unwrap();
        assert!(svg.contains("95%"), "42.5 + 52.5");
        assert!(svg.contains("実績（累計）"));
    }

    #[test]
    fn long_titles_wrap_inside_the_chart() {
        let mut plan = demo_plan();
        let ind = &mut plan.issues[0].strategies[0].outcome_indicators[0];
        ind.text = "とても長い指標名".repeat(12);
        let scene = chart::scene(&plan, &ChartRequest::indicator("5-1", 0)).unwrap();
        for shape in &scene.shapes {
            if let Shape::Text { x, text, size, .. } = shape {
                let w = chart::text_width(text, *size);
                assert!(
                    *x >= 0.0 && x + w <= scene.width + 0.5 || *x - w >= 0.0,
                    "{text} is clipped"
                );
            }
        }
        let title_lines = scene
            .texts()
            .iter()
            .filter(|t| t.starts_with("とても") || t.contains("指標名"))
            .count();
        assert!(title_lines >= 2);
    }

    #[test]
    fn unknown_items_and_missing_indicators_are_refused_in_japanese() {
        let plan = demo_plan();
        let e = chart::render_svg(&plan, &ChartRequest::indicator("9-9", 0)).unwrap_err();
        assert_eq!(e.to_string(), "番号 9-9 の項目が見つかりません");
        let e = chart::render_svg(&plan, &ChartRequest::indicator("5", 0)).unwrap_err();
        assert!(e.to_string().contains("指標がありません"), "{e}");
        let e = chart::render_svg(&plan, &ChartRequest::indicator("5-1", 7)).unwrap_err();
        assert!(e.to_string().contains("指標 8 がありません"), "{e}");
        assert_eq!(ChartKind::from_code("share"), Some(ChartKind::Share));
    }

    #[test]
    fn council_pack_is_an_a4_pdf_with_searchable_japanese() {
        let plan = demo_plan();
        let pdf = chart::council_pack_pdf(&plan, "令和6年10月1日").unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        let indicators: usize = plan
            .issues
            .iter()
            .map(|i| {
                i.outcome_indicators.len()
                    + i.strategies
                        .iter()
                        .map(|s| {
                            s.outcome_indicators.len()
                                + s.initiatives
                                    .iter()
                                    .map(|x| x.process_indicators.len())
                                    .sum::<usize>()
                        })
                        .sum::<usize>()
            })
            .sum();
        let pages = 3 + indicators; // cover, overview, share, one per indicator

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let run = |args: &[&str]| {
            std::process::Command::new(args[0])
                .args(&args[1..])
                .output()
        };
        let Ok(info) = run(&["pdfinfo", path.to_str().unwrap()]) else {
            eprintln!("pdfinfo/pdftotext (poppler-utils) not installed: PDF text not checked");
            return;
        };
        let info = String::from_utf8_lossy(&info.stdout).to_string();
        assert!(
            info.contains(&format!("Pages:           {pages}")),
            "{info}"
        );
        assert!(
            info.contains("841.89 x 595.28") || info.contains("842 x 595"),
            "{info}"
        );
        let text = run(&["pdftotext", "-layout", path.to_str().unwrap(), "-"]).unwrap();
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        for expected in [
            "区政会議資料",
            "阿倍野区",
            "令和6年度",
            "令和6年10月1日",
            "〇：目標達成",
            "－：目標未達成",
            "区民モニターアンケートで",
            "出典：区政に関する区民アンケート",
            "目標：6年度までに70％以上",
            "42.5%",
        ] {
            assert!(
                text.contains(expected),
                "PDF text lacks {expected}:\n{text}"
            );
        }
        assert_eq!(
            text.matches('\u{c}').count(),
            pages,
            "one form feed per page"
        );
        if let Ok(fonts) = run(&["pdffonts", path.to_str().unwrap()]) {
            let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
            let line = fonts
                .lines()
                .find(|l| l.contains("IPAexGothic"))
                .expect("the font");
            assert!(
                line.contains("yes yes yes"),
                "embedded, subset, ToUnicode: {line}"
            );
        }
    }

    /// Writes every kind as PNG (300 dpi) and SVG, and the council pack, into
    /// target/chart-preview/ for a look: `cargo test -p hoshin-core --test chart -- --ignored`.
    #[test]
    #[ignore]
    fn write_previews() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-preview");
        std::fs::create_dir_all(&dir).unwrap();
        let plan = demo_plan();
        let mut cases: Vec<(String, Plan, ChartRequest)> = all_requests()
            .into_iter()
            .map(|r| (format!("{}-{}", r.kind.code(), r.item), plan.clone(), r))
            .collect();
        cases.push((
            "indicator-5-1-1".into(),
            plan.clone(),
            ChartRequest::indicator("5-1-1", 0),
        ));
        let mut empty = plan.clone();
        without_results(&mut empty, Some(()));
        cases.push((
            "indicator-nulls".into(),
            empty,
            ChartRequest::indicator("5-1", 0),
        ));
        let mut long = plan.clone();
        long.issues[0].strategies[0].outcome_indicators[0]
            .target
            .cumulative = Some(true);
        long.issues[0].strategies[0].outcome_indicators[0].text = "とても長い指標名".repeat(12);
        cases.push((
            "indicator-long-cumulative".into(),
            long,
            ChartRequest::indicator("5-1", 0),
        ));
        cases.push((
            "overview-multi".into(),
            multi_plan(),
            ChartRequest::overview(),
        ));
        cases.push(("share-multi".into(), multi_plan(), ChartRequest::share()));
        cases.push((
            "budget-issue-multi".into(),
            multi_plan(),
            ChartRequest::budget("3"),
        ));
        for (name, plan, req) in cases {
            std::fs::write(
                dir.join(format!("{name}.png")),
                chart::render_png(&plan, &req, 300).unwrap(),
            )
            .unwrap();
            std::fs::write(
                dir.join(format!("{name}.svg")),
                chart::render_svg(&plan, &req).unwrap(),
            )
            .unwrap();
        }
        std::fs::write(
            dir.join("council-pack.pdf"),
            chart::council_pack_pdf(&plan, "令和6年10月1日").unwrap(),
        )
        .unwrap();
    }
}
