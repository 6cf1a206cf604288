import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';

const seed = {
  name: 'api-trigger',
  description: 'testing create trigger endpoint',
  enabled: 'false',
  runOnce: 'true',
  conditions: [{ name: 'chat-opened-by-visitor', value: '0' }],
  actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hello world' } }],
};

test('hostile inputs never throw', () => {
  const cyclic = {}; cyclic.self = cyclic;
  let deep = {}; const root = deep;
  for (let i = 0; i < 10000; i++) { deep.a = {}; deep = deep.a; }
  const inputs = [undefined, null, 1, 'x', [], cyclic, root, () => 1, 10n, new Map(), 'x'.repeat(10_000_000), Symbol('s')];
  for (const input of inputs) {
    for (const fn of [tk.validateRocketChatTrigger, tk.validateZendeskTrigger, tk.validatePocketflowsTrigger,
      tk.validateComposioTriggerInstance, tk.validateZapierInbox]) {
      const r = fn(input);
      assert.equal(r.valid, false);
      assert.ok(r.errors.length > 0);
      for (const e of r.errors) assert.equal(typeof e.code, 'string');
    }
  }
});

test('rocketChatErrorText is null for a valid result', () => {
  const r = tk.validateRocketChatTrigger({ ...seed, enabled: false, runOnce: true });
  assert.equal(tk.rocketChatErrorText(r), null);
});

const pocketflowsSeed = {
  project_defined_event: '<string>', name: '<string>', filter: '<string>', metadata: {},
  attributed_revenue: 123,
  steps: [{ type: 'email', custom_step_id: '<string>', email_template_id: '<string>' }],
  email_address: '<string>', phone_number: '<string>', excluded_customers: ['<string>'],
};

test('Pocketflows: the seed body is valid and its value equals it', () => {
  const r = tk.validatePocketflowsTrigger(pocketflowsSeed);
  assert.equal(r.valid, true, JSON.stringify(r.errors));
  assert.deepEqual(r.value, pocketflowsSeed);
});

test('Pocketflows: every problem is located at once', () => {
  const r = tk.validatePocketflowsTrigger({ name: '', steps: [{ type: 'email' }, { type: 'fax' }] });
  assert.deepEqual(r.errors.map((e) => [e.path, e.code]), [
    ['/project_defined_event', 'required'],
    ['/name', 'empty'],
    ['/steps/0/email_template_id', 'required'],
    ['/steps/1/type', 'unknown_step_type'],
    ['/email_address', 'required'],
  ]);
  assert.equal(r.value, undefined);
});

test('Composio: schema is optional, deprecated fields warn and map', () => {
  const r = tk.validateComposioTriggerInstance({ connectedAuthId: 'ca_1', triggerConfig: { repo: 'r' } });
  assert.equal(r.valid, true);
  assert.deepEqual(r.warnings.map((w) => [w.path, w.code]), [
    ['/connectedAuthId', 'deprecated'], ['/triggerConfig', 'deprecated'],
  ]);
  assert.deepEqual(r.value, { connected_account_id: 'ca_1', trigger_config: { repo: 'r' } });

  const schema = { type: 'object', properties: { repo: { type: 'string' }, branch: { type: 'string', default: 'main' } }, required: ['owner'] };
  const checked = tk.validateComposioTriggerInstance({ connected_account_id: 'ca_1', trigger_config: { repo: 1 } }, schema);
  assert.deepEqual(checked.errors.map((e) => [e.path, e.code]), [
    ['/trigger_config/repo', 'type'], ['/trigger_config/owner', 'required'],
  ]);
  const envelope = tk.composioErrorEnvelope(checked);
  assert.equal(envelope.error.status, 400);
  assert.equal(envelope.error.errors.length, 2);

  const filled = tk.validateComposioTriggerInstance({ connected_account_id: 'ca_1', trigger_config: { owner: 'o' } }, schema);
  assert.deepEqual(filled.value.trigger_config, { owner: 'o', branch: 'main' });
  assert.equal(tk.composioErrorEnvelope(filled), null);

  const pinned = tk.validateComposioTriggerInstance({ connected_account_id: 'ca_1', version: '20250905_00' }, undefined, 'github');
  assert.deepEqual(pinned.value.toolkit_versions, { github: '20250905_00' });
  assert.equal(tk.validateComposioSlug('github_commit_event').value, 'GITHUB_COMMIT_EVENT');
});

test('Zapier: input fields are optional, checked and defaulted when given', () => {
  const body = { app: 'slack', action: 'channel_message', connection: 'CONNECTION_ID', inputs: { channel: 'C0123ABC456' } };
  assert.deepEqual(tk.validateZapierInbox(body).value, body);
  const fields = [
    { key: 'channel', title: 'Channel', value_type: 'STRING', format: 'SELECT', is_required: true },
    { key: 'listen_for_bots', value_type: 'BOOLEAN', format: 'SELECT', is_required: false, default_value: 'no' },
  ];
  const r = tk.validateZapierInbox(body, fields);
  assert.deepEqual(r.value.inputs, { channel: 'C0123ABC456', listen_for_bots: false });
  const bad = tk.validateZapierInbox({ ...body, inputs: { listen_for_bots: 'maybe' }, notification_url: 'ftp://x' }, fields);
  assert.deepEqual(bad.errors.map((e) => [e.path, e.code]), [
    ['/notification_url', 'invalid_url'], ['/inputs/channel', 'required'], ['/inputs/listen_for_bots', 'type'],
  ]);
  assert.equal(tk.zapierErrorBody(bad).code, 'validation_error');
  assert.throws(() => tk.validateZapierInbox(body, 'not fields'), (e) => e.code === 'invalid_argument');
});

test('Zapier: inbox names safe in a URL path', () => {
  assert.deepEqual(tk.validateZapierInboxName('my-slack-inbox'), []);
  for (const name of ['', '..', 'a/b', 'a b', 'x'.repeat(101)]) {
    assert.equal(tk.validateZapierInboxName(name).length, 1, name);
  }
});

test('TypeScript declarations have the optional arguments', async () => {
  const { readFile } = await import('node:fs/promises');
  const dts = await readFile(new URL('../../pkg/triggerkit.d.ts', import.meta.url), 'utf8');
  for (const line of [
    'export function validateComposioTriggerInstance(input: unknown, configSchema?: object, toolkitSlug?: string): ValidationResult<ComposioUpsertInput>;',
    'export function validateZapierInbox(input: unknown, inputFields?: ZapierInputField[]): ValidationResult<ZapierInboxInput>;',
    'export function validateZapierInboxName(name: string): Issue[];',
    'export function composioErrorEnvelope(result: ValidationResult<unknown>): ComposioErrorEnvelope | null;',
    'export type ToolkitVersions = LatestKeyword | Record<string, string>;',
  ]) {
    assert.ok(dts.includes(line), line);
  }
  assert.equal((dts.match(/export function validateZapierInbox\(/g) || []).length, 1);
});
