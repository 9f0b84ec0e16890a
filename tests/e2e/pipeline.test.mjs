// The built dist/ loads from a plain static server, under a sub-path, draws its chart with no
// console error, and asks no host but the static server for anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launchBrowser, openPage } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist({ prefix: '/some/sub/path/' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the app loads from a sub-path and draws the supply chart', async () => {
  const { page, context, errors, requests } = await openPage(browser, server.url);
  const svg = page.locator('[data-testid=chart-supply] svg');
  await svg.waitFor({ timeout: 15000 });
  assert.ok((await svg.locator('polygon').count()) > 0, 'stacked areas are drawn');
  const kpi = await page.getByTestId('kpi-service-level').textContent();
  assert.ok(kpi.trim().length > 0, 'a KPI is shown');
  const foreign = requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no request leaves for another host');
  assert.deepEqual(errors, [], 'no console or page error');
  await context.close();
});
