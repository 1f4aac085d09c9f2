import { expect, test, type Page } from '@playwright/test';
import { MAILBOX, PLATFORM } from '../playwright.config';
import { ARTIFACTS, hydrated, seriousViolations } from './support';

async function signIn(page: Page) {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill('admin@ses-reseller.demo');
  await page.getByLabel('Password').fill('portico demo reseller');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
}

test('a reseller adds a customer by the guide: Customers → Add → Client section → Save', async ({ page, browser }) => {
  const suffix = Date.now().toString(36);
  const organization = `Acme Legal ${suffix}`;
  await signIn(page);
  await page.getByRole('link', { name: /^Customers/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Add customer' })).toBeVisible();
  await hydrated(page);
  expect(await seriousViolations(page)).toEqual([]);

  // Wrong values first: each field says what is wrong, the first one gets the focus.
  await page.getByLabel('Organization').fill(organization);
  await page.getByLabel(/^Name/).fill('John Smith');
  await page.getByLabel('Email').fill('john at customer');
  await page.getByLabel('Phone').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#customer-email-error')).toHaveText('Enter an e-mail address such as name@example.com.');
  await expect(page.locator('#customer-phone-error')).toContainText('Enter a phone number');
  await expect(page.getByLabel('Email')).toBeFocused();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Organization')).toHaveValue(organization);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-add-customer-errors.png`, fullPage: true });

  await page.getByLabel('Title').fill('Manager');
  await page.getByLabel('Email').fill(`john.${suffix}@customer.com`);
  await page.getByLabel('Phone').fill('555-555-5555');
  await page.getByLabel('Street address').fill('1234 Lane');
  await page.getByLabel('City').fill('Anytown');
  // State is a list of the chosen country's states, following the Country; text where there is none.
  await hydrated(page);
  await page.getByLabel('Country').selectOption('CA');
  await expect(page.getByLabel('State').locator('option', { hasText: 'Ontario' })).toHaveCount(1);
  await page.getByLabel('Country').selectOption('FR');
  await expect(page.getByLabel('State')).toHaveJSProperty('tagName', 'INPUT');
  await page.getByLabel('Country').selectOption('US');
  await page.getByLabel('State').selectOption('Arizona');
  await page.getByLabel('Zip/postal code').fill('85001');
  await page.screenshot({ path: `${ARTIFACTS}/portal-add-customer.png`, fullPage: true });
  await page.getByRole('button', { name: 'Save' }).click();

  await expect(page.getByRole('heading', { name: organization })).toBeVisible();
  await expect(page.locator('.page-head .status')).toHaveText('Active');
  await expect(page.getByRole('link', { name: 'Customer information' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText('Customer added')).toBeVisible();
  await expect(page.getByLabel('State')).toHaveValue('Arizona');
  await hydrated(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer.png`, fullPage: true });

  // Edit Customer information; the history shows what changed.
  await page.getByLabel('Title').fill('Director');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByText('Title: Manager → Director')).toBeVisible();

  // Suspend asks first and says what it does; Reactivate undoes it.
  await page.getByText('Suspend…').click();
  await expect(page.getByText('Its users are signed out at once')).toBeVisible();
  await page.getByRole('button', { name: 'Suspend customer' }).click();
  await expect(page.locator('.page-head .status')).toHaveText('Suspended');
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-suspended.png`, fullPage: true });
  await page.getByRole('button', { name: 'Reactivate customer' }).click();
  await expect(page.locator('.page-head .status')).toHaveText('Active');

  // Cloud providers: the guide's Part 3 begins by ticking AWS.
  await page.getByRole('link', { name: 'Cloud providers' }).click();
  await expect(page.getByRole('heading', { name: 'Cloud providers', level: 2 })).toBeVisible();
  await page.getByLabel('Amazon Web Services').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Amazon Web Services')).toBeChecked();
  await expect(page.getByLabel('Microsoft Azure')).not.toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-providers.png`, fullPage: true });

  // Cloud accounts → ADD → Amazon Web Services, Account ID: New Account and the 12-digit number,
  // the root Email → Save (the guide's Part 3), in a modal dialog.
  const account = String(Date.now()).slice(-12).padStart(12, '0');
  await hydrated(page);
  await page.getByRole('link', { name: 'Cloud accounts' }).click();
  await expect(page.getByText('No cloud accounts yet.')).toBeVisible();
  const add = page.getByRole('button', { name: 'ADD', exact: true });
  await add.click();
  const addDialog = page.getByRole('dialog', { name: 'Add a cloud account' });
  await expect(addDialog).toBeVisible();
  await expect(addDialog.getByLabel('Provider')).toHaveValue('aws');
  await expect(addDialog.getByLabel('Account ID')).toHaveValue('new');
  await expect(addDialog.getByText('New Account: enter the 12-digit AWS account number.')).toBeVisible();
  // The rest of the page is inert: Tab never leaves the dialog. Escape closes it, and ADD has the focus again.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(addDialog).toBeHidden();
  await expect(add).toBeFocused();
  await add.click();
  const number = addDialog.getByLabel('12-digit AWS account number');
  await number.fill('1234');
  await addDialog.getByLabel('Email').fill(`root.${suffix}@acme-legal.test`);
  await addDialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#account-account_id-error')).toHaveText('Enter the 12-digit AWS account number, such as 123456789012.');
  await expect(number).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-add-account-dialog.png` });
  await number.fill(account);
  await addDialog.getByRole('button', { name: 'Save' }).click();
  // "The instructions for how to create the Role ARN will appear in the next dialog box."
  await expect(page.getByRole('dialog', { name: `Role ARN · AWS account ${account}` })).toBeVisible();
  // The same dialog, found also while it is closed (when the accessibility tree leaves it out).
  const dialog = page.locator('dialog').filter({ hasText: `Role ARN · AWS account ${account}` });
  await expect(addDialog).toBeHidden();
  await expect(dialog).toContainText('"sts:ExternalId"');
  await expect(dialog).toContainText('arn:aws:iam::111122223333:root');
  const checked = dialog.locator('.role-check .status');
  await expect(checked).toHaveText('Not Checked');
  // Later closes it, and the account's row opens it again.
  const arnField = dialog.getByLabel('AWS Role ARN');
  await dialog.getByRole('button', { name: 'Later' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row').filter({ hasText: account });
  await expect(row).toContainText('Not Checked');
  const openRoleArn = page.getByRole('button', { name: `Role ARN of AWS account ${account}` });
  await expect(openRoleArn).toBeFocused();
  await openRoleArn.click();
  await expect(dialog).toBeVisible();
  // The owner sends back a role of another account, then one that does not trust the platform, then the right one.
  await arnField.fill('arn:aws:iam::999999999999:role/PorticoAccess');
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(dialog.locator('.field-error')).toContainText("the role must be in this cloud account's AWS account");
  await expect(arnField).toBeFocused();
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-role-arn-dialog.png` });
  // Save keeps it unchecked: still there, Not Checked, after a reload.
  await arnField.fill(`arn:aws:iam::${account}:role/PorticoNoTrust`);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.locator('.field-error')).toHaveText('');
  await page.reload();
  await hydrated(page);
  await expect(dialog).toBeHidden();
  await openRoleArn.click();
  await expect(arnField).toHaveValue(`arn:aws:iam::${account}:role/PorticoNoTrust`);
  await expect(checked).toHaveText('Not Checked');
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(checked).toHaveText('Invalid');
  await expect(dialog.locator('.check-reason')).toContainText('cannot be assumed');
  await dialog.getByLabel('AWS Role ARN').fill(`arn:aws:iam::${account}:role/PorticoAccess`);
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(checked).toHaveText('Valid');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(openRoleArn).toBeFocused();
  await expect(row).toContainText('Valid');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-cloud-accounts.png`, fullPage: true });

  // "Charges and Discounts - Support Plans: add AWS Business Level Support and save."
  await hydrated(page);
  await page.getByRole('link', { name: 'Charges and discounts' }).click();
  const plans = page.getByRole('group', { name: 'Amazon Web Services support plan' });
  await expect(plans.getByLabel('None')).toBeChecked();
  await plans.getByLabel(/AWS Business Level Support/).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(plans.getByLabel(/AWS Business Level Support/)).toBeChecked();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-support-plan.png`, fullPage: true });
  await page.getByRole('link', { name: 'Cloud accounts' }).click();

  // Part 4: the reseller requests the link, Cloud Support approves it, the owner accepts AWS's invitation.
  const linkState = dialog.locator('.link-panel p[role=status] .status');
  await hydrated(page);
  await openRoleArn.click();
  await expect(linkState).toHaveText('Not requested');
  await dialog.getByRole('button', { name: 'Request link' }).click();
  await expect(linkState).toHaveText('Waiting for Cloud Support');
  const supportContext = await browser.newContext();
  const support = await supportContext.newPage();
  await support.goto(`${PLATFORM}/login`);
  await support.getByLabel('E-mail').fill('support@portico.demo');
  await support.getByLabel('Password').fill('portico demo support');
  await support.getByRole('button', { name: 'Sign in' }).click();
  await support.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cloud Support' }).click();
  const request = support.getByRole('listitem').filter({ hasText: `Link · AWS account ${account}` });
  await expect(request).toContainText(organization);
  await expect(request).toContainText(`arn:aws:iam::${account}:role/PorticoAccess`);
  expect(await seriousViolations(support)).toEqual([]);
  await support.screenshot({ path: `${ARTIFACTS}/portal-cloud-support.png`, fullPage: true });
  await hydrated(support);
  // Rejecting needs a reason: the empty one is refused on its field.
  await request.getByText('Reject…').click();
  await request.getByRole('button', { name: 'Reject request' }).click();
  await expect(request.locator('.field-error').first()).toContainText('Write a sentence or two');
  await request.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(request).toHaveCount(0);
  // The simulated AWS console, where the account's owner answers the invitation the platform sent.
  const accept = support.getByRole('button', { name: `Accept invitation for ${account}` });
  await expect(async () => {
    await support.goto(`${PLATFORM}/simulated-aws`);
    await expect(accept).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await accept.click();
  await expect(async () => {
    await page.reload();
    await expect(linkState).toHaveText('Linked', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(dialog.locator('.link-history')).toContainText('Demo Cloud Support');
  await expect(row).toContainText('Linked');
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-linked.png`, fullPage: true });
  // The reseller's Notifications say so too, with a link back to the account.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
  const notice = page.getByRole('link', { name: `AWS account ${account} of ${organization}: Invitation accepted` });
  await expect(notice).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-notifications.png`, fullPage: true });
  // Unread until this person marks them read; the menu's count goes with them.
  const menuLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' });
  await expect(menuLink).toContainText('unread');
  await expect(page.locator('li.unread').filter({ has: notice })).toContainText('New');
  await hydrated(page);
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await expect(page.getByText('All read.')).toBeVisible();
  await expect(page.locator('.notifications .status-new')).toHaveCount(0);
  await expect(menuLink).not.toContainText('unread');
  // The notice opens the account's dialog.
  await notice.click();
  await hydrated(page);
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Part 5: "Click the Request link, Choose Cloud Provider AWS, Click the Request button at the
  // bottom right corner of this dialog box." Cloud Support approves; the account is created.
  const accountName = `Acme Production ${suffix}`;
  await page.getByRole('button', { name: 'Request', exact: true }).click();
  const requestDialog = page.getByRole('dialog', { name: 'Request a new account' });
  await expect(requestDialog).toBeVisible();
  await expect(requestDialog.getByLabel('Cloud provider')).toHaveValue('aws');
  await requestDialog.getByLabel('Account name').fill(accountName);
  await requestDialog.getByRole('button', { name: 'Request', exact: true }).click();
  await expect(page.locator('#request-email-error')).toHaveText('This field is required.');
  await expect(requestDialog.getByLabel('Root email')).toBeFocused();
  await requestDialog.getByLabel('Root email').fill(`aws-root.${suffix}@acme-legal.test`);
  await expect(requestDialog.getByLabel('Support plan')).toHaveValue('aws-business');
  await requestDialog.getByRole('button', { name: 'Request', exact: true }).click();
  await expect(page.getByRole('dialog', { name: `New account · ${accountName}` })).toBeVisible();
  const created = page.locator('dialog').filter({ hasText: `New account · ${accountName}` });
  await expect(requestDialog).toBeHidden();
  await expect(created.locator('.link-panel p[role=status] .status')).toHaveText('Waiting for Cloud Support');
  await support.goto(`${PLATFORM}/cloud-support`);
  const newRequest = support.getByRole('listitem').filter({ hasText: `New account · ${accountName}` });
  await expect(newRequest).toContainText('AWS Business Level Support');
  await hydrated(support);
  await newRequest.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(newRequest).toHaveCount(0);
  await expect(async () => {
    await page.reload();
    await expect(created.locator('.link-panel p[role=status] .status')).toHaveText('Linked', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await hydrated(page);
  await page.getByRole('button', { name: `Details of new account ${accountName}` }).click();
  await expect(created).toContainText('Request credentials for me');
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-new-account.png` });
  await page.keyboard.press('Escape');
  await expect(created).toBeHidden();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Notifications' }).click();
  const createdNotice = page.getByRole('link', { name: new RegExp(`of ${organization}: Account created`) });
  await expect(createdNotice).toBeVisible();
  await createdNotice.click();
  await hydrated(page);
  await expect(created).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(created).toBeHidden();
  await supportContext.close();

  // Customer options: a wrong launch limit is refused on its field; a good one is saved.
  await hydrated(page);
  await page.getByRole('link', { name: 'Customer options' }).click();
  await page.getByLabel('Launch limit').fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#option-launch-limit-error')).toContainText('Enter a whole number from 1 to 100');
  await expect(page.getByLabel('Launch limit')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Launch limit').fill('3');
  await page.getByLabel('May request new cloud accounts').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-options.png`, fullPage: true });

  // Users: a customer added in the portal has none until someone signs in for it.
  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByText('No users yet.')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  // Invite one: the row says Invited until they choose a password through the e-mailed link.
  const jane = `jane.${suffix}@customer.com`;
  await page.locator('#user-email').fill(jane);
  await page.locator('#user-name').fill('Jane Doe');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Invitation sent' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Invited' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-users.png`, fullPage: true });
  let link = '';
  await expect
    .poll(async () => {
      const inbox: { subject: string; text: string; to: { address: string }[] }[] =
        await (await page.request.get(`${MAILBOX}/api/email`)).json();
      const mail = inbox.find((m) => m.to.some((r) => r.address === jane));
      link = mail?.text.match(/https?:\/\/\S*\/widget\/v1\/reset\?token=\S+/)?.[0] ?? '';
      return link;
    })
    .not.toBe('');
  const invited = await page.context().newPage();
  await invited.goto(link);
  await expect(invited.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await invited.getByLabel('New password').fill('janes own long passphrase');
  await invited.getByLabel('Verify password').fill('janes own long passphrase');
  await invited.getByRole('button', { name: 'Set my password' }).click();
  await expect(invited.getByRole('heading', { name: 'Your password is set' })).toBeVisible();
  await invited.close();
  await page.reload();
  await expect(page.getByRole('cell', { name: 'Active', exact: true })).toBeVisible();

  // Every tab of the guide is there; the commercial ones are walked in commerce.spec.ts.
  await page.getByRole('link', { name: 'Taxes' }).click();
  await expect(page.getByRole('group', { name: 'Tax rates that apply' })).toBeVisible();

  // Back in the list, a search by a word of the organization finds it; CSV export has it.
  await page.goto(`${PLATFORM}/customers?q=${suffix}`);
  await expect(page.getByRole('link', { name: organization })).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customers-search.png`, fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const csv = await (await download.createReadStream()).toArray();
  expect(Buffer.concat(csv).toString()).toContain(`"${organization}","John Smith"`);

  await page.goto(`${PLATFORM}/customers?q=nothing-like-this-${suffix}`);
  await expect(page.getByText('No customers match.')).toBeVisible();

  // The account's History lists every change above, each linked to its customer.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  const added = page.locator('.history > li').filter({ hasText: 'Customer added' }).filter({ hasText: organization });
  await expect(added).toHaveCount(1);
  await expect(page.locator('.history > li').filter({ hasText: 'Customer suspended' }).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-history.png`, fullPage: true });
});

test("ADD offers the accounts the platform's AWS organization holds for the customer", async ({ page }) => {
  await signIn(page);
  await page.goto(`${PLATFORM}/customers`);
  await page.getByRole('link', { name: 'Northwind Traders' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Cloud accounts' }).click();
  const add = page.getByRole('button', { name: 'ADD', exact: true });
  await add.click();
  const dialog = page.getByRole('dialog', { name: 'Add a cloud account' });
  const accountId = dialog.getByLabel('Account ID');
  // Asked of the organization as the dialog opens: the account whose root e-mail is the contact's
  // tagged mailbox, not Fabrikam's.
  await expect(dialog).toContainText("1 account of the platform's AWS organization with this customer's e-mail, or New Account.");
  await expect(accountId.locator('option')).toHaveText([
    '345678901234 · Northwind Analytics (nancy+analytics@northwind.demo)',
    'New Account',
  ]);
  await expect(accountId).toHaveValue('new');
  await expect(dialog.getByLabel('12-digit AWS account number')).toBeVisible();
  await accountId.selectOption('345678901234');
  await expect(dialog.getByLabel('12-digit AWS account number')).toBeHidden();
  await expect(dialog.getByLabel('Email')).toHaveValue('nancy+analytics@northwind.demo');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-add-known-account.png` });
  // Cancel leaves everything as it was, and ADD has the focus again.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(add).toBeFocused();
  await expect(page.getByRole('row').filter({ hasText: '345678901234' })).toHaveCount(0);
});

test('the customer pages are usable on a tablet', async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await signIn(page);
  await page.goto(`${PLATFORM}/customers`);
  await expect(page.getByRole('heading', { name: 'Customers' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customers-tablet.png`, fullPage: true });
  await page.goto(`${PLATFORM}/customers/new`);
  await expect(page.getByRole('heading', { name: 'Add customer' })).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/portal-add-customer-tablet.png`, fullPage: true });
});

test('an admin defines customer fields; a customer gets values checked against them', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const label = `Tier ${suffix}`;
  await signIn(page);
  await page.getByRole('link', { name: /^Customer fields/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Customer fields' })).toBeVisible();
  await hydrated(page);
  // A choice field without choices is refused at its field.
  await page.getByLabel('Label').fill(label);
  await page.getByLabel('Type').selectOption('choice');
  await page.getByRole('button', { name: 'Add field' }).click();
  await expect(page.locator('#field-choices-error')).toHaveText('List the choices, one per line.');
  await page.getByLabel('Choices').fill('Gold\nSilver');
  await page.getByLabel('Required').check();
  await page.getByRole('button', { name: 'Add field' }).click();
  await expect(page.getByRole('cell', { name: label })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-fields-settings.png`, fullPage: true });

  // Any customer will do: the first test of this file added one.
  await page.goto(`${PLATFORM}/customers?q=acme`);
  await page.locator('tbody a').first().click();
  await page.getByRole('link', { name: 'Customer fields' }).click();
  await hydrated(page);
  const field = page.getByLabel(label);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toBeFocused();
  await field.selectOption('Gold');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(field).toHaveValue('Gold');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-customer-fields.png`, fullPage: true });

  // Retire it again, so other runs start from a clean list.
  await page.goto(`${PLATFORM}/settings/customer-fields`);
  await page.getByText(`Retire ${label}…`).click();
  await page.getByRole('button', { name: 'Retire field' }).click();
  await expect(page.getByRole('cell', { name: label })).toHaveCount(0);
});

test('a page opened first loads its group of parts in one file, named as a preload by the response', async ({ page, browser }) => {
  await signIn(page);
  const response = await page.request.get(`${PLATFORM}/customers`);
  expect(response.headers()['link']).toMatch(/\/customer_list_pages\.parts\.wasm>; rel=preload; as=fetch/);

  // A new browser with an empty cache, signed in: the list fetches its parts' file and no part
  // alone, and hydrates from it.
  const fresh = await browser.newContext({ storageState: await page.context().storageState() });
  const list = await fresh.newPage();
  const wasm: string[] = [];
  list.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url().split('/').pop() ?? '');
  });
  await list.goto(`${PLATFORM}/customers`);
  await hydrated(list);
  expect(wasm.filter((name) => name !== 'portal_bg.wasm')).toEqual(['customer_list_pages.parts.wasm']);
  // A page of another group, opened later, fetches only the parts it still lacks, each once.
  await list.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await expect(list.getByRole('heading', { name: 'History' })).toBeVisible();
  const later = wasm.slice(2);
  expect(later.length).toBeGreaterThan(0);
  expect(later.every((name) => !name.endsWith('.parts.wasm'))).toBe(true);
  expect(new Set(later).size).toBe(later.length);
  await fresh.close();
});
