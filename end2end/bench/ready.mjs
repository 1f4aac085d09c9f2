// Widget load times in headless Chromium, measured from the loader's request (the moment the
// browser starts loading embed.js, from the host page's resource timing):
//   frame        the iframe's navigation starts (the loader has run and the browser has a
//                renderer for the platform's site);
//   html         the frame's HTML has arrived;
//   visible      the Signup form painted inside the iframe (the frame's first contentful paint:
//                the server renders the whole form, so its first paint is the form);
//   interactive  the WebAssembly has taken the form over (the widget's `portico:ready` event).
// Times on different documents' clocks are compared through each one's `performance.timeOrigin`.
// Cold: a new browser context (empty cache) for each of 15 loads; warm: 15 reloads in one context.
//
// Baseline, measured in the same run, load for load in turn with the real widget: the same host
// page, the same loader and the same first paint (the frame's HTML as the server rendered it,
// without its scripts), served as static files by a bare Node server on a second site. Its
// "visible" is what any cross-site frame showing this form costs on this machine and browser.
// Expects the demo running (cargo xtask demo), or RESELLER_SITE pointing at one.
import http from 'node:http';
import { chromium } from 'playwright-core';

const site = process.env.RESELLER_SITE ?? 'http://127.0.0.1:3001';
const loads = 15;

/** Serves a static copy of the reseller's page with the widget's first paint; resolves to its URL. */
async function staticCopy() {
  const hostPage = await (await fetch(site)).text();
  const loaderUrl = hostPage.match(/src="([^"]*\/widget\/v1\/embed\.js)"/)[1];
  const platform = new URL(loaderUrl).origin;
  const key = hostPage.match(/data-key="([^"]+)"/)[1];
  const lang = hostPage.match(/<html lang="([^"]*)"/)?.[1] ?? '';
  const loader = await (await fetch(loaderUrl)).text();
  const frameUrl = `${platform}/widget/v1/frame?key=${encodeURIComponent(key)}` +
    `&origin=${encodeURIComponent(new URL(site).origin)}&lang=${encodeURIComponent(lang)}`;
  const frame = (await (await fetch(frameUrl)).text())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
    .replace(/<link rel="preload"[^>]*>/g, '');
  const server = http.createServer((request, response) => {
    const path = new URL(request.url, 'http://any').pathname;
    const [type, body] = path === '/widget/v1/embed.js' ? ['text/javascript', loader]
      : path === '/widget/v1/frame' ? ['text/html; charset=utf-8', frame]
      : ['text/html; charset=utf-8', hostPage.replaceAll(platform, `http://localhost:${server.address().port}`)];
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  // The host page on 127.0.0.1 and the frame on localhost: two sites, as in the demo.
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** One load of `url` in `page`: { frame, html, visible, interactive } in ms after the loader's request. */
async function measure(page, url, interactive) {
  await page.goto(url, { waitUntil: 'commit' });
  const readyAt = interactive ? await (await page.waitForFunction(() => window.porticoReadyAt)).jsonValue() : NaN;
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.includes('/embed.js')));
  const host = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    tag: performance.getEntriesByType('resource').find((entry) => entry.name.includes('/widget/v1/embed.js')).startTime,
  }));
  let frame;
  while (!(frame = page.frames().find((f) => f.url().includes('/widget/v1/frame')))) await page.waitForTimeout(5);
  const inside = await (await frame.waitForFunction(() => {
    const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-contentful-paint');
    const [navigation] = performance.getEntriesByType('navigation');
    return paint && { origin: performance.timeOrigin, html: navigation.responseEnd, paint: paint.startTime };
  })).jsonValue();
  const tagAt = host.origin + host.tag;
  return {
    frame: inside.origin - tagAt,
    html: inside.origin + inside.html - tagAt,
    visible: inside.origin + inside.paint - tagAt,
    interactive: host.origin + readyAt - tagAt,
  };
}

const listen = (context) => context.addInitScript(() => {
  document.addEventListener('portico:ready', () => { window.porticoReadyAt = performance.now(); });
});

async function cold(url, interactive) {
  const context = await browser.newContext();
  await listen(context);
  try {
    return await measure(await context.newPage(), url, interactive);
  } finally {
    await context.close();
  }
}

const copy = await staticCopy();
const widgetCold = [];
const baselineCold = [];
for (let i = 0; i < loads; i++) {
  widgetCold.push(await cold(site, true));
  baselineCold.push(await cold(copy.url, false));
}
const context = await browser.newContext();
await listen(context);
const page = await context.newPage();
await measure(page, site, true);
const warm = [];
for (let i = 0; i < loads; i++) warm.push(await measure(page, site, true));
await browser.close();
copy.server.close();

const median = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const line = (label, runs, key, budget) => {
  const times = runs.map((run) => run[key]);
  return `  ${label}: median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, ` +
    `max ${Math.max(...times).toFixed(0)}${budget ? `; budget ${budget} ms` : ''})`;
};
console.log(`widget after the loader's request, ${loads} loads each:`);
console.log(line('cold cache, frame started', widgetCold, 'frame'));
console.log(line('cold cache, frame HTML received', widgetCold, 'html'));
console.log(line('cold cache, form visible', widgetCold, 'visible', 150));
console.log(line('cold cache, interactive', widgetCold, 'interactive', 300));
console.log(line('warm cache, form visible', warm, 'visible', 150));
console.log(line('warm cache, interactive', warm, 'interactive', 150));
console.log('baseline, the same page and first paint as static files (no WebAssembly), cold cache:');
console.log(line('frame started', baselineCold, 'frame'));
console.log(line('frame HTML received', baselineCold, 'html'));
console.log(line('form visible', baselineCold, 'visible'));
const ratio = median(widgetCold.map((run) => run.visible)) / median(baselineCold.map((run) => run.visible));
console.log(`  widget's cold "visible" against the baseline's: ${ratio.toFixed(2)}×`);
