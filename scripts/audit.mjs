// Accessibility and speed audit of the built app (scripts/audit.sh): serves dist/ on loopback with
// gzip (or the precompressed .br/.gz files), then, for the landing page and a shared link, runs
// axe-core in Chromium (through playwright-core) and Lighthouse's mobile audit. Fails on any axe
// violation; prints the Lighthouse scores (and fails on them too with --strict).
// Usage: node scripts/audit.mjs [dist] [--strict] [--json out.json] [--reports DIR]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFileSync, readFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { TYPES } from './content-types.mjs';

const args = process.argv.slice(2);
const strict = args.includes('--strict');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : null;
// --reports DIR keeps Lighthouse's whole JSON report of each page there (to trace LCP and long tasks).
const reportsDir = args.includes('--reports') ? args[args.indexOf('--reports') + 1] : null;
const root = resolve(args.find((a, i) => !a.startsWith('--') && !['--json', '--reports'].includes(args[i - 1])) ?? 'dist');
const CHROME = process.env.CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);

const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.svg', '.json', '.webmanifest']);
// Hashed names (rackplan-web-0123abcd_bg.wasm, boot-….js) never change: cache them for a year.
const HASHED = /-[0-9a-f]{12,}(_bg)?\.(js|wasm|css)$/;

/** A static server for `root` with gzip/brotli, as a static host would serve dist/. */
async function serve() {
  const gz = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) return res.writeHead(403).end();
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const ext = extname(file);
      const headers = {
        'content-type': TYPES[ext] ?? 'application/octet-stream',
        'cache-control': HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
        vary: 'accept-encoding',
      };
      const accept = req.headers['accept-encoding'] ?? '';
      let body;
      if (COMPRESSIBLE.has(ext) && accept.includes('br') && existsSync(file + '.br')) {
        body = await readFile(file + '.br');
        headers['content-encoding'] = 'br';
      } else if (COMPRESSIBLE.has(ext) && accept.includes('gzip')) {
        if (existsSync(file + '.gz')) body = await readFile(file + '.gz');
        else {
          if (!gz.has(file)) gz.set(file, gzipSync(await readFile(file), { level: 9 }));
          body = gz.get(file);
        }
        headers['content-encoding'] = 'gzip';
      } else body = await readFile(file);
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

const browser = await chromium.launch({
  executablePath: CHROME,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});

/** Opens `url`, waits for the answer (chart and risk summary), runs axe-core; returns violations. */
async function axe(url) {
  // bypassCSP: axe is injected as an inline script, which the page's policy rightly forbids.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid=chart-supply] svg').waitFor({ timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.getAttribute('aria-busy') === 'false', null, { timeout: 60000 });
  // The chart data tables and the sourcing tables open, so their scroll containers are checked.
  for (const d of await page.locator('details.data').all()) await d.evaluate((e) => { e.open = true; });
  await page.waitForTimeout(300);
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  let link = null;
  if (url.endsWith('/')) {
    await page.getByTestId('copy-link').click();
    link = await page.getByTestId('share-link-field').inputValue();
  }
  await context.close();
  return { violations: result.violations, link };
}

/** Lighthouse's mobile audit of `url` (its CLI, the system Chromium). */
async function lighthouse(url, name) {
  const dir = mkdtempSync(join(tmpdir(), 'rackplan-lh-'));
  const out = join(dir, 'report.json');
  await promisify(execFile)(process.execPath, [
    require.resolve('lighthouse/cli/index.js'), url,
    '--quiet', '--output=json', `--output-path=${out}`,
    '--only-categories=performance,accessibility,best-practices',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking',
  ], { env: { ...process.env, CHROME_PATH: CHROME }, maxBuffer: 64 << 20 });
  const r = JSON.parse(readFileSync(out, 'utf8'));
  if (reportsDir) {
    mkdirSync(reportsDir, { recursive: true });
    writeFileSync(join(reportsDir, `${name.replaceAll(' ', '-')}.json`), JSON.stringify(r));
  }
  const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
  // The audits of the three categories below full marks, each with a few of the elements it names.
  const ids = new Set(['performance', 'accessibility', 'best-practices']
    .flatMap((c) => (r.categories[c]?.auditRefs ?? []).filter((a) => a.weight > 0).map((a) => a.id)));
  const failing = [...ids].map((id) => r.audits[id])
    .filter((a) => a && a.score !== null && a.score < 1)
    .map((a) => {
      const items = (a.details?.items ?? []).slice(0, 3)
        .map((i) => i.node?.selector ?? i.node?.snippet ?? i.source?.url ?? i.url ?? i.description ?? '')
        .filter(Boolean);
      return items.length ? `${a.id} [${items.join(' | ')}]` : a.id;
    });
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcpMs: Math.round(r.audits['largest-contentful-paint']?.numericValue ?? NaN),
    fcpMs: Math.round(r.audits['first-contentful-paint']?.numericValue ?? NaN),
    tbtMs: Math.round(r.audits['total-blocking-time']?.numericValue ?? NaN),
    cls: r.audits['cumulative-layout-shift']?.numericValue,
    failing,
  };
}

const server = await serve();
let failed = false;
const report = {};
try {
  const landing = await axe(server.url);
  const pages = [['landing page', server.url], ['shared link', landing.link]];
  for (const [name, url] of pages) {
    const { violations } = name === 'landing page' ? landing : await axe(url);
    const lh = await lighthouse(url, name);
    report[name] = { axe: violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })), lighthouse: lh };
    console.log(`\n${name}: ${url.length > 80 ? url.slice(0, 77) + '…' : url}`);
    console.log(`  axe-core: ${violations.length} violation(s)`);
    for (const v of violations) console.log(`    ${v.id} (${v.impact}) on ${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    console.log(`  Lighthouse mobile: performance ${lh.performance}, accessibility ${lh.accessibility}, best practices ${lh.bestPractices}; LCP ${lh.lcpMs} ms, FCP ${lh.fcpMs} ms, TBT ${lh.tbtMs} ms, CLS ${lh.cls?.toFixed(3)}`);
    if (lh.failing.length) console.log(`  audits below full marks:\n    ${lh.failing.join('\n    ')}`);
    if (violations.length) failed = true;
    if (strict && (lh.performance < 95 || lh.accessibility < 100 || lh.bestPractices < 100)) failed = true;
  }
} finally {
  await browser.close();
  await server.close();
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(report, null, 2));
console.log(failed ? '\naudit: FAILED' : '\naudit: passed');
process.exit(failed ? 1 : 0);
