//! Crash recovery: a panic must never leave a blank or frozen page. A panic aborts the wasm
//! instance with a trap; `public/crash.js`, plain JavaScript loaded before the app, catches the
//! trap and shows an error banner with a way back to the last good scenario (the autosave is
//! written only from valid states, see `state.rs`).
//!
//! The release build (`scripts/build.sh`) compiles panics to an immediate trap: no panic
//! messages, hooks or formatting in the wasm (~15 KiB gzipped, BENCHMARKS.md "In the
//! browser"). A diagnosis build (`RACKPLAN_PANIC_MESSAGES=1 scripts/build.sh`) keeps them, and
//! this hook prints them to the console.

use wasm_bindgen::prelude::*;

/// Print panic messages to the browser console, where panics have messages.
pub fn install_panic_hook() {
    #[cfg(not(panic = "immediate-abort"))]
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
}

/// Panics on purpose, so that the end-to-end tests can check the banner. Harmless to ship: it
/// can only stop the page of whoever calls it from the console.
#[wasm_bindgen]
pub fn rackplan_test_panic() {
    panic!("test panic requested");
}

/// Recurses until the engine's call stack runs out (a RangeError inside wasm), for the
/// end-to-end test of the banner in that case. Harmless to ship, like [`rackplan_test_panic`].
#[wasm_bindgen]
pub fn rackplan_test_stack_overflow() -> u32 {
    fn deep(n: u32) -> u32 {
        if n == u32::MAX {
            return 0; // never reached: the stack runs out long before
        }
        // black_box: no tail call or loop for the optimiser to turn this into.
        std::hint::black_box(deep(std::hint::black_box(n + 1))).wrapping_add(n)
    }
    deep(0)
}
