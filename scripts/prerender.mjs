// The first view, pre-rendered: the page's header and answer (risk summary, explanation, KPI
// cards) for the base case, as the built app draws them, saved as static HTML in
// public/first-view.html. scripts/postbuild.mjs puts it in dist/index.html, so a visitor sees the
// answer while the wasm downloads; the app removes it when it mounts (src/main.rs), and
// public/first-view.js hides its numbers when the page opens another scenario (a link, or work
// kept in this browser).
//
// The numbers come from the app itself (the engine and the seeded quick risk run are
// deterministic), so the file is regenerated from a build, never edited by hand. The end-to-end
// test tests/e2e/firstview.test.mjs fails when it no longer matches what the app draws.
//
// Usage: node scripts/prerender.mjs [dist] [--check]
//   writes public/first-view.html from dist/ (built by scripts/build.sh), or with --check only
//   compares and exits 1 when the committed file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveDist, launchBrowser } from '../tests/e2e/harness.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? new URL('../dist', import.meta.url).pathname);
export const OUT = new URL('../public/first-view.html', import.meta.url).pathname;

const HEAD =
  '<!-- The first view of the base case, drawn by the app (scripts/prerender.mjs writes this file from a build; do not edit). -->\n';

/**
 * The first view of the app at `url` as static HTML: the header and the answer, with the
 * attributes that belong to the live app (ids, test ids, tab stops, event targets) taken out.
 */
export async function firstView(browser, url) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid=chart-supply] svg').waitFor({ timeout: 60000 });
  await page.waitForFunction(
    () => document.querySelector('[data-testid=summary]')?.getAttribute('aria-busy') === 'false',
    null,
    { timeout: 60000 },
  );
  const html = await page.evaluate(() => {
    const parts = [document.querySelector('header.top'), document.querySelector('.results-head')];
    if (parts.some((p) => !p)) return null;
    const clean = (node) => {
      const copy = node.cloneNode(true);
      const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
      const comments = [];
      while (walker.nextNode()) comments.push(walker.currentNode);
      for (const c of comments) c.remove();
      for (const el of [copy, ...copy.querySelectorAll('*')]) {
        for (const name of ['id', 'data-testid', 'tabindex', 'for', 'aria-controls', 'aria-describedby', 'aria-labelledby']) {
          el.removeAttribute(name);
        }
        if (el.tagName === 'A') el.removeAttribute('href');
      }
      // The live toolbar's controls only work once the app runs: the copy shows them, inert.
      for (const el of copy.querySelectorAll('button, select, input')) el.setAttribute('disabled', '');
      return copy.outerHTML;
    };
    const [header, head] = parts.map(clean);
    return `${header}\n<div class="layout">${head}</div>\n`;
  });
  await context.close();
  if (!html) throw new Error('prerender: the page has no header or answer to copy');
  return HEAD + html;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(resolve(root, 'index.html'))) {
    console.error(`prerender: no build in ${root}: run scripts/build.sh first`);
    process.exit(1);
  }
  const server = await serveDist({ root });
  const browser = await launchBrowser();
  try {
    const html = await firstView(browser, server.url);
    const old = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (check) {
      if (old !== html) {
        console.error('prerender: public/first-view.html is stale: run scripts/build.sh, then node scripts/prerender.mjs, then scripts/build.sh again');
        process.exitCode = 1;
      } else console.log('prerender: public/first-view.html matches the app');
    } else {
      writeFileSync(OUT, html);
      console.log(`prerender: wrote ${OUT} (${html.length} bytes)${old === html ? ', unchanged' : ''}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
