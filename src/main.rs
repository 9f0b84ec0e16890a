//! Entry point of the browser app: mount and nothing else (components live in the library).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(rackplan_web::App);
}
