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
pub fn ChartExport(
    #[prop(into)] name: String,
    #[prop(into)] svg: Signal<String>,
    /// The chart's title, written above it in the file (with the scenario's name).
    #[prop(optional, into)]
    title: Option<String>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let state = crate::state::use_app_state();
    let title = title.unwrap_or_else(|| name.replace('-', " "));
    let title2 = title.clone();
    let head = move |t: &str| {
        let scenario = state.scenario.with_untracked(|s| s.name.clone());
        (t.to_string(), scenario)
    };
    let file = slug(&name);
    let file2 = file.clone();
    let empty = move || svg.with(|s| s.is_empty());
    let on_svg = move |_| {
        let (t, scenario) = head(&title);
        let text = titled(&svg.get_untracked(), &t, &scenario);
        if let Err(e) = download_text(&format!("{file}.svg"), "image/svg+xml", &standalone(&text)) {
            error.set(Some(e));
        }
    };
    let on_png = move |_| {
        let (t, scenario) = head(&title2);
        let text = titled(&svg.get_untracked(), &t, &scenario);
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

/// Height of the title band above an exported chart, SVG units.
pub const TITLE_BAND: f64 = 44.0;

/// The chart with its title and the scenario's name above it: an outer SVG, [`TITLE_BAND`] taller,
/// holding the two lines of text and the chart below them. An SVG without a size is returned as
/// it is.
pub fn titled(svg: &str, title: &str, scenario: &str) -> String {
    let svg = svg.trim();
    let Some((w, h)) = svg_size(svg) else {
        return svg.to_string();
    };
    let inner = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => return svg.to_string(),
    };
    let esc = crate::format::escape_xml;
    let total = h + TITLE_BAND;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{total}\" viewBox=\"0 0 {w} {total}\">\
<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
<text x=\"10\" y=\"19\" font-family=\"sans-serif\" font-size=\"15\" font-weight=\"bold\" fill=\"#1b1f24\">{}</text>\
<text x=\"10\" y=\"37\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#57606a\">Scenario: {}</text>\
<g transform=\"translate(0,{TITLE_BAND})\">{}</g></svg>",
        esc(title),
        esc(scenario),
        standalone_inner(inner)
    )
}

/// An `<svg>` element with the namespace, for nesting.
fn standalone_inner(svg: &str) -> String {
    if svg.contains("xmlns=\"http://www.w3.org/2000/svg\"") {
        svg.to_string()
    } else {
        svg.replacen("<svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"", 1)
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
    fn exported_charts_carry_title_and_scenario() {
        let s = r#"<svg width="760" height="380" viewBox="0 0 760 380"><rect/></svg>"#;
        let t = titled(s, "Backlog & service", "Base <case>");
        assert_eq!(svg_size(&t), Some((760.0, 380.0 + TITLE_BAND)));
        assert!(t.contains("Backlog &amp; service"), "{t}");
        assert!(t.contains("Scenario: Base &lt;case&gt;"), "{t}");
        assert!(t.contains("<rect/>"));
    }

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
