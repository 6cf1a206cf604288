// Node tests of the Zendesk trace and trigger-set diff through the built
// package: `ZendeskRuleSet.explain` gives `evaluate`'s fired triggers,
// ticket and effects on every fixture update (objects and JSON text) plus
// a consistent account of each pass; `diffZendeskTriggerSets` agrees with
// two `evaluateMany` runs and reads arrays, JSON text and Buffers alike;
// errors are RulesErrors with codes; the declarations are precise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import tk from './load.mjs';
import { triggers, makeUpdates, FIXTURE_SEED, FIXTURE_COUNT } from './rules-data.mjs';

const rules = tk.compileZendeskTriggers(triggers);
// Plain data of a result whose ticket and effects are lazy accessors.
const data = (r) => JSON.parse(JSON.stringify({ fired: r.fired, ticket: r.ticket, effects: r.effects }));

// The checks every trace must pass against the plain evaluation.
function checkTrace(x, plain, label) {
  assert.deepEqual({ fired: x.fired, ticket: x.ticket, effects: x.effects }, plain, label);
  const ids = rules.triggerIds;
  const fired = [];
  x.passes.forEach((pass, p) => {
    assert.equal(pass.index, p);
    assert.deepEqual(pass.triggers.map((t) => t.id), ids.slice(0, pass.triggers.length), `${label} pass ${p}`);
    for (const t of pass.triggers) {
      if (t.outcome === 'skipped') {
        assert.ok(fired.includes(t.id), `${label}: ${t.id} skipped before firing`);
        continue;
      }
      const { all, any } = t.conditions;
      const holds = all.every((c) => c.held) && (any.length === 0 || any.some((c) => c.held));
      assert.equal(t.outcome, holds ? 'fired' : 'not_matched', `${label}: trigger ${t.id}`);
      assert.equal('actions' in t, holds);
      for (const c of [...all, ...any]) assert.deepEqual(Object.keys(c), ['field', 'operator', 'value', 'actual', 'held']);
      if (holds) fired.push(t.id);
    }
  });
  assert.equal(x.passes.at(-1).triggers.length, ids.length, `${label}: the last pass reads every trigger`);
  assert.deepEqual(fired, x.fired, label);
}

test('explain agrees with evaluate on every fixture update, from objects and JSON text', () => {
  const fixture = makeUpdates(FIXTURE_SEED, FIXTURE_COUNT);
  const more = makeUpdates(FIXTURE_SEED + 1, 300, { loneSurrogates: false });
  let traced = 0;
  for (const [i, u] of [...fixture, ...more].entries()) {
    const text = JSON.stringify(u);
    checkTrace(rules.explain(text), data(rules.evaluate(text)), `text ${i}`);
    traced++;
    // An object's ticket comes back parsed through JSON: lone surrogates
    // read as U+FFFD, so objects are compared on the updates without them.
    if (i >= fixture.length) {
      checkTrace(rules.explain(u), data(rules.evaluate(u)), `object ${i}`);
      traced++;
    }
  }
  assert.equal(traced, 680);
});

test('a trace says what each condition read and what each action changed', () => {
  const set = tk.compileZendeskTriggers([
    { id: 1, title: 'escalate', position: 1,
      conditions: { all: [{ field: 'status', operator: 'changed' }], any: [{ field: 'current_tags', operator: 'includes', value: 'vip gold' }] },
      actions: [{ field: 'priority', value: 'urgent' }, { field: 'current_tags', value: 'escalated' }] },
    { id: 2, title: 'urgent', position: 2,
      conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }] },
      actions: [{ field: 'notification_webhook', value: ['9', '{}'] }] },
  ]);
  const x = set.explain({ ticket: { status: 'open', priority: 'low', tags: ['VIP'] }, previous: { status: 'new' } });
  assert.deepEqual(x.fired, [1, 2]);
  assert.deepEqual(x.passes.map((p) => p.triggers.map((t) => t.outcome)), [
    ['fired'], ['skipped', 'fired'],
  ]);
  assert.deepEqual(x.passes[0].triggers[0].conditions, {
    all: [{ field: 'status', operator: 'changed', value: null, actual: { before: 'new', current: 'open' }, held: true }],
    any: [{ field: 'current_tags', operator: 'includes', value: 'vip gold', actual: ['vip'], held: true }],
  });
  assert.deepEqual(x.passes[0].triggers[0].actions, [
    { field: 'priority', value: 'urgent', before: 'low', after: 'urgent' },
    { field: 'current_tags', value: 'escalated', before: ['VIP'], after: ['VIP', 'escalated'] },
  ]);
  assert.deepEqual(x.passes[1].triggers[1].actions, [{ field: 'notification_webhook', value: ['9', '{}'] }]);
  assert.deepEqual(x.effects, [{ trigger_id: 2, field: 'notification_webhook', value: ['9', '{}'] }]);
});

test('diff agrees with two evaluateMany runs, from arrays, JSON text and Buffers', () => {
  // Edited: trigger 2 reads another tag, trigger 6 dropped, trigger 4's actions changed.
  const after = triggers
    .filter((t) => t.id !== 6)
    .map((t) => (t.id === 2 ? { ...t, conditions: { all: [{ field: 'current_tags', operator: 'includes', value: 'größe' }], any: [] } }
      : t.id === 4 ? { ...t, actions: [{ field: 'status', value: 'pending' }] } : t));
  const updates = makeUpdates(FIXTURE_SEED, 200, { loneSurrogates: false });
  const text = JSON.stringify(updates);
  const before = rules.evaluateMany(text).map(data);
  const afterResults = tk.compileZendeskTriggers(after).evaluateMany(text).map(data);
  const want = [];
  const counts = {};
  before.forEach((b, i) => {
    const a = afterResults[i];
    if (JSON.stringify(a.fired) === JSON.stringify(b.fired) && JSON.stringify(a.effects) === JSON.stringify(b.effects)) {
      const keys = new Set([...Object.keys(b.ticket), ...Object.keys(a.ticket)]);
      if ([...keys].every((k) => JSON.stringify(b.ticket[k] ?? null) === JSON.stringify(a.ticket[k] ?? null))) return;
    }
    want.push(i);
    for (const id of a.fired.filter((id) => !b.fired.includes(id))) (counts[id] ??= { newlyFired: 0, noLongerFired: 0 }).newlyFired++;
    for (const id of b.fired.filter((id) => !a.fired.includes(id))) (counts[id] ??= { newlyFired: 0, noLongerFired: 0 }).noLongerFired++;
  });
  assert.ok(want.length > 20, `the edits change outcomes (${want.length})`);
  const results = [updates, text, Buffer.from(text), new TextEncoder().encode(text)]
    .map((input) => tk.diffZendeskTriggerSets(triggers, { triggers: after }, input));
  for (const diff of results) assert.deepEqual(diff, results[0]);
  const diff = results[0];
  assert.deepEqual(diff.changes.map((c) => c.index), want);
  assert.deepEqual(diff.summary, { updates: 200, changed: want.length, triggers: counts });
  for (const c of diff.changes) {
    assert.deepEqual(c.firedBefore, before[c.index].fired);
    assert.deepEqual(c.firedAfter, afterResults[c.index].fired);
    for (const { field, before: b, after: a } of c.ticket) {
      assert.deepEqual(b ?? null, before[c.index].ticket[field] ?? null, `${c.index} ${field}`);
      assert.deepEqual(a ?? null, afterResults[c.index].ticket[field] ?? null, `${c.index} ${field}`);
    }
  }
  assert.deepEqual(tk.diffZendeskTriggerSets(triggers, triggers, text).changes, []);
});

test('explain and diff throw RulesErrors with codes', () => {
  const throwsCode = (fn, code, extra = {}) => assert.throws(fn, (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'RulesError');
    assert.equal(e.code, code);
    for (const [k, v] of Object.entries(extra)) assert.equal(e[k], v, k);
    return true;
  });
  throwsCode(() => rules.explain('{"ticket": '), 'invalid_json');
  throwsCode(() => rules.explain({ ticket: 5 }), 'invalid_update');
  throwsCode(() => rules.explain({ ticket: { when: new Date(0) } }), 'invalid_update', { path: '/ticket/when' });
  throwsCode(() => tk.diffZendeskTriggerSets(5, triggers, []), 'invalid_triggers');
  throwsCode(() => tk.diffZendeskTriggerSets(triggers, { nope: 1 }, []), 'invalid_triggers');
  throwsCode(() => tk.diffZendeskTriggerSets(triggers, triggers, '[{"ticket": {}}, {"ticket": 1}]'), 'invalid_update', { index: 1 });
  throwsCode(() => tk.diffZendeskTriggerSets(triggers, triggers, [{ ticket: {} }, { ticket: { status: 1n } }]), 'invalid_update', { index: 1, path: '/ticket/status' });
  // Members neither set reads or writes are not looked at.
  assert.equal(tk.diffZendeskTriggerSets(triggers, triggers, [{ ticket: { n: 1n } }]).summary.updates, 1);
  throwsCode(() => tk.diffZendeskTriggerSets(triggers, triggers, Buffer.from([0x5b, 0xff, 0x5d])), 'invalid_json');
  throwsCode(() => tk.diffZendeskTriggerSets(triggers, triggers, 42), 'invalid_update');
  // The module still works.
  assert.equal(tk.diffZendeskTriggerSets(triggers, triggers, '[]').summary.updates, 0);
});

test('the TypeScript declarations of explain and diff are precise', () => {
  // The declarations of the browser build with the Zendesk engine (triggerkit/zendesk; the
  // Node entry's .d.mts declares the same API).
  const url = new URL('../../pkg/zendesk/triggerkit_zendesk.d.ts', import.meta.url);
  assert.ok(existsSync(url), 'pkg/zendesk/triggerkit_zendesk.d.ts is missing');
  const dts = readFileSync(url, 'utf8');
  for (const line of [
    'explain(update: TicketUpdate | string): ZendeskExplanation;',
    'export function diffZendeskTriggerSets(before: ZendeskTrigger[] | { triggers: ZendeskTrigger[] }, after: ZendeskTrigger[] | { triggers: ZendeskTrigger[] }, updates: TicketUpdate[] | string | Uint8Array): ZendeskTriggerSetDiff;',
    'export interface ZendeskExplanation {',
    'export type ZendeskTraceOutcome = "fired" | "skipped" | "not_matched";',
    'export type ZendeskTraceValue = string | number | boolean | null | string[];',
    'export interface ZendeskTriggerSetDiff {',
  ]) {
    assert.ok(dts.includes(line), `missing from the declarations: ${line}`);
  }
  for (const name of ['ZendeskExplanation', 'ZendeskTracePass', 'ZendeskTriggerTrace', 'ZendeskConditionTrace',
    'ZendeskActionTrace', 'ZendeskTraceActual', 'ZendeskTriggerSetDiff', 'ZendeskUpdateChange', 'ZendeskFieldChange',
    'ZendeskEffectChanges', 'ZendeskDiffSummary', 'ZendeskTriggerDiffCounts']) {
    const at = dts.search(new RegExp(`export (interface|type) ${name}\\b`));
    assert.ok(at >= 0, `${name} is declared`);
    const decl = dts.slice(at, dts.indexOf('\n}', at) + 2 || undefined).split('\nexport ')[0];
    assert.ok(!/\bany\b/.test(decl), `${name} has no any: ${decl}`);
  }
});
