// Runs the `triggerkit` command as a user gets it: the bin of the packed
// tarball (`npm pack` of pkg/), installed into a scratch project
// (tests/package/scratch.mjs). Also: fixture files in a scratch folder, and
// where a piece of text sits in a file (line:column), to check located
// messages against.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { packedProject } from '../package/scratch.mjs';

/** The installed package: `{ dir, bin }` (bin: node_modules/.bin/triggerkit). */
export async function installed() {
  const { dir } = await packedProject();
  return { dir, bin: join(dir, 'node_modules/.bin/triggerkit') };
}

/**
 * Runs the installed `triggerkit` with `args`; resolves to { code, stdout,
 * stderr }. `input` is written to its standard input (closed either way).
 * Every run is checked for what must never happen: a stack trace, or a
 * progress bar (standard error is a pipe here).
 */
export async function triggerkit(args, { cwd, input, env } = {}) {
  const { dir, bin } = await installed();
  const child = spawn(bin, args, { cwd: cwd ?? dir, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (c) => out.push(c));
  child.stderr.on('data', (c) => err.push(c));
  child.stdin.on('error', () => {}); // the command may exit before reading it
  child.stdin.end(input ?? '');
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  const result = { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  assert.doesNotMatch(result.stderr, /\n\s+at .+[:(]\d+/, `no stack trace for triggerkit ${args.join(' ')}`);
  assert.doesNotMatch(result.stderr, /\r|\x1b\[/, 'no progress bar when standard error is not a terminal');
  return result;
}

/** A scratch folder with `files` ({ name: text }); removed at exit. */
export function fixtures(files) {
  const dir = mkdtempSync(join(tmpdir(), 'triggerkit-cli-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `line:column` (1-based) of the first occurrence of `needle` in `text`. */
export function where(text, needle, from = 0) {
  const offset = text.indexOf(needle, from);
  assert.ok(offset >= 0, `${JSON.stringify(needle)} is in the fixture`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1).length + 1}`;
}

/** JSON Lines text of values. */
export const jsonl = (values) => values.map((v) => `${JSON.stringify(v)}\n`).join('');
