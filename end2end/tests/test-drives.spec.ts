import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

test('an admin adds, changes and retires a test drive; the catalog API follows', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const name = `GPU Sandbox ${suffix}`;
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill('admin@ses-reseller.demo');
  await page.getByLabel('Password').fill('portico demo reseller');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: /^Test Drives/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Test Drives', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
  // The demo catalog.
  await expect(page.getByRole('heading', { name: 'Data Lake Quick Start' })).toBeVisible();

  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add a test drive' }) });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Duration (minutes)').fill('5');
  await form.getByRole('button', { name: 'Add test drive' }).click();
  await expect(form.locator('#new-drive-duration_minutes-error')).toContainText('from 15 to 10080');
  await expect(form.getByLabel('Duration (minutes)')).toBeFocused();
  await form.getByLabel('Duration (minutes)').fill('90');
  await form.getByLabel('Description').fill('A GPU workstation for an afternoon.');
  await form.getByRole('button', { name: 'Add test drive' }).click();
  const entry = page.getByRole('region', { name });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText('Amazon Web Services · 1 h 30 min · up to 1 at once per customer');
  await expect(form.getByLabel('Name')).toHaveValue('');
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-test-drives.png`, fullPage: true });

  const api = `${PLATFORM}/api/v1/widgets/pk_demo_ses_reseller/test-drives`;
  expect((await (await page.request.get(api)).json()).map((d: { name: string }) => d.name)).toContain(name);

  // Visitors of the reseller's website see it in the widget's Test Drives tab, without an account.
  const site = await page.context().newPage();
  await site.goto(`${RESELLER_SITE}/`);
  const widget = site.frameLocator('iframe[title="Customer signup"]');
  await widget.getByRole('button', { name: 'Test Drives' }).click();
  const offered = widget.getByRole('listitem').filter({ has: widget.getByRole('heading', { name }) });
  await expect(offered).toContainText('A GPU workstation for an afternoon.');
  await expect(offered).toContainText('Amazon Web Services · 1 h 30 min · up to 1 at once per customer');
  await expect(widget.getByRole('heading', { name: 'Data Lake Quick Start' })).toBeVisible();
  const widgetAxe = await new AxeBuilder({ page: site }).include('iframe').analyze();
  expect(widgetAxe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await site.screenshot({ path: `${ARTIFACTS}/widget-test-drives.png`, fullPage: true });
  // Its Signup link leads to the form.
  await widget.locator('.note').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.getByLabel('Company name')).toBeVisible();
  await site.close();

  await entry.getByText(`Change ${name}…`).click();
  await entry.getByLabel('Launch limit').fill('3');
  await entry.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name })).toContainText('up to 3 at once per customer');

  await page.getByRole('region', { name }).getByText(`Retire ${name}…`).click();
  await page.getByRole('region', { name }).getByRole('button', { name: 'Retire test drive' }).click();
  await expect(page.getByRole('region', { name })).toHaveCount(0);
  expect((await (await page.request.get(api)).json()).map((d: { name: string }) => d.name)).not.toContain(name);
});
