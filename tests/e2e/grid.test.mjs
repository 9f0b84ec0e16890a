// The "All sites" grid end to end on the built dist/ (ARCHITECTURE.md "All sites grid"): a block
// pasted from a spreadsheet changes its cells and the KPIs, a refused cell shows its message,
// one undo restores the whole paste, and the keys move and edit as specified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart, kpis, until } from './harness.mjs';

const shared = sharedServerAndBrowser();

async function open(viewport) {
  const o = await openPage(shared.browser, shared.server.url, viewport ? { viewport } : undefined);
  await firstChart(o.page);
  await o.page.getByTestId('sites-grid').waitFor();
  return o;
}

const cell = (page, r, c) => page.getByTestId(`cell-${r}-${c}`);
const text = async (page, r, c) => (await cell(page, r, c).evaluate((el) => {
  // The cell's own value, without the screen-reader text of a distribution.
  const clone = el.cloneNode(true);
  clone.querySelectorAll('.sr-only, .dist').forEach((x) => x.remove());
  return clone.textContent;
})).trim();
const focused = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Pastes `tsv` at the focused element as a spreadsheet's clipboard would. */
async function paste(page, tsv) {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, tsv);
}

// Columns: 0 site, 1 supplier, 2 region, 3 capacity, 4 others' share, 5 qualification, 6 ramp,
// 7 yield, 8 price.
test('a pasted 2x3 block changes its cells and the KPIs, and one undo restores it all', async () => {
  const { page, context, errors } = await open();
  const block = [[0, 3], [0, 4], [0, 5], [1, 3], [1, 4], [1, 5]];
  const before = [];
  for (const [r, c] of block) before.push(await text(page, r, c));
  const kpi0 = await kpis(page);

  await cell(page, 0, 3).focus();
  await paste(page, '3,000\t10%\t0\r\n2500\t5\t1\r\n');
  await until(async () => (await text(page, 1, 5)) === '1', 'the pasted block');
  assert.deepEqual(
    await Promise.all(block.map(([r, c]) => text(page, r, c))),
    ['3,000', '10', '0', '2,500', '5', '1'],
  );
  assert.equal((await page.getByTestId('grid-status').textContent()).trim(), 'Pasted 6 cells.');
  const kpi1 = await until(async () => {
    const k = await kpis(page);
    return JSON.stringify(k) !== JSON.stringify(kpi0) && k;
  }, 'the KPIs to change after the paste');
  assert.notDeepEqual(kpi1, kpi0);
  assert.equal(await focused(page), 'gc-0-3', 'focus stays on the anchor cell');

  // One Ctrl+Z undoes the whole paste.
  await page.keyboard.press('Control+z');
  await until(async () => (await text(page, 1, 5)) === before[5], 'the undo');
  assert.deepEqual(await Promise.all(block.map(([r, c]) => text(page, r, c))), before);
  await until(async () => JSON.stringify(await kpis(page)) === JSON.stringify(kpi0), 'the KPIs to return');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused cell is marked with its message while the good cells apply', async () => {
  const { page, context, errors } = await open();
  const site = await text(page, 0, 0);
  const yield0 = await text(page, 0, 7);
  await cell(page, 0, 7).focus();
  await paste(page, '120%\t41000\n');
  await until(async () => (await text(page, 0, 8)) === '41,000', 'the good cell');
  assert.equal(await text(page, 0, 7), yield0, 'the refused cell keeps its value');
  assert.equal(await cell(page, 0, 7).getAttribute('aria-invalid'), 'true');
  const message = (await page.getByTestId('grid-refused').textContent()).trim();
  assert.equal(message, `“${site}”, Yield (% delivered): must be above 0 % and at most 100 %, got 120 %`);
  assert.equal(await cell(page, 0, 7).getAttribute('aria-describedby'), 'gm-0-7');
  assert.match(await page.getByTestId('grid-status').textContent(), /Pasted 1 of 2 cells; 1 refused/);

  // A typed value that is refused keeps its editor, text and message; Escape gives up.
  const ramp0 = await text(page, 2, 6);
  await cell(page, 2, 6).focus();
  await page.keyboard.type('-3');
  await page.keyboard.press('Enter');
  const input = cell(page, 2, 6).locator('input');
  assert.equal(await input.inputValue(), '-3');
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByTestId('grid-edit-msg').textContent(), /Ramp \(months to full rate\): must be >= 0, got -3/);
  assert.equal(await input.getAttribute('aria-describedby'), 'grid-edit-msg');
  await page.keyboard.press('Escape');
  await until(async () => (await cell(page, 2, 6).locator('input').count()) === 0, 'the editor to close');
  assert.equal(await text(page, 2, 6), ramp0);
  assert.equal(await focused(page), 'gc-2-6');
  assert.equal((await page.getByTestId('grid-edit-msg').textContent()).trim(), '', 'the message goes with the edit');
  assert.deepEqual(errors, []);
  await context.close();
});

test('arrow keys, Tab and Enter move the active cell; Enter edits and saves', async () => {
  const { page, context, errors } = await open();
  await cell(page, 0, 0).focus();
  const press = async (key, id) => {
    await page.keyboard.press(key);
    assert.equal(await focused(page), id, `after ${key}`);
  };
  await press('ArrowRight', 'gc-0-1');
  await press('ArrowDown', 'gc-1-1');
  await press('ArrowLeft', 'gc-1-0');
  await press('ArrowLeft', 'gc-1-0');
  await press('ArrowUp', 'gc-0-0');
  await press('ArrowUp', 'gc-0-0');
  await press('Tab', 'gc-0-1');
  await press('Shift+Tab', 'gc-0-0');
  await press('End', 'gc-0-8');
  await press('Tab', 'gc-1-0');
  await press('Shift+Tab', 'gc-0-8');
  // Only the active cell is in the Tab order.
  assert.equal(await page.locator('[data-testid=sites-grid] [tabindex="0"]').count(), 1);

  // Enter opens the cell's editor on its value; Enter saves and moves down.
  const ramp1 = await text(page, 1, 6);
  await cell(page, 1, 6).focus();
  await page.keyboard.press('Enter');
  const input = cell(page, 1, 6).locator('input');
  assert.equal(await input.inputValue(), ramp1);
  assert.equal(await page.evaluate(() => document.activeElement.closest('[role=grid] td')?.id), 'gc-1-6',
    'the editor in the cell has focus');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await until(async () => (await text(page, 1, 6)) === '5', 'the saved ramp');
  assert.equal(await focused(page), 'gc-2-6');
  // Tab saves and moves across; typing replaces the cell's text.
  await page.keyboard.type('7');
  await page.keyboard.press('Tab');
  await until(async () => (await text(page, 2, 6)) === '7', 'the typed ramp');
  assert.equal(await focused(page), 'gc-2-7');
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Copy all sites" puts the table on the clipboard; pasted back, it changes nothing', async () => {
  const { page, context, errors } = await open();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.origin });
  await page.getByTestId('grid-copy').click();
  await until(async () => /^Copied \d+ sites/.test(await page.getByTestId('grid-status').textContent()), 'the copy');
  const tsv = await page.evaluate(() => navigator.clipboard.readText());
  const rows = tsv.trimEnd().split('\r\n').map((r) => r.split('\t'));
  assert.equal(rows[0][0], 'Site');
  assert.equal(rows[0][3], 'Capacity (units/month, first point)');
  assert.equal(rows[1][0], await text(page, 0, 0));
  assert.equal(rows[1][8], await text(page, 0, 8));
  const undoTitle = await page.getByTestId('undo').getAttribute('title');
  await cell(page, 0, 0).focus();
  await paste(page, tsv);
  await until(async () => /The header row was skipped/.test(await page.getByTestId('grid-status').textContent()), 'the paste');
  assert.match(await page.getByTestId('grid-status').textContent(), new RegExp(`^Pasted ${(rows.length - 1) * 9} cells\\.`));
  // Nothing changed, so nothing to undo was added.
  assert.equal(await page.getByTestId('undo').getAttribute('title'), undoTitle);
  // Ctrl+C on a cell copies that cell.
  await cell(page, 1, 8).focus();
  await page.keyboard.press('Control+c');
  await until(async () => (await page.evaluate(() => navigator.clipboard.readText())) === rows[2][8], 'the cell on the clipboard');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the grid scrolls sideways inside a named, focusable region', async () => {
  const { page, context, errors } = await open({ width: 390, height: 844 });
  const region = page.getByRole('region', { name: 'All sites table (scrolls sideways)' });
  assert.equal(await region.getAttribute('tabindex'), '0');
  const { scroll, client, page: pageWidth } = await region.evaluate((el) => ({
    scroll: el.scrollWidth, client: el.clientWidth, page: document.documentElement.scrollWidth,
  }));
  assert.ok(scroll > client, `the table is wider than its region (${scroll} > ${client})`);
  assert.ok(pageWidth <= 390, `the page does not scroll sideways (${pageWidth})`);
  // Focusing a cell off to the right scrolls it into view.
  await cell(page, 0, 8).focus();
  assert.ok(await region.evaluate((el) => el.scrollLeft > 0));
  assert.deepEqual(errors, []);
  await context.close();
});
