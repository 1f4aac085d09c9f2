// Two-step sign-in as a reseller admin walks it: turn it on from their account page by scanning
// the key into an app (the test plays the app, RFC 6238), save the recovery codes, sign in again
// with a code, require it for the team and leave it to each member again, and turn it off with a
// recovery code.
import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { PLATFORM } from '../playwright.config';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ARTIFACTS, hydrated, seriousViolations } from './support';

/** What an authenticator app with this base32 key shows at `atMs`. */
function appCode(key: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of key.replace(/\s/g, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)));
  const mac = createHmac('sha1', bytes).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

test('a reseller admin turns on two-step sign-in, signs in with a code and turns it off', async ({ page }) => {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  // The name in the top bar opens the account page.
  await page.getByRole('link', { name: 'Demo Admin', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText('Off. Add a code from an authenticator app')).toBeVisible();
  await page.getByRole('button', { name: 'Turn on…' }).click();
  await expect(page.getByRole('img', { name: 'QR code of your Portico key' })).toBeVisible();
  const key = (await page.locator('code.key').textContent())!;
  expect(key.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
  await page.screenshot({ path: `${ARTIFACTS}/portal-two-step-setup.png`, fullPage: true });

  // A wrong code is named on its field, which gets the focus.
  const field = page.getByLabel('Code from your app, or a recovery code');
  const right = appCode(key, Date.now());
  await field.fill(right === '123456' ? '654321' : '123456');
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.getByText('That code is not right or was already used.')).toBeVisible();
  await expect(field).toBeFocused();

  await field.fill(right);
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Save your recovery codes' })).toBeVisible();
  const codes = await page.locator('.recovery-codes li').allTextContents();
  expect(codes).toHaveLength(10);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-two-step-codes.png`, fullPage: true });
  await page.getByRole('link', { name: 'I have saved them: continue' }).click();
  await expect(page.getByText('On. You sign in with your password and a code')).toBeVisible();
  await expect(page.getByText('Recovery codes left: 10.')).toBeVisible();

  // Signing in now takes a code: the next one the app shows (the one above was used).
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByText('Enter the 6-digit code your authenticator app shows for Portico.')).toBeVisible();
  await hydrated(page);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/portal-two-step-sign-in.png`, fullPage: true });
  await page.getByLabel('Authentication code').fill(right);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('That code is not right or was already used.')).toBeVisible();
  await page.getByLabel('Authentication code').fill(appCode(key, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  // The Team page shows who has it, and the admin can require it of everyone.
  await page.getByRole('link', { name: 'Team' }).first().click();
  await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('columnheader', { name: 'Two-step sign-in' })).toBeVisible();
  await page.getByRole('button', { name: 'Require two-step sign-in for everyone' }).click();
  await expect(page.getByText('Every member signs in with a second step')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/portal-team-two-step.png`, fullPage: true });
  await page.getByRole('button', { name: 'Leave two-step sign-in to each member' }).click();
  await expect(page.getByText('Each member chooses whether to sign in with a second step')).toBeVisible();

  // Turned off with a recovery code, after a confirmation that says what it does.
  await page.goto(`${PLATFORM}/account`);
  await hydrated(page);
  await page.getByText('Turn off…').click();
  await expect(page.getByText('Your password alone will sign you in again')).toBeVisible();
  await page.locator('#turn-off-code').fill(codes[0]);
  await page.getByRole('button', { name: 'Turn off', exact: true }).click();
  await expect(page.getByText('Off. Add a code from an authenticator app')).toBeVisible();
  await page.getByRole('link', { name: 'History' }).first().click();
  for (const action of ['turned on two-step sign-in', 'turned off two-step sign-in']) {
    await expect(page.getByRole('listitem').filter({ hasText: `${ADMIN_EMAIL} ${action}` }).first()).toBeVisible();
  }
});
