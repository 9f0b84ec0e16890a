// Monte Carlo in the browser (BENCHMARKS.md, "Monte Carlo"): runs the base case with N samples
// (default 10,000) in the worker from the built dist/, and prints the worker's samples per second
// and the longest main-thread task while the run was under way (Long Tasks API: tasks > 50 ms).
// With a list of worker counts (default: 1 and the app's own default, hardwareConcurrency - 1),
// the same run once per count, so the rates compare 1 worker with N (the results are the same
// bits whatever the count, MODEL.md §5.2).
// A benchmark, not a test: it prints numbers and fails only if a run does not finish.
//
//   DIST=dist node tests/e2e/montecarlo.bench.mjs [SAMPLES] [WORKERS,WORKERS,...]
import { serveDist, launchBrowser, openPage, contextWithLongTasks } from './harness.mjs';

const samples = Number(process.argv[2] ?? 10000);
const workerCounts = process.argv[3] ? process.argv[3].split(',').map(Number) : null;
const server = await serveDist({ prefix: '/bench/' });
const browser = await launchBrowser();
async function run(workers) {
  const context = await contextWithLongTasks(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(server.url);
  await page.getByTestId('uncertainty-panel').waitFor({ timeout: 30000 });
  const input = page.getByTestId('mc-samples');
  await input.fill(String(samples));
  await input.dispatchEvent('change');
  if (workers !== undefined) {
    const w = page.getByTestId('mc-workers');
    await w.fill(String(workers));
    await w.dispatchEvent('change');
  }
  const used = Number(await page.getByTestId('mc-workers').inputValue());
  await page.waitForTimeout(1500); // let start-up work (first render, autosave) finish
  await page.evaluate(() => (window.__longTasks = []));
  const t0 = Date.now();
  await page.getByTestId('mc-run').click();
  await page.waitForFunction(
    () => /^(Done|Failed)/.test(document.querySelector('[data-testid=mc-status]').textContent),
    null,
    { timeout: 30 * 60 * 1000, polling: 500 },
  );
  const wall = (Date.now() - t0) / 1000;
  await page.waitForTimeout(500); // the final redraw
  const status = await page.getByTestId('mc-status').textContent();
  const tasks = await page.evaluate(() => window.__longTasks);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const rate = Number((status.match(/\(([\d.]+) samples\/s\)/) ?? [])[1]);
  await context.close();
  if (!/^Done/.test(status)) process.exitCode = 1;
  return {
    samples,
    workers: used,
    hardware_concurrency: cores,
    status,
    worker_samples_per_second: rate,
    wall_seconds: wall,
    wall_samples_per_second: samples / wall,
    long_tasks_over_50ms: tasks.length,
    longest_main_thread_task_ms: tasks.length ? Math.max(...tasks) : 0,
    errors,
  };
}

try {
  const results = [];
  for (const w of workerCounts ?? [1, undefined]) results.push(await run(w));
  console.log(JSON.stringify(results, null, 2));
  if (results.length > 1) {
    const [one, ...more] = results;
    for (const r of more) {
      const speedup = r.wall_samples_per_second / one.wall_samples_per_second;
      console.log(`${r.workers} workers vs 1: ${speedup.toFixed(2)}x the samples/s (goal >= ${(0.8 * r.workers).toFixed(1)}x)`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
