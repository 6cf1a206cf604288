// Shared helpers of the tarball tests: the package as `npm pack` makes it,
// installed into a scratch project; a static server for the pages built
// from it; a Chromium page that reports what the app put on `window.__result`.
// `packedProject()` packs pkg/ (or $TRIGGERKIT_PKG_DIR) once per process.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export { launchChromium } from '../page/harness.mjs';

/** The repository's root folder. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The package folder that is packed (built by scripts/build.sh). */
export const PKG_DIR = resolve(process.env.TRIGGERKIT_PKG_DIR ?? join(ROOT, 'pkg'));
/** Node 18, installed by scripts/install.sh into tests/package/node18. */
export const NODE18 = join(ROOT, 'tests/package/node18/node_modules/node/bin/node');

/** A tool's entry script in the repository's node_modules, run with `node`. */
export const tool = (path) => join(ROOT, 'node_modules', path);

/**
 * Runs a command; resolves to its stdout, or rejects with an Error that
 * carries the command, exit code, stdout and stderr.
 */
export function run(cmd, args, { cwd, env, timeout = 120_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(cmd, args, { cwd, env: env ?? process.env, timeout, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (!error) { resolvePromise(stdout); return; }
      const why = error.killed ? `killed after ${timeout} ms` : `exit ${error.code}`;
      reject(Object.assign(new Error(`${cmd} ${args.join(' ')} (in ${cwd}): ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`), { stdout, stderr }));
    });
  });
}

let scratchRoot;
/** A new empty folder under this process's temporary folder (removed at exit). */
export function scratchDir(name) {
  if (!scratchRoot) {
    scratchRoot = mkdtempSync(join(tmpdir(), 'triggerkit-pkgtest-'));
    process.on('exit', () => rmSync(scratchRoot, { recursive: true, force: true }));
  }
  return mkdtempSync(join(scratchRoot, `${name}-`));
}

/** Writes files given as { relativePath: text } under dir, making folders. */
export function writeFiles(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

let packed;
/**
 * The tarball of `npm pack` on the package folder, installed into a fresh
 * scratch project (package.json with "type": "module"); made once per
 * process. Resolves to { dir, tarball, pkg } (pkg: the installed package.json).
 */
export function packedProject() {
  packed ??= (async () => {
    const packDir = scratchDir('pack');
    const [{ filename }] = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: PKG_DIR }));
    const tarball = join(packDir, filename);
    const dir = scratchDir('project');
    writeFiles(dir, { 'package.json': JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2) });
    // The tarball has no dependencies: nothing here needs the network.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: dir });
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/triggerkit/package.json'), 'utf8'));
    return { dir, tarball, pkg };
  })();
  return packed;
}

/**
 * Resolves a subpath of the package's "exports" for a list of conditions
 * (checked in the order the exports object lists them, as Node does).
 * Returns the path relative to the package folder, or null.
 */
export function resolveExport(pkg, subpath, conditions) {
  const pick = (target) => {
    if (typeof target === 'string' || target === null) return target;
    if (Array.isArray(target)) return target.map(pick).find((t) => t) ?? null;
    for (const [key, value] of Object.entries(target)) {
      if (key === 'default' || conditions.includes(key)) {
        const found = pick(value);
        if (found) return found;
      }
    }
    return null;
  };
  const target = pkg.exports?.[subpath];
  return target === undefined ? null : pick(target);
}

const contentTypes = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Serves the files under root on a free port of 127.0.0.1. Resolves to
 * { url, requests, close }: requests lists [pathname, status, content-type, bytes].
 */
export async function serveDir(root) {
  const base = resolve(root);
  const requests = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    let file = normalize(join(base, decodeURIComponent(pathname)));
    try {
      if (file !== base && !file.startsWith(base + sep)) throw new Error('outside');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const type = contentTypes[extname(file)] ?? 'application/octet-stream';
      requests.push([pathname, 200, type, body.length]);
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      requests.push([pathname, 404, null, 0]);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
  };
}

/**
 * Opens url in a new page of browser and waits until the app sets
 * `window.__result`. Resolves to { result, errors }: errors lists uncaught
 * page errors and console errors, which the callers expect to be empty.
 */
export async function resultOfPage(browser, url, { timeout = 20_000 } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout });
    return { result: await page.evaluate(() => window.__result), errors };
  } catch (e) {
    e.message += `\npage errors: ${JSON.stringify(errors)}`;
    throw e;
  } finally {
    await page.close();
  }
}
