//! Saving files from the page (a Blob behind a temporary `<a download>`) and reading the file
//! the planner picked or dropped.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Largest file the page opens, bytes (scenario JSON or a CSV table).
pub const MAX_FILE_BYTES: f64 = 4.0 * 1024.0 * 1024.0;

/// Offer `bytes` as a download named `filename`.
pub fn download_bytes(filename: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts)
        .map_err(|_| "the browser could not make the file".to_string())?;
    download_blob(filename, &blob)
}

/// Offer a Blob as a download named `filename`.
pub fn download_blob(filename: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no document")?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(filename);
    a.set_attribute("hidden", "").ok();
    if let Some(body) = document.body() {
        body.append_child(&a).ok();
        a.click();
        body.remove_child(&a).ok();
    }
    // Revoke later: the download starts asynchronously.
    gloo::timers::callback::Timeout::new(10_000, move || {
        web_sys::Url::revoke_object_url(&url).ok();
    })
    .forget();
    Ok(())
}

/// Offer text as a download.
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    download_bytes(filename, mime, text.as_bytes())
}

/// A file name from the scenario name: `Base case` -> `base-case`. Letters and digits of any
/// script are kept, lower-cased; every other run of characters becomes one `-`. The browser's
/// own Unicode tables do the work (the wasm carries none).
pub fn slug(name: &str) -> String {
    let runs = js_sys::RegExp::new(r"[^\p{Alphabetic}\p{N}]+", "gu");
    let dashed: String = js_sys::JsString::from(name)
        .to_lower_case()
        .replace_by_pattern(&runs, "-")
        .into();
    let out = dashed.trim_matches('-');
    if out.is_empty() {
        "scenario".into()
    } else {
        out.chars()
            .take(60)
            .collect::<String>()
            .trim_end_matches('-')
            .into()
    }
}

/// Read a picked or dropped file as UTF-8 text; `done` gets the file name and the text, or a message.
pub fn read_file(file: web_sys::File, done: impl FnOnce(String, Result<String, String>) + 'static) {
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        done(
            name,
            Err(format!(
                "the file is {:.1} MB; rackplan opens files up to {} MB",
                file.size() / 1e6,
                MAX_FILE_BYTES / 1024.0 / 1024.0
            )),
        );
        return;
    }
    let Ok(reader) = web_sys::FileReader::new() else {
        done(name, Err("the browser cannot read files".into()));
        return;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let r = reader.clone();
    let n = name.clone();
    let d = done.clone();
    let onload = Closure::<dyn FnMut()>::new(move || {
        // Bytes, not the browser's text decoding: a file that is not UTF-8 is reported with the
        // position of the first bad byte instead of being read with replacement characters.
        let text = r
            .result()
            .map_err(|_| "the file could not be read".to_string())
            .and_then(|v| {
                let bytes = js_sys::Uint8Array::new(&v).to_vec();
                rackplan_core::load::decode_utf8(&bytes)
                    .map(str::to_string)
                    .map_err(|e| e.to_string())
            });
        if let Some(done) = d.borrow_mut().take() {
            done(n.clone(), text);
        }
    });
    let n = name.clone();
    let onerror = Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.borrow_mut().take() {
            done(n.clone(), Err("the file could not be read".into()));
        }
    });
    reader.set_onload(Some(onload.as_ref().unchecked_ref()));
    reader.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onload.forget();
    onerror.forget();
    if reader.read_as_array_buffer(&file).is_err() {
        leptos::logging::warn!("could not start reading {name}");
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn slugs() {
        assert_eq!(super::slug("Base case"), "base-case");
        assert_eq!(super::slug("  ¿Qué? 2026 / v2 "), "qué-2026-v2");
        assert_eq!(super::slug("!!!"), "scenario");
        assert_eq!(super::slug("Ünïcode—ΣΩ_x"), "ünïcode-σω-x");
        assert_eq!(super::slug(&"ab ".repeat(40)).len(), 59);
    }
}
