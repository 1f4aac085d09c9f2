// Widget ready time: from the script tag (the moment the browser starts loading embed.js, from the
// page's resource timing) to the moment the Signup form inside the iframe is interactive (the
// widget's `portico:ready` event), both on the host page's own clock, so the driver's overhead is
// not counted; over 20 loads in headless Chromium. The time from the page's own start is printed
// too: it adds what the reseller's page takes before it reaches the tag. The first load has an
// empty cache; the next ones find the content-hashed assets cached, as returning visitors do.
// Expects the demo running (cargo xtask demo), or PLATFORM / RESELLER_SITE pointing at one.
import { chromium } from 'playwright-core';

const site = process.env.RESELLER_SITE ?? 'http://127.0.0.1:3001';
const loads = 20;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage();
// As a reseller's script would: note when the widget says it is ready, on the page's clock.
await page.addInitScript(() => {
  document.addEventListener('portico:ready', () => { window.porticoReadyAt = performance.now(); });
});
const fromTag = [];
const fromPage = [];
for (let i = 0; i < loads; i++) {
  await page.goto(site, { waitUntil: 'commit' });
  const ready = await (await page.waitForFunction(() => window.porticoReadyAt)).jsonValue();
  const tag = await page.evaluate(() =>
    performance.getEntriesByType('resource').find((entry) => entry.name.includes('/widget/v1/embed.js')).startTime);
  fromTag.push(ready - tag);
  fromPage.push(ready);
  await page.frameLocator('iframe[title="Customer signup"]').getByLabel('Company name').waitFor();
}
await browser.close();
const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const median = (sorted[loads / 2 - 1] + sorted[loads / 2]) / 2;
  return `first (cold cache) ${times[0].toFixed(0)} ms, median ${median.toFixed(0)} ms, ` +
    `min ${sorted[0].toFixed(0)} ms, max ${sorted[loads - 1].toFixed(0)} ms`;
};
console.log(`widget ready after the script tag, ${loads} loads: ${summary(fromTag)} (budget: median 150 ms)`);
console.log(`widget ready after the page's start, ${loads} loads: ${summary(fromPage)}`);
