// Node tests of lintZendeskTriggers in the built package: findings as
// plain objects, a List Triggers response, definitions, errors, and the
// declarations in the .d.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tk from './load.mjs';

const c = (field, operator, value) => ({ field, operator, value });

const triggers = [
  {
    id: 1, title: 'Triage new tickets', position: 1,
    conditions: { all: [c('status', 'is', 'new')] },
    actions: [{ field: 'status', value: 'open' }, { field: 'current_tags', value: 'triaged' }],
  },
  {
    id: 2, title: 'Park triaged tickets', position: 2,
    conditions: { all: [c('current_tags', 'includes', 'triaged'), c('status', 'less_than', 'pending')] },
    actions: [{ field: 'status', value: 'pending' }],
  },
  {
    id: 3, title: 'Tell the CRM', position: 3,
    conditions: { all: [c('priority', 'is', 'urgent')] },
    actions: [{ field: 'notification_webhook', value: ['9001', '{}'] }],
  },
  {
    id: 4, title: 'Impossible', position: 4,
    conditions: { all: [c('status', 'greater_than', 'open'), c('status', 'less_than', 'pending')] },
    actions: [{ field: 'priority', value: 'low' }],
  },
];

test('lint finds order, undo, loop and contradiction problems', () => {
  const findings = tk.lintZendeskTriggers(triggers);
  const got = findings.map((f) => [f.code, f.severity, f.path, f.related]);
  assert.deepEqual(got, [
    ['undone_by', 'warning', '/0/actions/0', [2]],
    ['depends_on_order', 'info', '/1/conditions/all/0', [1]],
    ['missing_loop_guard', 'warning', '/2/actions/0', []],
    ['never_fires', 'error', '/3/conditions/all/1', []],
  ]);
  for (const f of findings) {
    assert.equal(Object.getPrototypeOf(f), Object.prototype);
    assert.equal(typeof f.message, 'string');
    assert.ok(f.message.length > 10);
  }
  assert.match(findings[1].message, /trigger 1 "Triage new tickets"/);
  // A List Triggers response gives the same findings.
  assert.deepEqual(tk.lintZendeskTriggers({ triggers }), findings);
});

test('definitions reveal references the account does not have', () => {
  const definitions = {
    definitions: {
      conditions_all: [
        { subject: 'status', type: 'list', operators: [{ value: 'is' }, { value: 'less_than' }, { value: 'greater_than' }], values: [{ value: 'new' }, { value: 'open' }, { value: 'pending' }] },
        { subject: 'current_tags', type: 'tags', operators: [{ value: 'includes' }] },
      ],
      conditions_any: [],
      actions: [{ subject: 'status', type: 'list', values: [{ value: 'open' }, { value: 'pending' }] }, { subject: 'current_tags', type: 'tags' }],
    },
  };
  const refs = tk.lintZendeskTriggers(triggers, definitions)
    .filter((f) => f.code === 'unknown_reference')
    .map((f) => f.path);
  assert.deepEqual(refs, ['/2/conditions/all/0/field', '/2/actions/0/field', '/3/actions/0/field']);
  assert.deepEqual(tk.lintZendeskTriggers([], null), []);
});

test('bad arguments throw errors with codes', () => {
  assert.throws(() => tk.lintZendeskTriggers('nope'), { name: 'RulesError', code: 'invalid_triggers' });
  assert.throws(() => tk.lintZendeskTriggers([], 5), { code: 'invalid_argument' });
  // Odd elements are findings, not exceptions.
  const odd = tk.lintZendeskTriggers([null, { title: 'x' }, 7]);
  assert.deepEqual(odd.map((f) => [f.code, f.path]), [['invalid_trigger', '/0'], ['invalid_trigger', '/1'], ['invalid_trigger', '/2']]);
});

test('the .d.ts declares the finding and its codes precisely', () => {
  // Every build's declarations (pkg/*.d.ts, or pkg/<variant>/*.d.ts) that declare the lint.
  const dir = fileURLToPath(new URL('../../pkg/', import.meta.url));
  const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.d.ts'));
  const dts = files.map((f) => readFileSync(join(dir, String(f)), 'utf8')).filter((t) => t.includes('lintZendeskTriggers(')).join('\n');
  assert.ok(dts.length > 0, 'no .d.ts declares lintZendeskTriggers');
  assert.match(dts, /export function lintZendeskTriggers\(\s*triggers: ZendeskTrigger\[\] \| \{ triggers: ZendeskTrigger\[\] \},\s*definitions\?: ZendeskDefinitions \| null,?\s*\): ZendeskLintFinding\[\];/);
  assert.match(dts, /export type ZendeskLintCode =\s*\| "never_fires"/);
  assert.match(dts, /severity: "error" \| "warning" \| "info";/);
  assert.doesNotMatch(dts.slice(dts.indexOf('ZendeskLintCode'), dts.indexOf('lintZendeskTriggers(')), /\bany\b/);
});
