// Starts the Monte Carlo worker (src/bin/rackplan-worker.rs). A file of its own, not a blob:
// the page's Content-Security-Policy allows scripts from 'self' only. URLs are relative to
// this file, so the app works from any sub-path.
importScripts('./rackplan-worker.js');
wasm_bindgen({ module_or_path: './rackplan-worker_bg.wasm' });
