// The size budgets (size-budget.json) as tests over the built pkg/: one
// test per entry with a limit, failing when a file is missing or the entry
// is over its limit; entries without a limit are reported as diagnostics.
// Run after scripts/build.sh: node --test tests/size/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, measure, verdict } from '../../scripts/size.mjs';

const results = await measure();

for (const result of results) {
  test(`size: ${result.name}`, { skip: result.limit === null && 'no budget: reported only' }, (t) => {
    for (const line of describe(result)) t.diagnostic(line);
    const missing = result.files.filter((file) => file.missing).map((file) => file.path);
    assert.deepEqual(missing, [], 'files missing from pkg/');
    assert.ok(
      verdict(result) === 'ok',
      `${result.name}: ${result.gzip} bytes gzip -9 is over the limit of ${result.limit}`,
    );
  });
}

test('size: figures of the entries without a budget', (t) => {
  for (const result of results.filter((r) => r.limit === null)) {
    for (const line of describe(result)) t.diagnostic(line);
  }
  assert.ok(results.length > 0, 'size-budget.json lists no entries');
});

// Issue #9's budgets are limits now (all met): the file may lower them, never raise them.
test('size: the issue budgets are limits, not above their figures', () => {
  const issueBudgets = {
    'triggerkit (browser: web build wasm)': 150_000,
    'triggerkit/livechat (wasm + glue)': 60_000,
    'triggerkit/livechat/embed.js (script + wasm)': 62_000,
  };
  for (const [name, budget] of Object.entries(issueBudgets)) {
    const result = results.find((r) => r.name === name);
    assert.ok(result, `size-budget.json lacks the entry "${name}"`);
    assert.ok(result.limit !== null && result.limit <= budget, `${name}: limit ${result.limit} is above ${budget}`);
  }
});
