// Page-test harness: serves the demo (scripts/serve.mjs) on a free port and
// drives Debian's Chromium through playwright-core. Never downloads a browser.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const serveScript = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));

/** Starts the demo server and a headless browser; returns {url, browser, close}. */
export async function startDemo() {
  const server = spawn(process.execPath, [serveScript, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  const [chunk] = await once(server.stdout, 'data');
  const url = String(chunk).trim().split('\n')[0];
  const browser = await launchChromium();
  return {
    url,
    browser,
    async close() {
      await browser.close();
      server.kill('SIGTERM');
    },
  };
}

/**
 * Launches Debian's headless Chromium (or $CHROMIUM). playwright's launch()
 * gives every browser a fresh temporary user-data-dir and deletes it on close.
 */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
