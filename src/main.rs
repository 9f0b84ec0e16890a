//! Entry point of the browser app: mount and nothing else (components live in the library).

fn main() {
    rackplan_web::crash::install_panic_banner();
    leptos::mount::mount_to_body(rackplan_web::App);
}
