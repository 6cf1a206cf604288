// Benchmark of the Zendesk rule engine against JavaScript rule engines, in
// one Node process on the same generated data: 50 Zendesk-style triggers
// (3 to 5 conditions, about 30% with an `any` block) and 10,000 ticket
// updates from a seeded PRNG. Every engine does the same work: which
// triggers' conditions hold for each update (match only). The results of
// all engines are checked equal before any figure is printed.
//
// Also the diff of two trigger sets (diffZendeskTriggerSets) against
// evaluateMany on the same updates.
//
//   bash scripts/build.sh && node bench/rules.mjs [--tickets N] [--seed S] [--rounds R] [--build zendesk]
//   node bench/rules.mjs --write-data DIR   # also writes DIR/triggers.json
//                                           # and DIR/updates.json for
//                                           # examples/rules_bench.rs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from 'json-rules-engine';
import jsonLogic from 'json-logic-js';
import nodeBuild from '../tests/node/load.mjs';
import { STATUS, zendeskBenchData } from './zendesk-data.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
// --build zendesk measures the browser build of `triggerkit/zendesk`
// (pkg/zendesk, size-optimized) instead of the Node build.
const BUILD = option('--build', 'node');
if (BUILD !== 'node' && BUILD !== 'zendesk') throw new Error(`--build must be node or zendesk, not ${BUILD}`);
let tk = nodeBuild;
if (BUILD === 'zendesk') {
  const pkg = new URL('../pkg/zendesk/', import.meta.url);
  tk = await import(new URL('triggerkit_zendesk.js', pkg).href);
  await tk.default({ module_or_path: readFileSync(new URL('triggerkit_zendesk_bg.wasm', pkg)) });
}
console.log(`build: ${BUILD}`);
const TICKETS = Number(option('--tickets', 10_000));
const SEED = Number(option('--seed', 20240611));
const TRIGGERS = 50;
const ROUNDS = Number(option('--rounds', 5));
const DATA_DIR = option('--write-data', null);

// ---------------------------------------------------------------- data

const { makeTrigger, makeUpdate } = zendeskBenchData(SEED);

const triggers = Array.from({ length: TRIGGERS }, (_, i) => makeTrigger(i));
const updates = Array.from({ length: TICKETS }, makeUpdate);
const updatesJson = JSON.stringify(updates);

if (DATA_DIR) {
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(join(DATA_DIR, 'triggers.json'), JSON.stringify(triggers));
  writeFileSync(join(DATA_DIR, 'updates.json'), updatesJson);
  console.log(`wrote ${DATA_DIR}/triggers.json and ${DATA_DIR}/updates.json`);
}

// ------------------------------------- shared preparation for JS engines

// Zendesk semantics reduced to plain facts: ranks for ordered fields
// (no status = null, no priority = 0), lowercase tag and word arrays,
// custom fields by id, update type and the status before the update.
const RANK = Object.fromEntries(STATUS.map((s, i) => [s, i]));
const PRIORITY_RANK = { low: 1, normal: 2, high: 3, urgent: 4 };
const VIA = { web: 0, email: 4, api: 5, chat: 29 };
const WORD = /[\p{L}\p{N}_]+/gu;
const words = (s) => (typeof s === 'string' ? s.toLowerCase().match(WORD) ?? [] : []);

function prepare(update) {
  const t = update.ticket;
  const custom = {};
  for (const f of t.custom_fields ?? []) custom[f.id] = f.value === '' ? null : f.value;
  const status = RANK[t.status] ?? null;
  const created = update.previous == null;
  const previousStatus = created ? null : RANK[update.previous.status] ?? null;
  return {
    status,
    priority: t.priority == null ? 0 : PRIORITY_RANK[t.priority] ?? null,
    type: t.type ?? null,
    group_id: t.group_id ?? null,
    assignee_id: t.assignee_id ?? null,
    organization_id: t.organization_id ?? null,
    tags: (t.tags ?? []).map((x) => x.toLowerCase()),
    subject_words: words(t.subject),
    comment_words: update.comment ? words(update.comment.body) : [],
    cf_1001: typeof custom[1001] === 'string' ? custom[1001].toLowerCase() : null,
    cf_1002: custom[1002] === true,
    cf_1003: typeof custom[1003] === 'number' ? custom[1003] : null,
    via_id: VIA[t.via?.channel] ?? null,
    update_type: created ? 'Create' : 'Change',
    status_changed: created ? status !== null : previousStatus !== status,
  };
}

// The value a condition compares against, in the prepared facts' terms.
function operand(c) {
  switch (c.field) {
    case 'status': return RANK[c.value];
    case 'priority': return c.value === '' ? 0 : PRIORITY_RANK[c.value];
    case 'type': return c.value === '' ? null : c.value;
    case 'group_id': case 'assignee_id': case 'organization_id':
      return c.value === '' ? null : Number(c.value);
    case 'custom_fields_1001': return c.value.toLowerCase();
    case 'custom_fields_1002': return c.value === true || c.value === 'true';
    case 'custom_fields_1003': return Number(c.value);
    case 'current_tags': case 'subject_includes_word': case 'comment_includes_word':
      return c.value.toLowerCase().split(/\s+/).filter(Boolean);
    default: return c.value;
  }
}

const FACT = {
  current_tags: 'tags', subject_includes_word: 'subject_words', comment_includes_word: 'comment_words',
  custom_fields_1001: 'cf_1001', custom_fields_1002: 'cf_1002', custom_fields_1003: 'cf_1003',
};
const factOf = (c) => FACT[c.field] ?? c.field;

// ------------------------------------------------ hand-written matcher

function jsCondition(c) {
  const fact = factOf(c);
  const v = operand(c);
  if (c.field === 'status' && c.operator === 'changed') return (f) => f.status_changed;
  if (c.field === 'status' && c.operator === 'value') return (f) => f.status_changed && f.status === v;
  switch (c.operator) {
    case 'is': return (f) => f[fact] === v;
    case 'is_not': return (f) => f[fact] !== v;
    case 'less_than': return (f) => f[fact] !== null && f[fact] < v;
    case 'greater_than': return (f) => f[fact] !== null && f[fact] > v;
    case 'includes': return (f) => v.some((x) => f[fact].includes(x));
    case 'not_includes': return (f) => !v.some((x) => f[fact].includes(x));
    default: throw new Error(`no JS translation for ${JSON.stringify(c)}`);
  }
}

const jsRules = triggers.map((t) => {
  const all = t.conditions.all.map(jsCondition);
  const any = t.conditions.any.map(jsCondition);
  return { id: t.id, test: (f) => all.every((c) => c(f)) && (any.length === 0 || any.some((c) => c(f))) };
});

function jsMatch(update) {
  const f = prepare(update);
  const out = [];
  for (const r of jsRules) if (r.test(f)) out.push(r.id);
  return out;
}

// ------------------------------------------------------------ json-logic

function logicCondition(c) {
  const v = operand(c);
  const x = { var: factOf(c) };
  if (c.field === 'status' && c.operator === 'changed') return { '==': [{ var: 'status_changed' }, true] };
  if (c.field === 'status' && c.operator === 'value') {
    return { and: [{ '==': [{ var: 'status_changed' }, true] }, { '===': [x, v] }] };
  }
  switch (c.operator) {
    case 'is': return { '===': [x, v] };
    case 'is_not': return { '!==': [x, v] };
    case 'less_than': return { and: [{ '!==': [x, null] }, { '<': [x, v] }] };
    case 'greater_than': return { and: [{ '!==': [x, null] }, { '>': [x, v] }] };
    case 'includes': return { or: v.map((w) => ({ in: [w, x] })) };
    case 'not_includes': return { '!': { or: v.map((w) => ({ in: [w, x] })) } };
    default: throw new Error(`no json-logic translation for ${JSON.stringify(c)}`);
  }
}

const logicRules = triggers.map((t) => {
  const parts = t.conditions.all.map(logicCondition);
  if (t.conditions.any.length) parts.push({ or: t.conditions.any.map(logicCondition) });
  return { id: t.id, logic: { and: [true, ...parts] } };
});

function logicMatch(update) {
  const f = prepare(update);
  const out = [];
  for (const r of logicRules) if (jsonLogic.apply(r.logic, f) === true) out.push(r.id);
  return out;
}

// ------------------------------------------------------ json-rules-engine

function jreCondition(c) {
  const fact = factOf(c);
  const v = operand(c);
  if (c.field === 'status' && c.operator === 'changed') return { fact: 'status_changed', operator: 'equal', value: true };
  if (c.field === 'status' && c.operator === 'value') {
    return { all: [{ fact: 'status_changed', operator: 'equal', value: true }, { fact, operator: 'equal', value: v }] };
  }
  switch (c.operator) {
    case 'is': return { fact, operator: 'equal', value: v };
    case 'is_not': return { fact, operator: 'notEqual', value: v };
    // json-rules-engine's numeric operators refuse null facts: no value
    // is neither less nor greater, as in Zendesk.
    case 'less_than': return { fact, operator: 'lessThan', value: v };
    case 'greater_than': return { fact, operator: 'greaterThan', value: v };
    case 'includes': return { any: v.map((w) => ({ fact, operator: 'contains', value: w })) };
    case 'not_includes': return { all: v.map((w) => ({ fact, operator: 'doesNotContain', value: w })) };
    default: throw new Error(`no json-rules-engine translation for ${JSON.stringify(c)}`);
  }
}

const engine = new Engine([], { allowUndefinedFacts: true });
triggers.forEach((t, i) => {
  const all = t.conditions.all.map(jreCondition);
  if (t.conditions.any.length) all.push({ any: t.conditions.any.map(jreCondition) });
  engine.addRule({ name: String(t.id), priority: 1, conditions: { all }, event: { type: String(t.id), params: { order: i } } });
});
const ORDER = new Map(triggers.map((t, i) => [t.id, i]));

async function jreMatch(update) {
  const { events } = await engine.run(prepare(update));
  return events.map((e) => Number(e.type)).sort((a, b) => ORDER.get(a) - ORDER.get(b));
}

// ------------------------------------------------------------------ wasm

const ruleSet = tk.compileZendeskTriggers(triggers);
if (ruleSet.problems.length) throw new Error(`triggers did not compile: ${JSON.stringify(ruleSet.problems)}`);

// matchMany's flat form: per update, a count then that many trigger ids.
function unflatten(flat) {
  const out = [];
  for (let p = 0; p < flat.length;) {
    const n = flat[p++];
    out.push(Array.from(flat.subarray(p, p + n)));
    p += n;
  }
  return out;
}

// --------------------------------------------------------------- running

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function check(name, got, reference) {
  if (got.length !== reference.length) throw new Error(`${name}: ${got.length} results for ${reference.length} updates`);
  for (let i = 0; i < reference.length; i++) {
    if (!same(got[i], reference[i])) {
      throw new Error(`${name} differs from the hand-written matcher at update ${i}:\n` +
        `  ${name}: ${JSON.stringify(got[i])}\n  js: ${JSON.stringify(reference[i])}\n` +
        `  update: ${JSON.stringify(updates[i])}`);
    }
  }
}

// Times one full pass of `fn` over the updates, in CPU milliseconds of
// this process (process.cpuUsage): on a shared machine wall time mostly
// measures the other processes.
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function pass(fn) {
  const t0 = cpuMs();
  const result = await fn();
  return { ms: cpuMs() - t0, result };
}

// evaluateMany's results parse their ticket on first read: these passes
// read every ticket too, so the full cost of that is visible.
function readTicket(r, i) {
  if (r.ticket.id !== updates[i].ticket.id) throw new Error(`update ${i}: wrong ticket ${r.ticket.id}`);
  return r.fired;
}

const engines = [
  // [name, pass returning per-update arrays of trigger ids, timed rounds]
  ['wasm matchMany(JSON text)', () => unflatten(ruleSet.matchMany(updatesJson))],
  ['wasm matchMany(objects)', () => unflatten(ruleSet.matchMany(updates))],
  ['wasm evaluateMany(JSON text)', () => ruleSet.evaluateMany(updatesJson).map((r) => r.fired)],
  ['wasm evaluateMany(objects)', () => ruleSet.evaluateMany(updates).map((r) => r.fired)],
  ['evaluateMany(JSON text) + read every ticket', () => ruleSet.evaluateMany(updatesJson).map(readTicket)],
  ['evaluateMany(objects) + read every ticket', () => ruleSet.evaluateMany(updates).map(readTicket)],
  ['wasm evaluate (one per call)', () => updates.map((u) => ruleSet.evaluate(u).fired)],
  ['wasm match (one per call)', () => updates.map((u) => ruleSet.match(u))],
  ['hand-written JS (objects)', () => updates.map(jsMatch)],
  ['hand-written JS (JSON text)', () => JSON.parse(updatesJson).map(jsMatch)],
  ['json-logic-js (objects)', () => updates.map(logicMatch)],
  ['json-logic-js (JSON text)', () => JSON.parse(updatesJson).map(logicMatch)],
  ['json-rules-engine (objects)', async () => {
    const out = [];
    for (const u of updates) out.push(await jreMatch(u));
    return out;
  }, 1],
];

const reference = updates.map(jsMatch);
const matches = reference.reduce((n, r) => n + r.length, 0);
console.log(`${TRIGGERS} triggers (${triggers.filter((t) => t.conditions.any.length).length} with an any block), ` +
  `${TICKETS} updates (${(updatesJson.length / 1e6).toFixed(1)} MB of JSON), ` +
  `${(matches / TICKETS).toFixed(2)} matching triggers per update, seed ${SEED}, node ${process.version}`);

// A warm-up pass per engine (whose result is checked), then rounds that
// run every engine in turn, keeping each engine's best pass: on a shared
// machine the load changes during a run, and interleaving spreads it.
const best = {};
for (const [name, fn] of engines) {
  const { ms, result } = await pass(fn);
  check(name, result, reference);
  best[name] = ms;
}
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, fn, rounds = ROUNDS] of engines) {
    if (round >= rounds) continue;
    best[name] = Math.min(best[name], (await pass(fn)).ms);
  }
}
const rate = {};
for (const [name] of engines) {
  rate[name] = TICKETS / (best[name] / 1000);
  console.log(`${name.padEnd(44)} ${Math.round(rate[name]).toLocaleString('en-US').padStart(12)} tickets/s  (${best[name].toFixed(1)} CPU ms per pass)`);
}
console.log('all engines agree on every update');

const ratio = (a, b) => rate[a] / rate[b];
const targets = [
  ['wasm matchMany(JSON text)', 'json-rules-engine (objects)', 100],
  ['wasm matchMany(JSON text)', 'json-logic-js (JSON text)', 5],
  ['wasm matchMany(JSON text)', 'hand-written JS (JSON text)', 1],
  ['wasm matchMany(objects)', 'json-rules-engine (objects)', 100],
  ['wasm matchMany(objects)', 'json-logic-js (objects)', 5],
  ['wasm matchMany(objects)', 'hand-written JS (objects)', 1],
  ['wasm evaluateMany(JSON text)', 'json-rules-engine (objects)', 100],
  ['wasm evaluateMany(JSON text)', 'json-logic-js (JSON text)', 5],
  ['wasm evaluateMany(JSON text)', 'hand-written JS (JSON text)', 1],
  ['wasm evaluateMany(objects)', 'json-rules-engine (objects)', 100],
  ['wasm evaluateMany(objects)', 'json-logic-js (objects)', 5],
  ['wasm evaluateMany(objects)', 'hand-written JS (objects)', 1],
  ['wasm evaluate (one per call)', 'json-logic-js (objects)', 1],
  // No targets: the lazy tickets all read, against engines that parse
  // every update (JSON text) or hold them already (objects).
  ['evaluateMany(JSON text) + read every ticket', 'hand-written JS (JSON text)', null],
  ['evaluateMany(JSON text) + read every ticket', 'json-logic-js (JSON text)', null],
  ['evaluateMany(objects) + read every ticket', 'hand-written JS (objects)', null],
];
console.log('\nratios (target in brackets):');
let missed = 0;
for (const [a, b, target] of targets) {
  const r = ratio(a, b);
  if (target === null) {
    console.log(`  ${a} / ${b}: ${r.toFixed(2)}x [no target]`);
    continue;
  }
  const ok = r >= target;
  if (!ok) missed++;
  console.log(`  ${a} / ${b}: ${r.toFixed(2)}x [>= ${target}x] ${ok ? 'met' : 'MISSED'}`);
}

// ------------------------------------------ diff of two trigger sets
// diffZendeskTriggerSets runs both sets on every update (the firing cycle
// twice) and reports the updates whose outcome differs. Two edits: the
// first condition of one trigger dropped, and of every tenth trigger (then
// nearly half the updates change and each change is built and returned).
// Each is checked against two evaluateMany runs, then timed interleaved
// with evaluateMany on the same data (best pass of each); target: at least
// half evaluateMany's throughput.
const dropFirst = (t) => ({ ...t, conditions: { all: t.conditions.all.slice(1), any: t.conditions.any } });
const edits = [
  ['one trigger edited', triggers.map((t, i) => (i === 3 ? dropFirst(t) : t))],
  ['every tenth trigger edited', triggers.map((t, i) => (i % 10 === 3 ? dropFirst(t) : t))],
];
const firedBefore = ruleSet.evaluateMany(updatesJson).map((r) => r.fired);
const diffPasses = [
  ['wasm evaluateMany(JSON text)', () => ruleSet.evaluateMany(updatesJson)],
  ['wasm evaluateMany(objects)', () => ruleSet.evaluateMany(updates)],
];
const changedBy = {};
for (const [edit, afterTriggers] of edits) {
  const firedAfter = tk.compileZendeskTriggers(afterTriggers).evaluateMany(updatesJson).map((r) => r.fired);
  const want = firedBefore.flatMap((f, i) => (same(f, firedAfter[i]) ? [] : [i]));
  changedBy[edit] = want.length;
  for (const [form, input] of [['JSON text', updatesJson], ['objects', updates]]) {
    const diff = tk.diffZendeskTriggerSets(triggers, afterTriggers, input);
    const got = diff.changes.map((c) => c.index);
    if (!same(got, want) || diff.summary.updates !== TICKETS) {
      throw new Error(`diff (${edit}, ${form}) differs from two evaluateMany runs: ${got.length} changes, want ${want.length}`);
    }
    diffPasses.push([`diff(${form}), ${edit}`, () => tk.diffZendeskTriggerSets(triggers, afterTriggers, input)]);
  }
}
const diffBest = {};
for (let round = 0; round <= ROUNDS; round++) {
  for (const [name, fn] of diffPasses) {
    const { ms } = await pass(fn);
    diffBest[name] = Math.min(diffBest[name] ?? Infinity, ms);
  }
}
console.log(`\ndiffZendeskTriggerSets (${edits.map(([e]) => `${e}: ${changedBy[e]} of ${TICKETS} updates change`).join('; ')}):`);
for (const [name] of diffPasses) {
  console.log(`${name.padEnd(44)} ${Math.round(TICKETS / (diffBest[name] / 1000)).toLocaleString('en-US').padStart(12)} tickets/s  (${diffBest[name].toFixed(1)} CPU ms per pass)`);
}
for (const [edit] of edits) {
  for (const form of ['JSON text', 'objects']) {
    const r = diffBest[`wasm evaluateMany(${form})`] / diffBest[`diff(${form}), ${edit}`];
    const ok = r >= 0.5;
    if (!ok) missed++;
    console.log(`  diff(${form}), ${edit} / evaluateMany(${form}): ${r.toFixed(2)}x [>= 0.5x] ${ok ? 'met' : 'MISSED'}`);
  }
}
if (missed) console.log(`${missed} target(s) missed`);
