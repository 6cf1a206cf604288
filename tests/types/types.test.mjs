// Compiles tests/types/api.ts against the packed package (`npm pack pkg`,
// unpacked into a scratch project's node_modules as npm installs it) with the
// pinned TypeScript: `--strict --noEmit`, target ES2022, skipLibCheck false,
// under moduleResolution bundler, node16 ESM (.mts) and node16 CommonJS (.cts),
// each with the file of what that resolution alone sees (browser.ts: the
// browser entries; node.ts: the Node entries).
// Run by scripts/test.sh after scripts/build.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const source = join(root, 'tests', 'types', 'api.ts');
/** The file of one resolution's own checks, copied with the extension of its project. */
const own = (base, ext) => ({ from: join(root, 'tests', 'types', `${base}.ts`), file: `${base}.${ext}` });
let scratch;

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'triggerkit-types-'));
  const { stdout } = await run('npm', ['pack', join(root, 'pkg'), '--json', '--pack-destination', scratch]);
  const [{ filename }] = JSON.parse(stdout);
  const installed = join(scratch, 'node_modules', 'triggerkit');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', join(scratch, filename), '-C', installed, '--strip-components=1']);
  // @types/node for the Node projects (AbortSignal, as a Node project has it).
  for (const dep of ['@types/node', 'undici-types']) {
    await cp(join(root, 'node_modules', dep), join(scratch, 'node_modules', dep), { recursive: true });
  }
});

after(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const common = {
  strict: true,
  noEmit: true,
  target: 'ES2022',
  skipLibCheck: false,
  noUnusedLocals: false,
};

/**
 * Writes a project (its package.json type, tsconfig, the test file under
 * `file`, and `extra`: [{ from, file }]) and runs tsc on it.
 */
async function compile(name, type, file, compilerOptions, extra = []) {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `types-${name}`, private: true, type }));
  await writeFile(join(dir, file), await readFile(source, 'utf8'));
  for (const { from, file: to } of extra) await writeFile(join(dir, to), await readFile(from, 'utf8'));
  const files = [file, ...extra.map((e) => e.file)];
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...common, ...compilerOptions }, files }));
  try {
    await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir });
  } catch (error) {
    assert.fail(`tsc (${name}) failed:\n${error.stdout}${error.stderr}`);
  }
}

test('types: moduleResolution bundler (browser entries)', () =>
  compile('bundler', 'module', 'api.ts', { module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
    [own('browser', 'ts')]));

test('types: node16, ES module (.mts)', () =>
  compile('node16-esm', 'module', 'api.mts', { module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], types: ['node'] },
    [own('node', 'mts')]));

test('types: node16, CommonJS (.cts)', () =>
  compile('node16-cjs', 'commonjs', 'api.cts', { module: 'node16', moduleResolution: 'node16', lib: ['ES2022'], types: ['node'] },
    [own('node', 'cts')]));

test('types: a loosened type fails the check', async () => {
  // The check can fail: with the narrowing removed, the @ts-expect-error in
  // the invalid branch is unused and tsc reports it.
  const dir = join(scratch, 'node_modules', 'triggerkit');
  const dts = join(dir, 'web', 'triggerkit.d.ts');
  const original = await readFile(dts, 'utf8');
  const loose = original.replace(/export type ValidationResult<T> =[^]*?\n\s*\};\n/,
    'export interface ValidationResult<T> { valid: boolean; errors: Issue[]; warnings: Issue[]; value?: T; }\n');
  assert.notEqual(loose, original, 'ValidationResult found in web/triggerkit.d.ts');
  await writeFile(dts, loose);
  try {
    await assert.rejects(
      compile('bundler-loose', 'module', 'api.ts', { module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] }),
      /TS2578|TS2322/,
    );
  } finally {
    await writeFile(dts, original);
  }
});
