// `triggerkit lint zendesk <triggers.json>`: the trigger set linter's
// findings (lintZendeskTriggers), located in the file.

import * as tk from '../node/triggerkit.mjs';
import { EXIT, UsageError, expectPositionals, findingsExit, formatFinding, parseCommand, plural, tally } from './common.mjs';
import { findingAt, loadJson, triggerSet } from './documents.mjs';
import { definitionsChecked, loadDefinitions } from './validate.mjs';

export const USAGE = 'lint zendesk <triggers.json> [--definitions file] [--json] [--strict]';

export const HELP = `Usage: triggerkit ${USAGE}

Lints a Zendesk trigger set as a whole: triggers that can never fire, that
undo each other, loop, shadow or duplicate one another, and the like. The
file holds an array of triggers or a list page {"triggers": [...]}
(as \`triggerkit zendesk pull\` writes it); - reads standard input.

Prints every finding as  file:line:column: severity[code]: message.

Options:
  --definitions <file>  the account's definitions document
  --json                print {findings, summary} as JSON instead
  --strict              warnings make the exit code 1 too
  -h, --help            this help

Exit codes: 0 clean, 1 errors (or warnings with --strict), 2 usage error or
unreadable file.`;

/**
 * The linter's findings for a parsed trigger document, located: the
 * linter's paths point into the array of triggers it was given.
 */
export function lintDocument(doc, definitions, lint = tk.lintZendeskTriggers) {
  const { triggers, pointer } = triggerSet(doc);
  return lint(triggers, definitions).map((f) =>
    findingAt(doc, pointer(f.path ?? ''), f.severity, f.code, f.message, f.related?.length ? { related: f.related } : {}),
  );
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('lint', argv, {
    definitions: { type: 'string' },
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  expectPositionals('lint', positionals, 2, 2, USAGE);
  const [format, file] = positionals;
  if (format !== 'zendesk') throw new UsageError(`lint: unknown format ${JSON.stringify(format)}; the linter is for zendesk`);
  const definitions = await loadDefinitions(values.definitions);
  const loaded = await loadJson(file);
  const lint = definitionsChecked(tk.lintZendeskTriggers, values.definitions);
  const findings = loaded.syntaxError ? [loaded.syntaxError] : lintDocument(loaded.doc, definitions, lint);
  const counts = tally(findings);
  const summary = { errors: counts.error, warnings: counts.warning, info: counts.info };
  if (values.json) {
    await out.write(`${JSON.stringify({ findings, summary }, null, 2)}\n`);
  } else {
    await out.write(findings.map((f) => `${formatFinding(f)}\n`).join(''));
    process.stderr.write(`${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info\n`);
  }
  return findingsExit(counts, values.strict);
}
