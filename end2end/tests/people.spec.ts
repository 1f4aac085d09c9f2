import { expect, test, type Page } from '@playwright/test';
import { MAILBOX, PLATFORM } from '../playwright.config';
import { ARTIFACTS, hydrated, seriousViolations } from './support';

const PASSPHRASE = 'a long and unremarkable passphrase';

type Mail = { subject: string; text: string; to: { address: string }[] };

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
}

/** The link to `path` in the newest message to `to` with this subject, once MailDev has it. */
async function linkInMail(page: Page, to: string, subject: string, linkPath: string): Promise<string> {
  let link = '';
  await expect
    .poll(async () => {
      const inbox: Mail[] = await (await page.request.get(`${MAILBOX}/api/email`)).json();
      const mail = inbox.reverse().find((m) => m.subject === subject && m.to.some((r) => r.address === to));
      const found = mail?.text.match(new RegExp(`https?://\\S*${linkPath.replace('?', '\\?')}\\S+`));
      link = found ? found[0] : '';
      return link;
    })
    .not.toBe('');
  return link;
}

test('a platform admin adds a reseller; its admin accepts the invitation and invites an agent', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const reseller = `Northwind Cloud ${suffix}`;
  const boss = `boss.${suffix}@northwind.test`;
  const agent = `agent.${suffix}@northwind.test`;

  await signIn(page, 'platform@portico.demo', 'portico demo platform');
  await expect(page.locator('.tenant')).toHaveText('Portico platform');
  await page.getByRole('link', { name: /^Resellers/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Resellers' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'SES Reseller Demo' })).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/platform-resellers.png`, fullPage: true });
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Add reseller' })).toBeVisible();
  await hydrated(page);

  // A bad address and a missing name are named; the first gets the focus.
  await page.locator('#reseller-reseller_name').fill(reseller);
  await page.getByLabel('License agreement URL').fill('northwind.test/eula');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#reseller-license_url-error')).toContainText('Enter a full web address');
  await expect(page.locator('#reseller-email-error')).toHaveText('This field is required.');
  await expect(page.getByLabel('License agreement URL')).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/platform-add-reseller-errors.png`, fullPage: true });

  await page.getByLabel('License agreement URL').fill('https://northwind.test/eula');
  await page.locator('#reseller-email').fill(boss);
  await page.locator('#reseller-name').fill('Bo Boss');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'Resellers' })).toBeVisible();
  await expect(page.getByRole('cell', { name: reseller })).toBeVisible();
  // The platform's History records it, with who did it.
  await page.getByRole('link', { name: 'History' }).first().click();
  await expect(page.getByRole('heading', { name: 'History', level: 1 })).toBeVisible();
  const created = page.getByRole('listitem').filter({ hasText: `Reseller ${reseller} created` });
  await expect(created).toContainText('Demo Platform Admin <platform@portico.demo>');
  await expect(created).toContainText('License URL: https://northwind.test/eula');
  await expect(created).toContainText(`First admin: Bo Boss <${boss}>`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/platform-history.png`, fullPage: true });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  // The first admin opens the e-mailed link and chooses a password.
  const invitation = await linkInMail(page, boss, `You are invited to ${reseller} on Portico`, '/invitation?token=');
  await page.goto(invitation);
  await expect(page.getByText(`You are invited to join ${reseller}'s team as Admin`)).toBeVisible();
  await hydrated(page);
  await page.locator('#account-password').fill('too short');
  await page.locator('#account-verify_password').fill('too short');
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(page.locator('#account-password-error')).toContainText('at least 15 characters');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-accept-invitation.png`, fullPage: true });
  await page.locator('#account-password').fill(PASSPHRASE);
  await page.locator('#account-verify_password').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(page.locator('.tenant')).toHaveText(reseller);

  // They invite an agent from Team.
  await page.getByRole('link', { name: /^Team/ }).first().click();
  await expect(page.getByRole('heading', { name: 'Team' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('cell', { name: 'Bo Boss (you)' })).toBeVisible();
  await expect(page.getByText('No invitations waiting.')).toBeVisible();
  await page.locator('#invitation-email').fill('not an address');
  await page.locator('#invitation-name').fill('Ari Agent');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.locator('#invitation-email-error')).toContainText('Enter an e-mail address');
  await expect(page.locator('#invitation-name')).toHaveValue('Ari Agent');
  await page.locator('#invitation-email').fill(agent);
  await page.getByLabel('Role').selectOption('agent');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation sent');
  await expect(page.getByRole('button', { name: `Resend to ${agent}` })).toBeVisible();
  await expect(page.locator('#invitation-email')).toHaveValue('');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-team.png`, fullPage: true });
  await page.getByRole('button', { name: `Resend to ${agent}` }).click();
  await expect(page.getByRole('status')).toContainText('Invitation sent');
  await page.getByRole('button', { name: 'Sign out' }).click();

  const agentLink = await linkInMail(page, agent, `You are invited to ${reseller} on Portico`, '/invitation?token=');
  await page.goto(agentLink);
  await page.locator('#account-password').fill(PASSPHRASE);
  await page.locator('#account-verify_password').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await page.goto(`${PLATFORM}/team`);
  await expect(page.getByRole('cell', { name: 'Ari Agent (you)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send invitation' })).toHaveCount(0);
});

test('a reseller user who forgot their password chooses a new one through the e-mailed link', async ({ page }) => {
  const suffix = Date.now().toString(36);
  const email = `forgetful.${suffix}@ses-reseller.demo`;
  // An admin invites them first.
  await signIn(page, 'admin@ses-reseller.demo', 'portico demo reseller');
  await page.goto(`${PLATFORM}/team`);
  await hydrated(page);
  await page.locator('#invitation-email').fill(email);
  await page.locator('#invitation-name').fill('Fern Forgetful');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation sent');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(await linkInMail(page, email, 'You are invited to SES Reseller Demo on Portico', '/invitation?token='));
  await page.locator('#account-password').fill(PASSPHRASE);
  await page.locator('#account-verify_password').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByText('We will e-mail you a link')).toBeVisible();
  await hydrated(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByRole('button', { name: 'Send me a link' }).click();
  await expect(page.getByRole('status')).toContainText(`If ${email} signs in to Portico, a link is on its way.`);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-forgot-password.png`, fullPage: true });

  await page.goto(await linkInMail(page, email, 'Choose a new Portico password', '/reset-password?token='));
  await hydrated(page);
  const fresh = 'an entirely fresh portal passphrase';
  await page.locator('#account-password').fill(fresh);
  await page.locator('#account-verify_password').fill('a different one entirely');
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.locator('#account-verify_password-error')).toHaveText('The two passwords do not match.');
  await page.screenshot({ path: `${ARTIFACTS}/portal-reset-password.png`, fullPage: true });
  await page.locator('#account-verify_password').fill(fresh);
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed.');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(fresh);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
});
