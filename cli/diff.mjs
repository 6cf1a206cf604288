// `triggerkit diff zendesk <before.json> <after.json> <updates.jsonl>`: what
// a change to a trigger set changes on real traffic. The updates are read
// in batches and each batch diffed with diffZendeskTriggerSets; the
// summaries add up and the first N changed updates are kept.

import * as tk from '../node/triggerkit.mjs';
import { EXIT, UsageError, countOption, expectPositionals, formatFinding, parseCommand, plural } from './common.mjs';
import { loadJsonOrFail, triggerSet } from './documents.mjs';
import { Progress, checkFile, displayName, jsonLineBatches, runBatch } from './io.mjs';
import { compileDocument } from './simulate.mjs';

export const USAGE = 'diff zendesk <before.json> <after.json> <updates.jsonl> [--limit n] [--json]';

export const HELP = `Usage: triggerkit ${USAGE}

Runs every ticket update of <updates.jsonl> (JSON Lines; - for standard
input) through two versions of a Zendesk trigger set and reports what
changes: how many updates were read and changed, per trigger how many
updates it newly fires on or no longer fires on, and the first changed
updates (fired triggers, ticket fields and side effects before and after).

Options:
  --limit <n>   changed updates to show (default 10; 0 for none)
  --json        print {summary, changes} as JSON: the summary of
                diffZendeskTriggerSets over every update, and the first
                <limit> changes, each with the update's "line" number
  -h, --help    this help

Exit codes (as diff): 0 no update changes, 1 some do (or a trigger does
not compile), 2 usage error or unreadable input.`;

/** Adds a batch's per-trigger counts into the running totals. */
function addTriggers(total, batch) {
  for (const [id, counts] of Object.entries(batch ?? {})) {
    const t = (total[id] ??= { newlyFired: 0, noLongerFired: 0 });
    t.newlyFired += counts.newlyFired ?? 0;
    t.noLongerFired += counts.noLongerFired ?? 0;
  }
}

/** Titles by trigger id, from both versions (the newer title wins). */
function titles(...sets) {
  const map = new Map();
  for (const set of sets) for (const t of set) if (t && typeof t === 'object' && t.id != null) map.set(String(t.id), t.title);
  return map;
}

const show = (v) => (v === undefined ? 'absent' : JSON.stringify(v));

/** The readable report. */
function report({ summary, changes }, names, file, limit) {
  const out = [];
  const share = summary.updates ? ` (${((100 * summary.changed) / summary.updates).toFixed(1)}%)` : '';
  out.push(`${plural(summary.updates, 'update')} read, ${plural(summary.changed, 'update')} changed${share}`);
  const rows = Object.entries(summary.triggers).filter(([, c]) => c.newlyFired || c.noLongerFired);
  if (rows.length) {
    out.push('', 'trigger                                   newly fired  no longer fired');
    rows.sort(([, a], [, b]) => b.newlyFired + b.noLongerFired - (a.newlyFired + a.noLongerFired));
    for (const [id, c] of rows) {
      const title = names.get(id);
      const label = `${id}${title ? ` ${JSON.stringify(title)}` : ''}`;
      const cut = label.length > 40 ? `${label.slice(0, 39)}…` : label;
      out.push(`${cut.padEnd(41)} ${String(c.newlyFired).padStart(11)}  ${String(c.noLongerFired).padStart(15)}`);
    }
  }
  if (changes.length && limit > 0) {
    out.push('', `first ${plural(changes.length, 'changed update')}:`);
    for (const c of changes) {
      out.push(`${displayName(file)}:${c.line}: fired [${c.firedBefore.join(', ')}] -> [${c.firedAfter.join(', ')}]`);
      for (const t of c.ticket ?? []) out.push(`    ticket.${t.field}: ${show(t.before)} -> ${show(t.after)}`);
      const effects = c.effects ?? {};
      if (JSON.stringify(effects.before) !== JSON.stringify(effects.after)) {
        out.push(`    effects: ${show(effects.before)} -> ${show(effects.after)}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('diff', argv, {
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  expectPositionals('diff', positionals, 4, 4, USAGE);
  const [format, beforeFile, afterFile, updatesFile] = positionals;
  if (format !== 'zendesk') throw new UsageError(`diff: unknown format ${JSON.stringify(format)}; diff is for zendesk`);
  if ([beforeFile, afterFile, updatesFile].filter((f) => f === '-').length > 1) {
    throw new UsageError('diff: standard input (-) can be read once');
  }
  const limit = countOption('diff', 'limit', values.limit, 10);

  const before = await loadJsonOrFail(beforeFile);
  const after = await loadJsonOrFail(afterFile);
  const size = await checkFile(updatesFile);
  let problems = 0;
  for (const doc of [before, after]) {
    const compiled = compileDocument(doc);
    compiled.ruleSet.free();
    problems += compiled.problems.length;
    for (const p of compiled.problems) process.stderr.write(`${formatFinding(p)}\n`);
  }
  const beforeSet = triggerSet(before).triggers;
  const afterSet = triggerSet(after).triggers;

  const summary = { updates: 0, changed: 0, triggers: {} };
  const changes = [];
  const progress = new Progress('diff', size);
  try {
    for await (const batch of jsonLineBatches(updatesFile)) {
      const diff = runBatch(updatesFile, batch, (json) => {
        const d = tk.diffZendeskTriggerSets(beforeSet, afterSet, json);
        // runBatch checks one result per line: the batch's update count stands for them.
        return { length: d.summary.updates, diff: d };
      }).diff;
      summary.updates += diff.summary.updates;
      summary.changed += diff.summary.changed;
      addTriggers(summary.triggers, diff.summary.triggers);
      for (const c of diff.changes) {
        if (changes.length >= limit) break;
        changes.push({ line: batch.numbers[c.index], ...c, index: summary.updates - diff.summary.updates + c.index });
      }
      progress.update(batch.bytes, summary.updates);
    }
  } finally {
    progress.done();
  }
  const result = { summary, changes };
  if (values.json) await out.write(`${JSON.stringify(result, null, 2)}\n`);
  else await out.write(report(result, titles(beforeSet, afterSet), updatesFile, limit));
  return summary.changed > 0 || problems > 0 ? EXIT.findings : EXIT.ok;
}
