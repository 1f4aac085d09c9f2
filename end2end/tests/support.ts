// What several browser tests do the same way: read mail, collect console errors, sign into the
// portal, and bring a customer from the widget's Signup form to an approved account.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type FrameLocator, type Page } from '@playwright/test';
import { MAILBOX, PLATFORM, RESELLER_SITE } from '../playwright.config';

/** Screenshots kept after every run, whatever directory the tests are started from. */
export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
export const ADMIN_EMAIL = 'admin@ses-reseller.demo';
export const ADMIN_PASSWORD = 'portico demo reseller';

export type Mail = { subject: string; text: string; to: { address: string }[] };

/** Waits for a message with this subject to reach `to` in MailDev, and returns it. */
export async function waitForMail(page: Page, to: string, subject: string): Promise<Mail> {
  let found: Mail | undefined;
  await expect
    .poll(async () => {
      const inbox: Mail[] = await (await page.request.get(`${MAILBOX}/api/email`)).json();
      found = inbox.find((m) => m.subject === subject && m.to.some((r) => r.address === to));
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** Serious and critical axe-core findings on the page and inside its frames. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Waits until the portal page has hydrated: its forms then act in place. */
export async function hydrated(page: Page) {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1);
}

/** Console errors, which would include any Content-Security-Policy violation. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** The widget as the demo reseller's website embeds it. */
export function widgetOf(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Customer signup"]');
}

export async function signInToPortal(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  await page.goto(`${PLATFORM}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
}

export type Customer = { company: string; contact: string; email: string; password: string };

/** Fills the widget's Signup form with the required fields and sends it. */
export async function signUp(widget: FrameLocator, who: Customer) {
  await widget.getByLabel('Company name').fill(who.company);
  await widget.getByLabel('Contact name').fill(who.contact);
  await widget.getByLabel('Phone number').fill('555-555-0123');
  await widget.getByLabel('E-mail').fill(who.email);
  await widget.getByLabel(/^Password/).fill(who.password);
  await widget.getByLabel('Verify password').fill(who.password);
  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();
  await expect(widget.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();
}

/** Follows the confirmation link mailed to `email`. */
export async function confirmEmail(page: Page, email: string) {
  const mail = await waitForMail(page, email, 'Confirm your e-mail address for SES Reseller Demo');
  const link = mail.text.match(/https?:\/\/\S+\/widget\/v1\/verify\?token=\S+/)![0];
  const confirmation = await page.context().newPage();
  await confirmation.goto(link);
  await confirmation.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(confirmation.getByRole('heading', { name: 'Your e-mail address is confirmed' })).toBeVisible();
  await confirmation.close();
}

/** A customer who signed up in the widget, confirmed their address and was approved. */
export async function approvedCustomer(page: Page, who: Customer) {
  await page.goto(`${RESELLER_SITE}/`);
  await signUp(widgetOf(page), who);
  await confirmEmail(page, who.email);
  await signInToPortal(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
  const row = page.getByRole('row', { name: new RegExp(who.company) });
  await row.getByRole('button', { name: `Approve ${who.company}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(who.company) })).toContainText('Active');
}

/** The browser tests' server keeps its embedded database here (see playwright.config.ts). */
const DATABASE = path.join(__dirname, '..', '..', 'target', 'e2e-data', 'portico.db');

/**
 * Moves the clock on for a customer's running test drives: their end time, and the job that
 * ends them, become now. The server's job worker then ends them as it would have at the time.
 */
export function expireRunningTestDrives(email: string) {
  const script = `
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
now = int(time.time() * 1000)
ids = [r[0] for r in db.execute(
    "SELECT i.id FROM test_drive_instances i JOIN customer_users u ON u.customer_id = i.customer_id "
    "WHERE u.email = ? AND i.state = 'running'", (sys.argv[2],))]
for id in ids:
    db.execute("UPDATE test_drive_instances SET expires_at = ? WHERE id = ?", (now, id))
    db.execute("UPDATE jobs SET run_at = ? WHERE kind = 'expire_test_drive' AND payload LIKE ?", (now, f"%{id}%"))
db.commit()
print(len(ids))
`;
  return Number(execFileSync('python3', ['-c', script, DATABASE, email]).toString().trim());
}
