import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import Ajv2020 from 'ajv/dist/2020.js';
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

test('Pocketflows: the seed body is valid, once its placeholder filter is an expression', () => {
  const placeholder = tk.validatePocketflowsTrigger(pocketflowsSeed);
  assert.deepEqual(placeholder.errors.map((e) => [e.path, e.code]), [['/filter', 'invalid_filter']]);
  const body = { ...pocketflowsSeed, filter: 'event.properties.plan == "pro"' };
  const r = tk.validatePocketflowsTrigger(body);
  assert.equal(r.valid, true, JSON.stringify(r.errors));
  assert.deepEqual(r.value, body);
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
  const dts = await readFile(new URL('../../pkg/node/triggerkit.d.mts', import.meta.url), 'utf8');
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

// The schema of Rocket.Chat's isPOSTLivechatTriggersParams, checked by ajv
// with the server's options: the reference the validator must agree with.
const rocketChatSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    enabled: { type: 'boolean' },
    runOnce: { type: 'boolean' },
    conditions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', enum: ['time-on-site', 'page-url', 'chat-opened-by-visitor', 'after-guest-registration'] },
          value: { type: 'string', nullable: true },
        },
        required: ['name', 'value'],
        additionalProperties: false,
      },
      minItems: 1,
    },
    actions: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            properties: {
              name: { type: 'string', enum: ['send-message'] },
              params: {
                type: 'object',
                nullable: true,
                properties: {
                  sender: { type: 'string', enum: ['queue', 'custom'] },
                  msg: { type: 'string' },
                  name: { type: 'string', nullable: true },
                },
                required: ['sender', 'msg'],
                additionalProperties: false,
              },
            },
            required: ['name'],
            additionalProperties: false,
          },
          {
            type: 'object',
            properties: {
              name: { type: 'string', enum: ['use-external-service'] },
              params: {
                type: 'object',
                nullable: true,
                properties: {
                  sender: { type: 'string', enum: ['queue', 'custom'] },
                  name: { type: 'string', nullable: true },
                  serviceUrl: { type: 'string' },
                  serviceTimeout: { type: 'number' },
                  serviceFallbackMessage: { type: 'string' },
                },
                required: ['serviceUrl', 'serviceTimeout', 'serviceFallbackMessage'],
                additionalProperties: false,
              },
            },
            required: ['name'],
            additionalProperties: false,
          },
        ],
      },
      minItems: 1,
    },
    _id: { type: 'string', nullable: true },
  },
  required: ['name', 'description', 'enabled', 'runOnce', 'conditions', 'actions'],
  additionalProperties: false,
};

// The members the schema knows at each object position of a body (the
// params of both action kinds together), so edits also add members a base
// lacks, not only unknown ones.
function knownKeys(path) {
  if (path.length === 0) return Object.keys(rocketChatSchema.properties);
  if (path.length === 2 && path[0] === 'conditions') return ['name', 'value'];
  if (path.length === 2 && path[0] === 'actions') return ['name', 'params'];
  if (path.length === 3 && path[0] === 'actions' && path[2] === 'params') {
    return ['sender', 'msg', 'name', 'serviceUrl', 'serviceTimeout', 'serviceFallbackMessage'];
  }
  return [];
}

// Deterministic bodies: valid bases with one to three random edits, each
// removing a member or item, adding a member the schema knows or an unknown
// one, or replacing a value with a filler (null, wrongly typed, coercible).
function* generatedBodies(count, seed) {
  const next = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const pick = (items) => items[Math.floor(next() * items.length)];
  const fillers = [null, null, '', '0', '1', 0, 1, -1, 1.5, true, false, 'true', 'false', 'x', ' 12 ', '0x10', 'Infinity',
    '   ', [], {}, ['a'], { a: 1 }, 'send-message', 'use-external-service', 'queue', 'custom', 'page-url', 1e21, 1e-7,
    'NaN', '1e3', '.5', '1e400', '\t5\n', '0b11', 'TRUE', 5000, '-0', -0, { sender: 'queue', msg: 'm' },
    { serviceUrl: 'u', serviceTimeout: 1, serviceFallbackMessage: 'f' }, { sender: 'custom', msg: 'm', name: null }];
  const bases = [
    { name: 'n', description: 'd', enabled: true, runOnce: false, conditions: [{ name: 'page-url', value: 'x' }],
      actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hi' } }] },
    { name: 'n', description: 'd', enabled: 'false', runOnce: 'true', _id: 'abc',
      conditions: [{ name: 'time-on-site', value: 5 }, { name: 'chat-opened-by-visitor', value: null }],
      actions: [{ name: 'use-external-service', params: { serviceUrl: 'https://a', serviceTimeout: '5000', serviceFallbackMessage: 'f', sender: 'custom', name: null } }] },
    { name: 'n', description: 'd', enabled: 1, runOnce: 0, conditions: [{ name: 'after-guest-registration', value: '0' }],
      actions: [{ name: 'send-message' }, { name: 'send-message', params: null }, { name: 'send-message', params: { sender: 'custom', msg: 'm', name: 'Bot' } }] },
    { _id: null, name: null, description: 5, enabled: 'true', runOnce: null, conditions: [{ name: 'page-url', value: null }],
      actions: [{ name: 'use-external-service', params: { serviceUrl: 1, serviceTimeout: null, serviceFallbackMessage: false, name: null } },
        { name: 'send-message', params: { sender: 'queue', msg: null, name: null } }, { name: 'send-message', params: '' }] },
  ];
  const paths = (value, path = []) => [path, ...(value && typeof value === 'object'
    ? Object.keys(value).flatMap((key) => paths(value[key], [...path, key])) : [])];
  for (let i = 0; i < count; i++) {
    const body = structuredClone(pick(bases));
    const edits = 1 + Math.floor(next() * 3);
    for (let e = 0; e < edits; e++) {
      const roll = next();
      if (roll < 0.25) {
        // Add (or overwrite) a member the schema knows at this position.
        const objects = paths(body).filter((p) => knownKeys(p).length > 0);
        const path = pick(objects);
        let target = body;
        for (const key of path) target = target?.[key];
        if (target && typeof target === 'object' && !Array.isArray(target)) {
          target[pick(knownKeys(path))] = structuredClone(pick(fillers));
        }
        continue;
      }
      const path = pick(paths(body).filter((p) => p.length > 0));
      let parent = body;
      for (const key of path.slice(0, -1)) parent = parent[key];
      const key = path[path.length - 1];
      if (roll < 0.45) { if (Array.isArray(parent)) parent.splice(key, 1); else delete parent[key]; }
      else if (roll < 0.52 && !Array.isArray(parent)) parent[`extra${e}`] = structuredClone(pick(fillers));
      else parent[key] = structuredClone(pick(fillers));
    }
    yield body;
  }
}

const sorted = (value) => Array.isArray(value) ? value.map(sorted)
  : value && typeof value === 'object' ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]))
    : value;

// Where an accepted body held null, as a schema position (`actions/*/params/name`).
function nullPositions(value, path = [], out = new Set()) {
  if (value === null) out.add(path.map((k) => (typeof k === 'number' || /^\d+$/.test(k) ? '*' : k)).join('/'));
  else if (value && typeof value === 'object') for (const key of Object.keys(value)) nullPositions(value[key], [...path, key], out);
  return out;
}

test('Rocket.Chat verdicts, error texts and coerced values match ajv with the server schema', () => {
  const serverCheck = new Ajv2020({ coerceTypes: true, allowUnionTypes: true, discriminator: true }).compile(rocketChatSchema);
  let valid = 0;
  let count = 0;
  let changed = 0;
  const nulls = new Map();
  for (const body of generatedBodies(20000, 7)) {
    count++;
    const data = structuredClone(body);
    const accepted = serverCheck(data);
    const result = tk.validateRocketChatTrigger(body);
    const label = JSON.stringify(body);
    assert.equal(result.valid, accepted, label);
    const serverText = accepted ? null : `${serverCheck.errors.map((e) => e.message).join('\n ')} [invalid-params]`;
    assert.equal(tk.rocketChatErrorText(result), serverText, label);
    if (accepted) {
      valid++;
      // The body ajv mutated is what the server stores: value must be it,
      // nulls and coercions included, nothing added (strict: -0, Infinity).
      assert.deepStrictEqual(sorted(result.value), sorted(data), label);
      if (!isDeepStrictEqual(sorted(body), sorted(data))) changed++;
      for (const position of nullPositions(data)) nulls.set(position, (nulls.get(position) ?? 0) + 1);
    } else {
      assert.equal(result.value, undefined, label);
    }
  }
  assert.equal(count, 20000);
  assert.ok(valid > 2000 && valid < 18000, `both verdicts are exercised (${valid} valid)`);
  assert.ok(changed > 500, `ajv coerced something in ${changed} accepted bodies`);
  for (const position of ['_id', 'conditions/*/value', 'actions/*/params', 'actions/*/params/name']) {
    assert.ok((nulls.get(position) ?? 0) > 20, `accepted bodies with null at ${position}: ${nulls.get(position) ?? 0}`);
  }
  console.log(`ajv comparison: ${count} bodies, ${valid} accepted (${changed} coerced by ajv), nulls kept: ${JSON.stringify(Object.fromEntries(nulls))}`);
});

test('a validated Rocket.Chat trigger serializes as the server needs it', () => {
  const r = tk.validateRocketChatTrigger({ ...seed, conditions: [{ name: 'page-url', value: null }] });
  assert.equal(r.valid, true);
  assert.deepEqual(JSON.parse(JSON.stringify(r.value)), {
    name: 'api-trigger', description: 'testing create trigger endpoint', enabled: false, runOnce: true,
    conditions: [{ name: 'page-url', value: null }],
    actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hello world' } }],
  });
  assert.deepEqual(r.warnings.map((w) => [w.path, w.code]), [['/conditions/0/value', 'missing_pattern']]);
});

const zendeskBody = {
  trigger: {
    actions: [{ field: 'group_id', value: '20455932' }],
    category_id: '10026',
    conditions: { all: [{ field: 'status', operator: 'is', value: 'open' }, { field: 'priority', operator: 'less_than', value: 'high' }] },
    title: 'Roger Wilco',
  },
};

const zendeskDefinitions = {
  definitions: {
    actions: [{ group: 'ticket', nullable: false, repeatable: false, subject: 'status', title: 'Status', type: 'list',
      values: [{ enabled: true, title: 'Open', value: 'open' }, { enabled: true, title: 'Solved', value: 'solved' }] }],
    conditions_all: [{ group: 'ticket', nullable: false, repeatable: false, subject: 'status', title: 'Status', type: 'list',
      operators: [{ terminal: false, title: 'Is', value: 'is' }, { terminal: true, title: 'Changed', value: 'changed' }],
      values: [{ enabled: true, title: 'Open', value: 'open' }] }],
    conditions_any: [],
  },
};

test('Zendesk triggers validate against the reference and the definitions', () => {
  for (const definitions of [undefined, null]) {
    const r = tk.validateZendeskTrigger(zendeskBody, definitions);
    assert.equal(r.valid, true);
    assert.equal(r.value.active, true);
    assert.equal(tk.zendeskRecordInvalid(r), null);
  }
  const r = tk.validateZendeskTrigger(zendeskBody, zendeskDefinitions);
  assert.equal(r.valid, false);
  assert.deepEqual(r.errors.map((e) => [e.path, e.code]), [
    ['/trigger/conditions/all/1/field', 'unknown_field'],
    ['/trigger/actions/0/field', 'unknown_field'],
  ]);
  const record = tk.zendeskRecordInvalid(r);
  assert.equal(record.error, 'RecordInvalid');
  assert.equal(record.description, 'Record validation errors');
  assert.deepEqual(record.details.base.map((d) => d.error), ['InvalidValue', 'InvalidValue']);
  assert.match(record.details.base[0].description, /^Conditions: 'priority' /);

  const fits = { title: 'Reopen', conditions: { all: [{ field: 'status', operator: 'changed' }] }, actions: [{ field: 'status', value: 'open' }] };
  assert.equal(tk.validateZendeskTrigger(fits, zendeskDefinitions).valid, true);
  assert.throws(() => tk.validateZendeskTrigger(fits, { definitions: 'all' }),
    (e) => e instanceof Error && e.code === 'invalid_argument');
  assert.throws(() => tk.zendeskRecordInvalid(42), (e) => e.code === 'invalid_argument');
});
