// The npm pack tarball in Node, installed into a scratch project: ESM and
// CommonJS, under the current Node and Node 18, with no init step; the
// livechat, zendesk and clients entries; import and require sharing one instance.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { NODE18, packedProject, run, writeFiles } from './scratch.mjs';
import { assertExercised, writeExercise } from './expected.mjs';

let dir;
before(async () => {
  ({ dir } = await packedProject());
  writeExercise(dir);
  writeFiles(dir, {
    'esm.mjs': `import * as tk from 'triggerkit';
import { exercise } from './exercise.js';
console.log(JSON.stringify(await exercise(tk)));
`,
    'cjs.cjs': `const tk = require('triggerkit');
const { exercise } = require('./exercise.cjs');
exercise(tk).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e); process.exit(1); });
`,
    'livechat.cjs': `const lc = require('triggerkit/livechat');
${livechatScript}
`,
    'livechat.mjs': `import * as lc from 'triggerkit/livechat';
${livechatScript}
`,
    'clients.mjs': `import * as tk from 'triggerkit';
import * as clients from 'triggerkit/clients';
const names = ['TriggerInboxClient', 'ZendeskClient', 'RocketChatClient', 'PocketflowsClient', 'ComposioClient'];
console.log(JSON.stringify(names.map((n) => [n, typeof clients[n], clients[n] === tk[n]])));
`,
    // triggerkit/zendesk: the whole exercise (it has the validators and the
    // filter too), and each of its exports the very one of triggerkit.
    'zendesk.mjs': `import * as tk from 'triggerkit';
import * as zendesk from 'triggerkit/zendesk';
import { exercise } from './exercise.js';
${zendeskScript}
`,
    'zendesk.cjs': `const tk = require('triggerkit');
const zendesk = require('triggerkit/zendesk');
const { exercise } = require('./exercise.cjs');
${zendeskScript}
`,
    'dual.mjs': `import { createRequire } from 'node:module';
import * as esm from 'triggerkit';
const cjs = createRequire(import.meta.url)('triggerkit');
const filter = esm.compileFilter('x == 1');
console.log(JSON.stringify({
  sameFunction: esm.compileZendeskTriggers === cjs.compileZendeskTriggers,
  sameClass: filter instanceof cjs.Filter && esm.Filter === cjs.Filter,
}));
`,
  });
});

// Uses the livechat entry as loaded (lc) with no init: the exports, a
// validator call, and the engine firing a page-url trigger.
const livechatScript = `
const names = ['LivechatTriggers', 'LivechatEngine', 'fetchLivechatTriggers', 'validateRocketChatTrigger'];
const trigger = { _id: 'p', name: 'p', description: '', enabled: true, runOnce: false,
  conditions: [{ name: 'page-url', value: 'pricing' }],
  actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'plans' } }] };
const engine = new lc.LivechatEngine([trigger]);
const step = engine.start('https://shop.example/pricing', 1700000000000);
const { _id, ...body } = trigger;
console.log(JSON.stringify({
  types: names.map((n) => typeof lc[n]),
  valid: lc.validateRocketChatTrigger(body).valid,
  invalid: lc.validateRocketChatTrigger({}).valid,
  messages: step.actions.map((a) => a.msg),
}));
`;

const zendeskScript = `
const names = Object.keys(zendesk).filter((n) => n !== '__esModule');
exercise(zendesk).then((exercised) => console.log(JSON.stringify({
  exercised,
  names,
  notShared: names.filter((n) => zendesk[n] !== tk[n]),
})), (e) => { console.error(e); process.exit(1); });
`;

const node18 = () => {
  assert.ok(existsSync(NODE18), `${NODE18} is missing: run bash scripts/install.sh`);
  return NODE18;
};
const runJson = async (node, file) => JSON.parse(await run(node, [file], { cwd: dir, timeout: 30_000 }));

test('Node ESM: import from triggerkit calls without init(), and await init() is a no-op', async () => {
  assertExercised(await runJson(process.execPath, 'esm.mjs'), { initFirst: false });
});

test('Node ESM under Node 18', async () => {
  assertExercised(await runJson(node18(), 'esm.mjs'), { initFirst: false });
});

test('CommonJS: require("triggerkit") under the current Node', async () => {
  assertExercised(await runJson(process.execPath, 'cjs.cjs'), { initFirst: false });
});

test('CommonJS: require("triggerkit") under Node 18', async () => {
  assert.equal((await run(node18(), ['--version'])).trim().split('.')[0], 'v18');
  assertExercised(await runJson(node18(), 'cjs.cjs'), { initFirst: false });
});

const LIVECHAT = {
  types: ['function', 'function', 'function', 'function'], valid: true, invalid: false, messages: ['plans'],
};

test('triggerkit/livechat: require() under the current Node and Node 18, and import, without init', async () => {
  assert.deepEqual(await runJson(process.execPath, 'livechat.cjs'), LIVECHAT);
  assert.deepEqual(await runJson(node18(), 'livechat.cjs'), LIVECHAT);
  assert.deepEqual(await runJson(process.execPath, 'livechat.mjs'), LIVECHAT);
});

test('triggerkit/clients in Node: the same classes as the main entry (one wasm instance)', async () => {
  const rows = await runJson(process.execPath, 'clients.mjs');
  for (const [name, type, same] of rows) {
    assert.equal(type, 'function', name);
    assert.equal(same, true, `${name} from triggerkit/clients is not the class of triggerkit`);
  }
});

test('triggerkit/zendesk in Node: ESM and CommonJS, current Node and Node 18, the exports of triggerkit (one wasm instance)', async () => {
  for (const [node, file] of [[process.execPath, 'zendesk.mjs'], [process.execPath, 'zendesk.cjs'],
    [node18(), 'zendesk.mjs'], [node18(), 'zendesk.cjs']]) {
    const { exercised, names, notShared } = await runJson(node, file);
    assertExercised(exercised, { initFirst: false });
    const expected = ['compileZendeskTriggers', 'ZendeskRuleSet', 'lintZendeskTriggers', 'diffZendeskTriggerSets',
      'validateRocketChatTrigger', 'validateZendeskTrigger', 'compileFilter', 'Filter', 'init', 'default'];
    assert.deepEqual(expected.filter((n) => !names.includes(n)), [], `${file}: missing exports`);
    assert.deepEqual(names.filter((n) => /Client$|^Livechat|^fetchLivechat/.test(n)), [], `${file}: clients or livechat runtime`);
    assert.deepEqual(notShared, [], `${file}: exports of triggerkit/zendesk that are not those of triggerkit`);
  }
});

test('import and require of triggerkit in one process share one wasm instance (same classes)', async () => {
  assert.deepEqual(await runJson(process.execPath, 'dual.mjs'), { sameFunction: true, sameClass: true });
});
