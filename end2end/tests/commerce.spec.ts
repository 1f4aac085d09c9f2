// A reseller sets what a customer pays: its catalogs (Products, Tax rates), then the customer's
// Charges and discounts (with the preview), Taxes, Credits and Subscriptions tabs.
import { expect, test, type Page } from '@playwright/test';
import { PLATFORM } from '../playwright.config';
import { ARTIFACTS, collectConsoleErrors, hydrated, seriousViolations, signInToPortal } from './support';

/** Customers → Add with the required fields; leaves the browser on the new customer's page. */
async function addCustomer(page: Page, organization: string) {
  await page.goto(`${PLATFORM}/customers/new`);
  await hydrated(page);
  await page.getByLabel('Organization').fill(organization);
  await page.getByLabel(/^Name/).fill('Mia Maple');
  await page.getByLabel('Email').fill(`mia.${Date.now().toString(36)}@maple.test`);
  await page.getByLabel('Phone').fill('555-555-0199');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: organization })).toBeVisible();
}

test('an admin keeps the products and tax rates customers draw on', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await signInToPortal(page);
  await page.getByRole('link', { name: /^Products/ }).click();
  await expect(page.getByRole('heading', { name: 'Products', level: 1 })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Microsoft 365 Business Basic (M365-BB)' })).toContainText('$6.00 per unit, monthly');
  await hydrated(page);
  const add = page.getByRole('region', { name: 'Add a product' });
  await add.getByLabel('Name').fill('Azure support hours');
  await add.getByLabel('SKU').fill('AZ SUPPORT');
  await add.getByLabel('Unit price').fill('120.005');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(add.locator('#product-new-sku-error')).toHaveText('Use letters, digits, dots, dashes and underscores.');
  await expect(add.locator('#product-new-unit_price-error')).toContainText('no more decimals than the currency has');
  await expect(add.getByLabel('SKU')).toBeFocused();
  await add.getByLabel('SKU').fill('AZ-SUPPORT');
  await add.getByLabel('Unit price').fill('120.00');
  await add.getByLabel('Billing period').selectOption('one_time');
  await add.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('region', { name: 'Azure support hours (AZ-SUPPORT)' })).toContainText('$120.00 per unit, one-time');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-products.png`, fullPage: true });

  await page.goto(`${PLATFORM}/settings/tax-rates`);
  await hydrated(page);
  const rate = page.getByRole('region', { name: 'Add a tax rate' });
  await rate.getByLabel('Name').fill('Quebec QST');
  await rate.getByLabel('Rate (%)').fill('9.97501');
  await rate.getByLabel('Country').selectOption('CA');
  await rate.getByLabel('Region').fill('QC');
  await rate.getByLabel('Valid from').fill('2026-01-01');
  await rate.getByRole('button', { name: 'Add tax rate' }).click();
  await expect(rate.locator('#rate-new-rate-error')).toHaveText(
    'Enter a percentage from 0 to 100 with at most four decimals, such as 8.875.',
  );
  await rate.getByLabel('Rate (%)').fill('9.975');
  await rate.getByRole('button', { name: 'Add tax rate' }).click();
  await expect(page.getByRole('region', { name: 'Quebec QST · 9.975%' })).toContainText('Not used yet');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-tax-rates.png`, fullPage: true });
  // Refused forms answer 422, which the browser logs as a failed load; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});

test("a reseller sets a customer's charges, taxes, credits and subscriptions", async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const organization = `Maple Legal ${Date.now().toString(36)}`;
  await signInToPortal(page);
  await addCustomer(page, organization);

  // Charges and discounts: a tiered rule, its preview on the examples, then added.
  await page.getByRole('link', { name: 'Charges and discounts' }).click();
  await expect(page.getByText('No charges or discounts yet.')).toBeVisible();
  await hydrated(page);
  const form = page.getByRole('region', { name: 'Add a charge or discount' });
  await form.getByLabel('Description').fill('Managed support');
  await form.getByLabel('Calculation').selectOption('tiered');
  const tiers: [string, string][] = [['10,000', '10%'], ['80,000', '7%'], ['250,000', '5%'], ['', '3%']];
  for (const [index, [upTo, value]] of tiers.entries()) {
    await form.getByLabel(`Tier ${index + 1} up to`).fill(upTo);
    await form.getByLabel(`Tier ${index + 1} gives`).fill(value);
  }
  await form.getByLabel('Minimum').fill('100');
  const preview = form.getByRole('complementary', { name: 'Preview' });
  await preview.getByLabel('On a base of').fill('85,000');
  await expect(preview.locator('output')).toHaveText('$6,150.00 on $85,000.00');
  await preview.getByLabel('On a base of').fill('50000');
  await expect(preview.locator('output')).toHaveText('$3,800.00 on $50,000.00');
  await preview.getByLabel('On a base of').fill('500');
  await expect(preview.locator('output')).toHaveText('$100.00 on $500.00');
  // A tier out of order: the preview waits, the save names the field.
  await form.getByLabel('Tier 2 up to').fill('5,000');
  await expect(preview.locator('output')).toContainText('Complete the tiers');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form.locator('#rule-new-tiers-error')).toContainText('List the tiers from the lowest bound up');
  await form.getByLabel('Tier 2 up to').fill('80,000');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-charges-form.png`, fullPage: true });
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const rule = page.getByRole('region', { name: 'Managed support' });
  await expect(rule).toContainText('Greater of $100 or 10% of the first $10,000, 7% up to $80,000, 5% up to $250,000 and 3% above');
  await expect(rule).toContainText('Monthly, from');
  // A fixed discount, then removed after the confirmation.
  await hydrated(page);
  await form.getByLabel('Type').selectOption('discount');
  await form.getByLabel('Description').fill('Launch discount');
  await form.getByLabel('Calculation').selectOption('fixed');
  await form.getByLabel('Amount').fill('250');
  await expect(preview.locator('output')).toContainText('$250.00 on');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  const discount = page.getByRole('region', { name: 'Launch discount' });
  await expect(discount).toContainText('Discount');
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-charges.png`, fullPage: true });
  await discount.getByText('Remove Launch discount…').click();
  await expect(discount).toContainText('no longer applies from now on');
  await discount.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('region', { name: 'Launch discount' })).toHaveCount(0);

  // Taxes: a seeded rate, then an exemption with its certificate.
  await page.getByRole('link', { name: 'Taxes' }).click();
  await hydrated(page);
  await page.getByLabel('Ontario HST 13% (CA, ON)').check();
  await page.getByLabel('Exempt', { exact: true }).check();
  await expect(page.getByLabel('Certificate number')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#tax-certificate_number-error')).toHaveText("Enter the exemption certificate's number.");
  await page.getByLabel('Certificate number').fill('EX-2291');
  await page.getByLabel('Certificate expiry').fill('2030-06-30');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByLabel('Ontario HST 13% (CA, ON)')).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-taxes.png`, fullPage: true });

  // Credits: granted, then reversed with a reason; the balance follows.
  await page.getByRole('link', { name: 'Credits' }).click();
  await expect(page.getByText('No credit available.')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Amount').fill('250');
  await page.getByLabel('Reason').fill('Outage on 3 December');
  await page.getByRole('button', { name: 'Grant credit' }).click();
  await expect(page.getByLabel('Balance')).toContainText('Available: $250.00');
  const grant = page.getByRole('row', { name: /Outage on 3 December/ });
  await grant.getByText('Reverse…').click();
  await grant.getByRole('button', { name: 'Reverse credit' }).click();
  await expect(grant.getByText('Tell the customer why, in a sentence or two.')).toBeVisible();
  await grant.getByLabel('Reason').fill('Granted to the wrong customer');
  await grant.getByRole('button', { name: 'Reverse credit' }).click();
  await expect(page.getByLabel('Balance')).toHaveText('No credit available.');
  await expect(page.getByRole('row', { name: /Outage on 3 December/ })).toContainText('Reversed');
  await expect(page.getByRole('row', { name: /Granted to the wrong customer/ })).toContainText('−$250.00');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-credits.png`, fullPage: true });

  // Subscriptions: 25 seats of a seeded product, suspended, resumed, then cancelled.
  await page.getByRole('link', { name: 'Subscriptions' }).click();
  await expect(page.getByText('No subscriptions yet.')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('Product').selectOption({ label: 'Microsoft 365 Business Basic (M365-BB) · $6.00 monthly' });
  await page.getByLabel('Quantity').fill('0');
  await page.getByRole('button', { name: 'Add subscription' }).click();
  await expect(page.locator('#subscription-new-quantity-error')).toHaveText('Enter a whole number of units, at least 1.');
  await page.getByLabel('Quantity').fill('25');
  await page.getByLabel('Auto-renew').check();
  await page.getByRole('button', { name: 'Add subscription' }).click();
  const seats = page.getByRole('region', { name: 'Microsoft 365 Business Basic (M365-BB)' });
  await expect(seats).toContainText('25 × $6.00 = $150.00 monthly');
  await expect(seats.locator('.status')).toHaveText('Active');
  await seats.getByRole('button', { name: 'Suspend' }).click();
  await expect(seats.locator('.status')).toHaveText('Suspended');
  await seats.getByRole('button', { name: 'Resume' }).click();
  await expect(seats.locator('.status')).toHaveText('Active');
  await seats.getByText('Cancel…').click();
  await seats.getByRole('button', { name: 'Cancel subscription' }).click();
  await expect(seats.locator('.status')).toHaveText('Pending cancel');
  await expect(seats.getByRole('button', { name: 'Keep subscription' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-subscriptions.png`, fullPage: true });

  // Every change is in the customer's history.
  await page.getByRole('link', { name: 'Customer information' }).click();
  for (const entry of ['Charge added: Managed support', 'Discount removed: Launch discount', 'Tax profile changed',
    'Credit reversed: $250.00 (Outage on 3 December)', 'Subscription cancelled at the end of its term']) {
    await expect(page.getByText(entry).first()).toBeVisible();
  }
  // Refused forms answer 422, which the browser logs as a failed load; nothing else may fail.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});
