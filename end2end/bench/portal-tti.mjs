// Time to interactive of the portal's Customers list in headless Chromium, cold cache, with
// Lighthouse's mobile throttling: the CPU 4× slower, 1.6 Mbit/s down, 750 kbit/s up, 150 ms
// round trip. Measured from the navigation's start:
//   hydrated  the WebAssembly has taken the page over (`data-hydrated` on <html>);
//   answered  then a search typed and Search clicked: the list shows the customers found.
// Each load is a new browser context (empty cache) that carries the signed-in cookie.
// Expects PORTAL_URL, PORTAL_EMAIL, PORTAL_PASSWORD and SEARCH_FOR (a word found in few
// customers' names); LOADS (default 7); LABEL names the run.
import { chromium } from 'playwright-core';

const portal = process.env.PORTAL_URL;
const loads = Number(process.env.LOADS ?? 7);
const label = process.env.LABEL ?? 'portal';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

// Sign in once (unthrottled); every measured load starts from this cookie and nothing else.
const signIn = await browser.newContext();
const page = await signIn.newPage();
await page.goto(`${portal}/login`);
await page.getByLabel('E-mail').fill(process.env.PORTAL_EMAIL);
await page.getByLabel('Password').fill(process.env.PORTAL_PASSWORD);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL((url) => !url.pathname.startsWith('/login'));
const storageState = await signIn.storageState();
await signIn.close();

/** One cold load: [hydrated, answered, bytes transferred] in ms after the navigation started. */
async function measure() {
  const context = await browser.newContext({ storageState });
  // Before the page's own scripts, when <html> may not be parsed yet: watch the whole document.
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.documentElement?.hasAttribute('data-hydrated')) {
        window.porticoHydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
  await page.goto(`${portal}/customers`, { waitUntil: 'commit' });
  const hydrated = await (await page.waitForFunction(() => window.porticoHydratedAt, null, { timeout: 60_000 })).jsonValue();
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  await page.getByLabel('Search', { exact: true }).fill(process.env.SEARCH_FOR);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  // Answered: every row the list shows is a customer found by the search.
  await page.waitForFunction((term) => {
    const rows = [...document.querySelectorAll('table.list tbody tr')];
    return rows.length > 0 && rows.every((row) => row.textContent.includes(term));
  }, process.env.SEARCH_FOR, { timeout: 60_000 });
  const answered = Date.now() - navigationStart;
  await context.close();
  return [hydrated, answered, bytes];
}

const runs = [];
for (let i = 0; i < loads; i++) runs.push(await measure());
await browser.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const line = (what, values) =>
  `${what}: median ${median(values).toFixed(0)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})`;
console.log(`${label}: Customers list, cold cache, Lighthouse mobile throttling, ${loads} loads`);
console.log('  ' + line('hydrated', runs.map(([hydrated]) => hydrated)));
console.log('  ' + line('hydrated and a search answered', runs.map(([, answered]) => answered)) + ' (budget 2000 ms, target 1200 ms)');
console.log(`  transferred: median ${(median(runs.map(([, , bytes]) => bytes)) / 1024).toFixed(1)} KB`);
