// Node tests of the Zendesk rule engine in the built package (pkg/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import tk from './load.mjs';

const triggers = [
  {
    id: 360001, title: 'VIP tickets go to tier 2', position: 1,
    conditions: {
      all: [{ field: 'status', operator: 'less_than', value: 'solved' }],
      any: [
        { field: 'current_tags', operator: 'includes', value: 'vip enterprise' },
        { field: 'organization.custom_fields.tier', operator: 'is', value: 'gold' },
      ],
    },
    actions: [
      { field: 'group_id', value: '42' },
      { field: 'priority', value: 'high' },
      { field: 'notification_webhook', value: ['9001', '{"ticket": "{{ticket.id}}"}'] },
    ],
  },
  {
    id: 360002, title: 'Escalate refunds for tier 2', position: 2,
    conditions: {
      all: [
        { field: 'group_id', operator: 'is', value: '42' },
        { field: 'comment_includes_word', operator: 'includes', value: 'refund chargeback' },
      ],
    },
    actions: [{ field: 'current_tags', value: 'refund_escalated' }],
  },
  {
    id: 360003, title: 'Broken', position: 3,
    conditions: { all: [{ field: 'priority', operator: 'above', value: 'low' }] },
    actions: [],
  },
];

const update = {
  ticket: { id: 7, status: 'open', priority: 'low', tags: ['vip'], subject: 'Help' },
  comment: { body: 'I want a REFUND now', public: true },
};

test('compiles, reports problems and evaluates the firing cycle', () => {
  const rules = tk.compileZendeskTriggers(triggers);
  assert.deepEqual(rules.problems.map((p) => [p.path, p.code]), [
    ['/triggers/2/conditions/all/0/operator', 'invalid_operator'],
  ]);
  assert.deepEqual(rules.triggerIds, [360001, 360002]);
  const result = rules.evaluate(update);
  assert.deepEqual(result.fired, [360001, 360002]);
  assert.equal(result.ticket.group_id, 42);
  assert.equal(result.ticket.priority, 'high');
  assert.deepEqual(result.ticket.tags, ['vip', 'refund_escalated']);
  assert.deepEqual(result.effects, [
    { trigger_id: 360001, field: 'notification_webhook', value: ['9001', '{"ticket": "{{ticket.id}}"}'] },
  ]);
  assert.deepEqual(rules.match(update), [360001]);
  rules.free();
});

test('batches equal single calls, from arrays and from JSON text', () => {
  const rules = tk.compileZendeskTriggers({ triggers });
  const updates = [
    update,
    { ticket: { status: 'solved', tags: ['vip'] } },
    { ticket: { status: 'new', group_id: 42 }, comment: { body: 'chargeback!' }, organization: { organization_fields: { tier: 'gold' } } },
  ];
  const many = rules.evaluateMany(updates);
  assert.deepEqual(many, rules.evaluateMany(JSON.stringify(updates)));
  assert.deepEqual(many, updates.map((u) => rules.evaluate(u)));
  assert.deepEqual(many.map((r) => r.fired), [[360001, 360002], [], [360001, 360002]]);
  const flat = rules.matchMany(updates);
  assert.ok(flat instanceof Float64Array);
  assert.deepEqual([...flat], [1, 360001, 0, 2, 360001, 360002]);
  assert.deepEqual([...rules.matchMany(JSON.stringify(updates))], [...flat]);
  assert.deepEqual(rules.evaluate(JSON.stringify(update)), rules.evaluate(update));
});

test('non-ASCII JSON text crosses the boundary intact', () => {
  const rules = tk.compileZendeskTriggers([{
    id: 5, title: 'words',
    conditions: { all: [{ field: 'subject_includes_word', operator: 'includes', value: 'ärger 日本' }] },
    actions: [{ field: 'current_tags', value: 'Größe' }],
  }]);
  // A lone surrogate (not valid UTF-16) is replaced, as TextEncoder does.
  const text = JSON.stringify([{ ticket: { subject: '\uD800 Viel ÄRGER 🎉' } }, { ticket: { subject: '日本 x' } }, { ticket: { subject: 'nein' } }]);
  assert.deepEqual([...rules.matchMany(text)], [1, 5, 1, 5, 0]);
  const [first] = rules.evaluateMany(text);
  assert.equal(first.ticket.subject, '\uFFFD Viel ÄRGER 🎉');
  assert.deepEqual(first.ticket.tags, ['größe']);
});

test('a thousand chained triggers fire in order', () => {
  const chain = Array.from({ length: 1000 }, (_, i) => ({
    id: i + 1, title: `t${i}`, position: 1000 - i,
    conditions: { all: [{ field: 'current_tags', operator: 'includes', value: `t${i}` }] },
    actions: [{ field: 'current_tags', value: `t${i + 1}` }],
  }));
  const rules = tk.compileZendeskTriggers(chain);
  const result = rules.evaluate({ ticket: { tags: ['t0'] } });
  assert.equal(result.fired.length, 1000);
  assert.deepEqual(result.fired.slice(0, 3), [1, 2, 3]);
  assert.equal(result.ticket.tags.length, 1001);
});

test('non-data arguments throw RulesError with a code', () => {
  const cyclic = {}; cyclic.self = cyclic;
  for (const bad of [undefined, null, 3, 'x', cyclic, () => 1, new Map()]) {
    assert.throws(() => tk.compileZendeskTriggers(bad), (e) => e.name === 'RulesError' && e.code === 'invalid_triggers');
  }
  const rules = tk.compileZendeskTriggers(triggers);
  for (const bad of [undefined, cyclic, 10n, () => 1, 5, { nope: 1 }, { ticket: 'x' }]) {
    assert.throws(() => rules.evaluate(bad), (e) => e.code === 'invalid_update', String(bad));
  }
  assert.throws(() => rules.evaluateMany('[{"ticket": {}},\n oops]'),
    (e) => e.code === 'invalid_json' && e.line === 2 && typeof e.column === 'number');
  assert.throws(() => rules.matchMany([{ ticket: {} }, { ticket: [] }]),
    (e) => e.code === 'invalid_update' && e.index === 1);
  // Nesting too deep where the rules read: refused; where they do not: not looked at.
  let deep = {}; const root = { ticket: { status: 'open', tags: [deep] } };
  for (let i = 0; i < 10000; i++) { deep.a = {}; deep = deep.a; }
  assert.throws(() => rules.evaluate(root), (e) => e.code === 'invalid_update' && e.path.startsWith('/ticket/tags/0/a/a'));
  assert.deepEqual(rules.evaluate({ ticket: { status: 'open', x: root.ticket.tags[0] } }).fired, []);
  // The module still works after every refusal.
  assert.deepEqual(rules.match(update), [360001]);
});

test('the TypeScript declarations are precise', () => {
  const dts = readFileSync(new URL('../../pkg/node/triggerkit.d.mts', import.meta.url), 'utf8');
  for (const line of [
    'export function compileZendeskTriggers(triggers: ZendeskTrigger[] | { triggers: ZendeskTrigger[] }): ZendeskRuleSet;',
    'evaluate(update: TicketUpdate | string): EvaluationResult;',
    'evaluateMany(updates: TicketUpdate[] | string): EvaluationResult[];',
    'match(update: TicketUpdate | string): number[];',
    'matchMany(updates: TicketUpdate[] | string): Float64Array;',
    'readonly problems: Issue[];',
    'readonly triggerIds: number[];',
    'export interface EvaluationResult {',
    'export interface TicketUpdate {',
    'export interface Effect {',
    'export interface ZendeskTicket {',
  ]) {
    assert.ok(dts.includes(line), `missing from triggerkit.d.ts: ${line}`);
  }
  const section = dts.slice(dts.indexOf('export class ZendeskRuleSet'));
  assert.ok(!/\bany\b/.test(section.slice(0, section.indexOf('\n}'))), 'ZendeskRuleSet has no `any`');
});
