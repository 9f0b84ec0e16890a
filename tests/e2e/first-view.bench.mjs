// Benchmark (not a test): how soon a visitor on a slow phone sees the answer, with the first view
// pre-rendered (scripts/prerender.mjs). Real throttling in Chromium (DevTools protocol: 4x CPU
// slowdown, 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, Lighthouse's "slow 4G" figures),
// not Lighthouse's simulation. For the landing page and a shared link, it reports:
//   painted  - the largest paint (the pre-rendered view, or the app's answer without it);
//   answer   - the app's own answer on screen (risk summary computed, cards drawn by the wasm).
// Compare builds with DIST=another/dist.
// Usage: node tests/e2e/first-view.bench.mjs [runs]   (after scripts/build.sh)
import { serveDist, launchBrowser, DIST } from './harness.mjs';

const RUNS = Number(process.argv[2] ?? 3);
const server = await serveDist();
const browser = await launchBrowser();

async function once(hash) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript(() => {
    window.__paints = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__paints.push(e.startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  await page.goto(server.url + hash, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => document.querySelector('[data-testid=summary]')?.getAttribute('aria-busy') === 'false',
    null,
    { timeout: 120000, polling: 20 },
  );
  const answer = await page.evaluate(() => performance.now());
  const paints = await page.evaluate(() => window.__paints);
  await context.close();
  return { painted: Math.round(paints[paints.length - 1] ?? NaN), answer: Math.round(answer) };
}

try {
  // A shared link: the base case's own link (the page then computes it, as for any link).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link-field').inputValue();
  await context.close();
  const hash = new URL(link).hash;
  console.log(`build: ${DIST}`);
  for (const [name, h] of [['landing page', ''], ['shared link', hash]]) {
    const rows = [];
    for (let i = 0; i < RUNS; i++) rows.push(await once(h));
    const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
    console.log(`${name}: painted ${rows.map((r) => r.painted).join(', ')} ms (median ${med('painted')}); answer ${rows.map((r) => r.answer).join(', ')} ms (median ${med('answer')})`);
  }
} finally {
  await browser.close();
  await server.close();
}
