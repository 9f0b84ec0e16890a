// Supplier-wide levers (MODEL.md §2.6), end to end on the built dist/: moving Foxconn's "other
// customers' share" lever on the base case changes the KPIs while dragging, a burst of arrow
// keys is one undo step, the share link carries the lever (a fresh browser shows the same lever
// value and KPIs), and an out-of-range value is listed by its readable name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart, kpis, until, copyLink } from './harness.mjs';

const shared = sharedServerAndBrowser({ prefix: '/tools/rackplan/' });

const SLIDER = 'lever-Foxconn-others_share_points-slider';
const NUMBER = 'lever-Foxconn-others_share_points';

async function openSupplierLevers(page) {
  const group = page.getByTestId('supplier-levers');
  if (!(await group.evaluate((d) => d.open))) await group.locator('summary').first().click();
  await page.getByTestId(SLIDER).waitFor();
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

test('the Foxconn lever moves the KPIs, undoes as one step and travels in the link', async () => {
  const a = await openPage(shared.browser, shared.server.url);
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.origin });
  await firstChart(a.page);
  const base = await kpis(a.page);
  await openSupplierLevers(a.page);
  const box = a.page.getByTestId('supplier-lever-Foxconn');
  assert.match(await box.textContent(), /5 sites/);
  assert.equal(await a.page.getByTestId(NUMBER).inputValue(), '0');

  // Other customers take 20 points more of every Foxconn site: fewer servers for us.
  await a.page.getByTestId(SLIDER).fill('20');
  await until(async () => !same(await kpis(a.page), base), 'the KPIs to follow the lever');
  assert.equal(await a.page.getByTestId(NUMBER).inputValue(), '20');
  const moved = await kpis(a.page);

  // A burst of arrow keys is one undo step: one undo goes back to 20, not 22.
  await a.page.getByTestId(SLIDER).focus();
  await a.page.keyboard.press('ArrowRight');
  await a.page.keyboard.press('ArrowRight');
  await until(async () => (await a.page.getByTestId(NUMBER).inputValue()) === '22', 'two key steps');
  await a.page.getByTestId(SLIDER).blur();
  await a.page.getByTestId('undo').click();
  await until(async () => (await a.page.getByTestId(NUMBER).inputValue()) === '20', 'one undo back to 20');
  await until(async () => same(await kpis(a.page), moved), 'the KPIs at 20 again');
  // And the drag itself undoes to the base case.
  await a.page.getByTestId('undo').click();
  await until(async () => (await a.page.getByTestId(NUMBER).inputValue()) === '0', 'undo to 0');
  await until(async () => same(await kpis(a.page), base), 'the base KPIs after undo');
  await a.page.getByTestId('redo').click();
  await until(async () => (await a.page.getByTestId(NUMBER).inputValue()) === '20', 'redo to 20');
  await until(async () => same(await kpis(a.page), moved), 'the KPIs at 20 after redo');

  const link = await copyLink(a.page, shared.server.url);
  assert.deepEqual(a.errors, []);
  await a.context.close();

  const b = await openPage(shared.browser, link);
  await firstChart(b.page);
  await until(async () => same(await kpis(b.page), moved), 'the same KPIs from the link');
  await openSupplierLevers(b.page);
  assert.equal(await b.page.getByTestId(NUMBER).inputValue(), '20');
  assert.equal(await b.page.getByTestId(SLIDER).inputValue(), '20');
  assert.equal(await b.page.getByTestId('share-error').count(), 0);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test('an out-of-range lever is named in words and keeps the last results', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  const base = await kpis(page);
  await openSupplierLevers(page);
  await page.getByTestId('lever-Quanta-capacity_change_percent').fill('-150');
  const banner = page.getByTestId('errors');
  await banner.waitFor();
  const text = await banner.textContent();
  assert.match(text, /Quanta: capacity change, %: must be between -100 and 1000, got -150/);
  assert.deepEqual(await kpis(page), base, 'the last good results stay');
  // The problem's link, with the group closed, opens it and focuses the field.
  await page.getByTestId('supplier-levers').evaluate((d) => { d.open = false; });
  await banner.getByRole('button', { name: /Quanta: capacity change/ }).click();
  await page.waitForFunction(() => document.activeElement?.closest('[data-path="supplier_levers[0].capacity_change_percent"]'));
  assert.equal(await page.getByTestId('supplier-levers').evaluate((d) => d.open), true);
  await page.getByTestId('lever-Quanta-capacity_change_percent').fill('-50');
  await until(async () => (await page.getByTestId('errors').count()) === 0, 'the problem to clear');
  await until(async () => !same(await kpis(page), base), 'Quanta at half capacity moves the KPIs');
  assert.deepEqual(errors, []);
  await context.close();
});
