// UI frame time (BENCHMARKS.md "UI frame time"): drag the adoption-ceiling slider of the default
// scenario in headless Chromium and time, for each input event, the recompute (engine run),
// the redraw of every chart and KPI, and the style/layout pass, until the page is ready to paint.
// Not a test: run with `DIST=... node tests/e2e/frame-time.bench.mjs`.
import { serveDist, launchBrowser, openPage, firstChart } from './harness.mjs';

const server = await serveDist();
const browser = await launchBrowser();
const { page, context } = await openPage(browser, server.url);
await firstChart(page);
const samples = await page.evaluate(async () => {
  const slider = document.querySelector('[data-testid=lever-adoption-ceiling-slider]');
  const cost = () => document.querySelector('[data-testid=kpi-service-level]').textContent;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const out = [];
  let changed = 0;
  for (let i = 0; i < 120; i++) {
    const v = (0.3 + 0.45 * ((i % 40) / 40)).toFixed(3); // stays valid (high <= 1)
    await frame();
    const before = cost();
    const t0 = performance.now();
    slider.value = v;
    slider.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0)); // reactive updates flushed
    void document.body.offsetHeight; // style and layout
    out.push(performance.now() - t0);
    if (cost() !== before) changed += 1;
  }
  return { out, changed };
});
const ms = samples.out.slice(10).sort((a, b) => a - b); // drop warm-up
const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
console.log(JSON.stringify({
  events: ms.length,
  kpi_changed_on: samples.changed,
  median_ms: +q(0.5).toFixed(2),
  p95_ms: +q(0.95).toFixed(2),
  worst_ms: +ms[ms.length - 1].toFixed(2),
}));
await context.close();
await browser.close();
await server.close();
