// The package's entry points as built in pkg/ (scripts/build.sh): the Node
// entries initialized at import and sharing one instance between import and
// require, the browser entries refusing calls before init(), and every path
// that package.json names existing. (The packed tarball in real projects is
// tested in tests/package/.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(`${pkg}package.json`, 'utf8'));

test('package.json: every exported, typed or bin path exists', () => {
  const targets = [];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else for (const v of Object.values(value)) walk(v);
  };
  walk(manifest.exports);
  walk(manifest.typesVersions);
  walk({ main: manifest.main, types: manifest.types, ...(manifest.bin ?? {}) });
  assert.ok(targets.length >= 30, `${targets.length} paths`);
  for (const target of targets) assert.ok(existsSync(`${pkg}${target}`), target);
  assert.equal(manifest.type, 'module');
  assert.equal(manifest.engines.node, '>=18');
});

test('Node: import and require share one instance, loaded at import; init() is a no-op', async () => {
  const esm = await import(`${pkg}node/triggerkit.mjs`);
  const cjs = require(`${pkg}node/triggerkit.cjs`);
  assert.equal(esm.ZendeskRuleSet, cjs.ZendeskRuleSet);
  assert.equal(esm.default, esm.init);
  assert.equal(await esm.init(), undefined);
  assert.equal('initSync' in esm, false);
  assert.equal(esm.validateRocketChatTrigger({}).valid, false);
  // triggerkit/clients under Node: the same classes.
  const clients = await import(`${pkg}node/clients.mjs`);
  assert.equal(clients.TriggerInboxClient, esm.TriggerInboxClient);
  assert.equal(require(`${pkg}node/clients.cjs`).ZendeskClient, esm.ZendeskClient);
  assert.equal('compileZendeskTriggers' in clients, false);
  // triggerkit/zendesk under Node: the same functions and classes, validators and filter included.
  const zendesk = await import(`${pkg}node/zendesk.mjs`);
  const zendeskCjs = require(`${pkg}node/zendesk.cjs`);
  for (const name of ['compileZendeskTriggers', 'ZendeskRuleSet', 'lintZendeskTriggers', 'diffZendeskTriggerSets',
    'validateZendeskTrigger', 'validateRocketChatTrigger', 'compileFilter', 'Filter']) {
    assert.equal(typeof zendesk[name], 'function', name);
    assert.equal(zendesk[name], esm[name], name);
    assert.equal(zendeskCjs[name], esm[name], name);
  }
  assert.equal(zendesk.default, esm.default);
  assert.equal('TriggerInboxClient' in zendesk, false);
  assert.equal('LivechatTriggers' in zendesk, false);
  // Under Node, triggerkit itself keeps everything.
  for (const name of ['compileZendeskTriggers', 'TriggerInboxClient', 'LivechatTriggers', 'LivechatEngine', 'fetchLivechatTriggers']) {
    assert.equal(typeof esm[name], 'function', name);
  }
});

test('Node: the wasm keeps function names, so stack traces name Rust functions', async () => {
  const { compileZendeskTriggers } = await import(`${pkg}node/triggerkit.mjs`);
  const error = (() => { try { compileZendeskTriggers(5); } catch (e) { return e; } })();
  assert.equal(error.code, 'invalid_triggers');
  assert.match(error.stack, /triggerkit::wasm::/);
});

test('triggerkit/livechat under Node: its own build, loaded at import, ESM and CommonJS', async () => {
  const esm = await import(`${pkg}livechat/node.mjs`);
  const cjs = require(`${pkg}livechat/node.cjs`);
  assert.equal(esm.LivechatEngine, cjs.LivechatEngine);
  for (const name of ['LivechatTriggers', 'LivechatEngine', 'fetchLivechatTriggers', 'validateRocketChatTrigger']) {
    assert.equal(typeof esm[name], 'function', name);
  }
  assert.equal('compileZendeskTriggers' in esm, false);
  const engine = new esm.LivechatEngine([]);
  assert.deepEqual(engine.start('https://example.com/', 0), { actions: [], nextWakeAt: null });
});

for (const [file, specifier] of [
  ['web/triggerkit.js', 'triggerkit'],
  ['zendesk/triggerkit_zendesk.js', 'triggerkit/zendesk'],
  ['clients/triggerkit_clients.js', 'triggerkit/clients'],
  ['livechat/triggerkit_livechat.js', 'triggerkit/livechat'],
]) {
  test(`${specifier} (browser build): any call before init() throws not_initialized; init() then works`, async () => {
    const module = await import(`${pkg}${file}`);
    const calls = {
      function: () => module.validateRocketChatTrigger({}),
      ...(module.LivechatEngine ? { constructor: () => new module.LivechatEngine([]) } : {}),
      ...(module.ZendeskClient ? { 'client constructor': () => new module.ZendeskClient({ baseUrl: 'https://example.zendesk.com', oauthToken: 't' }) } : {}),
      ...(module.compileZendeskTriggers ? { 'Zendesk engine': () => module.compileZendeskTriggers([]) } : {}),
      ...(module.TriggerInboxClient ? { 'static method': () => module.TriggerInboxClient.fetchToken({ clientId: 'a', clientSecret: 'b' }) } : {}),
    };
    for (const [what, call] of Object.entries(calls)) {
      assert.throws(call, (error) => {
        assert.ok(error instanceof Error, what);
        assert.equal(error.name, 'TriggerkitError', what);
        assert.equal(error.code, 'not_initialized', what);
        assert.match(error.message, new RegExp(`^${specifier} is not initialized: call \`await init\\(\\)\``), what);
        return true;
      });
    }
    const wasm = readFileSync(`${pkg}${file.replace(/\.js$/, '_bg.wasm')}`);
    await module.init({ module_or_path: wasm });
    assert.equal(module.init, module.default);
    assert.equal(module.validateRocketChatTrigger({}).valid, false);
    if (module.LivechatEngine) assert.equal(new module.LivechatEngine([]).invalid.length, 0);
    if (module.compileZendeskTriggers) assert.deepEqual(module.compileZendeskTriggers([]).evaluate({ ticket: { status: 'open' } }).fired, []);
  });
}

test('browser builds: triggerkit is validators and filter; triggerkit/zendesk adds the Zendesk engine; neither has clients or the livechat runtime', async () => {
  const web = await import(`${pkg}web/triggerkit.js`);
  const zendesk = await import(`${pkg}zendesk/triggerkit_zendesk.js`);
  const clients = await import(`${pkg}clients/triggerkit_clients.js`);
  const livechat = await import(`${pkg}livechat/triggerkit_livechat.js`);
  const ENGINE = ['compileZendeskTriggers', 'ZendeskRuleSet', 'lintZendeskTriggers', 'diffZendeskTriggerSets'];
  const LIVECHAT_RUNTIME = ['LivechatTriggers', 'LivechatEngine', 'fetchLivechatTriggers'];
  for (const name of ['validateRocketChatTrigger', 'validateZendeskTrigger', 'validatePocketflowsTrigger',
    'validateComposioTriggerInstance', 'validateZapierInbox', 'compileFilter']) {
    assert.equal(typeof web[name], 'function', `triggerkit: ${name}`);
  }
  for (const name of [...ENGINE, ...LIVECHAT_RUNTIME, 'TriggerInboxClient']) assert.equal(name in web, false, `triggerkit: ${name}`);
  // triggerkit/zendesk: a superset of the browser triggerkit.
  for (const name of Object.keys(web)) assert.equal(typeof zendesk[name], typeof web[name], `triggerkit/zendesk: ${name}`);
  for (const name of ENGINE) assert.equal(typeof zendesk[name], 'function', `triggerkit/zendesk: ${name}`);
  for (const name of [...LIVECHAT_RUNTIME, 'TriggerInboxClient']) assert.equal(name in zendesk, false, `triggerkit/zendesk: ${name}`);
  assert.equal(typeof clients.TriggerInboxClient, 'function');
  for (const name of [...ENGINE, ...LIVECHAT_RUNTIME]) assert.equal(name in clients, false, `triggerkit/clients: ${name}`);
  for (const name of [...LIVECHAT_RUNTIME, 'validateRocketChatTrigger']) assert.equal(typeof livechat[name], 'function', `triggerkit/livechat: ${name}`);
});

test('embed.js: one minified classic script (no import or export), its wasm beside it', () => {
  const embed = readFileSync(`${pkg}livechat/embed.js`, 'utf8');
  assert.doesNotMatch(embed, /^\s*(import|export)\b/m);
  assert.match(embed, /TriggerkitLivechat/);
  assert.match(embed, /triggerkit_livechat_bg\.wasm/);
  assert.match(embed, /document\.currentScript/);
  assert.ok(embed.split('\n').length < 10, 'minified');
  assert.equal(readFileSync(`${pkg}livechat/embed.cjs`, 'utf8'), embed);
  // npm entries stay readable.
  assert.ok(readFileSync(`${pkg}web/triggerkit.js`, 'utf8').split('\n').length > 500);
});
