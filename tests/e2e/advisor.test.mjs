// The Commitment advisor end to end on the built dist/ (MODEL.md §9): a scenario with fees and a
// spot premium is advised in the advisor's own worker (its wasm fetched only then), the answer
// carries its certified gap, the four plans and the price of diversification; "Adopt this plan"
// writes the reservations into the scenario, travels in the link and is undone by Undo; Cancel
// stops a run.
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

test('the advisor answers with its certified gap, four plans and the sweep; Adopt travels in the link and Undo takes it back', async () => {
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
  assert.equal(await page.getByTestId('advisor-sweep').locator('tbody tr').count(), 15);
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
