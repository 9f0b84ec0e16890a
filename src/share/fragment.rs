//! The scenario in the address bar's fragment (`#v1.…`): never sent to any server.
//!
//! - On load and on `hashchange` (a link pasted into the address bar, back/forward between
//!   links), a link in the fragment opens: a valid one replaces the scenario as one undo step, a
//!   bad one shows what is wrong and leaves the current (or autosaved) work alone.
//! - While editing, the fragment follows the scenario through `history.replaceState`,
//!   debounced, so the history is not flooded and back/forward still step between links the
//!   planner opened.

use leptos::prelude::*;
use rackplan_core::{codec, migrate, Scenario};
use std::cell::RefCell;
use std::rc::Rc;

use crate::state::AppState;

/// Milliseconds between the last edit and the address bar update.
pub const WRITE_DEBOUNCE_MS: u32 = 250;

/// The fragment of the address, without the `#`.
pub fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// Whether a fragment is meant as a scenario link (`v` and a digit, or long) rather than an
/// in-page anchor such as `#results`.
pub fn is_link_candidate(fragment: &str) -> bool {
    let f = fragment.trim();
    let mut chars = f.chars();
    (chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit())) || f.len() >= 32
}

/// The app's address with `link` as its fragment.
pub fn url_with(link: &str) -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return format!("#{link}");
    };
    let href = loc.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or("");
    format!("{base}#{link}")
}

/// Put `link` in the address bar without a new history entry.
pub fn replace_fragment(link: &str) {
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("#{link}")),
            );
        }
    }
}

/// What opening the fragment did, for the share bar's messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// Nothing to open (no fragment, an anchor, or the link of the current scenario).
    Nothing,
    /// The link's scenario replaced the current one; warnings found while loading, and the
    /// link's schema version when it is older than this app's (made with an older base case).
    Scenario {
        warnings: Vec<String>,
        older_schema: Option<u32>,
    },
    /// A bad link: the message says what is wrong; the scenario was left as it was.
    Bad(String),
}

/// Open the link in the fragment, if there is one.
pub fn open_fragment(state: &AppState, last_written: &RefCell<String>) -> Opened {
    let fragment = current_fragment();
    if !is_link_candidate(&fragment) || *last_written.borrow() == fragment {
        return Opened::Nothing;
    }
    match codec::decode_link(&fragment) {
        // `{"schema_version":1}` (or fields all at their defaults) would replace the work with
        // an empty scenario: refused like `{}`, which the core refuses itself. (The core keeps
        // opening it for the command line: the frozen link of the default scenario.)
        Ok(loaded) if loaded.scenario == Scenario::default() => {
            Opened::Bad(format!("This link {}.", migrate::NO_SCENARIO))
        }
        Ok(loaded) => {
            *last_written.borrow_mut() = fragment.clone();
            let same = state.scenario.with_untracked(|s| *s == loaded.scenario);
            if same {
                return Opened::Nothing;
            }
            state.replace(loaded.scenario, "open link");
            state.seal();
            // Made with an older base case (not just an older format: schema 3 kept schema 2's).
            let older_schema = codec::link_schema_version(&fragment)
                .filter(|&v| v < rackplan_core::presets::BASE_CASE_SINCE_SCHEMA);
            Opened::Scenario {
                warnings: loaded
                    .warnings
                    .iter()
                    .map(|w| match w.path.as_str() {
                        "" => w.message.clone(),
                        path => format!("{path}: {}", w.message),
                    })
                    .collect(),
                older_schema,
            }
        }
        Err(e) => Opened::Bad(e.to_string()),
    }
}

/// Keep the fragment and the scenario in step for the life of the page; `report` receives what
/// each opened link did.
pub fn sync(state: AppState, report: impl Fn(Opened) + Clone + 'static) {
    let last_written = Rc::new(RefCell::new(String::new()));
    report(open_fragment(&state, &last_written));
    {
        let last_written = last_written.clone();
        let report = report.clone();
        let handle = window_event_listener(leptos::ev::hashchange, move |_| {
            report(open_fragment(&state, &last_written));
        });
        // The listener lives as long as the page.
        std::mem::forget(handle);
    }
    let settle = crate::state::Debounce::default();
    Effect::new(move |prev: Option<()>| {
        state.scenario.track();
        let first = prev.is_none();
        let last_written = last_written.clone();
        settle.run(WRITE_DEBOUNCE_MS, move || {
            if state.is_invalid() {
                return;
            }
            let fragment = current_fragment();
            // A bad link stays in the address bar until the planner changes something: it is
            // what the message on the page is about.
            if first && is_link_candidate(&fragment) && *last_written.borrow() != fragment {
                return;
            }
            let link = state.scenario.with_untracked(codec::encode_link);
            if link != fragment {
                replace_fragment(&link);
            }
            *last_written.borrow_mut() = link;
        });
    });
}

#[cfg(test)]
mod tests {
    use super::is_link_candidate;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn anchors_are_not_links() {
        assert!(is_link_candidate("v1.eJyrVg"));
        assert!(is_link_candidate("v2.x"));
        assert!(is_link_candidate("v1"));
        assert!(!is_link_candidate("results"));
        assert!(!is_link_candidate(""));
        assert!(!is_link_candidate("very-long-section-name"));
        assert!(is_link_candidate(&"A".repeat(40)));
    }
}
