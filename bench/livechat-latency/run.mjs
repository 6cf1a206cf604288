// Measures per-event latency of livechat navigation in headless Chromium
// (p50, p95) with 100 and 1,000 triggers, against the built package in pkg/
// (run scripts/build.sh first): the widget build (triggerkit/livechat), the one
// browser entry with the livechat runtime.
// Usage: node bench/livechat-latency/run.mjs
// The page is served cross-origin isolated, so performance.now() has 5 µs
// resolution instead of 100 µs.
import { createServer } from 'node:http';
import { once } from 'node:events';
import { readFile, access } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const here = resolve(fileURLToPath(new URL('.', import.meta.url)));
try {
  await access(join(root, 'pkg', 'livechat/triggerkit_livechat_bg.wasm'));
} catch {
  console.error('pkg/ is missing: run scripts/build.sh first');
  process.exit(1);
}

const types = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  const [base, rest] = pathname.startsWith('/pkg/')
    ? [join(root, 'pkg'), pathname.slice(5)]
    : [here, pathname === '/' || !extname(pathname) ? 'page.html' : pathname.slice(1)];
  const file = normalize(join(base, rest));
  const headers = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cache-control': 'no-store',
  };
  try {
    if (!file.startsWith(base)) throw new Error('outside');
    const body = await readFile(file);
    res.writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404, headers);
    res.end();
  }
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(url);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: 30_000 });
  const { crossOriginIsolated, userAgent, results } = await page.evaluate(() => window.runBench());
  console.log(`build: triggerkit/livechat\n${userAgent}\ncrossOriginIsolated: ${crossOriginIsolated} (timer resolution ${crossOriginIsolated ? '5 µs' : '100 µs'})\n`);
  const ms = (x) => x.toFixed(4).padStart(9);
  console.log(`${'triggers'.padStart(8)}  ${'what'.padEnd(28)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'mean ms'.padStart(9)}  samples`);
  for (const r of results) {
    console.log(`${String(r.triggers).padStart(8)}  ${r.what.padEnd(28)} ${ms(r.p50)} ${ms(r.p95)} ${ms(r.mean)}  ${r.samples}`);
  }
} finally {
  await browser.close();
  server.close();
}
