// Node tests of how the rule engine hands results and reads objects: lazy
// `ticket`/`effects` that serialize, spread and clone like the eager
// results of before (fixtures/rules-eager.json, from the eager build),
// input objects cut down to what the rules read, the documented identity
// of unchanged tickets, and located errors for data that is not JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import tk from './load.mjs';
import { triggers, makeUpdates, FIXTURE_SEED, FIXTURE_COUNT } from './rules-data.mjs';

const eagerText = readFileSync(new URL('./fixtures/rules-eager.json', import.meta.url), 'utf8').trim();
const eager = JSON.parse(eagerText);
const rules = tk.compileZendeskTriggers(triggers);
const updates = makeUpdates(FIXTURE_SEED, FIXTURE_COUNT);
const MUTATING = new Set([1, 3, 4, 5]);
const changes = (r) => r.fired.some((id) => MUTATING.has(id));

test('results from JSON text serialize exactly as the eager results did', () => {
  assert.equal(rules.problems.length, 0);
  for (const text of [JSON.stringify(updates), JSON.stringify(updates, null, 2)]) {
    const results = rules.evaluateMany(text);
    assert.equal(JSON.stringify(results), eagerText);
    // Read in another order, one member at a time: still the same.
    const again = rules.evaluateMany(text);
    for (let i = again.length - 1; i >= 0; i--) {
      assert.equal(JSON.stringify(again[i].effects), JSON.stringify(eager[i].effects), `effects ${i}`);
      assert.equal(JSON.stringify(again[i].ticket), JSON.stringify(eager[i].ticket), `ticket ${i}`);
    }
  }
  // One update per call gives the same results.
  updates.forEach((u, i) => {
    assert.equal(JSON.stringify(rules.evaluate(JSON.stringify(u))), JSON.stringify(eager[i]), `update ${i}`);
  });
});

test('spread, structuredClone and deepEqual see plain data', () => {
  const results = rules.evaluateMany(JSON.stringify(updates));
  for (const [i, r] of results.entries()) {
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.deepEqual(Object.keys(r), ['fired', 'ticket', 'effects']);
    assert.ok(Array.isArray(r.fired));
    const spread = { ...r };
    assert.equal(Object.getOwnPropertyDescriptor(spread, 'ticket').get, undefined);
    assert.equal(JSON.stringify(spread), JSON.stringify(eager[i]));
    assert.equal(JSON.stringify(structuredClone(r)), JSON.stringify(eager[i]));
    assert.deepEqual(r, eager[i]);
  }
});

test('ticket and effects are parsed once, on first read, and can be assigned', () => {
  const [r, s] = rules.evaluateMany(JSON.stringify(updates.slice(0, 2)));
  for (const key of ['ticket', 'effects']) {
    const d = Object.getOwnPropertyDescriptor(r, key);
    assert.equal(typeof d.get, 'function');
    assert.equal(typeof d.set, 'function');
    assert.ok(d.enumerable && d.configurable);
  }
  assert.equal(r.ticket, r.ticket, 'kept after the first read');
  assert.equal(r.effects, r.effects);
  r.ticket.status = 'changed by the caller';
  assert.equal(r.ticket.status, 'changed by the caller');
  s.ticket = { replaced: true };
  s.effects = undefined;
  assert.deepEqual(s.ticket, { replaced: true });
  assert.equal(s.effects, undefined);
  assert.equal(JSON.stringify(s), `{"fired":${JSON.stringify(s.fired)},"ticket":{"replaced":true}}`);
  // Effects come from the triggers that fired, whatever is done to `fired`.
  const [t] = rules.evaluateMany(JSON.stringify([updates[0]]));
  const effects = JSON.stringify(eager[0].effects);
  t.fired.length = 0;
  assert.equal(JSON.stringify(t.effects), effects);
  delete t.ticket;
  assert.deepEqual(Object.keys(t), ['fired', 'effects']);
});

test('lone surrogates in JSON text read as U+FFFD, at the right offsets', () => {
  // JSON.stringify escapes lone surrogates; unescaped, they are not
  // well-formed UTF-16, which wasm reads as U+FFFD (one code unit too).
  const escaped = JSON.stringify(updates);
  assert.ok(escaped.includes('\\ud83c'), 'the data has lone surrogates');
  const raw = escaped.replaceAll('\\ud83c', '\uD83C');
  assert.ok(!raw.isWellFormed());
  for (const text of [escaped, raw]) {
    assert.equal(JSON.stringify(rules.evaluateMany(text)), eagerText);
  }
});

test('objects give the eager results; unchanged tickets are the input objects', () => {
  const clean = makeUpdates(FIXTURE_SEED, FIXTURE_COUNT, { loneSurrogates: false });
  const cleanText = JSON.stringify(clean);
  const reference = rules.evaluateMany(cleanText);
  const results = rules.evaluateMany(clean);
  assert.deepEqual(results, reference);
  let unchanged = 0;
  results.forEach((r, i) => {
    const input = clean[i].ticket;
    if (changes(r)) {
      assert.notEqual(r.ticket, input, `update ${i}: a new ticket`);
      assert.equal(r.ticket.via, input.via, `update ${i}: unchanged members are shared`);
      assert.deepEqual(Object.keys(r.ticket).slice(0, Object.keys(input).length), Object.keys(input),
        `update ${i}: input key order first`);
    } else {
      unchanged++;
      assert.equal(r.ticket, input, `update ${i}: the input ticket itself`);
    }
  });
  assert.ok(unchanged > 10 && unchanged < clean.length - 10, `${unchanged} unchanged`);
  clean.forEach((u, i) => {
    assert.deepEqual(rules.evaluate(u), reference[i], `update ${i}`);
    assert.deepEqual(rules.match(u), rules.match(JSON.stringify(u)), `update ${i}`);
  });
  assert.deepEqual([...rules.matchMany(clean)], [...rules.matchMany(cleanText)]);
});

test('changing the input after the call: only shared members show the change', () => {
  const update = {
    ticket: { status: 'new', tags: ['vip'], subject: 'refund', via: { channel: 'web' } },
    comment: { body: 'urgent' },
  };
  const quiet = { ticket: { status: 'solved', via: { channel: 'web' } } };
  const [changed, same] = rules.evaluateMany([update, quiet]);
  assert.deepEqual(changed.fired, [1, 2, 4]);
  assert.deepEqual(same.fired, []);
  update.ticket.status = 'closed';
  update.ticket.tags.push('late');
  update.ticket.via.channel = 'api';
  update.comment.body = 'x';
  assert.equal(changed.ticket.status, 'open', 'written by the actions');
  assert.deepEqual(changed.ticket.tags, ['seen', 'größe'], 'a new array');
  assert.equal(changed.ticket.via.channel, 'api', 'shared with the input');
  quiet.ticket.status = 'open';
  assert.equal(same.ticket.status, 'open', 'the input ticket itself');
  // JSON text results share nothing with anything.
  const fromText = rules.evaluate(JSON.stringify(quiet));
  assert.notEqual(fromText.ticket, quiet.ticket);
});

test('members the rules never read are not looked at', () => {
  const created = new Date(0);
  const update = {
    ticket: { status: 'solved', created_at: created, helper: () => 1, big: 10n, description: { deep: 1 } },
    extra: Symbol('x'),
  };
  let deep = update.ticket.description;
  for (let i = 0; i < 1000; i++) { deep.a = {}; deep = deep.a; }
  update.ticket.self = update.ticket;
  const [r] = rules.evaluateMany([update]);
  assert.deepEqual(r.fired, []);
  assert.equal(r.ticket, update.ticket);
  assert.equal(r.ticket.created_at, created);
  assert.deepEqual(rules.match(update), []);
});

test('data that is not JSON where the rules read it is refused with its path', () => {
  const cyclic = ['vip']; cyclic.push(cyclic);
  const deepTags = []; let d = deepTags;
  for (let i = 0; i < 200; i++) { const next = []; d.push(next); d = next; }
  class Ticket { constructor() { this.status = 'open'; } }
  const cases = [
    [{ ticket: { status: () => 'open' } }, '/ticket/status', /function/],
    [{ ticket: { status: 'open', tags: ['vip', 10n] } }, '/ticket/tags/1', /bigint/],
    [{ ticket: { status: 'open', tags: cyclic } }, /^\/ticket\/tags(\/1)+$/, /deeper|cyclic/],
    [{ ticket: { tags: deepTags } }, /^\/ticket\/tags(\/0)+$/, /deeper/],
    [{ ticket: { subject: Symbol('s') } }, '/ticket/subject', /symbol/],
    [{ ticket: { priority: NaN } }, '/ticket/priority', /NaN is not a finite number/],
    [{ ticket: { status: 'open', custom_fields: [{ id: 100, value: new Map() }] } }, '/ticket/custom_fields/0/value', /Map/],
    [{ ticket: new Ticket() }, '/ticket', /Ticket is not JSON data/],
    [{ ticket: { satisfaction_rating: { score: new Date(0) } } }, '/ticket/satisfaction_rating/score', /Date/],
    [{ ticket: {}, comment: { body: 1n } }, '/comment/body', /bigint/],
    [{ ticket: {}, requester: { user_fields: { plan: () => 1 } } }, '/requester/user_fields/plan', /function/],
    [{ ticket: { ['a/b~c']: 1, subject: 'x', tags: [{ ['a/b~c']: () => 1 }] } }, '/ticket/tags/0/a~1b~0c', /function/],
  ];
  for (const [bad, path, message] of cases) {
    const batch = [{ ticket: {} }, bad];
    for (const call of [() => rules.evaluateMany(batch), () => rules.matchMany(batch)]) {
      assert.throws(call, (e) => {
        assert.equal(e.name, 'RulesError');
        assert.equal(e.code, 'invalid_update');
        assert.equal(e.index, 1);
        if (path instanceof RegExp) assert.match(e.path, path); else assert.equal(e.path, path);
        assert.match(e.message, message);
        return true;
      }, JSON.stringify(path));
    }
    for (const call of [() => rules.evaluate(bad), () => rules.match(bad)]) {
      assert.throws(call, (e) => e.code === 'invalid_update' && e.index === undefined && typeof e.path === 'string');
    }
  }
  const throwing = { get ticket() { throw new Error('boom'); } };
  assert.throws(() => rules.evaluateMany([throwing]), (e) => e.code === 'invalid_update' && /boom/.test(e.message));
  assert.throws(() => rules.evaluateMany(5), (e) => e.code === 'invalid_update' && e.index === undefined);
  assert.throws(() => rules.matchMany({ length: 1 }), (e) => e.code === 'invalid_update');
  // Shapes the reader refuses are refused from objects as from text.
  for (const bad of [{ ticket: 'x' }, { ticket: {}, comment: 5 }, { ticket: { tags: 'vip' } }, {}]) {
    assert.throws(() => rules.evaluateMany([bad]), (e) => e.code === 'invalid_update' && e.index === 0, JSON.stringify(bad));
    assert.throws(() => rules.evaluateMany(JSON.stringify([bad])), (e) => e.code === 'invalid_update' && e.index === 0);
  }
  // The module still works after every refusal.
  assert.deepEqual(rules.evaluateMany(updates.slice(0, 3)).map((r) => r.fired), eager.slice(0, 3).map((r) => r.fired));
});

test('a __proto__ member is data, not a prototype', () => {
  const withProto = tk.compileZendeskTriggers([{
    id: 1, title: 'p', conditions: { all: [{ field: 'requester.custom_fields.__proto__', operator: 'is', value: 'x' }] },
    actions: [{ field: 'current_tags', value: 'hit' }],
  }]);
  const update = JSON.parse('{"ticket": {"__proto__": {"a": 1}, "tags": []}, "requester": {"user_fields": {"__proto__": "x"}}}');
  const [r] = withProto.evaluateMany([update]);
  assert.deepEqual(r.fired, [1]);
  assert.deepEqual(r.ticket.tags, ['hit']);
  assert.equal(Object.getPrototypeOf(r.ticket), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(r.ticket, '__proto__').value, { a: 1 });
  assert.deepEqual(withProto.evaluateMany(JSON.stringify([update])).map((x) => x.fired), [[1]]);
});

test('only own enumerable members are read, as JSON.stringify reads them', () => {
  const hidden = { ticket: { tags: [], subject: 'refund' } };
  Object.defineProperty(hidden.ticket, 'status', { value: 'new', enumerable: false });
  const inherited = { ticket: Object.create({ status: 'new' }) };
  assert.throws(() => rules.evaluateMany([inherited]), (e) => e.path === '/ticket', 'not a plain object');
  // An enumerable member added to Object.prototype is inherited, not own.
  Object.prototype.status = 'new'; // eslint-disable-line no-extend-native
  try {
    const plain = { ticket: { tags: ['vip'], subject: 'refund' } };
    const fromObjects = rules.evaluateMany([hidden, plain]);
    delete Object.prototype.status;
    const fromText = rules.evaluateMany(JSON.stringify([hidden, plain]));
    assert.deepEqual(fromObjects.map((r) => r.fired), fromText.map((r) => r.fired));
    assert.deepEqual(fromText.map((r) => r.fired), [[], []]);
  } finally {
    delete Object.prototype.status;
  }
});
