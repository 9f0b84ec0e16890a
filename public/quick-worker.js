// The quick risk worker of the first screen (src/quick/worker.rs), started as a module worker.
// Like mc-worker.js it runs the app's own wasm; scripts/postbuild.mjs writes the hashed file names
// in. URLs are relative to this file, so any sub-path works.
import init, { quick_worker_main } from './__RACKPLAN_GLUE__';

await init({ module_or_path: './__RACKPLAN_WASM__' });
quick_worker_main();
