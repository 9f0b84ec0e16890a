//! The body of a table of values: a row per label (its header cell), then a cell per column.
//! The chart data tables and the advisor's tables by block and by month.

use leptos::prelude::*;

/// A cell's text and the title shown over it, if any.
pub type Cell = (String, Option<String>);

/// `<tbody>` with a row per label of `rows`, each its label's header cell then `columns`
/// cells, `cell(row, column)`.
pub fn rows_body(
    rows: &[String],
    columns: usize,
    cell: &dyn Fn(usize, usize) -> Cell,
) -> impl IntoView {
    view! {
        <tbody>
            {rows.iter().enumerate().map(|(r, label)| view! {
                <tr>
                    <th scope="row">{label.clone()}</th>
                    {(0..columns).map(|c| {
                        let (text, title) = cell(r, c);
                        view! { <td title=title>{text}</td> }
                    }).collect_view()}
                </tr>
            }).collect_view()}
        </tbody>
    }
}
