// Static server for the demo: www/ at /, the built package at /pkg/, and
// /config.json telling the page where the local API emulator listens. The
// sample host site under /site/ is a single-page app: its routes all serve
// www/site/index.html. With an emulator, seeds it first (scripts/demo-seed.mjs)
// and prints the URL only then.
// Usage: node scripts/serve.mjs [--port N] [--emulator URL]   (port 0 = free)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seed } from './demo-seed.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const port = Number(option('--port', '8080'));
const emulatorUrl = option('--emulator', process.env.TRIGGERKIT_EMULATOR_URL ?? null);

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

// Maps a URL path onto a file under www/ or pkg/, refusing anything that
// would escape those folders.
function fileFor(pathname) {
  const [base, rest] = pathname.startsWith('/pkg/')
    ? [join(root, 'pkg'), pathname.slice('/pkg/'.length)]
    : [join(root, 'www'), pathname.slice(1) || 'index.html'];
  const full = normalize(join(base, decodeURIComponent(rest)));
  return full.startsWith(base) ? full : null;
}

const exists = (file) => stat(file).then(() => true, () => false);

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  if (pathname === '/config.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ emulatorUrl }));
    return;
  }
  let file = fileFor(pathname);
  try {
    if (file && pathname.startsWith('/site/') && !(await exists(file))) file = join(root, 'www', 'site', 'index.html');
    if (file && (await stat(file)).isDirectory()) file = join(file, 'index.html');
    const body = file ? await readFile(file) : null;
    if (!body) throw new Error('outside');
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }
});

if (emulatorUrl) {
  try {
    const added = await seed(emulatorUrl.replace(/\/$/, ''));
    console.error(`seeded the emulator: ${added.livechat} livechat and ${added.zendesk} Zendesk triggers added`);
  } catch (error) {
    console.error(`could not seed the emulator at ${emulatorUrl}: ${error.message}`);
  }
}

server.listen(port, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
