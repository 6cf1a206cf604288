// The npm pack tarball in headless Chromium. Through the bundlers, each run
// from the repository's node_modules (versions pinned in package-lock.json)
// on an app in the scratch project: Vite (build and dev server) and webpack
// with no configuration, esbuild with what the README says it needs for the
// wasm; each build is served and its page runs fixtures/exercise.js. Without
// a bundler: a module page with an import map, and the classic embed script
// of triggerkit/livechat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  launchChromium, packedProject, resolveExport, resultOfPage, run, serveDir, tool, writeFiles,
} from './scratch.mjs';
import { assertExercised, writeExercise } from './expected.mjs';

let project;
let browser;
before(async () => {
  [{ dir: project }, browser] = await Promise.all([packedProject(), launchChromium()]);
});
after(() => browser?.close());

// The app as a user writes it: named imports and the default init of each
// entry it uses: the validators and the filter from triggerkit, the Zendesk
// engine from triggerkit/zendesk (the browser triggerkit does not have it).
// exercise() gets both behind one init, which passes each its own argument.
const IMPORTS = `import init, { validateRocketChatTrigger, compileFilter } from 'triggerkit';
import initZendesk, { compileZendeskTriggers } from 'triggerkit/zendesk';
import { exercise } from './exercise.js';
const tk = {
  default: (arg) => Promise.all([init(arg && arg.web), initZendesk(arg && arg.zendesk)]),
  validateRocketChatTrigger, compileZendeskTriggers, compileFilter,
};
`;
const report = (initArg) => `exercise(tk${initArg ? `, ${initArg}` : ''}).then(
  (result) => { window.__result = result; },
  (e) => { window.__result = { error: String((e && e.stack) || e) }; },
);
`;

/** A port that was free a moment ago. */
function freePort() {
  return new Promise((done, fail) => {
    const probe = createServer().once('error', fail).listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** A folder for one app inside the scratch project (so it resolves the installed triggerkit). */
function appDir(name, srcDir, files) {
  const dir = join(project, name);
  writeFiles(dir, files);
  writeExercise(join(dir, srcDir));
  return dir;
}

/** The size in bytes of the installed file an exported subpath names. */
async function installedSize(subpath) {
  const { pkg } = await packedProject();
  const file = resolveExport(pkg, subpath, ['browser', 'import']);
  assert.ok(file, `exports["${subpath}"] is missing`);
  return statSync(join(project, 'node_modules/triggerkit', file)).size;
}

/** Serves root, opens its page (a folder's index.html) in Chromium and checks the result. */
async function checkPage(root, page = '') {
  const server = await serveDir(root);
  try {
    const { result, errors } = await resultOfPage(browser, `${server.url}${page}`);
    assertExercised(result, { initFirst: true });
    assert.deepEqual(errors, []);
    const wasm = server.requests.filter(([path]) => path.endsWith('.wasm'));
    assert.equal(wasm.length, 2, `two wasm fetched: ${JSON.stringify(server.requests)}`);
    // The browser builds' wasm (triggerkit/web.wasm and triggerkit/zendesk.wasm), not other variants'.
    const sizes = [await installedSize('./web.wasm'), await installedSize('./zendesk.wasm')];
    assert.notEqual(sizes[0], sizes[1]);
    assert.deepEqual(wasm.map((request) => request.slice(1)).sort((a, b) => a[2] - b[2]),
      sizes.sort((a, b) => a - b).map((size) => [200, 'application/wasm', size]));
  } finally {
    await server.close();
  }
}

test('Vite production build, no configuration', { timeout: 180_000 }, async () => {
  const dir = appDir('vite-app', '.', {
    'index.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vite</title><script type="module" src="./main.js"></script>\n',
    'main.js': IMPORTS + report(),
  });
  await run(process.execPath, [tool('vite/bin/vite.js'), 'build'], { cwd: dir });
  await checkPage(join(dir, 'dist'));
});

test('Vite dev server, no configuration', { timeout: 120_000 }, async () => {
  const dir = appDir('vite-dev-app', '.', {
    'index.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vite dev</title><script type="module" src="./main.js"></script>\n',
    'main.js': IMPORTS + report(),
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(process.execPath, [tool('vite/bin/vite.js'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (d) => { output += d; });
  server.stderr.on('data', (d) => { output += d; });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(url).catch(() => null))?.ok) break;
      assert.ok(i < 300 && server.exitCode === null, `vite dev did not serve ${url}:\n${output}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    const { result, errors } = await resultOfPage(browser, url);
    assertExercised(result, { initFirst: true });
    assert.deepEqual(errors, []);
  } finally {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  }
});

test('webpack 5 production build, no configuration', { timeout: 180_000 }, async () => {
  // webpack's defaults: ./src/index.js -> ./dist/main.js.
  const dir = appDir('webpack-app', 'src', {
    'src/index.js': IMPORTS + report(),
    'dist/index.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>webpack</title><script src="main.js"></script>\n',
  });
  await run(process.execPath, [tool('webpack-cli/bin/cli.js'), '--mode', 'production'], { cwd: dir });
  await checkPage(join(dir, 'dist'));
});

test('esbuild: --loader:.wasm=file and the wasm URLs from triggerkit/web.wasm and triggerkit/zendesk.wasm passed to init()', { timeout: 180_000 }, async () => {
  const dir = appDir('esbuild-app', 'src', {
    'src/main.js': `${IMPORTS}import wasmUrl from 'triggerkit/web.wasm';
import zendeskWasmUrl from 'triggerkit/zendesk.wasm';
${report('{ web: { module_or_path: wasmUrl }, zendesk: { module_or_path: zendeskWasmUrl } }')}`,
    'dist/index.html': '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>esbuild</title><script type="module" src="main.js"></script>\n',
  });
  await run(tool('.bin/esbuild'), ['src/main.js', '--bundle', '--format=esm', '--loader:.wasm=file', '--outdir=dist'], { cwd: dir });
  assert.equal(readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.wasm')).length, 2, 'esbuild copied both wasm files');
  await checkPage(join(dir, 'dist'));
});

test('plain <script type="module"> page with an import map onto the installed files', { timeout: 60_000 }, async () => {
  const { pkg } = await packedProject();
  const entry = resolveExport(pkg, '.', ['browser', 'import']);
  assert.ok(entry, 'exports["."] has a browser/import/default target');
  const zendesk = resolveExport(pkg, './zendesk', ['browser', 'import']);
  assert.ok(zendesk, 'exports["./zendesk"] has a browser/import/default target');
  const name = 'importmap-page';
  const installed = (file) => `/node_modules/triggerkit/${file.replace(/^\.\//, '')}`;
  const importMap = { imports: { triggerkit: installed(entry), 'triggerkit/zendesk': installed(zendesk) } };
  writeFiles(join(project, name), {
    'index.html': `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>import map</title>
<script type="importmap">${JSON.stringify(importMap)}</script>
<script type="module">
${IMPORTS.replace("'./exercise.js'", `'/${name}/exercise.js'`)}${report()}</script>
`,
  });
  writeExercise(join(project, name));
  await checkPage(project, `${name}/`);
});

// The page of the README's embed snippet: a function the script's onload
// calls; the triggers come from loadTriggers (JS code given `livechat`,
// resolving to { triggers, invalid }).
const TRIGGERS = [{
  _id: 'welcome', name: 'welcome', description: '', enabled: true, runOnce: false,
  conditions: [{ name: 'time-on-site', value: '1' }],
  actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'Need a hand?' } }],
}];
const EMBED_PAGE = (embedSrc, loadTriggers) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>embed</title>
<div id="chat"></div>
<script>
  function startLivechatTriggers() {
    TriggerkitLivechat.ready.then(function (livechat) {
      return ${loadTriggers}.then(function (list) {
        var runtime = new livechat.LivechatTriggers(list.triggers, {
          onAction: function (action) {
            if (action.type !== 'send-message') return;
            var p = document.createElement('p');
            p.textContent = action.msg;
            document.getElementById('chat').append(p);
            window.__result = {
              msg: action.msg, afterMs: Date.now() - startedAt, invalid: list.invalid,
              shown: document.getElementById('chat').textContent,
            };
          },
        });
        var startedAt = Date.now();
        runtime.start();
      });
    }).catch(function (e) { window.__result = { error: String((e && e.stack) || e) }; });
  }
</script>
<script src="${embedSrc}" async onload="startLivechatTriggers()"></script>
`;

const CONFIG_PATH = '/rocketchat/api/v1/livechat/config';
for (const [how, page, loadTriggers] of [
  ['triggers given inline', 'embed-inline', `Promise.resolve({ triggers: ${JSON.stringify(TRIGGERS)}, invalid: [] })`],
  ['triggers from a Rocket.Chat server\'s config (fetchLivechatTriggers)', 'embed-server',
    "livechat.fetchLivechatTriggers(location.origin + '/rocketchat')"],
]) {
  test(`classic <script src=embed.js async> page, ${how}: a time-on-site trigger fires its message`, { timeout: 60_000 }, async () => {
    const { pkg } = await packedProject();
    const embed = resolveExport(pkg, './livechat/embed.js', ['browser']);
    assert.ok(embed, 'exports["./livechat/embed.js"] is missing');
    const embedPath = `/node_modules/triggerkit/${embed.replace(/^\.\//, '')}`;
    writeFiles(project, {
      [`${page}/index.html`]: EMBED_PAGE(embedPath, loadTriggers),
      // What GET /api/v1/livechat/config answers (a static file here).
      [CONFIG_PATH.slice(1)]: JSON.stringify({ config: { enabled: true, triggers: TRIGGERS }, success: true }),
    });
    const server = await serveDir(project);
    try {
      const { result, errors } = await resultOfPage(browser, `${server.url}${page}/`);
      assert.equal(result.error, undefined, result.error);
      assert.deepEqual(result.invalid, []);
      assert.equal(result.msg, 'Need a hand?');
      assert.equal(result.shown, 'Need a hand?');
      assert.ok(result.afterMs >= 950, `fired ${result.afterMs} ms after start(), before the 1 s on site`);
      assert.deepEqual(errors, []);
      // One classic script and its wasm, fetched from beside it.
      const loaded = server.requests.filter(([path]) => /\.(m?js|wasm)$/.test(path));
      assert.deepEqual(loaded.map(([path, status, type]) => [dirname(path), status, type]), [
        [dirname(embedPath), 200, 'text/javascript; charset=utf-8'],
        [dirname(embedPath), 200, 'application/wasm'],
      ], JSON.stringify(server.requests));
      assert.equal(loaded[0][0], embedPath);
      const configFetched = server.requests.some(([path, status]) => path === CONFIG_PATH && status === 200);
      assert.equal(configFetched, page === 'embed-server');
      assert.equal(loaded[1][3], await installedSize('./livechat.wasm'), 'the livechat build\'s wasm');
    } finally {
      await server.close();
    }
  });
}
