// The result fixtures/exercise.js must give, and the files it is copied
// into a scratch project as (ESM, and CommonJS for require()).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFiles } from './scratch.mjs';

const source = readFileSync(new URL('./fixtures/exercise.js', import.meta.url), 'utf8');

/** Writes exercise.js (ESM) and exercise.cjs (the same function, CommonJS) into dir. */
export function writeExercise(dir) {
  const cjs = source.replace('export async function exercise', 'async function exercise');
  assert.notEqual(cjs, source);
  writeFiles(dir, { 'exercise.js': source, 'exercise.cjs': `${cjs}\nmodule.exports = { exercise };\n` });
  return join(dir, 'exercise.js');
}

/** What every entry computes once initialized. */
export const AFTER_INIT = {
  validator: { valid: true, name: 'api-trigger', runOnce: false },
  invalid: { valid: false, hasValue: false, errors: [' required', '/enabled type'] },
  zendesk: [
    { fired: [360001, 360002], group: 42, tags: ['vip', 'refund_escalated'] },
    { fired: [], group: null, tags: ['vip'] },
  ],
  filter: [true, false, false],
  filterOne: true,
  badFilter: { isError: true, name: 'FilterSyntaxError', code: 'unexpected_token' },
};

/**
 * Checks an exercise() result. initFirst: whether calls before init() must
 * throw not_initialized (browser builds) or just work (Node, initialized at import).
 */
export function assertExercised(result, { initFirst }) {
  assert.equal(result.error, undefined, `the page threw: ${result.error}`);
  const { beforeInit, badFilter: { message, ...badFilter } = {}, ...rest } = result;
  for (const [name, error] of Object.entries(beforeInit)) {
    if (!initFirst) {
      assert.equal(error, null, `${name} before init() threw ${JSON.stringify(error)}`);
      continue;
    }
    assert.ok(error, `${name} before init() returned instead of throwing`);
    assert.equal(error.isError, true, `${name}: not an Error object`);
    assert.equal(error.code, 'not_initialized', `${name}: ${JSON.stringify(error)}`);
    assert.match(error.message, /init\(\)/, `${name}: the message should say to call init(): ${error.message}`);
  }
  assert.match(message ?? '', /line 1, column 2/, 'the syntax error says where');
  assert.deepEqual({ ...rest, badFilter }, AFTER_INIT);
}
