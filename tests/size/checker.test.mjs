// The size checker itself (scripts/size.mjs) on a scratch package: an entry
// over its limit fails, one within passes, a missing file fails, a file
// marked "minify" is counted minified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSize, measure, verdict } from '../../scripts/size.mjs';

test('size checker: limits, missing files and minified glue', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-size-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const noise = randomBytes(4000); // incompressible: gzip is a bit over 4000
  writeFileSync(join(dir, 'a.wasm'), noise);
  const glue = `export function longFunctionName(firstArgument, secondArgument) {\n  return firstArgument + secondArgument;\n}\n`;
  writeFileSync(join(dir, 'glue.js'), glue);
  const budget = join(dir, 'budget.json');
  writeFileSync(
    budget,
    JSON.stringify({
      entries: [
        { name: 'over', files: [{ path: 'a.wasm' }], limit: 4000 },
        { name: 'within', files: [{ path: 'a.wasm' }, { path: 'glue.js', minify: true }], limit: 6000 },
        { name: 'missing', files: [{ path: 'nope.wasm' }], limit: 6000 },
        { name: 'report', files: [{ path: 'a.wasm' }], limit: null },
      ],
    }),
  );
  const [over, within, missing, report] = await measure({ pkg: dir, budget });
  assert.equal(over.gzip, gzipSize(noise));
  assert.ok(over.gzip > 4000);
  assert.equal(verdict(over), 'fail');
  assert.equal(verdict(within), 'ok');
  const minified = within.files[1];
  assert.ok(minified.raw < glue.length, `minified glue ${minified.raw} bytes, source ${glue.length}`);
  assert.equal(within.raw, noise.length + minified.raw);
  assert.equal(verdict(missing), 'fail');
  assert.deepEqual(missing.files, [{ path: 'nope.wasm', missing: true }]);
  assert.equal(verdict(report), 'report');
});
