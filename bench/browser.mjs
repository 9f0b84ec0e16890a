// In-browser benchmarks on the built dist/ (BENCHMARKS.md "In the browser"), headless Chromium
// on a loopback static server:
//   - cold load: navigation start to the first chart drawn, fresh browser context each time;
//   - deterministic recompute of the base case in wasm (the native `bench_run` runs the same);
//   - the bundle's gzipped size;
//   - then the slider frame-time and Monte Carlo benchmarks (tests/e2e/*.bench.mjs).
// A benchmark, not a test: it prints numbers. Usage: DIST=dist node bench/browser.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { serveDist, launchBrowser, DIST, firstChart } from '../tests/e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const server = await serveDist();
const browser = await launchBrowser();
try {
  const loads = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await firstChart(page, 30000);
    loads.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  console.log(`cold load to first chart: median ${median(loads).toFixed(0)} ms, worst ${Math.max(...loads).toFixed(0)} ms (${loads.length} loads)`);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await firstChart(page, 30000);
  const runs = await page.evaluate(() => Array.from(window.wasmBindings.rackplan_bench_deterministic(100)));
  const warm = runs.slice(10);
  console.log(`deterministic run, base case (wasm): median ${median(warm).toFixed(3)} ms, p90 ${pct(warm, 0.9).toFixed(3)} ms (${warm.length} batches of 10 runs)`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}

const env = { ...process.env, DIST };
for (const args of [['scripts/bundle-size.mjs', DIST], ['tests/e2e/frame-time.bench.mjs'], ['tests/e2e/montecarlo.bench.mjs', '10000', '1,2']]) {
  console.log(`\n$ node ${args.join(' ')}`);
  const r = spawnSync('node', args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
