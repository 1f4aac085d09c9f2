import { expect, test, type Page } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';
import { ARTIFACTS, seriousViolations } from './support';

async function openSettings(page: Page) {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill('admin@ses-reseller.demo');
  await page.getByLabel('Password').fill('portico demo reseller');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await page.getByRole('link', { name: 'Widget', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Widget settings' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

/** The background colour of the widget's Signup button inside `frame`. */
async function accent(page: Page, frame: string): Promise<string> {
  const button = page.frameLocator(frame).locator('form').getByRole('button', { name: 'Signup' });
  await expect(button).toBeVisible();
  return button.evaluate((element) => getComputedStyle(element).backgroundColor);
}

test('widget settings change the preview and the real embed; the embed code is copied', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: PLATFORM });
  await openSettings(page);
  const snippet = page.getByRole('textbox', { name: 'Embed code' });
  await expect(snippet).toHaveValue(/<script async src="http:\/\/localhost:3180\/widget\/v1\/embed\.js" data-key="pk_demo_ses_reseller"><\/script>/);
  await page.getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('data-key="pk_demo_ses_reseller"');
  expect(await accent(page, 'iframe[title="Widget preview"]')).toBe('rgb(31, 95, 168)');

  // A colour too light to read and a website with a path are refused at their fields.
  await page.getByLabel('Primary colour').fill('#ffee00');
  await page.getByLabel('Websites allowed to embed the widget').fill(`${RESELLER_SITE}/shop`);
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.locator('#widget-brand_color-error')).toContainText('Choose a darker colour');
  await expect(page.locator('#widget-allowed_origins-error')).toContainText('no path');
  await expect(page.getByLabel('Primary colour')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-widget-settings-errors.png`, fullPage: true });

  await page.getByLabel('Primary colour').fill('#0b5d1e');
  await page.getByLabel('Websites allowed to embed the widget').fill(RESELLER_SITE);
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect.poll(() => accent(page, 'iframe[title="Widget preview"]')).toBe('rgb(11, 93, 30)');
  await page.screenshot({ path: `${ARTIFACTS}/portal-widget-settings.png`, fullPage: true });

  // The reseller's real page shows the same colour.
  const site = await context.newPage();
  await site.goto(`${RESELLER_SITE}/`);
  expect(await accent(site, 'iframe[title="Customer signup"]')).toBe('rgb(11, 93, 30)');
  await site.close();

  // Back to Portico's blue, so the demo looks as documented.
  await page.getByLabel('Primary colour').fill('');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await expect.poll(() => accent(page, 'iframe[title="Widget preview"]')).toBe('rgb(31, 95, 168)');
});

test('signup options saved in the portal change the widget form', async ({ page }) => {
  await openSettings(page);
  const required = page.getByLabel('Require the address fields');
  await required.check();
  await page.getByLabel('Your words above the Signup form').fill('Welcome to SES Reseller Demo.');
  await page.getByRole('button', { name: 'Save' }).nth(1).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const preview = page.frameLocator('iframe[title="Widget preview"]');
  await expect(preview.getByText('Welcome to SES Reseller Demo.')).toBeVisible();
  await expect(preview.getByLabel(/^Street Address/)).toHaveAttribute('required', '');
  // Bad domains are named.
  await page.getByLabel('Always approve these e-mail domains').fill('not a domain');
  await page.getByRole('button', { name: 'Save' }).nth(1).click();
  await expect(page.locator('#signup-approved_domains-error')).toContainText('one e-mail domain per line');
  // Restore.
  await page.getByLabel('Always approve these e-mail domains').fill('');
  await page.getByLabel('Require the address fields').uncheck();
  await page.getByLabel('Your words above the Signup form').fill('');
  await page.getByRole('button', { name: 'Save' }).nth(1).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
});
