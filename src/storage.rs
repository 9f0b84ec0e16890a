//! The scenarios kept in this browser: the autosave and the up to four pinned comparison
//! scenarios (`localStorage`, [`Slot`]; the pins' names and times beside them, [`PINS_META_KEY`]). Saved work is never lost to a value this version cannot open
//! (not JSON, not a scenario, an invalid scenario, one saved by a newer rackplan, too large):
//!
//! - on start, such a value is moved aside, unchanged, under a key of its own that carries the
//!   time it was found (`rackplan:autosave:unreadable:2026-12-04T00:10:03.123Z`), and the app
//!   starts as if nothing were saved;
//! - before every write, the value about to be replaced is checked the same way (another tab,
//!   perhaps of a newer rackplan, may have saved since), and moved aside if it cannot be opened;
//! - when there is no room to move it aside, it stays where it is and nothing is written over it
//!   (the slot is *blocked*) until the planner downloads or deletes it;
//! - [`KeptNotice`] says what was found and why it cannot be opened, and offers each kept value
//!   for download exactly as stored, and for deletion.
//!
//! Values are copied aside as JavaScript strings, never through Rust's `String`, so even text
//! that is not valid Unicode is kept as it was.

use leptos::prelude::*;
use rackplan_core::migrate::{self, MigrateError};
use rackplan_core::scenario::{CURRENT_SCHEMA_VERSION, MAX_FILE_BYTES};
use rackplan_core::{LoadError, Scenario, Severity};
use serde_json::Value;

/// localStorage key of the autosave. The suffix is the autosave format version: bump it if the
/// stored value ever stops being a plain scenario file.
pub const AUTOSAVE_KEY: &str = "rackplan:autosave:v1";
/// localStorage key of the first pinned comparison scenario (same format), kept across reloads
/// (the key of the single pinned scenario A before there were four).
pub const PINNED_KEY: &str = "rackplan:pinned:v1";
/// localStorage key of the pins' names and times (`[{"slot":0,"name":…,"pinned_at":…}]`,
/// [`crate::pins::PinMeta`]); the scenarios are in the pin slots.
pub const PINS_META_KEY: &str = "rackplan:pins:v1";

/// The most scenarios pinned at once (Compare: the current scenario and four pins, five columns).
pub const MAX_PINS: usize = 4;

/// Where a scenario is kept in this browser: the autosave and four pin slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Autosave,
    Pin0,
    Pin1,
    Pin2,
    Pin3,
}

/// Number of slots.
const SLOTS: usize = 5;

impl Slot {
    pub const ALL: [Slot; SLOTS] = [
        Slot::Autosave,
        Slot::Pin0,
        Slot::Pin1,
        Slot::Pin2,
        Slot::Pin3,
    ];
    pub const PINS: [Slot; MAX_PINS] = [Slot::Pin0, Slot::Pin1, Slot::Pin2, Slot::Pin3];

    pub fn key(self) -> &'static str {
        match self {
            Slot::Autosave => AUTOSAVE_KEY,
            Slot::Pin0 => PINNED_KEY,
            Slot::Pin1 => "rackplan:pinned:2:v1",
            Slot::Pin2 => "rackplan:pinned:3:v1",
            Slot::Pin3 => "rackplan:pinned:4:v1",
        }
    }

    /// Prefix of the keys its unreadable values are kept under (then the time they were found).
    pub fn aside_prefix(self) -> &'static str {
        match self {
            Slot::Autosave => "rackplan:autosave:unreadable:",
            Slot::Pin0 => "rackplan:pinned:unreadable:",
            Slot::Pin1 => "rackplan:pinned:2:unreadable:",
            Slot::Pin2 => "rackplan:pinned:3:unreadable:",
            Slot::Pin3 => "rackplan:pinned:4:unreadable:",
        }
    }

    /// What it is, for the page.
    pub fn noun(self) -> &'static str {
        match self {
            Slot::Autosave => "Autosaved scenario",
            Slot::Pin0 => "Pinned comparison scenario 1",
            Slot::Pin1 => "Pinned comparison scenario 2",
            Slot::Pin2 => "Pinned comparison scenario 3",
            Slot::Pin3 => "Pinned comparison scenario 4",
        }
    }

    /// [`Slot::noun`] inside a sentence (ASCII lower-casing by hand: `str::to_lowercase` would
    /// bring Unicode's case tables into the wasm).
    pub fn noun_in_text(self) -> &'static str {
        match self {
            Slot::Autosave => "autosaved scenario",
            Slot::Pin0 => "pinned comparison scenario 1",
            Slot::Pin1 => "pinned comparison scenario 2",
            Slot::Pin2 => "pinned comparison scenario 3",
            Slot::Pin3 => "pinned comparison scenario 4",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A stored value that could not be opened, kept as it was.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    /// Its localStorage key: an aside key, or the slot's own key while the slot is blocked.
    pub key: String,
    pub slot: Slot,
    /// When it was found (ISO 8601, UTC).
    pub found_at: String,
    /// Why it cannot be opened, in words ([`why_not`]).
    pub reason: String,
    /// Its size in bytes (UTF-8).
    pub bytes: usize,
    /// Whether it is JSON (downloaded as `.json`, else as `.txt`).
    pub json: bool,
}

impl Kept {
    /// The file name it downloads as.
    pub fn file_name(&self) -> String {
        let slot = match self.slot {
            Slot::Autosave => "autosave",
            Slot::Pin0 => "pinned",
            Slot::Pin1 => "pinned-2",
            Slot::Pin2 => "pinned-3",
            Slot::Pin3 => "pinned-4",
        };
        let time: String = self
            .found_at
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let ext = if self.json { "json" } else { "txt" };
        format!("rackplan-{slot}-unreadable-{time}.{ext}")
    }
}

/// Open a stored scenario, or say in words why it cannot be opened.
pub fn open_stored(text: &str) -> Result<Scenario, String> {
    rackplan_core::load::load_json(text)
        .map(|l| l.scenario)
        .map_err(|e| why_not(text, e))
}

/// Why `text` could not be opened (`error` is what loading it said), in words: "not JSON",
/// "not a scenario: a JSON array", "an invalid scenario: …", "saved by a newer rackplan", "too
/// large".
pub fn why_not(text: &str, error: LoadError) -> String {
    if text.len() > MAX_FILE_BYTES {
        return format!(
            "too large: {}, more than the {} MB a scenario may be",
            size_in_words(text.len()),
            MAX_FILE_BYTES / (1024 * 1024)
        );
    }
    if text.trim().is_empty() {
        return "empty".into();
    }
    // Only on this error path: what kind of JSON it is, if any.
    let value = serde_json::from_str::<Value>(text).ok();
    match error {
        LoadError::Parse {
            line,
            column,
            message,
        } => match value {
            None => format!("not JSON (line {line}, column {column}: {message})"),
            Some(Value::Object(_)) => {
                format!("an invalid scenario: line {line}, column {column}: {message}")
            }
            Some(other) => format!("not a scenario: {}", json_kind(&other)),
        },
        LoadError::Invalid(issues) => {
            if let Some(Value::Object(o)) = &value {
                if migrate::holds_no_scenario(o) {
                    return "holds no scenario: an empty JSON object".into();
                }
                if let Err(MigrateError::Newer { found }) = migrate::schema_version_of(o) {
                    return format!(
                        "saved by a newer rackplan (schema {found}); this version reads up to schema {CURRENT_SCHEMA_VERSION}"
                    );
                }
            }
            let errors: Vec<String> = issues
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .map(|i| i.to_string())
                .collect();
            const SHOWN: usize = 3;
            let mut out = format!(
                "an invalid scenario: {}",
                errors
                    .iter()
                    .take(SHOWN)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            if errors.len() > SHOWN {
                out.push_str(&format!("; and {} more", errors.len() - SHOWN));
            }
            out
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "a JSON array",
        Value::String(_) => "a JSON string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a JSON true or false",
        Value::Null => "JSON null",
        Value::Object(_) => "a JSON object",
    }
}

/// "312 bytes", "14 KB", "2.1 MB".
pub fn size_in_words(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} KB", (bytes as f64 / 1e3).round()),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// "2026-12-04 00:10 UTC" from an ISO 8601 time.
pub fn time_in_words(iso: &str) -> String {
    match (iso.get(..10), iso.get(11..16)) {
        (Some(day), Some(time)) if iso.ends_with('Z') => format!("{day} {time} UTC"),
        _ => iso.to_string(),
    }
}

/// The kept values and the slots' state, for the app and its notice.
#[derive(Clone, Copy)]
pub struct Stored {
    /// Values that could not be opened, oldest first.
    pub kept: RwSignal<Vec<Kept>>,
    /// Per slot: an unreadable value could not be moved aside, so nothing is written over it.
    pub blocked: RwSignal<[bool; SLOTS]>,
    /// Per slot: the text this page last read or wrote there (a different one was written by
    /// another tab, and is checked before it is replaced).
    last: StoredValue<[Option<String>; SLOTS]>,
}

impl Stored {
    /// Nothing read yet (tests, and before [`Stored::open`]).
    pub fn empty() -> Stored {
        Stored {
            kept: RwSignal::new(Vec::new()),
            blocked: RwSignal::new([false; SLOTS]),
            last: StoredValue::new(Default::default()),
        }
    }

    /// Read what this browser keeps: the autosave and pinned scenarios (with their slot), if they
    /// open; any value that does not is moved aside first. Also lists the values kept aside
    /// before.
    pub fn open() -> (Stored, Option<Scenario>, Vec<(Slot, Scenario)>) {
        let stored = Stored::empty();
        let mut kept: Vec<Kept> = Vec::new();
        for key in raw::keys() {
            let Some(slot) = Slot::ALL
                .into_iter()
                .find(|s| key.starts_with(s.aside_prefix()))
            else {
                continue;
            };
            let Some(text) = raw::get(&key).and_then(|v| v.as_string()) else {
                continue;
            };
            let found_at = key[slot.aside_prefix().len()..].to_string();
            // Oldest first (an insertion, not a sort: a few items, and no sort code in the wasm).
            let at = kept.partition_point(|k| (&k.found_at, &k.key) <= (&found_at, &key));
            kept.insert(at, kept_value(key, slot, found_at, &text, None));
        }
        stored.kept.set(kept);
        let autosave = stored.read(Slot::Autosave);
        let pinned = Slot::PINS
            .into_iter()
            .filter_map(|slot| Some((slot, stored.read(slot)?)))
            .collect();
        (stored, autosave, pinned)
    }

    /// The scenario in `slot`, if it opens; if it does not, it is moved aside.
    fn read(&self, slot: Slot) -> Option<Scenario> {
        let value = raw::get(slot.key())?;
        let text = value.as_string()?;
        match open_stored(&text) {
            Ok(s) => {
                self.last.update_value(|l| l[slot.index()] = Some(text));
                Some(s)
            }
            Err(reason) => {
                self.set_aside(slot, &value, &text, reason);
                None
            }
        }
    }

    /// Move `value` (the text in `slot`, which cannot be opened) aside; if there is no room,
    /// leave it and block the slot. Whether the slot is free to write.
    fn set_aside(&self, slot: Slot, value: &raw::Value, text: &str, reason: String) -> bool {
        let found_at = raw::now_iso();
        let mut key = format!("{}{found_at}", slot.aside_prefix());
        let mut n = 1;
        while raw::get(&key).is_some() {
            n += 1;
            key = format!("{}{found_at}-{n}", slot.aside_prefix());
        }
        let moved = raw::set(&key, value);
        if moved {
            raw::remove(slot.key());
        } else {
            key = slot.key().to_string();
        }
        let item = kept_value(key, slot, found_at, text, Some(reason));
        self.kept.update(|k| {
            k.retain(|x| x.key != item.key);
            k.push(item);
        });
        self.blocked.update(|b| b[slot.index()] = !moved);
        self.set_blocked_mark();
        moved
    }

    /// Write `json` to `slot` (`None`: remove it), first moving aside a value there that this
    /// page did not write and cannot open. Whether it was written.
    pub fn write(&self, slot: Slot, json: Option<&str>) -> bool {
        if self.is_blocked(slot) {
            return false;
        }
        if let Some(value) = raw::get(slot.key()) {
            let text = value.as_string().unwrap_or_default();
            let ours = self
                .last
                .with_value(|l| l[slot.index()].as_deref() == Some(&text));
            if !ours {
                if let Err(reason) = open_stored(&text) {
                    if !self.set_aside(slot, &value, &text, reason) {
                        return false;
                    }
                }
            }
        }
        let ok = match json {
            Some(j) => raw::set(slot.key(), &raw::Value::from(j)),
            None => raw::remove(slot.key()),
        };
        if ok {
            self.last
                .update_value(|l| l[slot.index()] = json.map(str::to_string));
        }
        ok
    }

    /// Whether `slot` is blocked (reactive).
    pub fn blocks(&self, slot: Slot) -> bool {
        self.blocked.with(|b| b[slot.index()])
    }

    /// Whether `slot` is blocked (untracked).
    pub fn is_blocked(&self, slot: Slot) -> bool {
        self.blocked.with_untracked(|b| b[slot.index()])
    }

    /// Delete a kept value for good.
    pub fn delete(&self, key: &str) {
        raw::remove(key);
        for slot in Slot::ALL {
            if key == slot.key() {
                self.blocked.update(|b| b[slot.index()] = false);
                self.last.update_value(|l| l[slot.index()] = None);
            }
        }
        self.kept.update(|k| k.retain(|x| x.key != key));
        self.set_blocked_mark();
    }

    /// Offer a kept value for download, exactly as stored.
    pub fn download(&self, key: &str) -> Result<(), String> {
        let item = self
            .kept
            .with_untracked(|k| k.iter().find(|x| x.key == key).cloned())
            .ok_or("it is no longer kept")?;
        let value = raw::get(key).ok_or("it is no longer in this browser's storage")?;
        raw::download(&item.file_name(), item.json, &value)
    }

    /// Tell the crash banner (public/crash.js) whether the autosave is blocked: it then says
    /// that the work since the page opened is not saved.
    fn set_blocked_mark(&self) {
        raw::mark_autosave_blocked(self.is_blocked(Slot::Autosave));
    }
}

/// A kept value; `reason` when already known, else worked out from `text`.
fn kept_value(
    key: String,
    slot: Slot,
    found_at: String,
    text: &str,
    reason: Option<String>,
) -> Kept {
    Kept {
        key,
        slot,
        found_at,
        reason: reason
            .or_else(|| open_stored(text).err())
            .unwrap_or_else(|| {
                "it opens in this version: download it, then open the file".to_string()
            }),
        bytes: text.len(),
        json: serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok(),
    }
}

/// The pins' names and times ([`PINS_META_KEY`]) as stored, if any.
pub fn read_pins_meta() -> Option<String> {
    raw::get(PINS_META_KEY)?.as_string()
}

/// Write the pins' names and times; whether it was written.
pub fn write_pins_meta(json: &str) -> bool {
    raw::set(PINS_META_KEY, &raw::Value::from(json))
}

/// The time now, ISO 8601 UTC ("" off the browser).
pub fn now_iso() -> String {
    raw::now_iso()
}

/// localStorage, holding values as JavaScript strings. Off the browser: empty, and writes fail.
#[cfg(target_arch = "wasm32")]
mod raw {
    use wasm_bindgen::prelude::*;

    pub type Value = js_sys::JsString;

    #[wasm_bindgen]
    extern "C" {
        /// localStorage, with getItem and setItem taking the value as a JS string: web-sys's
        /// versions convert it to and from Rust's String, which would replace text that is not
        /// valid Unicode.
        #[wasm_bindgen(extends = web_sys::Storage)]
        type JsStorage;
        #[wasm_bindgen(method, catch, js_name = getItem)]
        fn get_item_js(this: &JsStorage, key: &str) -> Result<JsValue, JsValue>;
        #[wasm_bindgen(method, catch, js_name = setItem)]
        fn set_item_js(this: &JsStorage, key: &str, value: &JsValue) -> Result<(), JsValue>;
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn js_storage() -> Option<JsStorage> {
        storage().map(JsCast::unchecked_into)
    }

    pub fn get(key: &str) -> Option<Value> {
        js_storage()?.get_item_js(key).ok()?.dyn_into().ok()
    }

    pub fn set(key: &str, value: &Value) -> bool {
        js_storage().is_some_and(|s| s.set_item_js(key, value).is_ok())
    }

    pub fn remove(key: &str) -> bool {
        storage().is_some_and(|s| s.remove_item(key).is_ok())
    }

    pub fn keys() -> Vec<String> {
        let Some(s) = storage() else {
            return Vec::new();
        };
        let n = s.length().unwrap_or(0);
        (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
    }

    pub fn now_iso() -> String {
        js_sys::Date::new_0().to_iso_string().into()
    }

    pub fn download(name: &str, json: bool, value: &Value) -> Result<(), String> {
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(if json {
            "application/json"
        } else {
            "text/plain;charset=utf-8"
        });
        let blob =
            web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(value), &opts)
                .map_err(|_| "the browser could not make the file".to_string())?;
        crate::share::download::download_blob(name, &blob)
    }

    pub fn mark_autosave_blocked(blocked: bool) {
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = if blocked {
                root.set_attribute("data-autosave-blocked", "")
            } else {
                root.remove_attribute("data-autosave-blocked")
            };
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod raw {
    /// A stored value (never one off the browser).
    pub struct Value(String);

    impl From<&str> for Value {
        fn from(s: &str) -> Value {
            Value(s.to_string())
        }
    }

    impl Value {
        pub fn as_string(&self) -> Option<String> {
            Some(self.0.clone())
        }
    }

    pub fn get(_key: &str) -> Option<Value> {
        None
    }
    pub fn set(_key: &str, _value: &Value) -> bool {
        false
    }
    pub fn remove(_key: &str) -> bool {
        false
    }
    pub fn keys() -> Vec<String> {
        Vec::new()
    }
    pub fn now_iso() -> String {
        String::new()
    }
    pub fn download(_name: &str, _json: bool, _value: &Value) -> Result<(), String> {
        Err("no browser".into())
    }
    pub fn mark_autosave_blocked(_blocked: bool) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn why(text: &str) -> String {
        open_stored(text).expect_err("refused")
    }

    #[wasm_bindgen_test]
    fn each_kind_of_unreadable_value_says_why_in_words() {
        assert_eq!(
            why("my plan {"),
            "not JSON (line 1, column 1: expected value)"
        );
        assert_eq!(why("[1, 2]"), "not a scenario: a JSON array");
        assert_eq!(why("\"plan\""), "not a scenario: a JSON string");
        assert_eq!(why("null"), "not a scenario: JSON null");
        assert_eq!(why("{}"), "holds no scenario: an empty JSON object");
        assert_eq!(why("  "), "empty");
        assert_eq!(
            why(r#"{"schema_version": 999, "name": "x"}"#),
            format!("saved by a newer rackplan (schema 999); this version reads up to schema {CURRENT_SCHEMA_VERSION}")
        );
        let invalid = why(r#"{"schema_version": 1, "horizon_months": 0}"#);
        assert!(
            invalid.starts_with("an invalid scenario: horizon_months: must be between 1 and 240"),
            "{invalid}"
        );
        let typed = why(r#"{"schema_version": 1, "horizon_months": "ten"}"#);
        assert!(
            typed.starts_with("an invalid scenario: line 1, column "),
            "{typed}"
        );
        let big = format!("[{}]", "0,".repeat(MAX_FILE_BYTES / 2) + "0");
        assert_eq!(
            why(&big),
            "too large: 4.2 MB, more than the 4 MB a scenario may be"
        );
    }

    #[wasm_bindgen_test]
    fn a_saved_scenario_opens() {
        let s = crate::presets::base_case();
        assert_eq!(open_stored(&s.to_json()), Ok(s));
    }

    #[wasm_bindgen_test]
    fn sizes_times_and_file_names_read_well() {
        assert_eq!(size_in_words(312), "312 bytes");
        assert_eq!(size_in_words(14_321), "14 KB");
        assert_eq!(size_in_words(2_000_005), "2.0 MB");
        assert_eq!(
            time_in_words("2026-12-04T00:10:03.123Z"),
            "2026-12-04 00:10 UTC"
        );
        let kept = Kept {
            key: "k".into(),
            slot: Slot::Pin0,
            found_at: "2026-12-04T00:10:03.123Z".into(),
            reason: String::new(),
            bytes: 2,
            json: true,
        };
        assert_eq!(
            kept.file_name(),
            "rackplan-pinned-unreadable-2026-12-04T00-10-03-123Z.json"
        );
    }
}
