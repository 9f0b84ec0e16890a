// Keyboard use of the replace-confirmation dialog: focus moves into it, Tab stays inside it,
// Escape cancels, and focus returns to the control that opened it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart } from './harness.mjs';

const shared = sharedServerAndBrowser();

const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

test('the confirmation dialog keeps focus inside and gives it back', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  // A changed scenario: replacing it asks first.
  await page.locator('#f-name').fill('My plan');
  const presets = page.getByTestId('presets');
  await presets.focus();
  await presets.selectOption({ index: 2 });
  await page.getByTestId('confirm').waitFor();
  assert.equal(await focused(page), 'confirm-replace', 'focus moves to the dialog');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'confirm-cancel');
  await page.keyboard.press('Tab');
  assert.equal(await focused(page), 'confirm-replace', 'Tab wraps inside the dialog');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'confirm-cancel', 'Shift+Tab wraps too');
  await page.keyboard.press('Escape');
  await page.getByTestId('confirm').waitFor({ state: 'detached' });
  assert.equal(await focused(page), 'presets', 'focus returns to the presets menu');
  assert.deepEqual(errors, []);
  await context.close();
});
