// `triggerkit validate <format> <file>...`: every error and warning of the
// format's validator, located in the file.

import * as tk from '../node/triggerkit.mjs';
import { EXIT, InputError, UsageError, expectPositionals, findingsExit, formatFinding, parseCommand, plural, tally } from './common.mjs';
import { duplicateKeyFindings, findingAt, joinPointer, loadJson, loadJsonOrFail, triggerItems } from './documents.mjs';
import { displayName } from './io.mjs';

export const USAGE = 'validate <format> <file>... [--definitions file] [--json] [--strict]';

export const HELP = `Usage: triggerkit ${USAGE}

Validates trigger files. <format> is one of: rocketchat, zendesk, pocketflows,
composio, zapier. A file holds one trigger, an array of triggers, or a list
page {"triggers": [...]}; - reads standard input.

Prints every problem as  file:line:column: error[code]: message  (warnings
likewise), at the value the problem is about.

Options:
  --definitions <file>  Zendesk only: the account's definitions document
                        (GET /api/v2/triggers/definitions) to check fields,
                        operators and values against
  --json                print {findings, summary} as JSON instead
  --strict              warnings make the exit code 1 too
  -h, --help            this help

Exit codes: 0 valid, 1 errors (or warnings with --strict), 2 usage error or
unreadable file.`;

/** The validator of each format, called with one trigger. */
function validators(definitions) {
  return {
    rocketchat: (t) => tk.validateRocketChatTrigger(t),
    zendesk: (t) => tk.validateZendeskTrigger(t, definitions),
    pocketflows: (t) => tk.validatePocketflowsTrigger(t),
    composio: (t) => tk.validateComposioTriggerInstance(t),
    zapier: (t) => tk.validateZapierInbox(t),
  };
}

export const FORMATS = Object.keys(validators(null));

/** Reads a definitions document; an unreadable or non-JSON one is an InputError. */
export async function loadDefinitions(file) {
  if (file === undefined) return undefined;
  return (await loadJsonOrFail(file)).value;
}

/**
 * `fn`, with the Error a function taking a definitions document throws for
 * a document that is not one (code `invalid_argument`) turned into an
 * InputError naming the file.
 */
export function definitionsChecked(fn, file) {
  if (file === undefined) return fn;
  return (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e?.code === 'invalid_argument') throw new InputError(`${displayName(file)}: ${e.message}`);
      throw e;
    }
  };
}

/**
 * The findings of one parsed document: its duplicate keys and every
 * trigger's validation errors and warnings.
 */
export function validateDocument(doc, validate) {
  const findings = duplicateKeyFindings(doc);
  const { items } = triggerItems(doc.value);
  for (const { pointer, value } of items) {
    const result = validate(value);
    for (const [severity, list] of [['error', result.errors], ['warning', result.warnings]]) {
      for (const issue of list) {
        findings.push(findingAt(doc, joinPointer(pointer, issue.path), severity, issue.code, issue.message));
      }
    }
  }
  return { findings, triggers: items.length };
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('validate', argv, {
    definitions: { type: 'string' },
    json: { type: 'boolean' },
    strict: { type: 'boolean' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  expectPositionals('validate', positionals, 2, Infinity, USAGE);
  const [format, ...files] = positionals;
  if (!FORMATS.includes(format)) {
    throw new UsageError(`validate: unknown format ${JSON.stringify(format)}; one of ${FORMATS.join(', ')}`);
  }
  if (values.definitions !== undefined && format !== 'zendesk') {
    throw new UsageError('validate: --definitions is for the zendesk format');
  }
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('validate: standard input (-) can be read once');
  const definitions = await loadDefinitions(values.definitions);
  const validate = definitionsChecked(validators(definitions)[format], values.definitions);

  const findings = [];
  const unreadable = [];
  let triggers = 0;
  for (const file of files) {
    let loaded;
    try {
      loaded = await loadJson(file);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unreadable.push(e.message);
      continue;
    }
    if (loaded.syntaxError) {
      findings.push(loaded.syntaxError);
      continue;
    }
    const result = validateDocument(loaded.doc, validate);
    findings.push(...result.findings);
    triggers += result.triggers;
  }
  const counts = tally(findings);
  const summary = { files: files.length, unreadable: unreadable.length, triggers, errors: counts.error, warnings: counts.warning };
  if (values.json) {
    await out.write(`${JSON.stringify({ findings, unreadable, summary }, null, 2)}\n`);
  } else {
    await out.write(findings.map((f) => `${formatFinding(f)}\n`).join(''));
    for (const message of unreadable) process.stderr.write(`triggerkit: ${message}\n`);
    process.stderr.write(`${plural(triggers, 'trigger')} in ${plural(files.length - unreadable.length, 'file')}: ` +
      `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}\n`);
  }
  if (unreadable.length) return EXIT.usage;
  return findingsExit(counts, values.strict);
}
