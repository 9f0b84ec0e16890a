//! Share and keep: the scenario travels as a link (in the address bar's fragment, never sent to
//! a server), as a JSON file, and its results as CSV; charts export as SVG and PNG.
//!
//! [`ShareBar`] sits in the toolbar: Copy link (clipboard, with the link shown in a field to copy
//! by hand when the clipboard is not available), Download (scenario JSON), Open (file picker, or
//! drop a file anywhere on the page), CSV (monthly results, with percentile bands when a Monte
//! Carlo run of this scenario is done), and the tables as CSV. A bad link or file shows what is
//! wrong and never touches the current work. [`ChartExport`] goes under each chart.

pub mod chart_export;
pub mod download;
pub mod files;
pub mod fragment;

pub use chart_export::ChartExport;

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::csv_io::{results_csv, table_csv, Table};
use rackplan_core::montecarlo::Summary;
use rackplan_core::{codec, Scenario};
use wasm_bindgen::prelude::*;

use crate::state::use_app_state;
use download::{download_text, read_file, slug};
use files::{open_file, Problem};
use fragment::Opened;

/// The last Monte Carlo summary if it is for `s` (the app state keeps it).
fn monte_carlo_for(state: crate::state::AppState, s: &Scenario) -> Option<Arc<Summary>> {
    state.monte_carlo.with_untracked(|m| {
        m.as_ref()
            .filter(|(_, for_scenario)| **for_scenario == *s)
            .map(|(summary, _)| summary.clone())
    })
}

/// A message of the share bar, with its details (the warnings of an opened link), one a line.
#[derive(Clone, Debug, PartialEq)]
struct Notice {
    text: String,
    lines: Vec<String>,
}

/// Copy text to the clipboard; `done(true)` when it worked.
pub(crate) fn copy_to_clipboard(text: &str, done: impl Fn(bool) + 'static) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return done(false);
    };
    let has = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has {
        return done(false);
    }
    let done = std::rc::Rc::new(done);
    let ok = {
        let done = done.clone();
        Closure::once(move |_: JsValue| done(true))
    };
    let err = Closure::once(move |_: JsValue| done(false));
    let _ = navigator.clipboard().write_text(text).then2(&ok, &err);
    ok.forget();
    err.forget();
}

/// The toolbar's share and file actions, the bad-link message, and the address-bar sync.
#[component]
pub fn ShareBar() -> impl IntoView {
    let state = use_app_state();
    let problem = RwSignal::new(None::<Problem>);
    let notice = RwSignal::new(None::<Notice>);
    // A link made with an older base case (schema): offered once, to compare with today's.
    let older = RwSignal::new(None::<u32>);
    let shown_link = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let link_field = NodeRef::<leptos::html::Input>::new();
    let file_input = NodeRef::<leptos::html::Input>::new();

    // One message at a time: a notice replaces a problem shown before, and a problem a notice.
    let say = move |text: String, lines: Vec<String>| {
        problem.set(None);
        notice.set(Some(Notice { text, lines }));
    };
    let complain = move |p: Problem| {
        notice.set(None);
        problem.set(Some(p));
    };

    fragment::sync(state, move |opened| match opened {
        Opened::Nothing => {}
        Opened::Scenario {
            warnings,
            older_schema,
        } => {
            say(
                match warnings.len() {
                    0 => "Opened the scenario in the link. Undo (Ctrl+Z) goes back to your previous work.".into(),
                    1 => "Opened the scenario in the link, with 1 warning (below). Undo (Ctrl+Z) goes back to your previous work.".into(),
                    n => format!("Opened the scenario in the link, with {n} warnings (below). Undo (Ctrl+Z) goes back to your previous work."),
                },
                warnings,
            );
            older.set(older_schema);
        }
        Opened::Bad(message) => complain(Problem {
            title: "This link could not be opened. Your work is unchanged.".into(),
            lines: message.lines().map(str::to_string).collect(),
        }),
    });

    let fail = move |title: &str, detail: String| {
        complain(Problem {
            title: title.into(),
            lines: vec![detail],
        });
    };

    let on_copy = move |_| {
        if state.is_invalid() {
            fail(
                "No link yet.",
                "Fix the problems listed on the page first: a link holds a valid scenario.".into(),
            );
            return;
        }
        let link = state.scenario.with_untracked(codec::encode_link);
        // The address bar now holds a good link: an old bad-link message no longer applies.
        problem.set(None);
        fragment::replace_fragment(&link);
        let url = fragment::url_with(&link);
        shown_link.set(Some(url.clone()));
        let chars = url.len();
        copy_to_clipboard(&url, move |ok| {
            say(
                if ok {
                    format!("Link copied ({chars} characters).")
                } else {
                    "The clipboard is not available here: select the link below and copy it (Ctrl+C)."
                        .into()
                },
                Vec::new(),
            );
            if let Some(el) = link_field.get_untracked() {
                el.select();
            }
        });
    };

    let on_download = move |_| {
        let (name, json) = state
            .scenario
            .with_untracked(|s| (slug(&s.name), s.to_json_pretty()));
        if let Err(e) = download_text(&format!("{name}.json"), "application/json", &json) {
            fail("The file could not be saved.", e);
        }
    };

    let open_text = move |name: String, text: Result<String, String>| {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                return fail(
                    &format!("“{name}” could not be opened. Your work is unchanged."),
                    e,
                )
            }
        };
        let current = state.scenario.get_untracked();
        match open_file(&current, &name, &text) {
            Ok((s, label, notes)) => {
                problem.set(None);
                notice.set((!notes.is_empty()).then(|| Notice {
                    text: format!("“{name}”: {}.", notes.join("; ")),
                    lines: Vec::new(),
                }));
                state.request_replace(s, &label);
            }
            Err(p) => complain(p),
        }
    };

    let on_file_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(file, open_text);
        }
        input.set_value("");
    };

    let on_csv = move |_| {
        let Some(result) = state.run.with_untracked(|r| r.result.clone()) else {
            fail(
                "No results to export.",
                "Fix the problems listed on the page first.".into(),
            );
            return;
        };
        let (name, summary) = state
            .scenario
            .with_untracked(|s| (slug(&s.name), monte_carlo_for(state, s)));
        let csv = results_csv(&result, summary.as_deref());
        match download_text(&format!("{name}-monthly.csv"), "text/csv", &csv) {
            Ok(()) => say(
                match (state.run.with_untracked(|r| r.stale), summary.is_some()) {
                    (true, _) => "Exported the results of the last valid scenario.".into(),
                    (false, true) => {
                        "Exported the monthly results with the Monte Carlo bands.".into()
                    }
                    (false, false) => "Exported the monthly results.".into(),
                },
                Vec::new(),
            ),
            Err(e) => fail("The file could not be saved.", e),
        }
    };

    // The Tables menu closes like a menu: after a choice, on Escape, and on a click elsewhere.
    let tables_menu = NodeRef::<leptos::html::Details>::new();
    let close_menu = move |refocus: bool| {
        if let Some(d) = tables_menu.get_untracked() {
            if d.open() {
                d.set_open(false);
                if refocus {
                    if let Some(summary) = d.first_element_child() {
                        let _ = summary.unchecked_into::<web_sys::HtmlElement>().focus();
                    }
                }
            }
        }
    };
    let menu_outside = window_event_listener(leptos::ev::click, move |e| {
        let inside = tables_menu.get_untracked().is_some_and(|d| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|t| d.contains(Some(&t)))
        });
        if !inside {
            close_menu(false);
        }
    });
    let export_table = move |table: Table| {
        close_menu(true);
        let (name, csv) = state
            .scenario
            .with_untracked(|s| (slug(&s.name), table_csv(s, table)));
        let file = format!("{name}-{}.csv", table.key().replace('_', "-"));
        if let Err(e) = download_text(&file, "text/csv", &csv) {
            fail("The file could not be saved.", e);
        }
    };

    // Drop a file anywhere on the page to open it.
    let has_files = |e: &web_sys::DragEvent| {
        e.data_transfer()
            .is_some_and(|dt| dt.types().includes(&JsValue::from_str("Files"), 0))
    };
    let drag_over = window_event_listener(leptos::ev::dragover, move |e| {
        if has_files(&e) {
            e.prevent_default();
            dragging.set(true);
        }
    });
    let drag_leave = window_event_listener(leptos::ev::dragleave, move |e| {
        if e.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |e| {
        dragging.set(false);
        if let Some(file) = e
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            e.prevent_default();
            read_file(file, open_text);
        }
    });
    on_cleanup(move || {
        menu_outside.remove();
        drag_over.remove();
        drag_leave.remove();
        drop.remove();
    });

    view! {
        <div class="share-bar" data-testid="share-bar" role="group" aria-label="Share and files">
            <button type="button" data-testid="copy-link" on:click=on_copy title="Copy a link that opens this exact scenario">"Copy link"</button>
            <button type="button" data-testid="download-json" on:click=on_download title="Download the scenario as a JSON file">"Download"</button>
            <button type="button" data-testid="open-file" title="Open a scenario (.json) or a table (.csv); or drop the file on the page"
                on:click=move |_| if let Some(i) = file_input.get_untracked() { i.click(); }>"Open…"</button>
            <input type="file" class="sr-only" tabindex="-1" aria-label="Scenario (.json) or table (.csv) to open" data-testid="file-input"
                accept=".json,.csv,application/json,text/csv" node_ref=file_input on:change=on_file_change />
            <button type="button" data-testid="export-csv" on:click=on_csv title="Monthly results as CSV for a spreadsheet">"CSV"</button>
            <details class="share-more" node_ref=tables_menu on:keydown=move |e| if e.key() == "Escape" { close_menu(true) }>
                <summary data-testid="tables-menu">"Tables"</summary>
                <div class="share-menu">
                    <button type="button" data-testid="export-markets" on:click=move |_| export_table(Table::Markets)>"Demand regions (CSV)"</button>
                    <button type="button" data-testid="export-supply-regions" on:click=move |_| export_table(Table::SupplyRegions)>"Supply regions (CSV)"</button>
                    <button type="button" data-testid="export-sites" on:click=move |_| export_table(Table::Sites)>"Sites (CSV)"</button>
                    <p class="hint">"Edit in a spreadsheet, then Open the CSV to bring the table back."</p>
                </div>
            </details>
        </div>
        {move || shown_link.get().map(|url| view! {
            <div class="share-link" data-testid="share-link">
                <label for="share-link-field">"Link to this scenario"</label>
                <input id="share-link-field" data-testid="share-link-field" type="text" readonly value=url node_ref=link_field
                    on:focus=move |e| { let i: web_sys::HtmlInputElement = event_target(&e); i.select(); } />
                <button type="button" class="link" on:click=move |_| shown_link.set(None) aria-label="Hide the link">"×"</button>
            </div>
        })}
        <div class="share-notice" role="status" data-testid="share-notice">{move || notice.get().map(|n| view! {
            <p>{n.text}</p>
            {(!n.lines.is_empty()).then(|| view! {
                <ul data-testid="share-notice-lines">{n.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
            })}
        })}</div>
        {move || older.get().map(|v| view! {
            <div class="banner share-older" role="status" data-testid="older-base-case">
                <p>{format!("This link was made with an older base case (scenario format {v}). It opens exactly as it was; today's base case has newer figures.")}</p>
                <button type="button" data-testid="older-compare" on:click=move |_| {
                    // Today's base case pinned beside the link's scenario (current).
                    let today = rackplan_core::presets::base_case();
                    let name = state.pins.with_untracked(|p| {
                        crate::pins::default_name(&format!("Today's {}", today.name), p)
                    });
                    // Refused at the limit: Compare says so.
                    let _ = state.pin_scenario(today, name);
                    older.set(None);
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("compare-h"))
                    {
                        el.scroll_into_view();
                    }
                }>"Compare with today's base case"</button>
                <button type="button" data-testid="older-dismiss" on:click=move |_| older.set(None)>"Dismiss"</button>
            </div>
        })}
        {move || problem.get().map(|p| view! {
            <div class="banner bad share-error" role="alert" data-testid="share-error">
                <p><strong>{p.title}</strong></p>
                <ul>{p.lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                <button type="button" data-testid="share-error-dismiss" on:click=move |_| problem.set(None)>"Dismiss"</button>
            </div>
        })}
        <Show when=move || dragging.get()>
            <div class="drop-overlay" aria-hidden="true"><p>"Drop a scenario (.json) or a table (.csv) to open it"</p></div>
        </Show>
    }
}
