//! The chart kit's tests, run in the browser (wasm-bindgen-test).

use super::*;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn text_widths_grow_with_text_and_size_and_stay_the_same() {
    let a = text_width(13, "Foxconn Taiwan");
    assert!(a > 40 && a < 200, "{a}");
    assert!(text_width(13, "Foxconn Taiwan and more") > a);
    assert!(text_width(20, "Foxconn Taiwan") > a);
    assert_eq!(text_width(13, "Foxconn Taiwan"), a);
}

#[wasm_bindgen_test]
fn plots_fit_beside_the_editor() {
    use views::plot_size;
    // A phone: the page's width; beside a 340 px editor; beside a 440 px editor; capped.
    assert_eq!(plot_size(360.0).0, 320);
    assert_eq!(plot_size(1024.0).0, 604);
    assert_eq!(plot_size(1280.0).0, 760);
    assert_eq!(plot_size(2560.0).0, 980);
    // Never narrower than 300 px, and wider screens never get smaller plots (except where
    // the editor moves beside the results).
    let mut last = 0;
    for w in (300..3000).step_by(10) {
        let (x, h) = plot_size(w as f64);
        assert!(x >= 300 && h >= 230, "{w}: {x}x{h}");
        if w != 900 {
            assert!(x >= last || w == 1100, "{w}: {x} after {last}");
        }
        last = x;
    }
}

#[wasm_bindgen_test]
fn names_are_escaped_in_the_svg() {
    let months: Vec<String> = (1..=24)
        .map(|m| format!("2025-{:02}", (m - 1) % 12 + 1))
        .collect();
    let v = vec![1.0; 24];
    let evil = "<img src=x onerror=alert(1)>";
    let c = chart_svg(&ChartSpec {
        title: evil,
        y_label: "servers / month",
        months: &months,
        stacks: vec![Series {
            name: evil,
            values: &v,
        }],
        lines: vec![Line {
            name: "need",
            values: &v,
            colour: INK,
            dashed: true,
        }],
        secondary: Some(Secondary {
            label: "%",
            percent: true,
            lines: vec![],
        }),
        size: (600, 300),
        ..Default::default()
    })
    .unwrap();
    assert!(!c.svg.contains("<img"), "{}", c.svg);
    assert!(c.svg.contains("&lt;img"));
    assert!(c.x1 > c.x0 && c.y1 > c.y0);
}

#[wasm_bindgen_test]
fn compare_puts_plans_with_different_months_on_one_calendar() {
    let m = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        views::union_months(
            &m(&["2024-11", "2024-12", "2025-01"]),
            &m(&["2025-01", "2025-02"])
        ),
        m(&["2024-11", "2024-12", "2025-01", "2025-02"])
    );
    assert_eq!(
        views::union_months(&m(&["2025-02"]), &m(&["2024-01"])),
        m(&["2024-01", "2025-02"])
    );
    assert!(views::union_months(&[], &[]).is_empty());

    let a = rackplan_core::run(&rackplan_core::presets::base_case()).unwrap();
    let mut s = rackplan_core::presets::base_case();
    s.start_month = "2025-06".into();
    s.horizon_months = 60;
    let b = rackplan_core::run(&s).unwrap();
    let d = views::compare_chart(&a, &b, (900, 400), false).unwrap();
    // 2024-01 (A's start) to 2030-12 (A's end; B ends 2030-05).
    for (name, _, v) in &d.columns {
        assert_eq!(v.len(), 84, "{name}");
    }
    let b_col = d
        .columns
        .iter()
        .find(|c| c.0.starts_with("Delivered B"))
        .unwrap();
    assert!(
        b_col.2[..17].iter().all(|x| x.is_nan()),
        "no B before 2025-06"
    );
    assert_eq!(b_col.2[17], b.delivered_total[0]);
    assert!(
        b_col.2[77..].iter().all(|x| x.is_nan()),
        "no B after 2030-05"
    );
    let a_col = d
        .columns
        .iter()
        .find(|c| c.0.starts_with("Delivered A"))
        .unwrap();
    assert_eq!(a_col.2, a.delivered_total);
}

#[wasm_bindgen_test]
fn a_series_of_zeros_draws_no_area_but_keeps_its_key() {
    let months: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
    let (ones, zeros) = (vec![1.0; 12], vec![0.0; 12]);
    let draw = |second: &[f64]| {
        chart_svg(&ChartSpec {
            title: "t",
            y_label: "servers / month",
            months: &months,
            stacks: vec![
                Series {
                    name: "Alpha",
                    values: &ones,
                },
                Series {
                    name: "Idle site",
                    values: second,
                },
            ],
            lines: vec![],
            secondary: None,
            size: (600, 300),
            ..Default::default()
        })
        .unwrap()
        .svg
    };
    let (busy, idle) = (draw(&ones), draw(&zeros));
    assert_eq!(busy.matches("<polygon").count(), 2);
    assert_eq!(idle.matches("<polygon").count(), 1);
    assert!(idle.contains("Idle site"), "the key stays");
}

#[wasm_bindgen_test]
fn long_names_keep_their_start_and_end() {
    assert_eq!(short("Foxconn Taiwan"), "Foxconn Taiwan");
    let a = short("Foxconn Taiwan copy copy copy 2");
    let b = short("Foxconn Taiwan copy copy copy 3");
    assert_ne!(a, b);
    assert!(
        a.starts_with("Foxconn Taiwa") && a.ends_with("copy copy 2"),
        "{a}"
    );
    assert!(a.chars().count() <= LEGEND_CHARS, "{a}");
    // 24 distinct colours before any repeats.
    let c: Vec<_> = (0..24).map(colour).collect();
    assert!(c.iter().enumerate().all(|(i, x)| !c[..i].contains(x)));
}

#[wasm_bindgen_test]
fn a_narrow_legend_puts_short_names_side_by_side() {
    let mut names: Vec<String> = (0..15).map(|i| format!("Site {i}")).collect();
    names.insert(3, "A supplier site with a very long name".into());
    let legend: Vec<(String, RGBColor, u8)> = names.iter().map(|n| (n.clone(), INK, 0)).collect();
    let narrow = legend_places(&legend, 330);
    let half = (330 - 20) / 2;
    // Two aligned columns; the long name alone on its row.
    assert!(
        narrow.iter().all(|&(x, _)| x == 12 || x == 12 + half),
        "{narrow:?}"
    );
    assert_eq!(
        &narrow[..5],
        &[(12, 6), (12 + half, 6), (12, 26), (12, 46), (12, 66)]
    );
    assert_eq!(narrow.last(), Some(&(12 + half, 6 + 8 * LEGEND_ROW)));
    let wide = legend_places(&legend, 900);
    assert_eq!(wide[1], (12 + 220, 6), "a grid when wide");
    assert_eq!(wide.last(), Some(&(12 + 220 * 3, 6 + 3 * LEGEND_ROW)));
}

/// The data table lists what the chart draws (stacks, lines, the right axis last), plus the
/// table-only columns in between.
#[wasm_bindgen_test]
fn data_tables_list_the_drawn_series() {
    let r = rackplan_core::run(&rackplan_core::presets::base_case()).unwrap();
    let heads = |d: views::ChartData| -> Vec<String> {
        d.columns
            .into_iter()
            .map(|(name, unit, v)| {
                assert_eq!(v.len(), r.months.len());
                format!("{name} ({unit})")
            })
            .collect()
    };
    let supply = heads(views::supply_chart(&r, (900, 400)).unwrap());
    assert_eq!(supply.len(), r.sites.len() + 2);
    assert_eq!(supply[0], format!("{} (servers/month)", r.sites[0].name));
    assert_eq!(
        supply[r.sites.len()..],
        [
            "Deliveries needed (servers/month)",
            "Required fleet (servers)"
        ]
    );
    assert_eq!(
        heads(views::backlog_chart(&r, (900, 400)).unwrap()),
        [
            // The base case rents (MODEL.md §8): its backlog splits into two stacks.
            "Not covered (servers)",
            "Rented (servers)",
            "Deliveries needed (servers/month)",
            "Delivered (servers/month)",
            "Service level (%)"
        ]
    );
}

#[wasm_bindgen_test]
fn ticks_fall_on_januaries() {
    let months: Vec<String> = (0..84)
        .map(|t| format!("{}-{:02}", 2024 + t / 12, t % 12 + 1))
        .collect();
    assert_eq!(key_months(&months, 900), vec![0, 12, 24, 36, 48, 60, 72]);
    assert_eq!(key_months(&months, 300), vec![0, 24, 48, 72]);
}
