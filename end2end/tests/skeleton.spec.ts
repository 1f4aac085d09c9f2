import { expect, test } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  ARTIFACTS,
  collectConsoleErrors,
  confirmEmail,
  signInToPortal,
  signUp,
  waitForMail,
  widgetOf,
} from './support';

test('a visitor signs up through the widget on the reseller website; the reseller sees them in Customers', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);

  await expect(widget.getByRole('heading', { name: 'Signup' })).toBeVisible();
  await expect(widget.getByText('Powered By')).toContainText('SES Reseller Demo');
  await expect(widget.getByLabel('Country')).toHaveValue('US');

  await widget.getByLabel('Company name').fill('Internal-Legal');
  await widget.getByLabel('Contact name').fill('John Smith');
  await widget.getByLabel('Title').fill('Manager');
  await widget.getByLabel('Phone number').fill('555-555-5555');
  await widget.getByLabel('Street Address').fill('1234 Lane');
  await widget.getByLabel('Suite #').fill('100');
  await widget.getByLabel('City').fill('Anytown');
  // State is a list of the country's states, provinces or territories, which follows the country.
  await widget.getByLabel('Country').selectOption('CA');
  await expect(widget.getByLabel('State').locator('option', { hasText: 'Ontario' })).toHaveCount(1);
  await widget.getByLabel('Country').selectOption('US');
  await expect(widget.getByLabel('State').locator('option', { hasText: 'Ontario' })).toHaveCount(0);
  await widget.getByLabel('State').selectOption('Arizona');
  await widget.getByLabel('Zip').fill('85001');
  await widget.getByLabel('E-mail').fill('John@customer.com');
  await widget.getByLabel(/^Password/).fill('correct horse battery lamp');
  await widget.getByLabel('Verify password').fill('correct horse battery lamp');
  await page.screenshot({ path: `${ARTIFACTS}/widget-signup-filled.png`, fullPage: true });

  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();
  await expect(widget.getByRole('status')).toContainText('We sent a link to John@customer.com');
  await expect(widget.getByRole('heading', { name: 'Check your e-mail' })).toBeFocused();
  await page.screenshot({ path: `${ARTIFACTS}/widget-signup-received.png`, fullPage: true });

  // The confirmation e-mail goes through a real SMTP server; its link confirms the address.
  const mail = await waitForMail(page, 'john@customer.com', 'Confirm your e-mail address for SES Reseller Demo');
  const link = mail.text.match(/https?:\/\/\S+\/widget\/v1\/verify\?token=\S+/)![0];
  const confirmation = await page.context().newPage();
  await confirmation.goto(link);
  await confirmation.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(confirmation.getByRole('heading', { name: 'Your e-mail address is confirmed' })).toBeVisible();
  await confirmation.screenshot({ path: `${ARTIFACTS}/verify-confirmed.png`, fullPage: true });
  await confirmation.close();

  // The reseller signs into the portal and finds the new customer awaiting approval.
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page.getByText('SES Reseller Demo')).toBeVisible();

  // Following the Customers link must not load a new document: the hydrated router handles it.
  const documentLoads: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) documentLoads.push(request.url());
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  const row = page.getByRole('row', { name: /Internal-Legal/ });
  await expect(row).toContainText('John Smith');
  await expect(row).toContainText('john@customer.com');
  await expect(row).toContainText('Pending approval');
  await page.screenshot({ path: `${ARTIFACTS}/portal-customers.png`, fullPage: true });

  // The reseller approves the signup; the contact is told their account is ready.
  await row.getByRole('button', { name: 'Approve Internal-Legal' }).click();
  await expect(page.getByRole('row', { name: /Internal-Legal/ })).toContainText('Active');
  await waitForMail(page, 'john@customer.com', 'Your SES Reseller Demo account is ready');
  expect(documentLoads, 'client-side navigation and actions after hydration').toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customers-approved.png`, fullPage: true });

  // The customer's Users tab lists John, the admin who signed up.
  await page.getByRole('link', { name: 'Internal-Legal' }).click();
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  const john = page.getByRole('row', { name: /John Smith/ });
  await expect(john).toContainText('Admin');
  await expect(john).toContainText('Active');
  // He is the only admin: nothing offers to demote or disable him.
  await expect(john).toContainText('The only admin');
  await expect(john.getByRole('button', { name: 'Make John Smith a user' })).toBeHidden();
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-users.png`, fullPage: true });

  expect(errors).toEqual([]);
});

test('the widget names each refused field and moves focus to the first', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);
  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();

  const company = widget.getByLabel('Company name');
  await expect(company).toBeFocused();
  await expect(company).toHaveAttribute('aria-invalid', 'true');
  await expect(widget.locator('#company_name-error')).toHaveText('This field is required.');
  await expect(widget.locator('#email-error')).toHaveText('This field is required.');

  await widget.getByLabel('Zip').fill('8500');
  await widget.getByLabel('E-mail').fill('john at customer.com');
  await widget.getByLabel(/^Password/).fill('too short');
  await widget.getByLabel('Verify password').fill('something else');
  await widget.getByLabel('Company name').click();
  await expect(widget.locator('#zip-error')).toContainText('postal code');
  await expect(widget.locator('#email-error')).toHaveText('Enter an e-mail address such as name@example.com.');
  await expect(widget.locator('#password-error')).toContainText('at least 15 characters');
  await expect(widget.locator('#verify_password-error')).toHaveText('The two passwords do not match.');
  await expect(widget.getByLabel('E-mail')).toHaveAttribute('aria-describedby', 'email-error');

  // The hint follows the password as it is typed; Show password reveals both fields, and hides them again.
  const password = widget.getByLabel(/^Password/);
  const hint = widget.locator('#portico-password-hint');
  await expect(hint).toHaveText('Too short: 9 of at least 15 characters.');
  await expect(password).toHaveAttribute('aria-describedby', 'password-error portico-password-hint');
  await widget.getByLabel('Show password').check();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(widget.getByLabel('Verify password')).toHaveAttribute('type', 'text');
  await widget.getByLabel('Show password').uncheck();
  await expect(password).toHaveAttribute('type', 'password');
  await password.fill('passwordpassword');
  await expect(hint).toHaveText('Too easy to guess: try a few unrelated words.');
  await password.fill('river lamp orbit cactus tulip');
  await expect(hint).toHaveText('Strong password.');
  await password.fill('too short');

  // The iframe grows with the messages, so nothing is cut off or scrolls inside it.
  const frame = page.frame({ url: /\/widget\/v1\/frame/ });
  const contentHeight = () => frame!.evaluate(() => document.documentElement.getBoundingClientRect().height);
  const frameHeight = async () => (await page.locator('iframe[title="Customer signup"]').boundingBox())!.height;
  await expect.poll(async () => (await frameHeight()) - (await contentHeight())).toBeGreaterThanOrEqual(-1);

  // Fixing a field clears its message as the person types.
  await widget.getByLabel('E-mail').fill('john@customer.com');
  await expect(widget.locator('#email-error')).toBeEmpty();
  await page.screenshot({ path: `${ARTIFACTS}/widget-signup-errors.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a wrong portal password gets one generic message', async ({ page }) => {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill('not the demo password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That e-mail and password do not match an account.');
  await expect(page).toHaveURL(`${PLATFORM}/login`);
});

test('fields the server refuses are shown beside their inputs', async ({ page }) => {
  // The server applies the same rules as the widget, so a real refusal needs a client that
  // skipped them; this answers the widget's POST with the API's documented 422 body instead.
  await page.context().route('**/api/v1/widgets/*/signups', (route) =>
    route.fulfill({
      status: 422,
      json: {
        code: 'validation_failed',
        message: 'Some fields need your attention.',
        fields: [{ field: 'email', code: 'invalid_format', message: 'Enter an e-mail address such as name@example.com.' }],
      },
    }),
  );
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);
  await widget.getByLabel('Company name').fill('Internal-Legal');
  await widget.getByLabel('Contact name').fill('John Smith');
  await widget.getByLabel('Phone number').fill('555-555-5555');
  await widget.getByLabel('E-mail').fill('john@customer.com');
  await widget.getByLabel(/^Password/).fill('correct horse battery lamp');
  await widget.getByLabel('Verify password').fill('correct horse battery lamp');
  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.locator('#email-error')).toHaveText('Enter an e-mail address such as name@example.com.');
  await expect(widget.getByLabel('E-mail')).toBeFocused();
  await expect(widget.getByLabel('E-mail')).toHaveAttribute('aria-invalid', 'true');
});

test('a customer confirms their address, logs into the widget, stays signed in on reload, and logs out', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  const email = 'ann@customer.com';
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);
  // The browser keeps no third-party cookie for the widget's frame, only partitioned ones.
  const frame = page.frame({ url: /\/widget\/v1\/frame/ })!;
  const kept = await frame.evaluate(() => {
    document.cookie = 'unpartitioned=1; SameSite=None; Secure; Path=/';
    document.cookie = 'partitioned=1; SameSite=None; Secure; Partitioned; Path=/';
    return document.cookie;
  });
  expect(kept).toBe('partitioned=1');
  await signUp(widget, { company: 'Ann Co', contact: 'Ann Lee', email, password: 'another fine passphrase' });

  // Logging in before confirming says what is missing, and offers the link again.
  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await widget.getByLabel('E-mail').fill(email);
  await widget.getByLabel('Password').fill('another fine passphrase');
  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await expect(widget.getByRole('alert')).toContainText('Please confirm your e-mail address first');
  await expect(widget.getByRole('button', { name: 'Send the confirmation link again' })).toBeVisible();

  await confirmEmail(page, email);

  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await expect(widget.getByRole('heading', { name: 'Welcome, Ann Lee' })).toBeVisible();
  await expect(widget.getByRole('status')).toContainText('waiting for approval by SES Reseller Demo');
  await page.screenshot({ path: `${ARTIFACTS}/widget-signed-in.png`, fullPage: true });

  await page.reload();
  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await expect(widget.getByRole('heading', { name: 'Welcome, Ann Lee' })).toBeVisible();
  await widget.getByRole('button', { name: 'Log out' }).click();
  await expect(widget.getByRole('heading', { name: 'Login' })).toBeVisible();
  // The one refusal the browser logs is the login before the address was confirmed.
  expect(errors).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
});

test('a reseller rejects a signup with a reason, which the contact receives', async ({ page }) => {
  await page.goto(`${RESELLER_SITE}/`);
  const reject = { company: 'Reject Me Ltd', contact: 'Rex Ject', email: 'rex@reject.example', password: 'rejected but polite passphrase' };
  await signUp(widgetOf(page), reject);

  await signInToPortal(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  const row = page.getByRole('row', { name: /Reject Me Ltd/ });
  await expect(row).toContainText('E-mail not confirmed yet');
  await row.getByText('Reject…').click();
  // An empty reason is refused before anything changes.
  await row.getByRole('button', { name: 'Reject signup' }).click();
  await expect(row).toContainText('Pending approval');
  await row.getByLabel('Reason, e-mailed to the contact').fill('We only serve customers in Arizona.');
  await row.getByRole('button', { name: 'Reject signup' }).click();
  await expect(page.getByRole('row', { name: /Reject Me Ltd/ })).toContainText('Rejected');
  const mail = await waitForMail(page, 'rex@reject.example', 'Your signup with SES Reseller Demo');
  expect(mail.text).toContain('We only serve customers in Arizona.');
});

test('a customer who forgot their password chooses a new one through the e-mailed link', async ({ page }) => {
  const email = 'fran@customer.com';
  await page.goto(`${RESELLER_SITE}/`);
  const widget = widgetOf(page);
  await signUp(widget, { company: 'Fran Co', contact: 'Fran Gets', email, password: 'the first passphrase here' });
  await confirmEmail(page, email);

  await widget.getByRole('button', { name: 'Login', exact: true }).click();
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  await expect(widget.getByRole('heading', { name: 'Forgot password' })).toBeVisible();
  await widget.getByLabel('E-mail').fill(email);
  await widget.getByRole('button', { name: 'Send me a link' }).click();
  await expect(widget.getByRole('status')).toContainText(`If an account uses ${email}, we sent it a link`);

  const mail = await waitForMail(page, email, 'Choose a new password for SES Reseller Demo');
  const link = mail.text.match(/https?:\/\/\S+\/widget\/v1\/reset\?token=\S+/)![0];
  const reset = await page.context().newPage();
  await reset.goto(link);
  await expect(reset.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  // A mismatch is refused on its field, and nothing changes.
  await reset.getByLabel('New password').fill('the second passphrase now');
  await reset.getByLabel('Verify password').fill('the second passphrase typo');
  await reset.getByRole('button', { name: 'Change my password' }).click();
  await expect(reset.locator('#verify_password-error')).toHaveText('The two passwords do not match.');
  await reset.getByLabel('New password').fill('the second passphrase now');
  await reset.getByLabel('Verify password').fill('the second passphrase now');
  await reset.getByRole('button', { name: 'Change my password' }).click();
  await expect(reset.getByRole('heading', { name: 'Your password is changed' })).toBeVisible();
  // The link works once.
  await reset.goto(link);
  await expect(reset.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
  await reset.close();

  await widget.getByRole('button', { name: 'Back to Login' }).click();
  await widget.getByLabel('E-mail').fill(email);
  await widget.getByLabel('Password').fill('the first passphrase here');
  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await expect(widget.getByRole('alert')).toHaveText('That e-mail and password do not match an account.');
  await widget.getByLabel('Password').fill('the second passphrase now');
  await widget.locator('form').getByRole('button', { name: 'Login' }).click();
  await expect(widget.getByRole('heading', { name: 'Welcome, Fran Gets' })).toBeVisible();
});
