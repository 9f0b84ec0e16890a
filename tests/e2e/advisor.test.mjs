// The Commitment advisor end to end on the built dist/ (MODEL.md §9): a scenario with fees and a
// spot premium is advised in the advisor's own worker (its wasm fetched only then), the answer
// carries its certified gap, the four plans and the price of diversification; "Adopt this plan"
// writes the reservations into the scenario, travels in the link and is undone by Undo; Cancel
// stops a run, and the best plan found before it can be adopted (and undone). The deterministic
// price of diversification is there before any run, on a phone too; the one over the samples is
// computed on request, a row per cap, and Cancel stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart, kpis, until, loadWithCommitmentTerms } from './harness.mjs';

const shared = sharedServerAndBrowser();

/** Opens the page with the base case made small (12 months) and given commitment terms. */
async function openWithTerms() {
  const o = await openPage(shared.browser, shared.server.url);
  await firstChart(o.page);
  const scenario = await loadWithCommitmentTerms(o.page, { horizon: 12 });
  return { ...o, scenario };
}

test('the advisor answers with its certified gap and four plans (no duplicate of the deterministic sweep); Adopt travels in the link and Undo takes it back', async () => {
  const { page, context, errors, scenario } = await openWithTerms();
  const wasmFetched = [];
  page.on('request', (r) => { if (/rackplan-advisor-[0-9a-f]+_bg\.wasm$/.test(r.url())) wasmFetched.push(r.url()); });
  assert.match(await page.getByTestId('advisor-terms').textContent(), /15 of 15 sites can be reserved, in calendar quarters; 15 charge a reservation fee/);
  assert.match(await page.getByTestId('mc-hindsight').textContent(), /hindsight of that sample's whole future/);

  await page.getByTestId('advisor-samples').fill('20');
  await page.getByTestId('advisor-samples').dispatchEvent('change');
  await page.getByTestId('advisor-eval-samples').fill('20');
  await page.getByTestId('advisor-eval-samples').dispatchEvent('change');
  assert.equal(wasmFetched.length, 0, 'the advisor wasm is not fetched before a run');
  await page.getByTestId('advisor-run').click();
  const headline = page.getByTestId('advisor-headline');
  await headline.waitFor({ timeout: 120000 });
  assert.equal(wasmFetched.length, 1, 'the advisor wasm is fetched for the run');
  const text = await headline.textContent();
  assert.match(text, /certified within 0\.\d\d % of the best plan for these samples/);
  assert.match(text, /20 samples, seed \d+/);

  const plans = page.getByTestId('advisor-plans').locator('tbody tr');
  assert.equal(await plans.count(), 4);
  assert.deepEqual(
    await plans.evaluateAll((rows) => rows.map((r) => r.dataset.plan)),
    ['recommendation', 'spot_only', 'average_scenario', 'hindsight'],
  );
  assert.match(await page.getByTestId('advisor-values').textContent(), /value of the stochastic solution/);
  assert.equal(await page.getByTestId('advisor-sweep').count(), 0, 'no deterministic table after the run: the section has its own');
  assert.ok(await page.locator('[data-testid=chart-advisor] svg').count(), 'the reservations chart is drawn');
  const blocks = page.getByTestId('advisor-reservations').locator('tbody tr');
  const [y, m] = scenario.start_month.split('-').map(Number);
  const quarters = new Set(Array.from({ length: 12 }, (_, t) => Math.floor((12 * y + m - 1 + t) / 3)));
  assert.equal(await blocks.count(), quarters.size, 'one row per calendar quarter of the horizon');

  // Adopt: one undoable edit; the scenario (and its link) holds the reservations.
  const before = await kpis(page);
  const urlBefore = page.url();
  await page.getByTestId('advisor-adopt').click();
  await page.getByTestId('advisor-held').waitFor();
  assert.match(await page.getByTestId('advisor-adopt-note').textContent(), /^Adopted/);
  assert.ok(await page.getByTestId('advisor-adopt').isDisabled());
  const url = await until(async () => page.url() !== urlBefore && page.url(), 'the link to follow the adopted plan');
  const held = await page.getByTestId('advisor-held').textContent();

  const other = await openPage(shared.browser, url);
  await firstChart(other.page);
  await other.page.getByTestId('advisor-held').waitFor();
  assert.equal(await other.page.getByTestId('advisor-held').textContent(), held, 'the link carries the reservations');
  assert.deepEqual(other.errors, []);
  await other.context.close();

  await page.getByTestId('undo').click();
  await until(async () => (await page.getByTestId('advisor-held').count()) === 0, 'Undo to take the reservations back');
  await until(async () => JSON.stringify(await kpis(page)) === JSON.stringify(before), 'the figures before adopting');
  assert.ok(!(await page.getByTestId('advisor-adopt').isDisabled()), 'the plan can be adopted again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Cancel stops a run and says so; a sample count past the limit says the limit', async () => {
  const { page, context, errors } = await openWithTerms();
  await page.getByTestId('advisor-samples').fill('5000');
  await page.getByTestId('advisor-samples').dispatchEvent('change');
  assert.match(await page.locator('.advisor-panel [role=alert]').textContent(), /from 1 to 2000 \(the browser's limit\), got "5000"/);
  await page.getByTestId('advisor-samples').fill('2000');
  await page.getByTestId('advisor-samples').dispatchEvent('change');
  await page.getByTestId('advisor-run').click();
  await until(async () => !(await page.getByTestId('advisor-cancel').isDisabled()), 'Cancel to be enabled');
  await page.getByTestId('advisor-cancel').click();
  await until(async () => /^Cancelled\./.test(await page.getByTestId('advisor-status').textContent()), 'the cancelled status');
  assert.ok(!(await page.getByTestId('advisor-run').isDisabled()), 'a new run can start');
  assert.equal(await page.getByTestId('advisor-results').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Elements of `selector` that scroll sideways inside or reach past the screen's edge. */
async function sideways(page, selector) {
  return page.evaluate((selector) => {
    const vw = document.documentElement.clientWidth;
    const out = [];
    for (const root of document.querySelectorAll(selector)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        const r = el.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) continue; // not drawn, or the stacked table's hidden header
        if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
          out.push(`${el.tagName}.${el.className} scrolls ${el.scrollWidth} > ${el.clientWidth}`);
        }
        if (r.right > vw + 1 || r.left < -1) out.push(`${el.tagName}.${el.className} spans ${r.left}..${r.right} of ${vw}`);
      }
    }
    return { vw, page: document.documentElement.scrollWidth, out: out.slice(0, 10) };
  }, selector);
}

/** "$4.82B", "$950M", "$12.3k" as USD. */
function dollars(text) {
  const m = text.trim().match(/^(-?)\$([\d.]+)(B|M|k)?$/);
  assert.ok(m, `a dollar amount: ${text}`);
  return (m[1] ? -1 : 1) * Number(m[2]) * ({ B: 1e9, M: 1e6, k: 1e3 }[m[3]] ?? 1);
}

test('the deterministic price of diversification is there before any run, cost rising as the cap tightens, and fits a phone', async () => {
  for (const width of [1400, 360, 390]) {
    const { page, context, errors, requests } = await openPage(shared.browser, shared.server.url, { viewport: { width, height: 800 } });
    await firstChart(page);
    const table = page.getByTestId('advisor-det-sweep');
    await table.waitFor({ timeout: 60000 });
    const rows = table.locator('tbody tr');
    const n = await rows.count();
    assert.ok(n >= 15, `${n} caps`);
    assert.equal((await rows.first().locator('th').textContent()).trim(), 'none', 'the first row has no cap');
    const caps = await rows.locator('th').allTextContents();
    const costs = await table.locator('tbody td[data-label=Cost]').allTextContents();
    assert.equal(costs.length, n);
    for (let i = 1; i < n; i++) {
      assert.ok(parseFloat(caps[i]) < (i > 1 ? parseFloat(caps[i - 1]) : 101), `caps tighten: ${caps}`);
      // Rounding is monotone: the cost on screen never falls either.
      assert.ok(dollars(costs[i]) >= dollars(costs[i - 1]), `cost rises as the cap tightens: ${costs}`);
    }
    assert.ok(dollars(costs[n - 1]) > dollars(costs[0]), 'the tightest cap costs more than none');
    assert.match(await page.getByTestId('advisor-det').textContent(), /deterministic \(point values\)/);
    assert.equal(await page.getByTestId('advisor-results').count(), 0, 'no run');
    assert.ok(!requests.some((u) => /rackplan-advisor-[0-9a-f]+_bg\.wasm$/.test(u)), 'the advisor wasm is not fetched for the sweep');
    if (width < 600) {
      await table.scrollIntoViewIfNeeded();
      const wide = await sideways(page, '[data-testid=advisor-panel]');
      assert.equal(wide.vw, width);
      assert.deepEqual(wide.out, []);
      assert.ok(wide.page <= width, `the page scrolls sideways at ${width} px: ${wide.page}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('a run cancelled after progress keeps its best plan so far; Adopt writes it as one edit and Undo takes it back', async () => {
  const { page, context, errors } = await openWithTerms();
  // Large enough that the run is still optimising or evaluating when Cancel is pressed.
  for (const id of ['advisor-samples', 'advisor-eval-samples']) {
    await page.getByTestId(id).fill('2000');
    await page.getByTestId(id).dispatchEvent('change');
  }
  await page.getByTestId('advisor-run').click();
  // Iteration 1 evaluates spot only; a later best plan reserves.
  const sites = page.getByTestId('advisor-best-sites');
  await sites.waitFor({ timeout: 120000 });
  assert.match(await page.getByTestId('advisor-best').textContent(), /Best plan so far \(not yet optimal\)/);
  await page.getByTestId('advisor-cancel').click();
  await until(async () => /^Cancelled\./.test(await page.getByTestId('advisor-status').textContent()), 'the cancelled status');
  assert.equal(await page.getByTestId('advisor-results').count(), 0, 'the run did not finish');
  const best = page.getByTestId('advisor-best');
  assert.match(await best.locator('h3').textContent(), /Best plan found before Cancel \(not optimal\)/);
  assert.match(await page.getByTestId('advisor-best-gap').textContent(), /^Not yet certified optimal: within [\d.]+ % of the best plan/);
  const lines = await sites.locator('li').allTextContents();
  assert.ok(lines.length >= 1);
  const first = lines[0].match(/^(.+?): ([\d,]+) from \d{4}-\d\d/);
  assert.ok(first, lines[0]);
  assert.equal(await page.getByTestId('advisor-held').count(), 0, 'nothing held before Adopt');

  const before = await kpis(page);
  await page.getByTestId('advisor-adopt-best').click();
  await page.getByTestId('advisor-held').waitFor();
  const held = await page.getByTestId('advisor-held').textContent();
  assert.match(held, new RegExp(`holds reservations at ${lines.length} sites?:`));
  assert.ok(held.includes(first[1]), `${first[1]} in "${held}"`);
  assert.match(await page.getByTestId('advisor-adopt-best-note').textContent(), /^Adopted, not yet optimal/);
  assert.ok(await page.getByTestId('advisor-adopt-best').isDisabled());
  // One edit: one Undo takes every site's reservations back.
  await page.getByTestId('undo').click();
  await until(async () => (await page.getByTestId('advisor-held').count()) === 0, 'Undo to take the reservations back');
  await until(async () => JSON.stringify(await kpis(page)) === JSON.stringify(before), 'the figures before adopting');
  assert.ok(!(await page.getByTestId('advisor-adopt-best').isDisabled()), 'the plan can be adopted again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a risk weight on the worst samples reaches the advisor and its answer reports their shortfall; a bad weight is named', async () => {
  const { page, context, errors } = await openWithTerms();
  for (const [id, v] of [['advisor-samples', '10'], ['advisor-eval-samples', '10']]) {
    await page.getByTestId(id).fill(v);
    await page.getByTestId(id).dispatchEvent('change');
  }
  const weight = page.getByTestId('advisor-cvar-weight');
  await weight.fill('-5');
  await weight.dispatchEvent('change');
  await until(async () => /the risk weight must be a number >= 0/.test(await page.getByTestId('advisor-panel').locator('[role=alert]').allTextContents().then((t) => t.join(' '))), 'the bad weight is named');
  await weight.fill('50000');
  await weight.dispatchEvent('change');
  await page.getByTestId('advisor-cvar-tail').fill('20');
  await page.getByTestId('advisor-cvar-tail').dispatchEvent('change');
  await page.getByTestId('advisor-run').click();
  await page.getByTestId('advisor-headline').waitFor({ timeout: 180000 });
  const line = await page.getByTestId('advisor-cvar').textContent();
  assert.match(line, /per server-month short in the worst 20 % of samples: their mean shortfall is [\d,]+ server-months \(all samples: [\d,]+\)/);
  const [tail, all] = line.match(/shortfall is ([\d,]+) server-months \(all samples: ([\d,]+)\)/).slice(1).map((x) => Number(x.replace(/,/g, '')));
  assert.ok(tail >= all, `the worst 20 % (${tail}) are at least the mean (${all})`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the price of diversification over the samples, on request: a row per cap, costs rising within the certified gaps, on phones of 360 and 390 px', async () => {
  for (const width of [360, 390]) {
    const { page, context, errors } = await openPage(shared.browser, shared.server.url, { viewport: { width, height: 800 } });
    await firstChart(page);
    await loadWithCommitmentTerms(page, { horizon: 12 });
    await page.getByTestId('advisor-samples').fill('3');
    await page.getByTestId('advisor-samples').dispatchEvent('change');
    const button = page.getByTestId('advisor-stoch-run');
    assert.match(await button.textContent(), /^Sweep with the advisor \(3 samples\)$/);
    await button.click();
    const table = page.getByTestId('advisor-stoch-sweep');
    await table.waitFor({ timeout: 120000 });
    assert.match(await table.locator('caption').textContent(), /^stochastic \(3 samples, seed \d+\), each cap certified within 0\.1 % of its optimum/);
    await until(async () => /^Done: \d+ caps\.$/.test(await page.getByTestId('advisor-stoch-status').textContent()), 'the sweep to finish', 300000);
    const rows = table.locator('tbody tr');
    const n = await rows.count();
    assert.ok(n >= 15, `${n} caps`);
    assert.equal((await rows.first().locator('th').textContent()).trim(), 'none', 'the first row has no cap');
    const bounds = await rows.evaluateAll((rs) => rs.map((r) => [Number(r.dataset.lower), Number(r.dataset.upper)]));
    const gaps = await table.locator('tbody td[data-label="Certified gap"]').allTextContents();
    for (let i = 0; i < n; i++) {
      const [lo, up] = bounds[i];
      assert.ok(lo <= up && up > 0, `bounds ${lo}..${up}`);
      const shown = parseFloat(gaps[i]) / 100;
      assert.ok(Math.abs(shown - (up - lo) / Math.max(up, 1)) < 6e-5, `gap shown ${gaps[i]} for ${lo}..${up}`);
      assert.ok(shown <= 0.001 + 1e-9, `certified to the advisor's gap: ${gaps[i]}`);
      // A tighter cap cannot cost less: its upper bound is at least the looser cap's lower bound.
      if (i > 0) assert.ok(up >= bounds[i - 1][0], `cost fell beyond the gaps at row ${i}: ${JSON.stringify(bounds)}`);
    }
    assert.ok(bounds[n - 1][0] > bounds[0][1], 'the tightest cap costs more than none');
    await table.scrollIntoViewIfNeeded();
    const wide = await sideways(page, '[data-testid=advisor-panel]');
    assert.deepEqual(wide.out, []);
    assert.equal(wide.vw, width);
    assert.ok(wide.page <= width, `the page scrolls sideways at ${width} px: ${wide.page}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('Cancel stops the sweep over the samples', async () => {
  const { page, context, errors } = await openWithTerms();
  await page.getByTestId('advisor-samples').fill('2000');
  await page.getByTestId('advisor-samples').dispatchEvent('change');
  await page.getByTestId('advisor-stoch-run').click();
  const status = page.getByTestId('advisor-stoch-status');
  await until(async () => /^Solving cap 1 of \d+/.test(await status.textContent()), 'the sweep to start', 120000);
  assert.ok(await page.getByTestId('advisor-stoch-run').isDisabled(), 'one sweep at a time');
  await page.getByTestId('advisor-stoch-cancel').click();
  await until(async () => /^Cancelled after 0 of \d+ caps\.$/.test(await status.textContent()), 'the cancelled status');
  assert.ok(await page.getByTestId('advisor-stoch-cancel').isDisabled());
  assert.ok(!(await page.getByTestId('advisor-stoch-run').isDisabled()), 'a new sweep can start');
  assert.equal(await page.getByTestId('advisor-stoch-sweep').locator('tbody tr').count(), 0, 'no cap finished');
  assert.deepEqual(errors, []);
  await context.close();
});
