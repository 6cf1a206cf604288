// What every command shares: argument parsing with node:util's parseArgs,
// the errors that end a run with exit code 2 (usage, unreadable input),
// findings printed as `file:line:column: severity[code]: message`, and the
// exit code a run ends with.

import { parseArgs } from 'node:util';

/** Exit codes: clean, errors or findings, usage error or unreadable input. */
export const EXIT = Object.freeze({ ok: 0, findings: 1, usage: 2 });

/** A wrong command line: one-line message, exit code 2. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Input that cannot be read or parsed: a located one-line message, exit code 2. */
export class InputError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InputError';
  }
}

/** Options every command takes. */
const COMMON = {
  help: { type: 'boolean', short: 'h' },
};

/**
 * Parses `argv` with `options` (parseArgs form); unknown options and missing
 * values become a UsageError naming the command.
 * @param {string} command e.g. `validate`
 * @param {string[]} argv
 * @param {Record<string, import('node:util').ParseArgsOptionConfig>} options
 */
export function parseCommand(command, argv, options) {
  try {
    return parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs messages name the option; drop its advice about `--`.
    const message = String(e.message).split('. To specify')[0].replace(/\.$/, '');
    throw new UsageError(`${command}: ${message} (see triggerkit ${command} --help)`);
  }
}

/** A positive whole number option, or `fallback` when absent. */
export function countOption(command, name, text, fallback) {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${command}: --${name} must be a whole number, got ${JSON.stringify(text)}`);
  return n;
}

/** Ends with a usage error unless `positionals` has between min and max items. */
export function expectPositionals(command, positionals, min, max, usage) {
  if (positionals.length < min || positionals.length > max) {
    const what = positionals.length < min ? 'missing arguments' : `unexpected argument ${JSON.stringify(positionals[max])}`;
    throw new UsageError(`${command}: ${what}; usage: triggerkit ${usage}`);
  }
}

/**
 * A finding at a place in a file.
 * @typedef {{file: string, line: number, column: number, severity: 'error' | 'warning' | 'info',
 *   code: string, message: string, path: string, related?: number[]}} Finding
 */

/** The text form of a finding. */
export function formatFinding(f) {
  const related = f.related?.length ? ` (related: ${f.related.join(', ')})` : '';
  return `${f.file}:${f.line}:${f.column}: ${f.severity}[${f.code}]: ${f.message}${related}`;
}

/** Counts of findings by severity. */
export function tally(findings) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

/** The exit code for findings: errors always count, warnings with --strict. */
export function findingsExit(counts, strict) {
  return counts.error > 0 || (strict && counts.warning > 0) ? EXIT.findings : EXIT.ok;
}

/** `n thing(s)`. */
export function plural(n, word, many = `${word}s`) {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}
