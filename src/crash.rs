//! Crash recovery: a panic must never leave a blank or frozen page. The panic hook writes an
//! error banner straight into the DOM (the Leptos runtime cannot be trusted after a panic, and
//! the wasm instance stops), with a way back to the last good scenario: the autosave is written
//! only from valid states (see `state.rs`), so reloading the page without the link in its
//! address restores it.

use std::panic::PanicHookInfo;
use wasm_bindgen::prelude::*;

/// Install the panic hook: console report plus the banner.
pub fn install_panic_banner() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        show_banner(&panic_message(info));
    }));
}

fn panic_message(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into());
    match info.location() {
        Some(l) => format!("{text} ({}:{})", l.file(), l.line()),
        None => text,
    }
}

/// Put the banner at the top of the page. Text only (never HTML), and no event handlers: the
/// link works even though the wasm instance has stopped.
fn show_banner(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    if document.get_element_by_id("crash-banner").is_some() {
        return;
    }
    let build = || -> Result<(), JsValue> {
        let banner = document.create_element("div")?;
        banner.set_id("crash-banner");
        banner.set_class_name("crash-banner");
        banner.set_attribute("role", "alert")?;
        banner.set_attribute("data-testid", "crash-banner")?;
        let title = document.create_element("strong")?;
        title.set_text_content(Some("rackplan stopped after an internal error."));
        let text = document.create_element("p")?;
        text.set_text_content(Some(&format!(
            "Your last valid scenario is saved in this browser. Error: {message}"
        )));
        let location = web_sys::window().unwrap().location();
        let here = format!(
            "{}{}",
            location.pathname().unwrap_or_else(|_| "./".into()),
            location.search().unwrap_or_default()
        );
        let reload = document.create_element("a")?;
        reload.set_attribute("href", &here)?;
        reload.set_attribute("data-testid", "crash-reload")?;
        reload.set_text_content(Some("Reload last good scenario"));
        banner.append_child(&title)?;
        banner.append_child(&text)?;
        banner.append_child(&reload)?;
        body.insert_before(&banner, body.first_child().as_ref())?;
        Ok(())
    };
    let _ = build();
}

/// Panics on purpose, so that the end-to-end tests can check the banner. Harmless to ship: it
/// can only stop the page of whoever calls it from the console.
#[wasm_bindgen]
pub fn rackplan_test_panic() {
    panic!("test panic requested");
}
