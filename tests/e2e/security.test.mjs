// Security and privacy end to end: the page carries a strict Content-Security-Policy, makes no
// network request after load while the planner works (the scenario never leaves the browser),
// and a dropped scenario file opens through the same checks as the file picker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart } from './harness.mjs';

const shared = sharedServerAndBrowser();

test('the page declares a strict Content-Security-Policy', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  for (const directive of [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "connect-src 'self'",
    "object-src 'none'",
  ]) {
    assert.ok(csp.includes(directive), `CSP has ${directive}: ${csp}`);
  }
  assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script');
  await context.close();
});

test('no network request while the planner works', async () => {
  const { page, context, requests, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  // Start-up includes the quick risk worker (it loads the same wasm): wait for its first answer.
  await page.waitForFunction(() => document.querySelector('[data-testid=summary]')?.getAttribute('aria-busy') === 'false');
  await page.waitForLoadState('networkidle');
  const afterLoad = requests.length;
  const before = await page.getByTestId('kpi-total-cost').textContent();
  // Edit, add a site, undo, copy the link: all local.
  await page.getByTestId('lever-adoption-ceiling-slider').fill('0.7');
  await page.waitForFunction(
    (b) => document.querySelector('[data-testid=kpi-total-cost]').textContent !== b,
    before,
  );
  await page.keyboard.press('Control+z');
  await page.getByTestId('copy-link').click();
  await page.waitForTimeout(500);
  const later = requests.slice(afterLoad).filter((u) => !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(later, [], 'requests after load');
  assert.deepEqual(errors, [], 'no console or page error');
  await context.close();
});

test('a scenario file dropped on the page opens after confirmation', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.locator('#f-name').fill('My plan');
  const name = 'Dropped <b>scenario</b>';
  const dataTransfer = await page.evaluateHandle((scenarioName) => {
    const dt = new DataTransfer();
    const text = JSON.stringify({ schema_version: 1, name: scenarioName, horizon_months: 24 });
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return dt;
  }, name);
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await page.getByTestId('confirm').waitFor({ timeout: 5000 });
  await page.getByTestId('confirm-replace').click();
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('input')].some((i) => i.value === n),
    name,
    { timeout: 5000 },
  );
  assert.equal(await page.locator('b', { hasText: 'scenario' }).count(), 0, 'the name is text, not HTML');
  await context.close();
});

test('a file that is not UTF-8 is refused with the position of the bad byte', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  const bytes = Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}')]);
  await page.getByTestId('file-input').setInputFiles({ name: 'latin1.json', mimeType: 'application/json', buffer: bytes });
  const banner = page.getByTestId('share-error');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.textContent(), /latin1\.json[\s\S]*line 2, column 15: not UTF-8 text/);
  await context.close();
});
