//! Entry point of the browser app: mount and nothing else (components live in the library).

fn main() {
    // The Monte Carlo worker loads this same module: there is no page to mount there.
    if web_sys::window().is_none() {
        return;
    }
    rackplan_web::crash::install_panic_hook();
    leptos::mount::mount_to_body(rackplan_web::App);
}
