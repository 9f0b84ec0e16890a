//! Where a key moves the grid's active cell (ARCHITECTURE.md "All sites grid"), as a plain
//! function so it is tested without a page.
//!
//! Arrow keys move one cell and stop at the edges; Home and End go to the row's first and last
//! cell (with Ctrl: the grid's); Tab and Shift+Tab move across, on to the next or previous row
//! at the end of one, and leave the grid past its last or before its first cell (no keyboard
//! trap); Enter and Shift+Enter (after an edit) move down and up.

/// A cell: (row, column).
pub type Cell = (usize, usize);

/// What a key does to the active cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Go to this cell.
    To(Cell),
    /// The key leaves the grid (Tab past the last cell): let the browser move focus on.
    Leave,
    /// Not a moving key.
    None,
}

/// The move for `key` from `at` in a grid of `rows` x `cols` cells.
pub fn step(key: &str, shift: bool, ctrl: bool, at: Cell, rows: usize, cols: usize) -> Move {
    if rows == 0 || cols == 0 {
        return Move::None;
    }
    let (r, c) = (at.0.min(rows - 1), at.1.min(cols - 1));
    match key {
        "ArrowUp" => Move::To((r.saturating_sub(1), c)),
        "ArrowDown" => Move::To(((r + 1).min(rows - 1), c)),
        "ArrowLeft" => Move::To((r, c.saturating_sub(1))),
        "ArrowRight" => Move::To((r, (c + 1).min(cols - 1))),
        "Home" if ctrl => Move::To((0, 0)),
        "End" if ctrl => Move::To((rows - 1, cols - 1)),
        "Home" => Move::To((r, 0)),
        "End" => Move::To((r, cols - 1)),
        "Tab" if shift => match (r, c) {
            (0, 0) => Move::Leave,
            (r, 0) => Move::To((r - 1, cols - 1)),
            (r, c) => Move::To((r, c - 1)),
        },
        "Tab" => {
            if c + 1 < cols {
                Move::To((r, c + 1))
            } else if r + 1 < rows {
                Move::To((r + 1, 0))
            } else {
                Move::Leave
            }
        }
        "Enter" if shift => Move::To((r.saturating_sub(1), c)),
        "Enter" => Move::To(((r + 1).min(rows - 1), c)),
        _ => Move::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn arrows_stop_at_the_edges() {
        assert_eq!(
            step("ArrowUp", false, false, (0, 3), 4, 9),
            Move::To((0, 3))
        );
        assert_eq!(
            step("ArrowDown", false, false, (0, 3), 4, 9),
            Move::To((1, 3))
        );
        assert_eq!(
            step("ArrowDown", false, false, (3, 3), 4, 9),
            Move::To((3, 3))
        );
        assert_eq!(
            step("ArrowLeft", false, false, (2, 0), 4, 9),
            Move::To((2, 0))
        );
        assert_eq!(
            step("ArrowRight", false, false, (2, 8), 4, 9),
            Move::To((2, 8))
        );
        assert_eq!(step("Home", false, false, (2, 5), 4, 9), Move::To((2, 0)));
        assert_eq!(step("End", false, true, (2, 5), 4, 9), Move::To((3, 8)));
        assert_eq!(step("x", false, false, (2, 5), 4, 9), Move::None);
        assert_eq!(step("ArrowUp", false, false, (0, 0), 0, 9), Move::None);
    }

    #[wasm_bindgen_test]
    fn tab_runs_across_rows_and_leaves_at_the_ends() {
        assert_eq!(step("Tab", false, false, (0, 7), 4, 9), Move::To((0, 8)));
        assert_eq!(step("Tab", false, false, (0, 8), 4, 9), Move::To((1, 0)));
        assert_eq!(step("Tab", false, false, (3, 8), 4, 9), Move::Leave);
        assert_eq!(step("Tab", true, false, (1, 0), 4, 9), Move::To((0, 8)));
        assert_eq!(step("Tab", true, false, (0, 0), 4, 9), Move::Leave);
        assert_eq!(step("Enter", false, false, (1, 4), 4, 9), Move::To((2, 4)));
        assert_eq!(step("Enter", true, false, (1, 4), 4, 9), Move::To((0, 4)));
    }
}
