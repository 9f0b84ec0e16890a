// Compare with up to four pins (src/compare/, src/pins.rs): three variants of the base case
// pinned with a lever changed between pins, a column per scenario with its name and its own
// values, the quick Monte Carlo rows, a chosen baseline, unpinning, the limit of four, names kept
// across a reload; the tornado by supplier (MODEL.md §5.4); and on a 360 px phone nothing in
// Compare or the tornado wider than the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart, until } from './harness.mjs';

const shared = sharedServerAndBrowser();
const SHOTS = process.env.COMPARE_SHOTS; // a folder: screenshots for review

async function open(viewport) {
  const o = await openPage(shared.browser, shared.server.url, viewport ? { viewport } : undefined);
  await firstChart(o.page);
  return o;
}

/** Waits for the quick Monte Carlo run of the scenario shown (its risk lines, not updating). */
async function quickSettled(page) {
  await page.waitForTimeout(300); // past the quick run's debounce
  await page.locator('[data-testid=kpi-service-level] .kpi-risk:not(.updating)').waitFor({ timeout: 30000 });
}

async function setCloudShare(page, v) {
  await page.getByTestId('lever-cloud-share-slider').fill(v);
  await quickSettled(page);
}

/** Pins the current scenario and names the new pin (the last one). */
async function pinAs(page, name) {
  const before = await page.getByTestId('pin-item').count();
  await page.getByTestId('pin').click();
  await until(async () => (await page.getByTestId('pin-item').count()) === before + 1, 'the new pin');
  const field = page.getByTestId('pin-name').nth(before);
  await field.fill(name);
  await field.press('Enter');
  await field.dispatchEvent('change');
}

const columns = (page, testid = 'compare-table') =>
  page.locator(`[data-testid=${testid}] [data-testid=compare-col] .col-name`).allTextContents();

/** The cells of one row of a figure table, value only, in column order. */
const rowValues = (page, id, testid = 'compare-table') =>
  page.locator(`[data-testid=${testid}] tr[data-row=${id}] td .val`).allTextContents();

async function runMonteCarlo(page, n) {
  const input = page.getByTestId('mc-samples');
  await input.fill(String(n));
  await input.dispatchEvent('change');
  await page.getByTestId('mc-run').click();
  await page.waitForFunction(
    () => /^Done/.test(document.querySelector('[data-testid=mc-status]').textContent),
    null,
    { timeout: 120000 },
  );
}

test('three pins of the base case beside the current scenario, a baseline, unpin, the limit, a reload', async () => {
  const { page, context, errors } = await open({ width: 1440, height: 1000 });
  await quickSettled(page);
  await pinAs(page, 'Cloud 20%');
  await setCloudShare(page, '0.3');
  await pinAs(page, 'Cloud 30%');
  await setCloudShare(page, '0.45');
  await pinAs(page, 'Cloud 45%');
  await setCloudShare(page, '0.6');

  assert.deepEqual(await columns(page), ['Current', 'Cloud 20%', 'Cloud 30%', 'Cloud 45%']);
  const need = await page.locator('[data-testid=compare-table] tr[data-row=total-cost] td .val').allTextContents();
  assert.equal(need.length, 4);
  assert.equal(new Set(need).size, 4, `each scenario its own total cost: ${need}`);
  // The quick Monte Carlo rows: every column has its run (each pin took the run of the scenario
  // it copies), and the chances differ between the cloud shares.
  await until(async () => {
    const v = await rowValues(page, 'mc-cost-p50', 'compare-risk');
    return v.length === 4 && !v.includes('–');
  }, 'every column\'s Monte Carlo figures', 60000);
  assert.deepEqual(await columns(page, 'compare-risk'), ['Current', 'Cloud 20%', 'Cloud 30%', 'Cloud 45%']);
  const p50 = await rowValues(page, 'mc-cost-p50', 'compare-risk');
  assert.equal(new Set(p50).size, 4, `cost P50 per column: ${p50}`);

  // Changes against the baseline: the current scenario at first, then a pin.
  const changes = (i) => page.locator(`[data-testid=compare-table] tr[data-row=total-cost] td:nth-of-type(${i + 1}) .chg`).count();
  assert.equal(await changes(0), 0, 'the baseline has no change');
  assert.equal(await changes(1), 1);
  await page.getByTestId('compare-baseline').selectOption({ label: 'Cloud 30%' });
  await until(async () => (await changes(2)) === 0 && (await changes(0)) === 1, 'the new baseline');
  assert.match(await page.locator('[data-testid=compare-table] thead th').nth(3).innerText(), /baseline/);
  // The key figure cards compare against the baseline pin, by name.
  assert.match(await page.locator('[data-testid=kpi-total-cost] [data-testid=kpi-delta]').innerText(), /vs Cloud 30%/);
  // The inputs that differ: the baseline pin's and the current value.
  assert.match(await page.getByTestId('compare-inputs').innerText(), /cloud share \(likely\)\s+0\.3\s+0\.6/);

  // Unpin the baseline: three columns, the baseline back on the current scenario.
  await page.getByTestId('pin-item').nth(1).getByTestId('unpin').click();
  await until(async () => (await columns(page)).length === 3, 'three columns');
  assert.deepEqual(await columns(page), ['Current', 'Cloud 20%', 'Cloud 45%']);
  assert.equal(await changes(0), 0);

  // A name another pin has is refused, saying why; the field goes back.
  const second = page.getByTestId('pin-name').nth(1);
  await second.fill('Cloud 20%');
  await second.dispatchEvent('change');
  assert.match(await page.getByTestId('pin-rename-note').innerText(), /Another pin is named “Cloud 20%”/);
  assert.equal(await second.inputValue(), 'Cloud 45%');

  // Four pins, then a fifth is refused with the limit; Replace puts the current one in a pin's place.
  await pinAs(page, 'Cloud 60%');
  await setCloudShare(page, '0.7');
  assert.equal(await page.getByTestId('pin-item').count(), 3);
  await pinAs(page, 'Cloud 70%');
  assert.equal(await page.getByTestId('pin-item').count(), 4);
  assert.match(await page.getByTestId('pin').innerText(), /4\/4/);
  await page.getByTestId('pin').click();
  await page.getByText('4 scenarios are pinned').waitFor();
  assert.equal(await page.getByTestId('pin-item').count(), 4);
  await setCloudShare(page, '0.8');
  await page.getByTestId('pin-replace').first().click();
  await until(async () => (await columns(page)).length === 5, 'five columns');
  const names = await columns(page);
  assert.deepEqual(names.slice(0, 4), ['Current', 'Cloud 45%', 'Cloud 60%', 'Cloud 70%']);
  assert.ok(!names.includes('Cloud 20%'), `${names}`);

  // A reload keeps the pins, their names and order (not the share link: see ARCHITECTURE.md).
  await page.waitForTimeout(600);
  if (SHOTS) await page.getByTestId('compare').screenshot({ path: `${SHOTS}/compare-1440.png` });
  await page.reload();
  await firstChart(page);
  await until(async () => (await columns(page)).length === 5, 'five columns after the reload');
  assert.deepEqual(await columns(page), names);
  assert.doesNotMatch(page.url(), /pin/);
  // The pins' Monte Carlo figures are not stored: each pin's quick run is made again, in the
  // background, and fills its column.
  await until(async () => {
    const v = await rowValues(page, 'mc-any-short', 'compare-risk');
    return v.length === 5 && !v.includes('–');
  }, 'every pin\'s Monte Carlo figures after the reload', 90000);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the tornado by supplier: one bar per supplier, the demand side as one', async () => {
  const { page, context, errors } = await open({ width: 1440, height: 1000 });
  await runMonteCarlo(page, 100);
  const svgText = () => page.locator('[data-testid=mc-tornado] svg').textContent();
  const byInput = await svgText();
  assert.doesNotMatch(byInput, /Supplier /);
  await page.getByTestId('mc-tornado-by-supplier').check();
  await until(async () => /Supplier /.test(await svgText()), 'supplier bars');
  const grouped = await svgText();
  assert.match(grouped, /Supplier [^(]+\(\d+ inputs?\)/);
  assert.match(grouped, /Demand \(\d+ inputs\)/);
  // Re-ranking by another metric keeps the grouping.
  await page.getByTestId('mc-metric').selectOption('total_cost_usd');
  await until(async () => /total cost/.test(await svgText()) && /Supplier /.test(await svgText()), 'ranked by cost, by supplier');
  await page.getByTestId('mc-tornado-by-input').check();
  await until(async () => !/Supplier /.test(await svgText()), 'back to inputs');
  if (SHOTS) {
    await page.getByTestId('mc-tornado-by-supplier').check();
    await page.locator('.mc-tornado').screenshot({ path: `${SHOTS}/tornado-1440.png` });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a 360 px phone Compare and the tornado stack: nothing wider than the screen', async () => {
  const { page, context, errors } = await open({ width: 360, height: 740 });
  await quickSettled(page);
  await pinAs(page, 'Base case as it came');
  await setCloudShare(page, '0.35');
  await pinAs(page, 'A long pin name for a cloud share of 35 percent');
  await setCloudShare(page, '0.5');
  await runMonteCarlo(page, 100);
  await page.getByTestId('mc-tornado-by-supplier').check();
  await page.getByTestId('mc-tornado-list').waitFor();
  assert.ok((await page.getByTestId('mc-tornado-row').count()) >= 2);
  assert.match(await page.getByTestId('mc-tornado-list').innerText(), /Supplier /);
  await until(async () => (await columns(page, 'compare-risk')).length === 3, 'the Monte Carlo rows', 30000);
  const wide = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const root of document.querySelectorAll('[data-testid=compare], .mc-tornado')) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const r = el.getBoundingClientRect();
        // Not drawn, or visually hidden (the stacked tables' header row, for screen readers).
        if (r.width <= 1 || r.height <= 1) continue;
        // Sideways scrolling inside (a cut column), or reaching past the screen's edge. The
        // charts' own figures are drawn to the column's width.
        // (A text field's own text may scroll inside it: only its box counts.)
        const field = el.matches('input, select, textarea');
        if (!field && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
          out.push(`${el.tagName}.${el.className} scrolls ${el.scrollWidth} > ${el.clientWidth}`);
        }
        if (r.right > vw + 1 || r.left < -1) out.push(`${el.tagName}.${el.className} spans ${r.left}..${r.right} of ${vw}`);
      }
    }
    return { vw, page: document.documentElement.scrollWidth, out: out.slice(0, 10) };
  });
  assert.equal(wide.vw, 360);
  assert.deepEqual(wide.out, []);
  assert.ok(wide.page <= 360, `the page scrolls sideways: ${wide.page}`);
  // Each value under its column's name.
  const label = await page.locator('[data-testid=compare-table] tr[data-row=service-level] td').nth(2)
    .evaluate((td) => getComputedStyle(td, '::before').content);
  assert.match(label, /A long pin name/);
  if (SHOTS) {
    await page.getByTestId('compare').screenshot({ path: `${SHOTS}/compare-360.png` });
    await page.locator('.mc-tornado').screenshot({ path: `${SHOTS}/tornado-360.png` });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
