// Turns wasm-bindgen's `--target web` output (scripts/build.sh puts it in
// target/pkg-raw/<variant>/) into the npm package in pkg/: the browser entries
// (glue patched so calls before init() throw `not_initialized`), the Node
// entries (initialized at import; a real CommonJS file bundled with esbuild and
// an ESM wrapper over it, so both share one wasm instance), the livechat embed
// script, the public .d.ts files and package.json.
// Usage: node scripts/package.mjs <raw dir> <pkg dir> <variant>...
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(new URL('..', import.meta.url).pathname);
const [rawDir, pkgDir, ...variants] = process.argv.slice(2).map((a, i) => (i < 2 ? resolve(a) : a));
const read = (file) => readFileSync(file, 'utf8');
const fail = (message) => {
  console.error(`package.mjs: ${message}`);
  process.exit(1);
};

/** Where each variant goes, its file names and the specifier users import. */
const VARIANTS = {
  node: { dir: 'node', name: 'triggerkit', specifier: 'triggerkit' },
  web: { dir: 'web', name: 'triggerkit', specifier: 'triggerkit' },
  zendesk: { dir: 'zendesk', name: 'triggerkit_zendesk', specifier: 'triggerkit/zendesk' },
  clients: { dir: 'clients', name: 'triggerkit_clients', specifier: 'triggerkit/clients' },
  livechat: { dir: 'livechat', name: 'triggerkit_livechat', specifier: 'triggerkit/livechat' },
};
/** The wasm files exported by path: subpath -> file. */
const WASM_FILES = {
  'node.wasm': 'node/triggerkit_bg.wasm',
  'web.wasm': 'web/triggerkit_bg.wasm',
  'zendesk.wasm': 'zendesk/triggerkit_zendesk_bg.wasm',
  'clients.wasm': 'clients/triggerkit_clients_bg.wasm',
  'livechat.wasm': 'livechat/triggerkit_livechat_bg.wasm',
};
/** What the embed script's global exposes once ready (issue #9). */
const EMBED_EXPORTS = ['LivechatTriggers', 'LivechatEngine', 'fetchLivechatTriggers', 'validateRocketChatTrigger'];
/** Names of the glue that are about loading the wasm, not the API. */
const LOADER_NAMES = new Set(['default', 'initSync', 'init']);

// ---------------------------------------------------------------------------
// Glue patch: `wasm` starts as a Proxy that throws a TriggerkitError with code
// `not_initialized` on any use, so every export (function, constructor, static
// method) called before init() says what to do instead of failing with
// "Cannot read properties of undefined". Each replaced text must occur exactly
// as often as expected: a different wasm-bindgen glue shape fails the build.
function replaceExactly(text, from, to, count, what) {
  const found = text.split(from).length - 1;
  if (found !== count) {
    fail(`${what}: expected ${count} occurrence(s) of ${JSON.stringify(from)} in the wasm-bindgen glue, found ${found} ` +
      '(wasm-bindgen changed its output: update scripts/package.mjs)');
  }
  return text.split(from).join(to);
}

function patchGlue(js, specifier, file) {
  const guard = `
/** Stands for the wasm exports until init() has run: any use throws. */
const NOT_INITIALIZED = new Proxy({}, {
    get() {
        const error = new Error(${JSON.stringify(`${specifier} is not initialized: call \`await init()\` (the module's default export) before using its exports`)});
        error.name = 'TriggerkitError';
        error.code = 'not_initialized';
        throw error;
    },
});
`;
  let out = replaceExactly(js, 'let wasmModule, wasmInstance, wasm;',
    `${guard}let wasmModule, wasmInstance, wasm = NOT_INITIALIZED;`, 1, file);
  out = replaceExactly(out, 'if (wasm !== undefined) return wasm;', 'if (wasm !== NOT_INITIALIZED) return wasm;', 2, file);
  out = replaceExactly(out, 'export { initSync, __wbg_init as default };',
    'export { initSync, __wbg_init as init, __wbg_init as default };', 1, file);
  const left = out.match(/\bwasm\s*[!=]==?\s*(undefined|null)\b|typeof wasm\b|\bwasm\s*==/g);
  if (left) fail(`${file}: the glue tests \`wasm\` in a way the patch does not handle: ${left.join(', ')}`);
  return out;
}

// ---------------------------------------------------------------------------
// Public declarations.
/** Removes what fails or leaks in the user's compilation. */
function cleanDts(dts, file) {
  // `[Symbol.dispose]` needs lib esnext.disposable: with target ES2022 and
  // skipLibCheck false it is error TS2550. `free()` stays.
  let out = dts.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, '');
  return out;
}

/** The index of wasm-bindgen's loader section (InitInput ... __wbg_init) in a .d.ts. */
function loaderStart(dts, file) {
  const at = dts.indexOf('export type InitInput =');
  if (at < 0 || !dts.includes('export default function __wbg_init')) fail(`${file}: no loader section in the .d.ts`);
  return at;
}

/** Browser .d.ts: the raw wasm exports (typed `any` by wasm-bindgen) leave InitOutput; `init` is named too. */
function browserDts(dts, specifier, file) {
  let out = cleanDts(dts, file);
  const at = loaderStart(out, file);
  const head = out.slice(0, at);
  let loader = out.slice(at);
  loader = loader.replace(/export interface InitOutput \{[^]*?\n\}\n/, `/** The instantiated module (its raw exports are internal). */
export interface InitOutput {
    readonly memory: WebAssembly.Memory;
}
`);
  if (/readonly __wbindgen/.test(loader)) fail(`${file}: InitOutput not rewritten`);
  loader += `
/**
 * Loads the wasm (by default \`${VARIANTS_BY_SPEC[specifier]}\` beside this file, fetched
 * relative to \`import.meta.url\`; bundlers copy it). Call and await it once before
 * any other export, which otherwise throws an Error with code \`not_initialized\`.
 * Same function as the default export.
 */
export { __wbg_init as init };
`;
  return checkNoAny(head + loader, file);
}
const VARIANTS_BY_SPEC = Object.fromEntries(
  Object.values(VARIANTS).filter((v) => v.dir !== 'node').map((v) => [v.specifier, `${v.name}_bg.wasm`]));

/** Node .d.ts: the wasm is loaded at import; init() is a no-op kept for code shared with browsers. */
function nodeDts(dts, file) {
  const out = cleanDts(dts, file);
  return checkNoAny(`${out.slice(0, loaderStart(out, file))}/**
 * Under Node.js the wasm is loaded when the module is imported, so this
 * resolves at once; it exists so that code written for browsers
 * (\`await init()\`) runs unchanged.
 */
export function init(options?: unknown): Promise<void>;
export default init;
`, file);
}

function checkNoAny(dts, file) {
  // Comments, string literals and members named `any` (Zendesk's condition
  // lists) are not the type.
  const code = dts.replace(/\/\*[^]*?\*\//g, '').replace(/'[^'\n]*'|"[^"\n]*"/g, '""')
    .replace(/\/\/.*$/gm, '').replace(/\bany\??\s*:/g, 'member:');
  const line = code.split('\n').find((l) => /\bany\b/.test(l));
  if (line) fail(`${file}: \`any\` in the public declarations: ${line.trim()}`);
  return dts;
}

/** Top-level exported names of a .d.ts: [values, types]. */
function dtsExports(dts) {
  const values = new Set();
  const types = new Set();
  for (const [, kind, name] of dts.matchAll(/^export (?:declare )?(function|class|const|let|enum|interface|type) (\w+)/gm)) {
    (kind === 'interface' || kind === 'type' ? types : values).add(name);
  }
  return { values, types };
}

/** The runtime export names of a glue module (imported, not initialized). */
async function glueExports(file) {
  const ns = await import(pathToFileURL(file).href);
  return Object.keys(ns).filter((n) => !LOADER_NAMES.has(n)).sort();
}

// ---------------------------------------------------------------------------
/** Copies a raw variant, patches its glue, writes its public .d.ts; returns the staged dir. */
function stage(variant) {
  const { name, specifier } = VARIANTS[variant];
  const from = join(rawDir, variant);
  if (!existsSync(join(from, `${name}.js`))) fail(`${from}: no wasm-bindgen output (run scripts/build.sh ${variant})`);
  const to = join(rawDir, `${variant}.staged`);
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true });
  // The raw exports' declarations: internal, and typed `any`.
  rmSync(join(to, `${name}_bg.wasm.d.ts`), { force: true });
  writeFileSync(join(to, `${name}.js`), patchGlue(read(join(from, `${name}.js`)), specifier, `${variant}/${name}.js`));
  return to;
}

/** Bundles an ESM entry (inline source) into one CommonJS file for Node >= 18. */
async function bundleCjs(source, resolveDir, outfile) {
  await build({
    stdin: { contents: source, resolveDir, sourcefile: basename(outfile).replace(/\.cjs$/, '.entry.js'), loader: 'js' },
    bundle: true, format: 'cjs', platform: 'node', target: 'node18', outfile,
    legalComments: 'inline', logLevel: 'warning',
    // wasm-bindgen's default wasm URL (import.meta.url) is never used here: the
    // bytes are read from __dirname before anything runs.
    logOverride: { 'empty-import-meta': 'silent' },
    banner: { js: '// triggerkit (CommonJS build): the wasm is loaded from this folder when the module is required.' },
  });
}

/** The Node entry pair for a staged variant: <base>.cjs (real CommonJS) and <base>.mjs (ESM over it). */
async function nodeEntries(staged, outDir, base, glueName, wasmFile, names) {
  const glue = join(staged, `${glueName}.js`).replaceAll('\\', '/');
  await bundleCjs(`import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from ${JSON.stringify(glue)};

initSync({ module: readFileSync(join(__dirname, ${JSON.stringify(wasmFile)})) });

export { ${names.join(', ')} } from ${JSON.stringify(glue)};

/** The wasm is loaded at import: resolves at once (kept for code shared with browsers). */
export async function init() {}
export default init;
`, staged, join(outDir, `${base}.cjs`));
  writeFileSync(join(outDir, `${base}.mjs`), esmOverCjs(`./${base}.cjs`, names));
}

/** An ES module re-exporting a CommonJS file's exports, so ESM and CJS users share one instance. */
function esmOverCjs(cjs, names) {
  return `// ES module entry: re-exports the CommonJS build (${cjs}), so that \`import\` and
// \`require\` in one process share one wasm instance (no dual-package hazard).
import cjs from ${JSON.stringify(cjs)};

export const {
${names.map((n) => `  ${n},`).join('\n')}
} = cjs;
export const init = cjs.init;
export default cjs.default;
`;
}

async function packageNode() {
  const { name } = VARIANTS.node;
  const staged = stage('node');
  const out = join(pkgDir, 'node');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(staged, `${name}_bg.wasm`), join(out, `${name}_bg.wasm`));
  const names = await glueExports(join(staged, `${name}.js`));
  await nodeEntries(staged, out, 'triggerkit', name, `${name}_bg.wasm`, names);
  const dts = nodeDts(read(join(staged, `${name}.d.ts`)), 'node/triggerkit.d.ts');
  writeFileSync(join(out, 'triggerkit.d.mts'), dts);
  writeFileSync(join(out, 'triggerkit.d.cts'), dts);

  // The subpaths whose browser build is a subset of the Node build: under Node
  // they are the same API from this build's one instance.
  for (const variant of ['zendesk', 'clients']) nodeSubset(out, variant, names);
}

/**
 * `triggerkit/<subpath>` under Node for a browser variant whose API the Node
 * build has too: <subpath>.cjs/.mjs re-exporting the browser build's export
 * names (values and types, read from its .d.ts) from ./triggerkit.cjs/.mjs,
 * so one wasm instance serves `triggerkit` and the subpath.
 */
function nodeSubset(out, variant, nodeNames) {
  const { dir, name, specifier } = VARIANTS[variant];
  const subpath = specifier.slice('triggerkit/'.length);
  const dtsFile = join(pkgDir, dir, `${name}.d.ts`);
  if (!existsSync(dtsFile)) fail(`pkg/${dir} is missing: build the ${variant} variant first`);
  const api = dtsExports(read(dtsFile));
  const values = [...api.values].filter((n) => !LOADER_NAMES.has(n) && n !== '__wbg_init').sort();
  const types = [...api.types].filter((n) => !['InitInput', 'InitOutput', 'SyncInitInput'].includes(n)).sort();
  const missing = values.filter((n) => !nodeNames.includes(n));
  if (missing.length) fail(`the node build lacks exports of the ${variant} build: ${missing.join(', ')}`);
  const what = `// ${specifier} under Node.js: its API from the main Node build (one wasm instance).`;
  writeFileSync(join(out, `${subpath}.cjs`), `'use strict';
${what}
const triggerkit = require('./triggerkit.cjs');
Object.defineProperty(exports, '__esModule', { value: true });
${[...values, 'init'].map((n) => `exports.${n} = triggerkit.${n};`).join('\n')}
exports.default = triggerkit.default;
`);
  writeFileSync(join(out, `${subpath}.mjs`), `${what}
export { ${values.join(', ')}, init, default } from './triggerkit.mjs';
`);
  const reexport = (from) => `${what}
export { ${values.join(', ')}, init, default } from '${from}';
export type { ${types.join(', ')} } from '${from}';
`;
  writeFileSync(join(out, `${subpath}.d.mts`), reexport('./triggerkit.mjs'));
  writeFileSync(join(out, `${subpath}.d.cts`), reexport('./triggerkit.cjs'));
}

/** A browser variant: the patched glue, wasm, snippets and public .d.ts. */
function packageBrowser(variant) {
  const { dir, name, specifier } = VARIANTS[variant];
  const staged = stage(variant);
  const out = join(pkgDir, dir);
  rmSync(out, { recursive: true, force: true });
  cpSync(staged, out, { recursive: true, filter: (f) => !f.endsWith('.d.ts') });
  writeFileSync(join(out, `${name}.d.ts`), browserDts(read(join(staged, `${name}.d.ts`)), specifier, `${dir}/${name}.d.ts`));
  return staged;
}

async function packageLivechat() {
  const { name } = VARIANTS.livechat;
  const staged = packageBrowser('livechat');
  const out = join(pkgDir, 'livechat');
  const names = await glueExports(join(staged, `${name}.js`));
  const missing = EMBED_EXPORTS.filter((n) => !names.includes(n));
  if (missing.length) fail(`the livechat build lacks ${missing.join(', ')}`);

  // triggerkit/livechat under Node: the same build, loaded at import.
  await nodeEntries(staged, out, 'node', name, `${name}_bg.wasm`, names);
  const dts = nodeDts(read(join(staged, `${name}.d.ts`)), 'livechat/node.d.ts');
  writeFileSync(join(out, 'node.d.mts'), dts);
  writeFileSync(join(out, 'node.d.cts'), dts);

  // The classic script: an IIFE setting globalThis.TriggerkitLivechat, whose
  // wasm is fetched from beside the script (document.currentScript is set
  // while a classic script, async or not, first runs).
  const glue = join(staged, `${name}.js`).replaceAll('\\', '/');
  await build({
    stdin: {
      contents: `import init, { ${EMBED_EXPORTS.join(', ')} } from ${JSON.stringify(glue)};
if (!globalThis.TriggerkitLivechat) {
  const script = document.currentScript;
  const wasm = new URL(${JSON.stringify(`${name}_bg.wasm`)}, script && script.src ? script.src : document.baseURI);
  const api = Object.freeze({ ${EMBED_EXPORTS.join(', ')} });
  globalThis.TriggerkitLivechat = Object.freeze({ ready: init({ module_or_path: wasm }).then(() => api) });
}
`,
      resolveDir: staged, sourcefile: 'embed.entry.js', loader: 'js',
    },
    bundle: true, format: 'iife', platform: 'browser', target: 'es2020', minify: true,
    outfile: join(out, 'embed.js'), legalComments: 'none', logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
  });
  // The same script for \`require\` (CommonJS format by its extension): a
  // require()d copy sets the same global; its types then need no ESM import.
  cpSync(join(out, 'embed.js'), join(out, 'embed.cjs'));
  const embedDts = (from) => `// Types of the classic script triggerkit/livechat/embed.js: it sets the global
// below (\`import type {} from 'triggerkit/livechat/embed.js'\` brings them in).
import type { ${EMBED_EXPORTS.join(', ')} } from '${from}';

/** What \`TriggerkitLivechat.ready\` resolves to: the livechat module, initialized. */
export interface TriggerkitLivechatApi {
${EMBED_EXPORTS.map((n) => `  readonly ${n}: typeof ${n};`).join('\n')}
}

declare global {
  /** Set by embed.js. */
  var TriggerkitLivechat: {
    /** Resolves once the wasm beside embed.js is loaded; rejects if it cannot be. */
    readonly ready: Promise<TriggerkitLivechatApi>;
  };
}
`;
  // From the Node declarations (the same classes), whose loader part needs no DOM types.
  writeFileSync(join(out, 'embed.d.ts'), embedDts('./node.mjs'));
  writeFileSync(join(out, 'embed.d.cts'), embedDts('./node.cjs'));
}

/** Types of the wasm files' subpaths: their URL, as bundlers' file loaders give it. */
function wasmUrlDts() {
  writeFileSync(join(pkgDir, 'wasm-url.d.cts'), `// Types of the wasm subpaths (\`triggerkit/web.wasm\`, ...): imported through a
// bundler's file or asset loader (esbuild \`--loader:.wasm=file\`), they are the
// URL of the copied file, to pass to \`init({ module_or_path })\`.
declare const url: string;
export = url;
`);
}

// ---------------------------------------------------------------------------
/** pkg/package.json, from Cargo.toml and what pkg/ holds. */
function packageJson() {
  const cargo = read(join(root, 'Cargo.toml'));
  const field = (key) => {
    const section = cargo.slice(cargo.indexOf('[package]'));
    const m = section.match(new RegExp(`^${key} = "([^"]*)"`, 'm'));
    if (!m) fail(`Cargo.toml: no ${key}`);
    return m[1];
  };
  const hasCli = existsSync(join(root, 'cli'));
  const node = (dir, base) => ({
    import: { types: `./${dir}/${base}.d.mts`, default: `./${dir}/${base}.mjs` },
    require: { types: `./${dir}/${base}.d.cts`, default: `./${dir}/${base}.cjs` },
  });
  const browser = (dir, name) => ({ types: `./${dir}/${name}.d.ts`, default: `./${dir}/${name}.js` });
  const pkg = {
    name: 'triggerkit',
    version: field('version'),
    description: field('description'),
    license: field('license'),
    type: 'module',
    // Old resolvers without "exports" (TypeScript's node10, Node < 12) get the Node build.
    main: './node/triggerkit.cjs',
    types: './node/triggerkit.d.cts',
    exports: {
      '.': { node: node('node', 'triggerkit'), default: browser('web', 'triggerkit') },
      './zendesk': { node: node('node', 'zendesk'), default: browser('zendesk', 'triggerkit_zendesk') },
      './clients': { node: node('node', 'clients'), default: browser('clients', 'triggerkit_clients') },
      './livechat': { node: node('livechat', 'node'), default: browser('livechat', 'triggerkit_livechat') },
      './livechat/embed.js': {
        require: { types: './livechat/embed.d.cts', default: './livechat/embed.cjs' },
        default: { types: './livechat/embed.d.ts', default: './livechat/embed.js' },
      },
      ...Object.fromEntries(Object.entries(WASM_FILES).map(([subpath, file]) =>
        [`./${subpath}`, { types: './wasm-url.d.cts', default: `./${file}` }])),
      './package.json': './package.json',
    },
    // TypeScript's node10 resolution ignores "exports": point the subpaths at their types.
    typesVersions: {
      '*': {
        zendesk: ['./node/zendesk.d.cts'],
        clients: ['./node/clients.d.cts'],
        livechat: ['./livechat/node.d.cts'],
        ...Object.fromEntries(Object.keys(WASM_FILES).map((subpath) => [subpath, ['./wasm-url.d.cts']])),
      },
    },
    files: ['node/', 'web/', 'zendesk/', 'clients/', 'livechat/', 'wasm-url.d.cts', ...(hasCli ? ['cli/'] : [])],
    // The Node entries load the wasm at import; embed.js sets a global.
    sideEffects: ['./node/*.cjs', './node/*.mjs', './livechat/node.*', './livechat/embed.*', ...(hasCli ? ['./cli/*'] : [])],
    ...(hasCli ? { bin: { triggerkit: './cli/triggerkit.mjs' } } : {}),
    engines: { node: '>=18' },
    repository: { type: 'git', url: field('repository') },
    keywords: ['triggers', 'rocket.chat', 'livechat', 'zendesk', 'zapier', 'composio', 'pocketflows', 'wasm', 'validation'],
  };
  writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  for (const doc of readdirSync(root).filter((f) => /^(README|LICENSE|LICENCE|COPYING)/i.test(f))) {
    cpSync(join(root, doc), join(pkgDir, doc));
  }
  if (hasCli) {
    rmSync(join(pkgDir, 'cli'), { recursive: true, force: true });
    cpSync(join(root, 'cli'), join(pkgDir, 'cli'), { recursive: true });
  }
}

mkdirSync(pkgDir, { recursive: true });
// zendesk and clients before node: the Node build's entries for them re-export their API.
for (const variant of ['web', 'zendesk', 'clients', 'livechat', 'node'].filter((v) => variants.includes(v))) {
  if (variant === 'node') await packageNode();
  else if (variant === 'livechat') await packageLivechat();
  else packageBrowser(variant);
}
wasmUrlDts();
packageJson();
