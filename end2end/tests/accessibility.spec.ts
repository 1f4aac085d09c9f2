import { expect, test } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';
import { seriousViolations } from './support';

test('the widget has no serious accessibility violations, with and without errors showing', async ({ page }) => {
  await page.goto(`${RESELLER_SITE}/`);
  const widget = page.frameLocator('iframe[title="Customer signup"]');
  await expect(widget.getByRole('heading', { name: 'Signup' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.locator('#company_name-error')).toHaveText('This field is required.');
  expect(await seriousViolations(page)).toEqual([]);

  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await expect(widget.getByRole('heading', { name: 'Login' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the portal sign-in page has no serious accessibility violations', async ({ page }) => {
  await page.goto(`${PLATFORM}/login`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
});

test('the widget works from the keyboard alone', async ({ page }) => {
  await page.goto(`${RESELLER_SITE}/`);
  const widget = page.frameLocator('iframe[title="Customer signup"]');
  await expect(widget.getByRole('heading', { name: 'Signup' })).toBeVisible();
  await widget.getByLabel('Company name').focus();
  await page.keyboard.type('Keyboard Co');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Kim Key');
  await expect(widget.getByLabel('Contact name')).toHaveValue('Kim Key');
  // Enter in a field submits the form; the first missing field gets focus.
  await page.keyboard.press('Enter');
  await expect(widget.getByLabel('Phone number')).toBeFocused();
});
