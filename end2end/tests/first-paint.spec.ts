import { expect, test } from '@playwright/test';
import { RESELLER_SITE } from '../playwright.config';
import { ARTIFACTS, collectConsoleErrors, widgetOf } from './support';

test('what a visitor types into the first paint is kept when the WebAssembly takes the form over', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  // The widget's WebAssembly is held back until the visitor has typed into the server's form.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/widget/assets/widget-*_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.addInitScript(() =>
    document.addEventListener('portico:ready', () => ((window as any).porticoReady = true)),
  );
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);

  // The server's first paint: the whole form, before any of the widget's code runs.
  await expect(widget.getByRole('heading', { name: 'Signup' })).toBeVisible();
  await expect(widget.getByText('Powered By')).toContainText('SES Reseller Demo');
  await widget.getByLabel('Company name').fill('Early Bird Ltd');
  await widget.getByLabel('Country').selectOption('CA');
  await widget.getByLabel('Contact name').click();
  await page.keyboard.type('Ear');
  await page.screenshot({ path: `${ARTIFACTS}/widget-first-paint.png`, fullPage: true });
  expect(await page.evaluate(() => (window as any).porticoReady)).toBeUndefined();

  release();
  await expect.poll(() => page.evaluate(() => (window as any).porticoReady)).toBe(true);
  // Focus and caret stayed in the field: the name goes on where it was.
  await page.keyboard.type('ly Bird');
  await expect(widget.getByLabel('Contact name')).toHaveValue('Early Bird');
  await expect(widget.getByLabel('Company name')).toHaveValue('Early Bird Ltd');
  await expect(widget.getByLabel('Country')).toHaveValue('CA');
  // The State list follows the country chosen before the takeover: Canada's provinces.
  await expect(widget.getByLabel('State').locator('option', { hasText: 'Ontario' })).toHaveCount(1);

  // Only the WebAssembly answers these: a required field left empty is named as it is left...
  await widget.getByLabel('Phone number').focus();
  await widget.getByLabel('Title').focus();
  await expect(widget.locator('#phone-error')).toHaveText('This field is required.');
  await expect(widget.getByLabel('Phone number')).toHaveAttribute('aria-invalid', 'true');
  // ...and the Test Drives tab loads the reseller's catalog.
  await widget.getByRole('button', { name: 'Test Drives' }).click();
  await expect(widget.getByRole('heading', { name: 'Data Lake Quick Start' })).toBeVisible();
  // Back on Signup, what was typed is still there.
  await widget.getByRole('navigation').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.getByLabel('Company name')).toHaveValue('Early Bird Ltd');
  expect(errors).toEqual([]);
});
