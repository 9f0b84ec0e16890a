// The pre-rendered first view (scripts/prerender.mjs, public/first-view.html): the base case's
// answer is on screen before the wasm runs, it is what the app itself draws (the committed file
// is not stale), the app replaces it without a layout shift, and a page that opens another
// scenario never shows the base case's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedServerAndBrowser, DIST, until } from './harness.mjs';
import { firstView, OUT } from '../../scripts/prerender.mjs';

const shared = sharedServerAndBrowser();
const PHONE = { width: 412, height: 823 };

/** A page whose wasm arrives only when `release()` is called: the first view alone is on screen. */
async function heldPage(url) {
  const context = await shared.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  let release;
  const held = new Promise((ok) => { release = ok; });
  await page.route(/_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.addInitScript(() => {
    window.__shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(url);
  return { page, context, release };
}

test('dist/index.html holds the first view, inert, with the base case answer', () => {
  const html = readFileSync(`${DIST}/index.html`, 'utf8');
  assert.match(html, /<div id="first-view" inert aria-busy="true">/);
  assert.match(html, /class="answer-sentence">\d+ % chance of running short/);
  assert.doesNotMatch(html.slice(html.indexOf('id="first-view"')), /data-testid=/, 'the copy carries no test ids of the live page');
});

test('the committed first view is what the app draws now (else run scripts/prerender.mjs)', async () => {
  const now = await firstView(shared.browser, shared.server.url);
  assert.equal(now, readFileSync(OUT, 'utf8'), 'public/first-view.html is stale: run scripts/build.sh, node scripts/prerender.mjs, scripts/build.sh');
});

test('the answer shows before the wasm arrives; the app replaces it without a layout shift', async () => {
  const { page, context, release } = await heldPage(shared.server.url);
  try {
    const view = page.locator('#first-view .answer-sentence:not(.first-view-opening)');
    await view.waitFor();
    assert.match(await view.textContent(), /^\d+ % chance of running short/);
    assert.equal(await view.isVisible(), true);
    const prerendered = (await page.locator('#first-view .kpis').textContent()).trim();
    release();
    await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
    assert.equal(await page.locator('#first-view').count(), 0, 'the app removes the first view');
    assert.equal(await page.locator('header.top').count(), 1);
    assert.equal(await page.locator('.results-head').count(), 1);
    assert.equal((await page.locator('.results-head .kpis').textContent()).trim().replace(/\s+/g, ' '), prerendered.replace(/\s+/g, ' '));
    await page.locator('[data-testid=chart-supply] svg').waitFor();
    assert.equal(await page.evaluate(() => window.__shifts), 0, 'no layout shift from the first view to the app');
  } finally {
    await context.close();
  }
});

test('a link never shows the base case numbers: the frame and a note until its own answer', async () => {
  const { page, context, release } = await heldPage(`${shared.server.url}#v1.AAAA`);
  try {
    const note = page.locator('#first-view .first-view-opening');
    await note.waitFor();
    assert.equal(await note.isVisible(), true);
    assert.equal(await page.locator('#first-view .answer-sentence:not(.first-view-opening)').isVisible(), false);
    for (const sel of ['.kpi-value', '.kpi-risk', '.kpi-detail', '.answer-basis']) {
      const hidden = await page.locator(`#first-view ${sel}`).evaluateAll((els) => els.every((e) => getComputedStyle(e).visibility === 'hidden'));
      assert.equal(hidden, true, `${sel} hidden while a link opens`);
    }
    release();
    // The broken link gets its message from the app, and the first view is gone.
    await until(async () => (await page.locator('#first-view').count()) === 0, 'the app to mount', 60000);
  } finally {
    await context.close();
  }
});

test('work kept in this browser: the base case numbers stay hidden too', async () => {
  const context = await shared.browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await page.route(/_bg\.wasm$/, () => {});
  await page.addInitScript(() => localStorage.setItem('rackplan:autosave:v1', '{}'));
  try {
    await page.goto(shared.server.url);
    await page.locator('#first-view .first-view-opening').waitFor();
    assert.equal(await page.locator('#first-view .first-view-opening').isVisible(), true);
    assert.equal(await page.locator('#first-view .kpi-value').first().evaluate((e) => getComputedStyle(e).visibility), 'hidden');
  } finally {
    await context.close();
  }
});
