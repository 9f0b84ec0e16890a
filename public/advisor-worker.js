// The commitment advisor's worker (advisor-worker/src/main.rs), started as a module worker when
// the Advisor runs. Its wasm is its own (with the general simplex the page's wasm leaves out), so
// the page never downloads it unless asked. scripts/postbuild.mjs writes the hashed file names
// in; URLs are relative to this file, so any sub-path works.
import init, { advisor_worker_main } from './__ADVISOR_GLUE__';

await init({ module_or_path: './__ADVISOR_WASM__' });
advisor_worker_main();
