// The built dist/ loads from a plain static server, under a sub-path, draws its chart with no
// console error, and asks no host but the static server for anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage } from './harness.mjs';

const shared = sharedServerAndBrowser({ prefix: '/some/sub/path/' });

test('the app loads from a sub-path and draws the supply chart', async () => {
  const { page, context, errors, requests } = await openPage(shared.browser, shared.server.url);
  const svg = page.locator('[data-testid=chart-supply] svg');
  await svg.waitFor({ timeout: 15000 });
  assert.ok((await svg.locator('polygon').count()) > 0, 'stacked areas are drawn');
  const kpi = await page.getByTestId('kpi-service-level').textContent();
  assert.ok(kpi.trim().length > 0, 'a KPI is shown');
  const foreign = requests.filter((u) => !u.startsWith(shared.server.origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no request leaves for another host');
  assert.deepEqual(errors, [], 'no console or page error');
  await context.close();
});
