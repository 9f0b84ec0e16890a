// Shared end-to-end harness: a plain static server for dist/ on loopback and headless Chromium
// (the system's, driven by playwright-core). Every request the page makes is recorded so tests
// can assert that nothing leaves for another host.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { TYPES } from '../../scripts/content-types.mjs';

// dist/ of the checkout, or another build folder named by $DIST.
export const DIST = resolve(process.env.DIST ?? new URL('../../dist', import.meta.url).pathname);

/** Serves `root` under `prefix` (e.g. '/some/sub/path/') on 127.0.0.1; resolves to { url, close }. */
export async function serveDist({ root = DIST, prefix = '/' } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!path.startsWith(prefix)) {
        res.writeHead(404).end('not found');
        return;
      }
      let file = normalize(join(root, path.slice(prefix.length)));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * The static server (`serveDist(serveOptions)`) and the browser that the tests of one file share:
 * started before its first test, closed after its last. Returns `{ server, browser }`, filled in
 * once started.
 */
export function sharedServerAndBrowser(serveOptions) {
  const shared = { server: undefined, browser: undefined };
  before(async () => {
    shared.server = await serveDist(serveOptions);
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Waits until the page has drawn its first chart (the supply chart's SVG). */
export async function firstChart(page, timeout = 20000) {
  await page.locator('[data-testid=chart-supply] svg').waitFor({ timeout });
}

/**
 * Opens a page that records console errors, page errors and every request.
 * Returns { page, context, errors, requests }.
 */
export async function openPage(browser, url, { viewport = { width: 1400, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(url);
  return { page, context, errors, requests };
}

/**
 * A browser context whose pages record their long main-thread tasks (Long Tasks API: > 50 ms)
 * in `window.__longTasks` (durations, ms), for the benchmarks.
 */
export async function contextWithLongTasks(browser, viewport = { width: 1400, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return context;
}

/** Polls `fn` every 50 ms until it returns something truthy (returned), or fails after `ms`. */
export async function until(fn, what, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Clicks "Copy link" and returns the link the share field shows, checked to be a short link
 * (`#v1.`, under 1,500 characters) to the page at `serverUrl`. */
export async function copyLink(page, serverUrl) {
  await page.getByTestId('copy-link').click();
  const field = page.getByTestId('share-link-field');
  await field.waitFor();
  const link = await field.inputValue();
  assert.ok(link.startsWith(`${serverUrl}#v1.`), link);
  assert.ok(link.length < 1500, `link is ${link.length} characters`);
  return link;
}

/** The headline KPI values that tests compare between pages (trimmed text). */
const KPIS = ['service-level', 'total-cost', 'peak-backlog'];
export async function kpis(page) {
  const out = {};
  for (const id of KPIS) {
    out[id] = (await page.locator(`[data-testid=kpi-${id}] [data-testid=kpi-value]`).textContent()).trim();
  }
  return out;
}

/**
 * Replaces the page's scenario by its own with commitment terms at every site (a reservation fee
 * of 400 USD per unit-month, a spot premium tri(0.05, 0.15, 0.30)), through a file, as a planner
 * would; `horizon` shortens it. Returns the scenario loaded.
 */
export async function loadWithCommitmentTerms(page, { horizon } = {}) {
  await page.locator('#f-name').fill('Commitment terms');
  const json = await until(
    () => page.evaluate(() => {
      const s = localStorage.getItem('rackplan:autosave:v1');
      return s && s.includes('Commitment terms') ? s : null;
    }),
    'the autosave of the renamed scenario',
  );
  const s = JSON.parse(json);
  if (horizon) s.horizon_months = horizon;
  for (const site of s.sites) {
    site.reservation_fee_usd_per_unit_month = 400;
    site.spot_premium_share = { tri: [0.05, 0.15, 0.3] };
  }
  await page.getByTestId('file-input').setInputFiles({ name: 'terms.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(s)) });
  await page.getByTestId('confirm-replace').click();
  await until(async () => /charge a reservation fee/.test(await page.getByTestId('advisor-terms').textContent()), 'the terms line');
  return s;
}
