// Package linters on the npm pack tarball: @arethetypeswrong/cli (types
// resolve and match the JS under every module resolution, ESM and CommonJS)
// and publint (exports, files and fields as Node and the bundlers read them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packedProject, run, tool } from './scratch.mjs';

test('@arethetypeswrong/cli finds no problem in any module entry', { timeout: 120_000 }, async () => {
  const { tarball, pkg } = await packedProject();
  // The wasm files, the classic embed script and package.json are exported
  // by path to be served or read, not imported as modules: no types to check.
  const assets = Object.keys(pkg.exports ?? {}).filter((k) => /\.wasm$|\/embed\.js$|^\.\/package\.json$/.test(k));
  const args = [tool('@arethetypeswrong/cli/dist/index.js'), tarball, '--format', 'table-flipped', '--no-color', '--no-emoji'];
  if (assets.length) args.push('--exclude-entrypoints', ...assets);
  // attw exits non-zero on any problem and prints the table: the error says which.
  const out = await run(process.execPath, args, { timeout: 100_000 });
  assert.match(out, /No problems found/, out);
});

test('publint reports no error or warning (strict)', { timeout: 60_000 }, async (t) => {
  const { tarball } = await packedProject();
  const out = await run(process.execPath, [tool('publint/src/cli.js'), 'run', tarball, '--strict'], { timeout: 50_000 });
  assert.doesNotMatch(out, /Errors:|Warnings:/, out);
  if (/Suggestions:/.test(out)) t.diagnostic(`publint suggestions:\n${out}`);
});
