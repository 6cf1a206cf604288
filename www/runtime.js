// Loads the browser build of triggerkit (through tk.js) once for a page,
// measuring what a page pays for it: the wasm size and the time from
// starting the glue import to a ready module.

import { load as loadEntry } from './tk.js';

/**
 * @typedef {{triggerkit: any, wasmBytes: number, gzipBytes: number | null, loadMs: number}} Runtime
 */

async function load() {
  const started = performance.now();
  const { module: triggerkit, wasmBytes: bytes } = await loadEntry('web', { bytes: true });
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

/** @type {Promise<Runtime>} */
export const runtime = load();

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** Fills a footer element with the wasm size and load time, or the load failure. */
export async function showRuntimeFacts(element) {
  try {
    const { wasmBytes, gzipBytes, loadMs } = await runtime;
    const gzip = gzipBytes === null ? '' : ` (≈ ${kb(gzipBytes)} gzipped)`;
    element.textContent = `triggerkit wasm ${kb(wasmBytes)}${gzip} · loaded in ${Math.round(loadMs)} ms`;
    element.dataset.state = 'loaded';
  } catch (error) {
    element.textContent = `triggerkit did not load: ${error.message}. Build it with scripts/demo.sh.`;
    element.dataset.state = 'failed';
  }
}
