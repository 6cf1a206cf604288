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
