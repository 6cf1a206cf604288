// `triggerkit simulate zendesk <triggers.json> <updates.jsonl>`: runs the
// firing cycle for each ticket update of a JSON Lines stream and writes one
// JSON result line per update. The updates are read in chunks and handed to
// the compiled rule set in batches (evaluateMany on the text of a JSON
// array), and the output waits for the pipe: a million updates run in flat
// memory.

import * as tk from '../node/triggerkit.mjs';
import { EXIT, UsageError, countOption, expectPositionals, formatFinding, parseCommand } from './common.mjs';
import { findingAt, loadJsonOrFail, triggerSet } from './documents.mjs';
import { Progress, checkFile, jsonLineBatches, runBatch } from './io.mjs';

export const USAGE = 'simulate zendesk <triggers.json> <updates.jsonl> [--ticket] [--effects] [--explain]';

export const HELP = `Usage: triggerkit ${USAGE}

Runs Zendesk's firing cycle for every ticket update of a JSON Lines file
(one update per line: {"ticket": {...}, "previous"?: {...}, "comment"?: {...}})
against the triggers of <triggers.json> (an array, or a list page
{"triggers": [...]}); - reads the updates from standard input.

Writes one JSON line per update, in order:
  {"line": N, "fired": [trigger ids]}
where "line" is the update's line number and "fired" the triggers that
fired, in firing order.

Options:
  --ticket         add "ticket": the ticket after the fired triggers' actions
  --effects        add "effects": the side effects of the fired triggers
                   (notifications, webhooks), as evaluateMany gives them
  --explain        write each update's trace instead: every pass, every
                   trigger's outcome and each condition's actual value
  --batch <n>      updates per evaluateMany call (default 512)
  -h, --help       this help

Triggers that do not compile are reported on standard error (located) and
left out; the exit code is then 1. Exit codes: 0 simulated, 1 triggers that
do not compile, 2 usage error or unreadable input (a line that is not JSON
is reported with its line number).`;

/**
 * Compiles a trigger document; problems become located findings.
 * @returns {{ruleSet: import('../node/triggerkit.mjs').ZendeskRuleSet, problems: import('./common.mjs').Finding[]}}
 */
export function compileDocument(doc) {
  const { triggers, pointer } = triggerSet(doc);
  const ruleSet = tk.compileZendeskTriggers(triggers);
  // The compiler names a trigger /triggers/i whether it was given a list page or an array.
  const local = (path) => pointer(path.replace(/^\/triggers(?=\/|$)/, ''));
  const problems = ruleSet.problems.map((p) => findingAt(doc, local(p.path), 'error', p.code, p.message));
  return { ruleSet, problems };
}

/** One result line (without its newline). */
function resultLine(line, r, withTicket, withEffects) {
  let text = `{"line":${line},"fired":[${r.fired.join(',')}]`;
  if (withTicket) text += `,"ticket":${JSON.stringify(r.ticket)}`;
  if (withEffects) text += `,"effects":${r.fired.length ? JSON.stringify(r.effects) : '[]'}`;
  return `${text}}`;
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('simulate', argv, {
    explain: { type: 'boolean' },
    ticket: { type: 'boolean' },
    effects: { type: 'boolean' },
    batch: { type: 'string' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  expectPositionals('simulate', positionals, 3, 3, USAGE);
  const [format, triggersFile, updatesFile] = positionals;
  if (format !== 'zendesk') throw new UsageError(`simulate: unknown format ${JSON.stringify(format)}; simulation is for zendesk`);
  if (triggersFile === '-' && updatesFile === '-') throw new UsageError('simulate: standard input (-) can be read once');
  const batchSize = countOption('simulate', 'batch', values.batch, 512) || 1;

  const doc = await loadJsonOrFail(triggersFile);
  const size = await checkFile(updatesFile);
  const { ruleSet, problems } = compileDocument(doc);
  for (const p of problems) process.stderr.write(`${formatFinding(p)}\n`);

  const progress = new Progress('simulate', size);
  let count = 0;
  try {
    for await (const batch of jsonLineBatches(updatesFile, { maxLines: batchSize })) {
      let text = '';
      if (values.explain) {
        // Traces are built one update at a time; the lines are checked as a batch first.
        const updates = runBatch(updatesFile, batch, (json) => JSON.parse(json));
        for (let i = 0; i < updates.length; i++) {
          text += `${JSON.stringify({ line: batch.numbers[i], ...ruleSet.explain(updates[i]) })}\n`;
        }
      } else {
        const results = runBatch(updatesFile, batch, (json) => ruleSet.evaluateMany(json));
        for (let i = 0; i < results.length; i++) text += `${resultLine(batch.numbers[i], results[i], values.ticket, values.effects)}\n`;
      }
      count += batch.lines.length;
      progress.update(batch.bytes, count);
      await out.write(text);
    }
  } finally {
    progress.done();
    ruleSet.free();
  }
  return problems.length ? EXIT.findings : EXIT.ok;
}
