// The commitment advisor in the browser (BENCHMARKS.md, "Commitment advisor"): the base case with
// every site given a reservation fee of 400 USD per unit-month and a spot premium tri(0.05, 0.15,
// 0.30) (the scenario of the native measurements), advised from the built dist/ with N samples
// and M fresh ones; prints the time to the optimised plan (the first stage event), to the whole
// answer, the iterations and gap, and the longest main-thread task meanwhile (Long Tasks API:
// tasks > 50 ms). A benchmark, not a test: it prints numbers and fails only if a run does not
// finish.
//
//   DIST=dist node tests/e2e/advisor.bench.mjs [SAMPLES,SAMPLES,...] [FRESH]
import { serveDist, launchBrowser, contextWithLongTasks, loadWithCommitmentTerms } from './harness.mjs';

const sampleCounts = (process.argv[2] ?? '100').split(',').map(Number);
const fresh = Number(process.argv[3] ?? 0);
const server = await serveDist({ prefix: '/bench/' });
const browser = await launchBrowser();
for (const samples of sampleCounts) {
  const context = await contextWithLongTasks(browser);
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('advisor-panel').waitFor({ timeout: 30000 });
  await loadWithCommitmentTerms(page);
  for (const [id, v] of [['advisor-samples', samples], ['advisor-eval-samples', fresh]]) {
    await page.getByTestId(id).fill(String(v));
    await page.getByTestId(id).dispatchEvent('change');
  }
  await page.waitForTimeout(1500); // start-up work and the quick risk run settle
  await page.evaluate(() => (window.__longTasks = []));
  const t0 = Date.now();
  await page.getByTestId('advisor-run').click();
  const status = page.getByTestId('advisor-status');
  let optimised = null;
  while (!(await page.getByTestId('advisor-headline').count())) {
    if (optimised === null && /^Optimised/.test(await status.textContent())) optimised = (Date.now() - t0) / 1000;
    await page.waitForTimeout(100);
  }
  const total = (Date.now() - t0) / 1000;
  const headline = await page.getByTestId('advisor-headline').textContent();
  const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
  const gap = headline.match(/certified within ([0-9.]+ %)/)?.[1];
  const its = headline.match(/(\d+) iterations/)?.[1];
  console.log(`${samples} samples, ${fresh} fresh: plan ${optimised ?? total} s, whole answer ${total} s, ${its} iterations, gap ${gap}, longest main-thread task ${longest.toFixed(0)} ms`);
  await context.close();
}
await browser.close();
await server.close();
