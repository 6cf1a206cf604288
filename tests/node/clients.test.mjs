// The thin clients (Rocket.Chat, Pocketflows, Composio) against the local
// API emulator: each endpoint, the APIs' own error codes, retries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';
import { startEmulator, uniqueName, rejects as rejectsWith, DEV_TOKEN } from './emulator.mjs';

const { RocketChatClient, PocketflowsClient, ComposioClient } = tk;
let emu;

before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.stop();
});

const rejects = (promise, check) => rejectsWith(promise, 'HttpError', check);

const trigger = (name) => ({
  name,
  description: 'greets visitors',
  enabled: true,
  runOnce: false,
  conditions: [{ name: 'time-on-site', value: 5 }],
  actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hello' } }],
});

test('Rocket.Chat: save, list, get, update, delete', async () => {
  const rc = new RocketChatClient({ baseUrl: emu.url, authToken: DEV_TOKEN, userId: 'admin' });
  const name = uniqueName('rc');
  assert.deepEqual(await rc.saveTrigger(trigger(name)), { success: true });
  const page = await rc.listTriggers({ count: 1000 });
  const stored = page.triggers.find((t) => t.name === name);
  assert.ok(stored?._id);
  const one = await rc.getTrigger(stored._id);
  assert.equal(one.trigger.name, name);
  await rc.saveTrigger({ ...trigger(name), _id: stored._id, description: 'changed' });
  assert.equal((await rc.getTrigger(stored._id)).trigger.description, 'changed');
  await rc.deleteTrigger(stored._id);
  assert.equal((await rc.getTrigger(stored._id)).trigger, null);
});

test('Rocket.Chat: invalid-params, unauthorized and forbidden errors', async () => {
  const rc = new RocketChatClient({ baseUrl: emu.url, authToken: DEV_TOKEN, userId: 'admin' });
  await rejects(rc.saveTrigger({ name: 'x' }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid-params');
    assert.match(e.message, /\[invalid-params\]$/);
    assert.equal(e.attempts, 1);
  });
  const stranger = new RocketChatClient({ baseUrl: emu.url, authToken: 'nope', userId: 'admin' });
  await rejects(stranger.listTriggers(), (e) => {
    assert.equal(e.status, 401);
    assert.equal(e.code, 'http_401');
    assert.match(e.message, /logged in/);
  });
  const weak = new RocketChatClient({ baseUrl: emu.url, authToken: DEV_TOKEN, userId: 'no-permission' });
  await rejects(weak.listTriggers(), (e) => {
    assert.equal(e.status, 403);
    assert.equal(e.code, 'error-unauthorized');
  });
  assert.throws(() => new RocketChatClient({ baseUrl: emu.url, authToken: DEV_TOKEN }), (e) => e.code === 'invalid_argument');
  await rejects(rc.getTrigger(''), (e) => assert.equal(e.code, 'invalid_argument'));
});

test('Pocketflows: create a trigger with Basic authentication; 400 and 401', async () => {
  const pf = new PocketflowsClient({ baseUrl: emu.url, username: 'me', password: DEV_TOKEN });
  const created = await pf.createTrigger('biz-1', {
    project_defined_event: 'evt_signup',
    name: 'welcome',
    filter: 'customer.plan == "pro"',
    steps: [{ type: 'email', email_template_id: 'tpl_1' }],
    email_address: 'ea_1',
  });
  assert.equal(created.name, 'welcome');
  assert.equal(created.status, 'draft');
  assert.equal(typeof created.id, 'string');
  await rejects(pf.createTrigger('biz-1', { name: 'no event' }), (e) => {
    assert.equal(e.status, 400);
    assert.match(e.message, /Invalid trigger/);
    assert.ok(Array.isArray(e.body.errors));
  });
  const wrong = new PocketflowsClient({ baseUrl: emu.url, username: 'me', password: 'wrong' });
  await rejects(wrong.createTrigger('biz-1', {}), (e) => assert.equal(e.status, 401));
});

test('Composio: upsert a trigger instance (idempotent); 404 and 400 with the error slug', async () => {
  const cp = new ComposioClient({ baseUrl: emu.url, apiKey: DEV_TOKEN });
  const body = { connected_account_id: 'ca_1', trigger_config: { channel: 'C1' } };
  const first = await cp.upsertTriggerInstance('slack_receive_message', body);
  assert.match(first.trigger_id, /\S/);
  const again = await cp.upsertTriggerInstance('SLACK_RECEIVE_MESSAGE', body);
  assert.equal(again.trigger_id, first.trigger_id);
  await rejects(cp.upsertTriggerInstance('NO_SUCH_TRIGGER', body), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.code, 'TriggerType_NotFound');
  });
  await rejects(cp.upsertTriggerInstance('SLACK_RECEIVE_MESSAGE', { trigger_config: { channel: 'C1' } }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.code, 'ValidationError');
    assert.ok(e.body.error.errors.length > 0);
  });
});

test('thin clients retry 5xx and honour Retry-After like the inbox client', async () => {
  const cp = new ComposioClient({ baseUrl: emu.url, apiKey: DEV_TOKEN, retry: { baseDelayMs: 10 } });
  await emu.admin('PUT', '/faults', { path_prefix: '/api/v3/trigger_instances/GMAIL', next: ['error', 'rate_limit'], retry_after_seconds: 1 });
  const started = performance.now();
  const result = await cp.upsertTriggerInstance('GMAIL_NEW_GMAIL_MESSAGE', { connected_account_id: 'ca_2', trigger_config: {} });
  assert.match(result.trigger_id, /\S/);
  assert.ok(performance.now() - started >= 950);
  await emu.clearFaults();
});

test('TypeScript declarations of the clients: classes, option types, no any', async () => {
  const { readFile } = await import('node:fs/promises');
  const dts = await readFile(new URL('../../pkg/node/triggerkit.d.mts', import.meta.url), 'utf8');
  for (const line of [
    'export class TriggerInboxClient {',
    '    consume<P = Record<string, unknown>>(name: string, handler: MessageHandler<P>, options?: ConsumeOptions<P>): Promise<ConsumerStats>;',
    '    lease<P = Record<string, unknown>>(name: string, options?: LeaseOptions): Promise<TriggerInboxLease<P>>;',
    '    waitUntilActive(name: string, options?: WaitOptions): Promise<ZapierInbox>;',
    '    static fetchToken(options: FetchTokenOptions): Promise<ZapierTokenResponse>;',
    'export interface ConsumerStats {',
    'export interface TriggerInboxError extends ClientError {',
    'export interface HttpError extends ClientError { name: \'HttpError\'; }',
    'export class RocketChatClient {',
    'export class PocketflowsClient {',
    'export class ComposioClient {',
    'export class ZendeskClient {',
    '    triggers(query?: ZendeskListQuery): AsyncIterableIterator<ZendeskTrigger>;',
  ]) {
    assert.ok(dts.includes(line), line);
  }
  for (const name of ['TriggerInboxClient', 'RocketChatClient', 'PocketflowsClient', 'ComposioClient', 'ZendeskClient', 'ConsumerStats']) {
    assert.equal(dts.split(`export class ${name} `).length + dts.split(`export interface ${name} `).length, 3, `${name} declared once`);
  }
  const start = dts.indexOf('export type TriggerInboxMessage');
  const end = Math.max(...['TriggerInboxClient', 'RocketChatClient', 'PocketflowsClient', 'ComposioClient', 'ZendeskClient']
    .map((name) => dts.indexOf('}', dts.indexOf(`export class ${name} {`))));
  assert.ok(start >= 0 && end > start);
  assert.doesNotMatch(dts.slice(start, end), /\bany\b/);
});

const zendeskTrigger = (title) => ({
  title,
  conditions: { all: [{ field: 'status', operator: 'is', value: 'open' }], any: [] },
  actions: [{ field: 'priority', value: 'high' }],
});

test('Zendesk: create, show, update, revisions, search, active, delete', async () => {
  const zd = new tk.ZendeskClient({ baseUrl: emu.url, email: 'agent@example.com', apiToken: DEV_TOKEN });
  const title = uniqueName('zd');
  const { trigger } = await zd.createTrigger(zendeskTrigger(title));
  assert.equal(trigger.title, title);
  assert.equal(typeof trigger.id, 'number');
  assert.equal((await zd.getTrigger(trigger.id)).trigger.title, title);
  assert.equal((await zd.getTrigger(String(trigger.id))).trigger.id, trigger.id);
  const updated = await zd.updateTrigger(trigger.id, { title: `${title}-2`, active: false });
  assert.equal(updated.trigger.title, `${title}-2`);
  const revisions = await zd.listTriggerRevisions(trigger.id, { limit: 10 });
  assert.ok(revisions.trigger_revisions.length >= 2);
  const first = revisions.trigger_revisions.at(-1);
  assert.equal((await zd.getTriggerRevision(trigger.id, first.id)).trigger_revision.snapshot.title, title);
  const found = await zd.searchTriggersPage(`${title}-2`);
  assert.deepEqual(found.triggers.map((t) => t.id), [trigger.id]);
  const active = [];
  for await (const t of zd.activeTriggers()) active.push(t.id);
  assert.ok(!active.includes(trigger.id), 'inactive triggers are not listed as active');
  assert.equal(await zd.deleteTrigger(trigger.id), null);
  await rejects(zd.getTrigger(trigger.id), (e) => {
    assert.equal(e.status, 404);
    assert.equal(e.code, 'RecordNotFound');
  });
});

test('Zendesk: cursor and offset pages, and async iterators across pages', async () => {
  const zd = new tk.ZendeskClient({ baseUrl: emu.url, oauthToken: DEV_TOKEN });
  const prefix = uniqueName('zdpage');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await zd.createTrigger(zendeskTrigger(`${prefix}-${i}`))).trigger.id);

  const cursorPage = await zd.listTriggers({ pageSize: 2 });
  assert.equal(cursorPage.triggers.length, 2);
  assert.equal(cursorPage.meta.has_more, true);
  const second = await zd.listTriggers({ pageSize: 2, after: cursorPage.meta.after_cursor });
  assert.notEqual(second.triggers[0].id, cursorPage.triggers[0].id);
  const offsetPage = await zd.listTriggers({ page: 1, perPage: 2 });
  assert.equal(offsetPage.triggers.length, 2);
  assert.equal(typeof offsetPage.count, 'number');

  const all = (await zd.listTriggers({ perPage: 100 })).count;
  for (const query of [{ pageSize: 2 }, { pagination: 'offset', perPage: 2 }]) {
    const seen = [];
    for await (const t of zd.triggers(query)) seen.push(t.id);
    assert.equal(seen.length, all, JSON.stringify(query));
    assert.equal(new Set(seen).size, all, 'no trigger twice');
    for (const id of ids) assert.ok(seen.includes(id));
  }
  const matches = [];
  for await (const t of zd.searchTriggers(prefix, { pageSize: 2 })) matches.push(t.title);
  assert.equal(matches.length, 5);

  // Calls to next() without awaiting run in order; break ends the walk.
  const it = zd.triggers({ pageSize: 2 });
  const [a, b, c] = await Promise.all([it.next(), it.next(), it.next()]);
  assert.equal(new Set([a.value.id, b.value.id, c.value.id]).size, 3);
  for await (const t of it) {
    assert.ok(t.id);
    break;
  }
  assert.deepEqual(await it.next(), { value: undefined, done: true });

  await assert.throws(() => zd.triggers({ page: 2, pageSize: 2 }), (e) => e.code === 'invalid_argument');
  await zd.destroyManyTriggers(ids);
  await rejects(zd.getTrigger(ids[0]), (e) => assert.equal(e.status, 404));
});

test('Zendesk: update_many, reorder, definitions, RecordInvalid', async () => {
  const zd = new tk.ZendeskClient({ baseUrl: emu.url, email: 'agent@example.com', password: DEV_TOKEN });
  const prefix = uniqueName('zdmany');
  const a = (await zd.createTrigger(zendeskTrigger(`${prefix}-a`))).trigger;
  const b = (await zd.createTrigger(zendeskTrigger(`${prefix}-b`))).trigger;
  const many = await zd.updateManyTriggers([{ id: a.id, active: false }, { id: b.id, active: false }]);
  assert.ok(many.triggers.every((t) => t.active === false));
  const order = [];
  for await (const t of zd.triggers()) order.push(t.id);
  const reordered = [b.id, ...order.filter((id) => id !== b.id)];
  await zd.reorderTriggers(reordered);
  const firstNow = (await zd.listTriggers({ pageSize: 1 })).triggers[0];
  assert.equal(firstNow.id, b.id);
  const definitions = await zd.triggerDefinitions();
  assert.ok(Array.isArray(definitions.definitions.conditions_all));
  await rejects(zd.createTrigger({ title: '' }), (e) => {
    assert.equal(e.status, 422);
    assert.equal(e.code, 'RecordInvalid');
    assert.ok(e.body.details.base.length > 0);
  });
  const bearer = new tk.ZendeskClient({ baseUrl: emu.url, oauthToken: 'wrong' });
  await rejects(bearer.listTriggers(), (e) => assert.equal(e.status, 401));
  assert.throws(() => new tk.ZendeskClient({ baseUrl: emu.url, email: 'x' }), (e) => e.code === 'invalid_argument');
  await zd.destroyManyTriggers([a.id, b.id]);
});
