import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';
import {
  ARTIFACTS,
  approvedCustomer,
  collectConsoleErrors,
  expireRunningTestDrives,
  signInToPortal,
  widgetOf,
} from './support';

test('an admin adds, changes and retires a test drive; the catalog API follows', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const name = `GPU Sandbox ${suffix}`;
  await signInToPortal(page);
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
  const widget = widgetOf(site);
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

test('a customer launches test drives in the widget, follows them to Running, stops one and sees one expire', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const customer = {
    company: 'Drive Co',
    contact: 'Dana Drive',
    email: `dana-${Date.now().toString(36)}@drive.example`,
    password: 'a test drive passphrase',
  };
  await approvedCustomer(page, customer);

  await page.goto(`${RESELLER_SITE}/`);
  await page.evaluate(() => {
    (window as any).launched = [];
    document.addEventListener('portico:test_drive_launched', (e) => (window as any).launched.push((e as CustomEvent).detail));
  });
  const widget = widgetOf(page);
  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await widget.getByLabel('E-mail').fill(customer.email);
  await widget.getByLabel('Password').fill(customer.password);
  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await expect(widget.getByRole('heading', { name: 'Welcome, Dana Drive' })).toBeVisible();

  // The demo's Data Lake Quick Start runs 4 hours, at most 2 at once per customer.
  const drive = 'Data Lake Quick Start';
  await widget.getByRole('button', { name: 'Test Drives' }).click();
  await expect(widget.getByText('You have not launched a test drive yet.')).toBeVisible();
  await widget.getByRole('button', { name: `Launch ${drive}` }).click();
  const instances = widget.locator('.instances > li');
  await expect(instances).toHaveCount(1);
  await expect(instances.first()).toContainText('Launching');
  await expect(instances.first()).toContainText('Running', { timeout: 15_000 });
  await expect(instances.first()).toContainText(/3 h 5\d min left/);
  const detail = await page.evaluate(() => (window as any).launched);
  expect(detail).toHaveLength(1);
  expect(detail[0].instance).toMatch(/^tdi_/);

  await widget.getByRole('button', { name: `Launch ${drive}` }).click();
  await expect(instances).toHaveCount(2);
  await expect(instances.nth(0)).toContainText('Running', { timeout: 15_000 });
  // A third would pass the limit: the server's reason is shown, and nothing is launched.
  await widget.getByRole('button', { name: `Launch ${drive}` }).click();
  await expect(widget.getByRole('alert')).toHaveText(
    'You have 2 of this test drive running, the most at once: stop one to launch another.',
  );
  await expect(instances).toHaveCount(2);
  const axe = await new AxeBuilder({ page }).include('iframe').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/widget-test-drives-running.png`, fullPage: true });

  // Stopping asks first; keeping it changes nothing.
  await widget.getByRole('button', { name: `Stop ${drive}` }).first().click();
  await expect(widget.getByRole('button', { name: 'Stop test drive' })).toBeFocused();
  await widget.getByRole('button', { name: 'Keep it running' }).click();
  await expect(widget.getByRole('button', { name: `Stop ${drive}` })).toHaveCount(2);
  await widget.getByRole('button', { name: `Stop ${drive}` }).first().click();
  await page.screenshot({ path: `${ARTIFACTS}/widget-test-drive-stop.png`, fullPage: true });
  await widget.getByRole('button', { name: 'Stop test drive' }).click();
  await expect(instances.nth(0)).toContainText('Stopped');
  await expect(widget.locator('#portico-drives-error')).toBeEmpty();

  // Its time runs out: the server ends it, and the widget, which looks again while one runs, says so.
  expect(expireRunningTestDrives(customer.email)).toBe(1);
  await expect(instances.nth(1)).toContainText('Expired', { timeout: 20_000 });
  await expect(widget.getByRole('button', { name: `Stop ${drive}` })).toHaveCount(0);
  await page.screenshot({ path: `${ARTIFACTS}/widget-test-drives-ended.png`, fullPage: true });
  expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
});

test('a launch the cloud cannot fulfil shows as Failed with the reason, and leaves nothing to stop', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const customer = {
    company: 'Capacity Co',
    contact: 'Cary Pacity',
    email: `cary-${Date.now().toString(36)}@capacity.example`,
    password: 'a capacity passphrase',
  };
  await approvedCustomer(page, customer);
  // The simulated cloud has no capacity for a test drive whose name says "[fail]".
  const drive = `Capacity Check [fail] ${Date.now().toString(36)}`;
  await page.goto(`${PLATFORM}/`);
  await page.getByRole('link', { name: /^Test Drives/ }).first().click();
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'Add a test drive' }) });
  await form.getByLabel('Name').fill(drive);
  await form.getByLabel('Duration (minutes)').fill('60');
  await form.getByRole('button', { name: 'Add test drive' }).click();
  await expect(page.getByRole('region', { name: drive })).toBeVisible();

  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);
  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await widget.getByLabel('E-mail').fill(customer.email);
  await widget.getByLabel('Password').fill(customer.password);
  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await widget.getByRole('button', { name: 'Test Drives' }).click();
  await widget.getByRole('button', { name: `Launch ${drive}` }).click();
  const instance = widget.locator('.instances > li');
  await expect(instance).toHaveCount(1);
  await expect(instance).toContainText('Launching');
  await expect(instance).toContainText('Failed', { timeout: 15_000 });
  await expect(instance).toContainText(
    'It could not start. The cloud said: InsufficientInstanceCapacity: no capacity for this test drive right now',
  );
  await expect(widget.getByRole('button', { name: `Stop ${drive}` })).toHaveCount(0);
  await page.screenshot({ path: `${ARTIFACTS}/widget-test-drive-failed.png`, fullPage: true });
  expect(errors).toEqual([]);

  // The catalog keeps only the demo's own entries.
  await page.goto(`${PLATFORM}/`);
  await page.getByRole('link', { name: /^Test Drives/ }).first().click();
  await page.getByRole('region', { name: drive }).getByText(`Retire ${drive}…`).click();
  await page.getByRole('region', { name: drive }).getByRole('button', { name: 'Retire test drive' }).click();
  await expect(page.getByRole('region', { name: drive })).toHaveCount(0);
});
