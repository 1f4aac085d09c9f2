// Widget load times in headless Chromium, measured from the loader's request (the moment the
// browser starts loading embed.js, from the host page's resource timing):
//   visible      the Signup form painted inside the iframe (the frame's first contentful paint:
//                the server renders the whole form, so its first paint is the form);
//   interactive  the WebAssembly has taken the form over (the widget's `portico:ready` event).
// Times on different documents' clocks are compared through each one's `performance.timeOrigin`.
// Cold: a new browser context (empty cache) for each of 15 loads; warm: 15 reloads in one context.
// Expects the demo running (cargo xtask demo), or RESELLER_SITE pointing at one.
import { chromium } from 'playwright-core';

const site = process.env.RESELLER_SITE ?? 'http://127.0.0.1:3001';
const loads = 15;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** One load of the reseller's page in `page`: [visible, interactive] in ms after the loader's request. */
async function measure(page) {
  await page.goto(site, { waitUntil: 'commit' });
  const readyAt = await (await page.waitForFunction(() => window.porticoReadyAt)).jsonValue();
  const host = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    tag: performance.getEntriesByType('resource').find((entry) => entry.name.includes('/widget/v1/embed.js')).startTime,
  }));
  const frame = page.frames().find((f) => f.url().includes('/widget/v1/frame'));
  const painted = await (await frame.waitForFunction(() => {
    const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint');
    return paint && performance.timeOrigin + paint.startTime;
  })).jsonValue();
  const tagAt = host.origin + host.tag;
  return [painted - tagAt, host.origin + readyAt - tagAt];
}

const listen = (context) => context.addInitScript(() => {
  document.addEventListener('portico:ready', () => { window.porticoReadyAt = performance.now(); });
});

const cold = [];
for (let i = 0; i < loads; i++) {
  const context = await browser.newContext();
  await listen(context);
  cold.push(await measure(await context.newPage()));
  await context.close();
}
const context = await browser.newContext();
await listen(context);
const page = await context.newPage();
await measure(page);
const warm = [];
for (let i = 0; i < loads; i++) warm.push(await measure(page));
await browser.close();

const median = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const line = (label, times, budget) =>
  `${label}: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, ` +
  `max ${Math.max(...times).toFixed(0)}; budget ${budget} ms)`;
console.log(`widget after the loader's request, ${loads} loads each:`);
console.log('  ' + line('cold cache, form visible', cold.map(([visible]) => visible), 150));
console.log('  ' + line('cold cache, interactive', cold.map(([, ready]) => ready), 300));
console.log('  ' + line('warm cache, form visible', warm.map(([visible]) => visible), 150));
console.log('  ' + line('warm cache, interactive', warm.map(([, ready]) => ready), 150));
