// The one place the demo names the package's files (the `exports` of
// pkg/package.json, issue #9): every page loads triggerkit through here.

/** URL paths of the package entries, as served by scripts/serve.mjs. */
export const entries = {
  /** `triggerkit` in browsers: the validators of every format and the filter language. */
  web: '/pkg/web/triggerkit.js',
  /** `triggerkit/zendesk`: the same plus the Zendesk condition engine (own wasm). */
  zendesk: '/pkg/zendesk/triggerkit_zendesk.js',
  /** `triggerkit/clients`: the server clients (own wasm). */
  clients: '/pkg/clients/triggerkit_clients.js',
  /** `triggerkit/livechat`: the widget build. */
  livechat: '/pkg/livechat/triggerkit_livechat.js',
  /** `triggerkit/livechat/embed.js`: the classic script a site owner adds. */
  embed: '/pkg/livechat/embed.js',
};

/** The wasm file wasm-bindgen puts beside a glue module. */
const wasmBeside = (glue) => glue.replace(/\.js$/, '_bg.wasm');

/**
 * Loads and initializes an entry. With `bytes`, the wasm is fetched here
 * (so the caller can measure it) and handed to init.
 * @returns {Promise<{module: any, path: string, wasmBytes: ArrayBuffer | null}>}
 */
export async function load(name, { bytes = false } = {}) {
  const path = entries[name];
  const module = await import(path);
  let wasmBytes = null;
  if (bytes) {
    const url = wasmBeside(path);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    wasmBytes = await response.arrayBuffer();
    await module.default({ module_or_path: wasmBytes });
  } else {
    await module.default();
  }
  return { module, path, wasmBytes };
}

const loaded = new Map();

/** The initialized module of an entry, loaded once per page. */
export function entry(name) {
  if (!loaded.has(name)) loaded.set(name, load(name).then((r) => r.module));
  return loaded.get(name);
}

/**
 * The livechat module as a site owner gets it: from the embed snippet's
 * `TriggerkitLivechat.ready`. `script` is the snippet's `<script>` element,
 * which records its load or error in `data-state`. When the embed script
 * did not load, the livechat entry is imported instead and `viaEmbed` is
 * false (the page says so).
 * @returns {Promise<{module: any, viaEmbed: boolean}>}
 */
export async function livechatFromEmbed(script) {
  const settled = () => globalThis.TriggerkitLivechat || script.dataset.state === 'failed';
  if (!settled()) {
    await new Promise((resolve) => {
      script.addEventListener('load', resolve, { once: true });
      script.addEventListener('error', resolve, { once: true });
    });
  }
  if (globalThis.TriggerkitLivechat) {
    return { module: await globalThis.TriggerkitLivechat.ready, viaEmbed: true };
  }
  return { module: await entry('livechat'), viaEmbed: false };
}

/** Reads /config.json (the local API emulator's URL, or null). */
export async function config() {
  try {
    const response = await fetch('/config.json', { cache: 'no-store' });
    return response.ok ? await response.json() : { emulatorUrl: null };
  } catch {
    return { emulatorUrl: null };
  }
}

/** The emulator's development token: fine in a demo page, never for a real server. */
export const DEV_TOKEN = 'triggerkit-dev-token';
