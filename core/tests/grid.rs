//! Property tests of the "All sites" grid (ARCHITECTURE.md "All sites grid"): the clipboard
//! reader against a spreadsheet-style writer, and pastes of arbitrary blocks, which never leave a
//! valid scenario invalid (MODEL.md §6) and account for every cell.

use proptest::prelude::*;
use rackplan_core::grid::{cell_text, parse_tsv, paste, write_tsv, Column};
use rackplan_core::presets::base_case;
use rackplan_core::validate;
use rackplan_core::validate::has_errors;

fn cell() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            'a', 'Z', '1', '.', ',', ' ', '%', '"', '\t', '\n', '\r', 'é',
        ]),
        0..8,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Text a planner might paste into a cell: numbers in and out of range, percents, names
/// (existing ones too), regions in any case, and junk.
fn grid_text() -> impl Strategy<Value = String> {
    let s = base_case();
    let names: Vec<String> = s.sites.iter().map(|x| x.name.clone()).collect();
    let regions: Vec<String> = s
        .supply_regions
        .iter()
        .map(|r| r.name.to_uppercase())
        .collect();
    prop_oneof![
        (-50.0f64..200_000.0).prop_map(|v| format!("{v}")),
        (-10.0f64..120.0).prop_map(|v| format!("{v:.1}%")),
        (0u32..2_000_000).prop_map(|v| rackplan_core::grid::number_text(v as f64)),
        prop::sample::select(names),
        prop::sample::select(regions),
        prop::sample::select(vec![
            String::new(),
            "Twin".to_string(),
            "1,5".to_string(),
            "$41,000".to_string(),
            "n/a".to_string(),
            " ".to_string(),
            "1e13".to_string(),
        ]),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_reader_reads_what_a_spreadsheet_writes(
        block in prop::collection::vec(prop::collection::vec(cell(), 1..5), 1..5)
    ) {
        prop_assert_eq!(parse_tsv(&write_tsv(&block)), block.clone());
        // Without the line end after the last row too (unless that row is one empty cell,
        // which only its line end can show).
        let text = write_tsv(&block);
        let last_is_empty = block.last().is_some_and(|r| r.len() == 1 && r[0].is_empty());
        if !last_is_empty {
            prop_assert_eq!(parse_tsv(text.strip_suffix("\r\n").unwrap()), block);
        }
    }

    #[test]
    fn a_paste_keeps_the_scenario_valid_and_accounts_for_every_cell(
        row in 0usize..16,
        col in 0usize..9,
        block in prop::collection::vec(prop::collection::vec(grid_text(), 1..5), 1..5),
    ) {
        let before = base_case();
        let mut s = before.clone();
        let text = write_tsv(&block);
        let r = paste(&mut s, row, col, &text);
        prop_assert!(!has_errors(&validate(&s)), "{:?}", validate(&s));
        let (mut inside, mut blank, mut outside) = (0, 0, 0);
        for (i, cells) in block.iter().enumerate() {
            for (j, c) in cells.iter().enumerate() {
                if row + i < s.sites.len() && col + j < Column::ALL.len() {
                    inside += 1;
                    blank += usize::from(c.trim().is_empty());
                } else {
                    outside += usize::from(!c.is_empty());
                }
            }
        }
        prop_assert_eq!(r.applied.len() + r.refused.len() + r.empty, inside, "{:?}", r);
        prop_assert_eq!((r.empty, r.cells_outside), (blank, outside));
        // Refused cells and cells outside the block keep their text.
        for issue in &r.refused {
            prop_assert_eq!(cell_text(&s, issue.row, issue.column), cell_text(&before, issue.row, issue.column));
        }
        for (i, site) in s.sites.iter().enumerate() {
            for c in Column::ALL {
                let inside = i >= row && i < row + block.len()
                    && c.index() >= col && c.index() < col + block[i - row].len();
                if !inside {
                    prop_assert_eq!(cell_text(&s, i, c), cell_text(&before, i, c), "{}", site.name);
                }
            }
        }
    }
}
