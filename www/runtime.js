// Loads a browser entry of triggerkit (through tk.js) once for a page,
// measuring what a page pays for it: the wasm size and the time from
// starting the glue import to a ready module. The editor and the filter
// playground use `triggerkit` (entry `web`); the rules playground
// `triggerkit/zendesk` (entry `zendesk`), which has the Zendesk engine.

import { load as loadEntry } from './tk.js';

/**
 * @typedef {{triggerkit: any, wasmBytes: number, gzipBytes: number | null, loadMs: number}} Runtime
 */

/** The package specifier of each entry a page may run on, as the footer names it. */
const SPECIFIERS = { web: 'triggerkit', zendesk: 'triggerkit/zendesk' };

async function load(name) {
  const started = performance.now();
  const { module: triggerkit, wasmBytes: bytes } = await loadEntry(name, { bytes: true });
  const loadMs = performance.now() - started;
  return { triggerkit, wasmBytes: bytes.byteLength, gzipBytes: await gzipSize(bytes), loadMs };
}

// The browser's gzip (zlib's default level): close to, not equal to, `gzip -9`
// of scripts/size.sh, hence shown as approximate.
async function gzipSize(bytes) {
  if (typeof CompressionStream !== 'function') return null;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** @type {Map<string, Promise<Runtime>>} */
const loaded = new Map();

/**
 * The runtime of an entry (`web` or `zendesk`), loaded on first use.
 * @returns {Promise<Runtime>}
 */
export function runtime(name) {
  if (!(name in SPECIFIERS)) throw new Error(`runtime.js: no browser entry ${name}`);
  if (!loaded.has(name)) loaded.set(name, load(name));
  return loaded.get(name);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Fills a footer element with the entry's wasm size and load time, or the load failure. */
export async function showRuntimeFacts(element, name) {
  const specifier = SPECIFIERS[name];
  try {
    const { wasmBytes, gzipBytes, loadMs } = await runtime(name);
    const gzip = gzipBytes === null ? '' : ` (≈ ${kb(gzipBytes)} gzipped)`;
    element.textContent = `${specifier} wasm ${kb(wasmBytes)}${gzip} · loaded in ${Math.round(loadMs)} ms`;
    element.dataset.state = 'loaded';
  } catch (error) {
    element.textContent = `${specifier} did not load: ${error.message}. Build it with scripts/demo.sh.`;
    element.dataset.state = 'failed';
  }
}
