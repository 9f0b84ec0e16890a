//! Chart export: the chart's SVG as a file, or as a PNG at twice its size (the SVG drawn on a
//! canvas through an `<img>`; no network, no inline script, allowed by the page's CSP).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::download::{download_blob, download_text, slug};
use rackplan_core::number::parse_f64;

/// PNG pixels per SVG unit.
pub const PNG_SCALE: f64 = 2.0;

/// "SVG" and "PNG" buttons for one chart. `name` becomes the file name; `svg` is the chart's
/// SVG text (empty = nothing to export).
///
/// ```ignore
/// view! { <ChartExport name="supply" svg=Signal::derive(move || chart_svg.get()) /> }
/// ```
#[component]
pub fn ChartExport(#[prop(into)] name: String, #[prop(into)] svg: Signal<String>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let file = slug(&name);
    let file2 = file.clone();
    let empty = move || svg.with(|s| s.is_empty());
    let on_svg = move |_| {
        let text = svg.get_untracked();
        if let Err(e) = download_text(&format!("{file}.svg"), "image/svg+xml", &standalone(&text)) {
            error.set(Some(e));
        }
    };
    let on_png = move |_| {
        let text = svg.get_untracked();
        let name = format!("{file2}.png");
        svg_to_png(&standalone(&text), move |r| match r {
            Ok(blob) => {
                if let Err(e) = download_blob(&name, &blob) {
                    error.set(Some(e));
                }
            }
            Err(e) => error.set(Some(e)),
        });
    };
    view! {
        <div class="chart-export" role="group" aria-label=format!("Export the chart {name}")>
            <button type="button" data-testid="export-svg" disabled=empty on:click=on_svg title="Download this chart as SVG">"SVG"</button>
            <button type="button" data-testid="export-png" disabled=empty on:click=on_png title="Download this chart as PNG (2x)">"PNG"</button>
            {move || error.get().map(|e| view! { <span class="share-inline-error" role="alert">{format!("Could not export: {e}")}</span> })}
        </div>
    }
}

/// The SVG as a file of its own: with the XML namespace (browsers need it for `<img>` and
/// viewers for files) and an XML declaration.
pub fn standalone(svg: &str) -> String {
    let svg = svg.trim();
    let svg = if svg.starts_with("<svg") && !svg.contains("xmlns=\"http://www.w3.org/2000/svg\"") {
        svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1)
    } else {
        svg.to_string()
    };
    if svg.starts_with("<?xml") {
        svg
    } else {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{svg}")
    }
}

/// Width and height of an SVG root from its attributes (or its viewBox).
pub fn svg_size(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("<svg")?;
    let tag = &svg[start..start + svg[start..].find('>')?];
    let attr = |name: &str| -> Option<String> {
        let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[i..i + tag[i..].find('"')?].to_string())
    };
    let num = |s: String| parse_f64(s.trim_end_matches("px").trim());
    match (attr("width").and_then(num), attr("height").and_then(num)) {
        (Some(w), Some(h)) if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => {
            let vb = attr("viewBox")?;
            let v: Vec<f64> = vb.split([' ', ',']).filter_map(parse_f64).collect();
            (v.len() == 4 && v[2] > 0.0 && v[3] > 0.0).then(|| (v[2], v[3]))
        }
    }
}

/// Draw an SVG on a canvas at [`PNG_SCALE`] and hand back the PNG.
pub fn svg_to_png(svg: &str, done: impl FnOnce(Result<web_sys::Blob, String>) + 'static) {
    let fail = |m: &str| Err(m.to_string());
    let Some((w, h)) = svg_size(svg) else {
        done(fail("the chart has no size"));
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(svg));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/svg+xml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        done(fail("the browser could not read the chart"));
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        done(fail("the browser could not read the chart"));
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        done(fail("the browser cannot draw images"));
        return;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let finish = {
        let done = done.clone();
        move |r: Result<web_sys::Blob, String>| {
            if let Some(d) = done.borrow_mut().take() {
                d(r);
            }
        }
    };
    let img2 = img.clone();
    let url2 = url.clone();
    let finish2 = finish.clone();
    let onload = Closure::once(move || {
        web_sys::Url::revoke_object_url(&url2).ok();
        let canvas: web_sys::HtmlCanvasElement = match document.create_element("canvas") {
            Ok(c) => c.unchecked_into(),
            Err(_) => return finish2(Err("the browser cannot draw".into())),
        };
        canvas.set_width((w * PNG_SCALE).round() as u32);
        canvas.set_height((h * PNG_SCALE).round() as u32);
        let Some(ctx) = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        else {
            return finish2(Err("the browser cannot draw".into()));
        };
        // A white page under the chart, as in the app.
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, w * PNG_SCALE, h * PNG_SCALE);
        ctx.scale(PNG_SCALE, PNG_SCALE).ok();
        if ctx
            .draw_image_with_html_image_element_and_dw_and_dh(&img2, 0.0, 0.0, w, h)
            .is_err()
        {
            return finish2(Err("the chart could not be drawn".into()));
        }
        let finish3 = finish2.clone();
        let cb = Closure::once(move |b: Option<web_sys::Blob>| {
            finish3(b.ok_or_else(|| "the browser could not make the PNG".to_string()))
        });
        if canvas
            .to_blob_with_type(cb.as_ref().unchecked_ref(), "image/png")
            .is_err()
        {
            finish2(Err("the browser could not make the PNG".into()));
        }
        cb.forget();
    });
    let url3 = url.clone();
    let onerror = Closure::once(move || {
        web_sys::Url::revoke_object_url(&url3).ok();
        finish(Err("the chart could not be read as an image".into()));
    });
    img.set_onload(Some(onload.as_ref().unchecked_ref()));
    img.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onload.forget();
    onerror.forget();
    img.set_src(&url);
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn sizes_and_namespace() {
        let s = r#"<svg width="760" height="380" viewBox="0 0 760 380"><rect/></svg>"#;
        assert_eq!(svg_size(s), Some((760.0, 380.0)));
        assert_eq!(svg_size(r#"<svg viewBox="0 0 10 20">"#), Some((10.0, 20.0)));
        let f = standalone(s);
        assert!(f.starts_with("<?xml"));
        assert!(f.contains("xmlns=\"http://www.w3.org/2000/svg\""));
        assert_eq!(standalone(&f), f);
    }
}
