// Page-test harness: serves the demo (scripts/serve.mjs) on a free port and
// drives Debian's Chromium through playwright-core. Never downloads a browser.
// With `emulator: true` it also starts its own local API emulator (which the
// server seeds before printing its URL). Also: axe-core checks and
// screenshots saved to tests/page/artifacts/ (ignored by git).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startEmulator } from '../node/emulator.mjs';

const serveScript = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

/**
 * Starts the demo server (and an emulator when asked) and a headless
 * browser; returns {url, emulatorUrl, emulator, browser, close}.
 */
export async function startDemo({ emulator: withEmulator = false } = {}) {
  const emulator = withEmulator ? await startEmulator({ private: true }) : null;
  const server = spawn(process.execPath, [serveScript, '--port', '0', '--emulator', emulator?.url ?? ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TRIGGERKIT_EMULATOR_URL: '' },
  });
  const [chunk] = await once(server.stdout, 'data');
  const url = String(chunk).trim().split('\n')[0];
  const browser = await launchChromium();
  return {
    url,
    emulatorUrl: emulator?.url ?? null,
    emulator,
    browser,
    async close() {
      await browser.close();
      server.kill('SIGTERM');
      await emulator?.stop();
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

/**
 * Runs axe-core in the page; returns the serious and critical violations as
 * `rule: target (summary)` lines (an empty array when there are none).
 */
export async function seriousViolations(page) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`));
}

/** Saves a full-page screenshot as tests/page/artifacts/NAME.png; returns the path. */
export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const path = `${artifacts}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Collects console errors, page errors and failed requests of a page.
 * `expectedStatus` lists HTTP statuses a test provokes on purpose: the
 * browser's "Failed to load resource" console line for those is not an error.
 */
export function watchErrors(page, { expectedStatus = [] } = {}) {
  const errors = [];
  const expected = new RegExp(`^Failed to load resource: the server responded with a status of (${expectedStatus.join('|') || 'none'}) `);
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // A navigation cancels the requests of the page it leaves (ERR_ABORTED): not a failure.
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') errors.push(`request failed: ${request.url()} ${reason}`);
  });
  return errors;
}
