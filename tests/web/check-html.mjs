// Opens an HTML report in headless Chromium (Debian's, driven by playwright-core, with a
// fresh profile and no background networking), takes a
// screenshot, and prints what the page shows as one JSON line: console errors, page errors,
// the verdict, the charts and the failures. The Rust test asserts on it.
//
// usage: node check-html.mjs REPORT.html SCREENSHOT.png
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [report, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const consoleErrors = [];
const pageErrors = [];
const requests = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text()); });
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: 'load' });
await page.screenshot({ path: screenshot, fullPage: true });
const dom = await page.evaluate(() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const bars = [...document.querySelectorAll('svg.histogram rect')];
  return {
    title: document.title,
    verdict: document.getElementById('verdict')?.textContent ?? null,
    histograms: document.querySelectorAll('svg.histogram').length,
    bars: bars.length,
    visibleBars: bars.filter(visible).length,
    latencyCharts: document.querySelectorAll('svg.latency').length,
    failures: [...document.querySelectorAll('#failures .failure')].map((f) => f.textContent),
    curls: [...document.querySelectorAll('#failures pre.curl')].map((p) => p.textContent),
    scripts: document.querySelectorAll('script').length,
    text: document.body.innerText,
  };
});
// The filter box hides operations that do not match.
await page.fill('#filter', 'no-such-operation-zzz');
const hiddenAfterFilter = await page.evaluate(() =>
  [...document.querySelectorAll('#operations tbody tr')].every((r) => r.style.display === 'none'));
await browser.close();
console.log(JSON.stringify({ consoleErrors, pageErrors, requests, hiddenAfterFilter, ...dom }));
