// Measures the built package (pkg/) against the budgets in size-budget.json
// and prints each figure raw and `gzip -9`, with the limit. A file marked
// "minify" is first minified with esbuild (--minify --format=esm), as a
// bundler ships it; the sizes are those of GNU gzip -9 reading the bytes
// from stdin (no file name in the header).
// Usage: node scripts/size.mjs [--pkg DIR] [--budget FILE]
// Exits 1 when an entry is over its limit or one of its files is missing.
// Also a module: `measure()` gives the figures to tests/size/budget.test.mjs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** `gzip -9` size of some bytes. */
export function gzipSize(bytes) {
  const run = spawnSync('gzip', ['-9', '-c'], { input: bytes, maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`gzip -9 failed: ${run.stderr}`);
  return run.stdout.length;
}

/** The bytes of a file as the entry counts it (minified when asked). */
async function shipped(path, minify) {
  const bytes = readFileSync(path);
  if (!minify) return bytes;
  const out = await transform(bytes.toString('utf8'), {
    minify: true,
    format: 'esm',
    loader: 'js',
    logLevel: 'error',
  });
  return Buffer.from(out.code);
}

/**
 * Measures every entry of the budget file against the package directory.
 * Returns [{ name, limit, raw, gzip, files: [{ path, raw, gzip, minified } |
 * { path, missing: true }] }]; raw and gzip are sums over the files.
 */
export async function measure({ pkg = join(ROOT, 'pkg'), budget = join(ROOT, 'size-budget.json') } = {}) {
  const { entries } = JSON.parse(readFileSync(budget, 'utf8'));
  const results = [];
  for (const entry of entries) {
    const files = [];
    for (const { path, minify = false } of entry.files) {
      let bytes;
      try {
        bytes = await shipped(join(pkg, path), minify);
      } catch (error) {
        if (error.code !== 'ENOENT') throw error;
        files.push({ path, missing: true });
        continue;
      }
      files.push({ path, raw: bytes.length, gzip: gzipSize(bytes), minified: minify });
    }
    const sum = (key) => files.reduce((total, file) => total + (file[key] ?? 0), 0);
    results.push({ name: entry.name, limit: entry.limit, raw: sum('raw'), gzip: sum('gzip'), files });
  }
  return results;
}

/** Whether an entry passes: all files there and gzip within the limit (if any). */
export function verdict(result) {
  if (result.files.some((file) => file.missing)) return result.limit === null ? 'missing' : 'fail';
  if (result.limit === null) return 'report';
  return result.gzip <= result.limit ? 'ok' : 'fail';
}

const n = (value) => value.toLocaleString('en-US');

/** The lines printed for one entry. */
export function describe(result) {
  const head = result.limit === null ? 'no budget' : `limit ${n(result.limit)} gzip -9`;
  const lines = [`${verdict(result).toUpperCase().padEnd(7)} ${result.name}: ${n(result.raw)} raw, ${n(result.gzip)} gzip -9 (${head})`];
  for (const file of result.files) {
    lines.push(
      file.missing
        ? `          ${file.path}: missing`
        : `          ${file.path}${file.minified ? ' (esbuild --minify)' : ''}: ${n(file.raw)} raw, ${n(file.gzip)} gzip -9`,
    );
  }
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? resolve(args[i + 1]) : undefined;
  };
  const results = await measure({ pkg: option('--pkg'), budget: option('--budget') });
  for (const result of results) console.log(describe(result).join('\n'));
  const failed = results.filter((result) => verdict(result) === 'fail');
  if (failed.length > 0) {
    console.error(`size: ${failed.length} entr${failed.length === 1 ? 'y is' : 'ies are'} over budget or missing files`);
    process.exit(1);
  }
}
