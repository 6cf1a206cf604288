// Package linters on the npm pack tarball: @arethetypeswrong/cli (types
// resolve and match the JS under every module resolution, ESM and CommonJS)
// and publint (exports, files and fields as Node and the bundlers read them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packedProject, run, tool } from './scratch.mjs';

test('@arethetypeswrong/cli finds no problem in any entry', { timeout: 120_000 }, async () => {
  const { tarball, pkg } = await packedProject();
  // attw exits non-zero on any problem, and the error shows its table.
  const out = await run(process.execPath, [tool('@arethetypeswrong/cli/dist/index.js'), tarball,
    '--format', 'table-flipped', '--no-color', '--no-emoji'], { timeout: 100_000 });
  assert.match(out, /No problems found/, out);
  // Every subpath of "exports" was checked (a row of the table each).
  for (const subpath of Object.keys(pkg.exports)) {
    assert.ok(out.includes(`"triggerkit${subpath.slice(1)}"`), `attw did not check ${subpath}:\n${out}`);
  }
});

test('publint reports no error or warning (strict)', { timeout: 60_000 }, async (t) => {
  const { tarball } = await packedProject();
  const out = await run(process.execPath, [tool('publint/src/cli.js'), 'run', tarball, '--strict'], { timeout: 50_000 });
  assert.doesNotMatch(out, /Errors:|Warnings:/, out);
  if (/Suggestions:/.test(out)) t.diagnostic(`publint suggestions:\n${out}`);
});
