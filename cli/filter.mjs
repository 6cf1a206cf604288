// `triggerkit filter '<expression>' [events.jsonl]`: the events of a JSON
// Lines stream that the filter expression matches, written as they were
// read (like grep). Events are evaluated in batches (evaluateMany on the
// text of a JSON array).

import * as tk from '../node/triggerkit.mjs';
import { EXIT, UsageError, countOption, expectPositionals, parseCommand } from './common.mjs';
import { Progress, checkFile, jsonLineBatches, runBatch } from './io.mjs';

export const USAGE = "filter '<expression>' [events.jsonl] [--count] [--invert]";

export const HELP = `Usage: triggerkit ${USAGE}

Prints the events (one JSON object per line; its keys are the expression's
variables) for which the filter expression is true, unchanged, like grep.
Without a file, or with -, reads standard input. Example:

  triggerkit filter 'event.type == "message" && event.text.contains("refund")' events.jsonl

Options:
  -c, --count      print only the number of matching events
  -v, --invert     print the events that do not match
  --batch <n>      events per evaluateMany call (default 4096)
  -h, --help       this help

A syntax error in the expression is shown with a caret under its place.
Exit codes (as grep): 0 some event printed, 1 none, 2 usage error, syntax
error or unreadable input (a line that is not JSON is reported with its
line number).`;

/** The syntax error message with the expression's line and a caret under the column. */
export function syntaxErrorMessage(expression, e) {
  const lines = expression.split(/\r\n|\r|\n/);
  const line = Number.isInteger(e.line) && e.line >= 1 && e.line <= lines.length ? e.line : 1;
  const text = lines[line - 1];
  const chars = Array.from(text);
  const column = Number.isInteger(e.column) && e.column >= 1 ? Math.min(e.column, chars.length + 1) : 1;
  // Tabs stay tabs under the caret, so it lines up in a terminal.
  const pad = chars.slice(0, column - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');
  const where = lines.length > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  // The message's first line, without the place it names (shown here instead).
  const message = String(e.message).split('\n')[0].replace(/ at line \d+, column \d+$/, '');
  return `filter: syntax error at ${where}: ${message}\n  ${text}\n  ${pad}^`;
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('filter', argv, {
    count: { type: 'boolean', short: 'c' },
    invert: { type: 'boolean', short: 'v' },
    batch: { type: 'string' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  expectPositionals('filter', positionals, 1, 2, USAGE);
  const [expression, file = '-'] = positionals;
  const batchSize = countOption('filter', 'batch', values.batch, 4096) || 1;

  let filter;
  try {
    filter = tk.compileFilter(expression);
  } catch (e) {
    if (e?.name === 'FilterSyntaxError') throw new UsageError(syntaxErrorMessage(expression, e));
    throw e;
  }
  const size = await checkFile(file);
  const progress = new Progress('filter', size);
  let seen = 0;
  let matched = 0;
  try {
    for await (const batch of jsonLineBatches(file, { maxLines: batchSize })) {
      const verdicts = runBatch(file, batch, (json) => filter.evaluateMany(json));
      let text = '';
      for (let i = 0; i < verdicts.length; i++) {
        if (verdicts[i] === !values.invert) {
          matched++;
          if (!values.count) text += `${batch.lines[i]}\n`;
        }
      }
      seen += batch.lines.length;
      progress.update(batch.bytes, seen, 'events');
      await out.write(text);
    }
  } finally {
    progress.done();
    filter.free();
  }
  if (values.count) await out.write(`${matched}\n`);
  return matched > 0 ? EXIT.ok : EXIT.findings;
}
