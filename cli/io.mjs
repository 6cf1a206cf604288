// Input and output of the command line: whole files (or standard input for
// `-`) with one-line messages for a missing file or a directory; JSON Lines
// read in chunks and handed out in batches, so a file of any length runs in
// flat memory; output written with backpressure; and a progress bar on
// standard error, only when it is a terminal.

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { InputError, plural } from './common.mjs';
import { parseJson } from './locate.mjs';

/** How a file is named in messages (`-` is standard input). */
export const displayName = (file) => (file === '-' ? '<stdin>' : file);

/** The one-line message of a failed open or read. */
function ioMessage(file, error) {
  const name = displayName(file);
  switch (error?.code) {
    case 'ENOENT': return `${name}: no such file`;
    case 'EISDIR': return `${name}: is a directory, not a file`;
    case 'EACCES': case 'EPERM': return `${name}: permission denied`;
    case 'ENOTDIR': return `${name}: a part of the path is not a directory`;
    default: return `${name}: cannot read (${error?.code ?? error?.message ?? error})`;
  }
}

/** Fails with an InputError unless `file` is `-` or a readable regular file; its size, if known. */
export async function checkFile(file) {
  if (file === '-') return null;
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    throw new InputError(ioMessage(file, e));
  }
  if (info.isDirectory()) throw new InputError(ioMessage(file, { code: 'EISDIR' }));
  return info.isFile() ? info.size : null;
}

/** Standard input, read to the end. */
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The text of a file (UTF-8, a leading byte order mark dropped), or of standard input for `-`. */
export async function readText(file) {
  await checkFile(file);
  let bytes;
  try {
    bytes = file === '-' ? await readStdin() : await readFile(file);
  } catch (e) {
    throw new InputError(ioMessage(file, e));
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The one-line message for a JSON Lines line that is not JSON: where it
 * breaks, and whether it ends early (a truncated line).
 */
export function badLine(file, line, text, why) {
  const { error } = parseJson(text);
  if (!error) return `${displayName(file)}:${line}: ${why ?? 'not a JSON value'}`;
  // A line cut short ends inside a string or before a value or bracket closes.
  const truncated = error.offset >= text.trimEnd().length || /end of input|Unterminated string/.test(error.message);
  const what = truncated ? `truncated JSON line (${error.message})` : `not JSON: ${error.message}`;
  return `${displayName(file)}:${line}:${error.column}: ${what}`;
}

/**
 * Reads JSON Lines in chunks and yields batches of non-blank lines:
 * `{ lines: string[], numbers: number[], bytes }` (`numbers` are 1-based
 * line numbers; `bytes` is how much of the file has been read). A batch
 * ends at `maxLines` lines or `maxChars` characters. Lines are not parsed
 * here: callers hand a batch to wasm as the text of one JSON array and only
 * parse line by line to locate a failure.
 */
export async function* jsonLineBatches(file, { maxLines = 512, maxChars = 1 << 20 } = {}) {
  await checkFile(file);
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
  const decoder = new StringDecoder('utf8');
  let lines = [];
  let numbers = [];
  let chars = 0;
  let bytes = 0;
  let lineNo = 0;
  let rest = '';
  const add = (text) => {
    lineNo++;
    if (text.charCodeAt(text.length - 1) === 0x0d) text = text.slice(0, -1);
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Blank lines separate nothing in JSON Lines; they are skipped.
    if (!/\S/.test(text)) return;
    lines.push(text);
    numbers.push(lineNo);
    chars += text.length;
  };
  const full = () => lines.length >= maxLines || chars >= maxChars;
  const take = () => {
    const batch = { lines, numbers, bytes };
    lines = [];
    numbers = [];
    chars = 0;
    return batch;
  };
  try {
    for await (const chunk of input) {
      bytes += chunk.length;
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        add(text.slice(start, nl));
        start = nl + 1;
        if (full()) yield take();
      }
      rest = text.slice(start);
    }
  } catch (e) {
    throw new InputError(ioMessage(file, e));
  }
  rest += decoder.end();
  if (rest) add(rest);
  if (lines.length) yield take();
}

/**
 * Standard output written with backpressure: `write` waits for a drain
 * when the pipe is full. A closed pipe (`| head`) ends the run quietly.
 */
export class Output {
  constructor(stream = process.stdout) {
    this.stream = stream;
    this.closed = false;
    stream.on('error', (e) => {
      if (e.code === 'EPIPE') {
        this.closed = true;
        process.exit(process.exitCode ?? 0);
      }
      process.stderr.write(`triggerkit: cannot write the output: ${e.message}\n`);
      process.exit(2);
    });
  }

  /** Writes text; resolves once the stream can take more. */
  async write(text) {
    if (this.closed || text === '') return;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

/**
 * A progress bar on standard error, drawn at most ten times a second, and
 * only when standard error is a terminal (never in pipes or CI logs).
 */
export class Progress {
  constructor(label, totalBytes, stream = process.stderr) {
    this.label = label;
    this.total = totalBytes;
    this.stream = stream;
    this.enabled = Boolean(stream.isTTY);
    this.last = 0;
    this.shown = false;
  }

  /** Reports `bytes` read and `count` items done. */
  update(bytes, count, noun = 'updates') {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    const done = plural(count, noun.replace(/s$/, ''), noun);
    let line;
    if (this.total) {
      const share = Math.min(1, bytes / this.total);
      const width = 24;
      const filled = Math.round(share * width);
      line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done}`;
    } else {
      line = `${this.label} ${done}`;
    }
    this.stream.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  /** Clears the bar. */
  done() {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * Runs `evaluate` on a batch of JSON lines as the text of one JSON array
 * and returns its per-line results. When it throws, or gives a different
 * number of results than there are lines (a line holding two values), the
 * lines are parsed one by one to name the first bad one: an InputError
 * with its file, line and column.
 * @template T
 * @param {string} file
 * @param {{lines: string[], numbers: number[]}} batch
 * @param {(text: string) => T[]} evaluate
 * @returns {T[]}
 */
export function runBatch(file, batch, evaluate) {
  let results;
  let failure = null;
  try {
    results = evaluate(`[${batch.lines.join(',')}]`);
  } catch (e) {
    failure = e;
  }
  if (failure === null && results.length === batch.lines.length) return results;
  const { lines, numbers } = batch;
  for (let i = 0; i < lines.length; i++) {
    try {
      JSON.parse(lines[i]);
    } catch {
      throw new InputError(badLine(file, numbers[i], lines[i]));
    }
  }
  const name = displayName(file);
  if (failure === null) throw new InputError(`${name}: lines ${numbers[0]}-${numbers.at(-1)}: expected one JSON value per line`);
  const at = Number.isInteger(failure.index) && failure.index >= 0 && failure.index < numbers.length ? numbers[failure.index] : null;
  const where = at === null ? `${name}: lines ${numbers[0]}-${numbers.at(-1)}` : `${name}:${at}`;
  const path = failure.path ? ` at ${failure.path}` : '';
  throw new InputError(`${where}: ${failure.message}${path}`);
}
