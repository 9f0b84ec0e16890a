//! "All sites": every supplier site in one spreadsheet-like grid (ARCHITECTURE.md "All sites
//! grid"). Reading, checking and applying cells is `rackplan_core::grid`; this module draws the
//! table, moves the active cell ([`keys`]), edits a cell in place and takes pasted blocks.

mod keys;

use leptos::prelude::*;
use rackplan_core::grid::{self as core_grid, Column, PasteReport};
use rackplan_core::{Severity, Uncertain};
use wasm_bindgen::JsCast;

use crate::state::{use_app_state, AppState};
use keys::{step, Cell, Move};

/// A cell the last paste or edit refused, with its message (`“Foxconn Taiwan”, Yield (%
/// delivered): must be …`).
#[derive(Debug, Clone, PartialEq)]
struct Mark {
    cell: Cell,
    message: String,
}

/// The grid's view state, shared by its cells.
#[derive(Clone, Copy)]
struct Grid {
    state: AppState,
    /// The cell that takes the keyboard (the only one in the Tab order).
    active: RwSignal<Cell>,
    /// The cell being edited, if any, and its text.
    editing: RwSignal<Option<Cell>>,
    draft: RwSignal<String>,
    /// Why the text being edited was refused.
    edit_error: RwSignal<Option<String>>,
    /// Cells the last paste refused.
    marks: RwSignal<Vec<Mark>>,
    /// Cells the last paste applied (highlighted until the next change).
    pasted: RwSignal<Vec<Cell>>,
    /// What the last paste did.
    status: RwSignal<String>,
    /// True while the grid itself changes the scenario: any other change (the editor, undo, a
    /// preset) clears the marks, which then describe cells that may hold other values.
    busy: StoredValue<bool>,
}

fn cell_id(c: Cell) -> String {
    format!("gc-{}-{}", c.0, c.1)
}

fn focus_cell(c: Cell) {
    if let Some(el) = document().get_element_by_id(&cell_id(c)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

impl Grid {
    fn rows(&self) -> usize {
        self.state.scenario.with_untracked(|s| s.sites.len())
    }

    fn go(&self, to: Cell) {
        self.active.set(to);
        focus_cell(to);
    }

    fn start_edit(&self, at: Cell, text: String) {
        self.active.set(at);
        self.edit_error.set(None);
        self.draft.set(text);
        self.editing.set(Some(at));
    }

    fn cancel_edit(&self) {
        self.editing.set(None);
        self.edit_error.set(None);
    }

    /// Run `f` on the scenario as one undo step named `label`, as the grid's own change.
    fn change<T>(&self, label: &str, f: impl FnOnce(&mut rackplan_core::Scenario) -> T) -> T {
        let mut out = None;
        self.busy.set_value(true);
        self.state.seal();
        self.state.edit(label, |s| out = Some(f(s)));
        self.state.seal();
        self.busy.set_value(false);
        out.expect("edit runs its closure")
    }

    /// Save the text being edited in `at`. False (and the editor stays open with the reason)
    /// when the text is refused.
    fn commit(&self, at: Cell) -> bool {
        let Some(col) = Column::at(at.1) else {
            return true;
        };
        let text = self.draft.get_untracked();
        let same = self
            .state
            .scenario
            .with_untracked(|s| core_grid::cell_text(s, at.0, col) == text);
        if !same {
            let site = self
                .state
                .scenario
                .with_untracked(|s| s.sites.get(at.0).map(|x| x.name.clone()))
                .unwrap_or_default();
            let label = format!("{} of {site} in the grid", col.label());
            if let Err(issue) = self.change(&label, |s| core_grid::edit_cell(s, at.0, col, &text)) {
                self.edit_error.set(Some(issue.to_string()));
                return false;
            }
            self.status.set(String::new());
            self.pasted.set(Vec::new());
        }
        self.marks.update(|m| m.retain(|x| x.cell != at));
        self.editing.set(None);
        self.edit_error.set(None);
        true
    }

    /// Paste `text` with its first cell at `at`, as one undo step.
    fn paste(&self, at: Cell, text: &str) {
        self.cancel_edit();
        let report: PasteReport = self.change("Paste into the grid", |s| {
            core_grid::paste(s, at.0, at.1, text)
        });
        self.marks.set(
            report
                .refused
                .iter()
                .map(|i| Mark {
                    cell: (i.row, i.column.index()),
                    message: i.to_string(),
                })
                .collect(),
        );
        self.pasted.set(
            report
                .applied
                .iter()
                .map(|&(r, c)| (r, c.index()))
                .collect(),
        );
        self.status.set(report.summary());
        focus_cell(at);
    }

    fn on_key(&self, e: &web_sys::KeyboardEvent) {
        let (rows, cols) = (self.rows(), Column::ALL.len());
        let key = e.key();
        let shift = e.shift_key();
        // An editor left open with a refused value while focus went to another cell: a key
        // there gives that value up and acts on the focused cell.
        let in_input = e
            .target()
            .is_some_and(|t| t.dyn_ref::<web_sys::HtmlInputElement>().is_some());
        if !in_input && self.editing.get_untracked().is_some() {
            self.cancel_edit();
        }
        if let Some(at) = self.editing.get_untracked() {
            match key.as_str() {
                "Escape" => {
                    e.prevent_default();
                    self.cancel_edit();
                    focus_cell(at);
                }
                "Enter" | "Tab" => {
                    let mv = step(&key, shift, false, at, rows, cols);
                    if !self.commit(at) {
                        e.prevent_default();
                        return;
                    }
                    match mv {
                        Move::To(to) => {
                            e.prevent_default();
                            self.go(to);
                        }
                        // Tab past the last cell: focus moves on from the cell.
                        Move::Leave | Move::None => focus_cell(at),
                    }
                }
                _ => {}
            }
            return;
        }
        let ctrl = e.ctrl_key() || e.meta_key();
        if ctrl && !e.alt_key() && key.eq_ignore_ascii_case("c") {
            // The active cell's text (a `copy` event would go to the page, not the cell).
            let (r, c) = self.active.get_untracked();
            if let Some(col) = Column::at(c) {
                let text = self
                    .state
                    .scenario
                    .with_untracked(|s| core_grid::cell_text(s, r, col));
                crate::share::copy_to_clipboard(&text, |_| {});
            }
            return;
        }
        if e.alt_key() || (ctrl && !matches!(key.as_str(), "Home" | "End")) {
            return; // Ctrl+Z, Ctrl+V … keep their meaning.
        }
        let at = self.active.get_untracked();
        let Some(col) = Column::at(at.1) else { return };
        let text_of = |at: Cell| {
            self.state
                .scenario
                .with_untracked(|s| core_grid::cell_text(s, at.0, col))
        };
        match key.as_str() {
            "Enter" | "F2" => {
                e.prevent_default();
                self.start_edit(at, text_of(at));
            }
            "Backspace" | "Delete" => {
                e.prevent_default();
                self.start_edit(at, String::new());
            }
            k if k.chars().count() == 1 => {
                // Typing replaces the cell's text, as in a spreadsheet.
                e.prevent_default();
                self.start_edit(at, k.to_string());
            }
            _ => match step(&key, shift, ctrl, at, rows, cols) {
                Move::To(to) => {
                    e.prevent_default();
                    self.go(to);
                }
                Move::Leave | Move::None => {}
            },
        }
    }
}

/// "triangular 32,000–52,000": a distribution's range in the column's unit.
fn describe(u: &Uncertain, col: Column) -> String {
    let scale = if col.is_percent() { 100.0 } else { 1.0 };
    let kind = crate::ops::uncertain::kind(u);
    let name = crate::ops::uncertain::kind_label(kind).unwrap_or(kind);
    let n = |v: f64| core_grid::number_text(rackplan_core::number::tidy(v * scale));
    let (lo, hi) = match *u {
        Uncertain::Lognormal90 { p5, p95 } => (p5, p95),
        _ => u.support(),
    };
    format!(
        "{name} {}–{}: low and high move with the value shown",
        n(lo),
        n(hi)
    )
}

/// The "All sites" section: the grid, its status line and the cells it refused.
#[component]
pub fn AllSites() -> impl IntoView {
    let state = use_app_state();
    let g = Grid {
        state,
        active: RwSignal::new((0, 0)),
        editing: RwSignal::new(None),
        draft: RwSignal::new(String::new()),
        edit_error: RwSignal::new(None),
        marks: RwSignal::new(Vec::new()),
        pasted: RwSignal::new(Vec::new()),
        status: RwSignal::new(String::new()),
        busy: StoredValue::new(false),
    };
    provide_context(g);
    state.on_change(move |_, _| {
        if !g.busy.get_value() {
            g.marks.set(Vec::new());
            g.pasted.set(Vec::new());
            g.status.set(String::new());
            g.editing.set(None);
        }
    });
    let count = Memo::new(move |_| state.scenario.with(|s| s.sites.len()));
    // Keep the active cell inside the grid when sites are removed.
    Effect::new(move |_| {
        let n = count.get();
        let (r, c) = g.active.get_untracked();
        if n > 0 && r >= n {
            g.active.set((n - 1, c));
        }
    });
    let on_paste = move |e: web_sys::ClipboardEvent| {
        let Some(text) = e
            .clipboard_data()
            .and_then(|d| d.get_data("text/plain").ok())
        else {
            return;
        };
        // Plain text into the cell being edited is an ordinary paste into its input.
        if g.editing.get_untracked().is_some() && !text.contains(['\t', '\n', '\r']) {
            return;
        }
        e.prevent_default();
        let at = g
            .editing
            .get_untracked()
            .unwrap_or(g.active.get_untracked());
        g.paste(at, &text);
    };
    let marks = move || g.marks.get();
    view! {
        <section class="all-sites" id="all-sites" aria-labelledby="grid-h" data-testid="all-sites">
            <h2 id="grid-h">"All sites"</h2>
            <p class="grid-help" id="grid-help">
                "Arrow keys move; Enter or typing edits a cell, Enter saves and moves down, Tab moves across, Escape cancels. "
                "Paste a block copied from a spreadsheet at the selected cell: each cell is checked like its field, refused cells are marked, and the paste is one undo step. "
                "Capacity and others' share set the first point of the site's curve (later points move by the same amount); for an uncertain input (marked ~) the cell is its likely value and the range moves with it."
            </p>
            <div class="grid-scroll" role="region" aria-label="All sites table (scrolls sideways)" tabindex="0">
                <table role="grid" aria-labelledby="grid-h" aria-describedby="grid-help" aria-rowcount=move || (count.get() + 1).to_string()
                    data-testid="sites-grid"
                    on:keydown=move |e| g.on_key(&e) on:paste=on_paste>
                    <thead>
                        <tr>
                            {Column::ALL.iter().map(|c| view! {
                                <th scope="col">
                                    <span class="col-label">{c.label()}</span>
                                    {(!c.unit().is_empty()).then(|| view! { <span class="col-unit">{c.unit()}</span> })}
                                </th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || 0..count.get() key=|r| *r let:r>
                            <tr>
                                {(0..Column::ALL.len()).map(|c| view! { <GridCell r=r c=c /> }).collect_view()}
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <p class="grid-actions">
                <button type="button" data-testid="grid-copy" on:click=move |_| {
                    let text = state.scenario.with_untracked(core_grid::table_tsv);
                    let n = state.scenario.with_untracked(|s| s.sites.len());
                    crate::share::copy_to_clipboard(&text, move |ok| g.status.set(if ok {
                        format!("Copied {n} sites with their headers: paste them into a spreadsheet, and a block back here at the cell it starts at.")
                    } else {
                        "This browser did not let the page use the clipboard.".to_string()
                    }));
                }>"Copy all sites"</button>
            </p>
            <p class="grid-edit-msg" id="grid-edit-msg" role="alert" data-testid="grid-edit-msg">{move || g.edit_error.get()}</p>
            <p class="grid-status" role="status" data-testid="grid-status">{move || g.status.get()}</p>
            <Show when=move || !g.marks.with(Vec::is_empty)>
                <ul class="grid-refused" data-testid="grid-refused">
                    {move || marks().into_iter().map(|m| view! {
                        <li id=format!("gm-{}-{}", m.cell.0, m.cell.1)>{m.message}</li>
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// One cell: its text (or its editor), its marks, and focus.
#[component]
fn GridCell(r: usize, c: usize) -> impl IntoView {
    let g = expect_context::<Grid>();
    let state = g.state;
    let col = Column::ALL[c];
    let at = (r, c);
    let text = Memo::new(move |_| state.scenario.with(|s| core_grid::cell_text(s, r, col)));
    let dist = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.sites
                .get(r)
                .and_then(|x| core_grid::input_of(x, col))
                .filter(Uncertain::is_uncertain)
                .map(|u| describe(&u, col))
        })
    });
    let path = format!("sites[{r}].{}", col.field());
    let invalid = Memo::new(move |_| {
        state
            .issues_at(&path)
            .iter()
            .any(|i| i.severity == Severity::Error)
    });
    let refused = Memo::new(move |_| g.marks.with(|m| m.iter().any(|x| x.cell == at)));
    let pasted = Memo::new(move |_| g.pasted.with(|p| p.contains(&at)));
    let active = move || g.active.get() == at;
    let editing = Memo::new(move |_| g.editing.get() == Some(at));
    let site = move || {
        state
            .scenario
            .with(|s| s.sites.get(r).map(|x| x.name.clone()))
            .unwrap_or_default()
    };
    let input_label = move || {
        let unit = col.unit();
        if unit.is_empty() {
            format!("{} of {}", col.label(), site())
        } else {
            format!("{} ({unit}) of {}", col.label(), site())
        }
    };
    let input_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(i) = input_ref.get() {
            let _ = i.focus();
            let n = i.value().encode_utf16().count() as u32;
            let _ = i.set_selection_range(n, n);
        }
    });
    let content = move || {
        if editing.get() {
            view! {
                <input type="text" class="cell-input" node_ref=input_ref
                    prop:value=move || g.draft.get()
                    aria-label=input_label
                    aria-invalid=move || g.edit_error.with(Option::is_some).to_string()
                    aria-describedby="grid-edit-msg"
                    on:input=move |e| g.draft.set(event_target_value(&e))
                    on:blur=move |_| {
                        if g.editing.get_untracked() == Some(at) {
                            g.commit(at);
                        }
                    } />
            }
            .into_any()
        } else {
            view! {
                {move || text.get()}
                {move || dist.get().map(|d| view! {
                    <span class="dist" title=d.clone() aria-hidden="true">"~"</span>
                    <span class="sr-only">{format!(", {d}")}</span>
                })}
            }
            .into_any()
        }
    };
    let describedby = move || refused.get().then(|| format!("gm-{r}-{c}"));
    let on_dbl = move |_| {
        if !editing.get_untracked() {
            g.start_edit(at, text.get_untracked());
        }
    };
    macro_rules! cell {
        ($tag:ident $($extra:tt)*) => {
            view! {
                <$tag id=cell_id(at) $($extra)* data-testid=format!("cell-{r}-{c}")
                    tabindex=move || if active() { "0" } else { "-1" }
                    class:num=col.is_number() class:refused=move || refused.get()
                    class:invalid=move || invalid.get() class:pasted=move || pasted.get()
                    class:editing=move || editing.get()
                    aria-invalid=move || (refused.get() || invalid.get()).then_some("true")
                    aria-describedby=describedby
                    on:focus=move |_| g.active.set(at)
                    on:dblclick=on_dbl>
                    {content}
                </$tag>
            }
            .into_any()
        };
    }
    if c == 0 {
        cell!(th scope="row")
    } else {
        cell!(td)
    }
}
