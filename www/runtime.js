// Loads the browser build of triggerkit (/pkg/web/, served by scripts/serve.mjs) once for
// every page of the demo, measuring what a page pays for it: the wasm size
// and the time from starting the glue import to a ready module.

/**
 * @typedef {{triggerkit: typeof import('../pkg/web/triggerkit.js'), wasmBytes: number,
 *   gzipBytes: number | null, loadMs: number}} Runtime
 */

const wasmUrl = new URL('/pkg/web/triggerkit_bg.wasm', import.meta.url);

async function load() {
  const started = performance.now();
  const triggerkit = await import('/pkg/web/triggerkit.js');
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`${wasmUrl.pathname}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  await triggerkit.default({ module_or_path: bytes });
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
