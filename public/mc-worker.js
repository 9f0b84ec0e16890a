// The Monte Carlo worker (src/uncertainty/worker_main.rs), started as a module worker. It runs
// the app's own wasm, so page and worker share one download. A file of its own, not a blob: the
// page's Content-Security-Policy allows scripts from 'self' only. scripts/postbuild.mjs writes
// the hashed file names in; URLs are relative to this file, so any sub-path works.
import init, { mc_worker_main } from './__RACKPLAN_GLUE__';

await init({ module_or_path: './__RACKPLAN_WASM__' });
mc_worker_main();
