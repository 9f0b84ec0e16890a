//! Entry point of the browser app: mount and nothing else (components live in the library).

fn main() {
    // The Monte Carlo worker loads this same module: there is no page to mount there.
    let Some(window) = web_sys::window() else {
        return;
    };
    rackplan_web::crash::install_panic_hook();
    // The pre-rendered first view (scripts/prerender.mjs) leaves in the same task as the app
    // mounts, so no frame shows the page without an answer.
    if let Some(view) = window
        .document()
        .and_then(|d| d.get_element_by_id("first-view"))
    {
        view.remove();
    }
    leptos::mount::mount_to_body(rackplan_web::App);
}
