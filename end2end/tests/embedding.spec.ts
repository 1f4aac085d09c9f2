import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PLATFORM, RESELLER_SITE } from '../playwright.config';
import { ARTIFACTS, waitForMail, widgetOf } from './support';

test('a website that is not registered for the key does not show the widget, and the console says why', async ({ page }) => {
  const console: string[] = [];
  page.on('console', (message) => console.push(message.text()));
  // The demo website reached by another name: the same page, but its origin is
  // http://localhost:3181, which the demo key does not list (it lists http://127.0.0.1:3181).
  const unregistered = 'http://localhost:3181';
  await page.goto(`${unregistered}/`);
  await expect.poll(() => console.join('\n'), { timeout: 15_000 }).toContain('frame-ancestors');
  await expect.poll(() => console.join('\n'), { timeout: 15_000 }).toContain(
    'Portico widget: the widget did not start',
  );
  expect(console.join('\n')).toContain(`add ${unregistered} to the websites allowed for key pk_demo_ses_reseller`);
  const frame = page.frames().find((f) => f.url().includes('/widget/v1/frame'));
  expect(await frame?.locator('#portico-root').count() ?? 0).toBe(0);
});

test('the widget runs on a reseller page whose CSP allows only the platform, and re-emits its events', async ({ page }) => {
  const response = await page.goto(`${RESELLER_SITE}/`);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain(`script-src ${PLATFORM}`);
  expect(csp).toContain(`frame-src ${PLATFORM}`);
  expect(csp).not.toContain('unsafe-eval');
  // The host page listens as a reseller's own script would.
  await page.evaluate(() => {
    (window as any).porticoEvents = [];
    document.addEventListener('portico:signup', (e) => (window as any).porticoEvents.push((e as CustomEvent).detail));
  });
  const widget = page.frameLocator('iframe[title="Customer signup"]');
  await widget.getByLabel('Company name').fill('Events Co');
  await widget.getByLabel('Contact name').fill('Eve Vent');
  await widget.getByLabel('Phone number').fill('555-555-0199');
  await widget.getByLabel('E-mail').fill('eve@events.example');
  await widget.getByLabel(/^Password/).fill('events are fine passphrases');
  await widget.getByLabel('Verify password').fill('events are fine passphrases');
  await widget.locator('form').getByRole('button', { name: 'Signup' }).click();
  await expect.poll(() => page.evaluate(() => (window as any).porticoEvents)).toEqual([{ next_step: 'verify_email' }]);
});

test('the widget speaks Spanish on a Spanish page', async ({ page }) => {
  // The demo website in Spanish: <html lang="es">, and the same embed tag.
  await page.goto(`${RESELLER_SITE}/es/`);
  const widget = widgetOf(page);
  await expect(widget.getByRole('heading', { name: 'Registro' })).toBeVisible();
  await expect(widget.locator('html')).toHaveAttribute('lang', 'es');
  await expect(widget.getByText('Con la tecnología de')).toContainText('SES Reseller Demo');
  // Country names come from the browser, in Spanish, with the United States still chosen.
  await expect(widget.getByLabel('País')).toHaveValue('US');
  await expect(widget.getByLabel('País').locator('option:checked')).toHaveText('Estados Unidos');

  await widget.locator('form').getByRole('button', { name: 'Registro' }).click();
  await expect(widget.locator('#company_name-error')).toHaveText('Este campo es obligatorio.');
  await expect(widget.getByLabel('Nombre de la empresa')).toBeFocused();
  await widget.getByLabel(/^Contraseña/).fill('corta');
  await expect(widget.locator('#portico-password-hint')).toHaveText('Demasiado corta: 5 de al menos 15 caracteres.');
  const axe = await new AxeBuilder({ page }).include('iframe').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/widget-spanish.png`, fullPage: true });

  // The server's refusals are worded by their code.
  await widget.getByRole('button', { name: 'Acceso', exact: true }).click();
  await widget.getByLabel('Correo electrónico').fill('nadie@example.com');
  await widget.getByLabel('Contraseña').fill('una contraseña cualquiera');
  await widget.locator('form').getByRole('button', { name: 'Acceso' }).click();
  await expect(widget.getByRole('alert')).toHaveText('Ese correo y esa contraseña no corresponden a ninguna cuenta.');

  await widget.getByRole('button', { name: 'Pruebas' }).click();
  await expect(widget.getByText('Amazon Web Services · 4 horas · hasta 2 a la vez por cliente')).toBeVisible();
});

test("the embed tag's data-lang chooses the widget's language over the page's", async ({ page }) => {
  // The demo website's origin (registered for the demo key) with pages of its own: one in English
  // whose tag asks for Spanish, one in Spanish whose tag asks for English.
  await page.goto(`${RESELLER_SITE}/`);
  const embed = (pageLang: string, tagLang: string) =>
    `<!doctype html><html lang="${pageLang}"><head><title>Reseller</title></head><body><div id="signup"></div>` +
    `<script async src="${PLATFORM}/widget/v1/embed.js" data-key="pk_demo_ses_reseller" ` +
    `data-target="#signup" data-lang="${tagLang}"></script></body></html>`;
  await page.setContent(embed('en', 'es'));
  await expect(widgetOf(page).getByRole('heading', { name: 'Registro' })).toBeVisible();
  await expect(widgetOf(page).locator('html')).toHaveAttribute('lang', 'es');
  await expect(widgetOf(page).getByLabel('Nombre de la empresa')).toBeVisible();

  await page.setContent(embed('es', 'en'));
  await expect(widgetOf(page).getByRole('heading', { name: 'Signup' })).toBeVisible();
  await expect(widgetOf(page).locator('html')).toHaveAttribute('lang', 'en');
  await expect(widgetOf(page).getByLabel('Company name')).toBeVisible();
});

test('a signup in Spanish gets its e-mail and confirmation page in Spanish', async ({ page }) => {
  const email = `sol-${Date.now().toString(36)}@espanol.example`;
  await page.goto(`${RESELLER_SITE}/es/`);
  const widget = widgetOf(page);
  await widget.getByLabel('Nombre de la empresa').fill('Sol y Nube S.L.');
  await widget.getByLabel('Nombre de contacto').fill('Sol Nube');
  await widget.getByLabel('Número de teléfono').fill('555-555-0142');
  await widget.getByLabel('Correo electrónico').fill(email);
  await widget.getByLabel(/^Contraseña/).fill('una frase de paso bastante larga');
  await widget.getByLabel('Repita la contraseña').fill('una frase de paso bastante larga');
  await widget.locator('form').getByRole('button', { name: 'Registro' }).click();

  const mail = await waitForMail(page, email, 'Confirme su dirección de correo para SES Reseller Demo');
  expect(mail.text).toContain('Gracias por registrarse con SES Reseller Demo.');
  const link = mail.text.match(/https?:\/\/\S+\/widget\/v1\/verify\?token=\S+/)![0];
  const confirmation = await page.context().newPage();
  await confirmation.goto(link);
  await expect(confirmation.locator('html')).toHaveAttribute('lang', 'es');
  await confirmation.getByRole('button', { name: 'Confirmar mi dirección de correo' }).click();
  await expect(confirmation.getByRole('heading', { name: 'Su dirección de correo está confirmada' })).toBeVisible();
  await confirmation.screenshot({ path: `${ARTIFACTS}/widget-confirmed-spanish.png`, fullPage: true });
});
