// `triggerkit zendesk pull` and `triggerkit zendesk push`: a Zendesk
// account's triggers to a file and back, through ZendeskClient. Credentials
// come from environment variables only. Push validates and lints the file,
// works out the plan (create, update, delete, reorder) against the account
// and applies it unless --dry-run.

import * as tk from '../node/triggerkit.mjs';
import { writeFile } from 'node:fs/promises';
import { EXIT, InputError, UsageError, expectPositionals, findingsExit, formatFinding, parseCommand, plural, tally } from './common.mjs';
import { findingAt, loadJsonOrFail, triggerItems } from './documents.mjs';
import { lintDocument } from './lint.mjs';
import { definitionsChecked, loadDefinitions, validateDocument } from './validate.mjs';

export const USAGE = 'zendesk pull [--out file] | zendesk push <triggers.json> [--dry-run]';

const CONNECTION = `Connection (one of):
  --subdomain <name>    https://<name>.zendesk.com (or $ZENDESK_SUBDOMAIN)
  --base-url <url>      any base URL, e.g. a local emulator (or $ZENDESK_BASE_URL)
Credentials, from environment variables only (never arguments):
  ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN`;

export const HELP = `Usage: triggerkit zendesk pull [--out file] [connection]
       triggerkit zendesk push <triggers.json> [--dry-run] [connection]

pull   writes every trigger of the account, in firing order, as a list page
       {"triggers": [...]} (without the url, created_at and updated_at that
       change on every save), to --out or standard output.
push   makes the account's triggers what the file says: validates and lints
       the file first (errors stop it), compares it with the account and
       shows the plan: triggers to create, to update (whose title,
       conditions, actions, active, description or category differ), to
       delete (on the account, not in the file) and the new firing order
       (the order of the file). A trigger of the file is the account's
       trigger with its id or, without one, with its title. Applies the
       plan only without --dry-run.

Options:
  --out <file>          pull: where to write (default: standard output)
  --dry-run             push: show the plan, change nothing
  --definitions <file>  push: definitions document for validation and lint
  --strict              push: lint warnings stop it too
  --json                print the plan and what was applied as JSON
  -h, --help            this help
${CONNECTION}

Exit codes: 0 done, 1 errors in the file or a request the server refused
(what was applied before it is listed), 2 usage error or unreadable file.`;

/** Members of a trigger the server sets, not the file. */
const VOLATILE = ['url', 'created_at', 'updated_at'];
/** Members push compares and sends. */
const WRITABLE = ['title', 'active', 'description', 'conditions', 'actions', 'category_id'];

/** JSON with object keys sorted: equal values give equal text. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A writable member as the server stores it (conditions always with both lists). */
function normalized(key, value) {
  if (key === 'conditions' && value && typeof value === 'object') return { all: value.all ?? [], any: value.any ?? [] };
  return value;
}

/** The body push sends for a trigger: its writable members. */
function body(trigger) {
  const out = {};
  for (const key of WRITABLE) if (trigger[key] !== undefined) out[key] = trigger[key];
  return out;
}

/** The writable members in which the file's trigger differs from the account's. */
function changedFields(local, remote) {
  return WRITABLE.filter((k) => local[k] !== undefined && canonical(normalized(k, local[k])) !== canonical(normalized(k, remote[k])));
}

/** A ZendeskClient from the options and the environment. */
function client(values) {
  const env = process.env;
  let baseUrl = values['base-url'] ?? env.ZENDESK_BASE_URL;
  const subdomain = values.subdomain ?? env.ZENDESK_SUBDOMAIN;
  if (values['base-url'] !== undefined && values.subdomain !== undefined) {
    throw new UsageError('zendesk: give --subdomain or --base-url, not both');
  }
  if (!baseUrl && subdomain) {
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(subdomain)) throw new UsageError(`zendesk: ${JSON.stringify(subdomain)} is not a subdomain`);
    baseUrl = `https://${subdomain}.zendesk.com`;
  }
  if (!baseUrl) throw new UsageError('zendesk: give --subdomain <name> or --base-url <url> (or set ZENDESK_SUBDOMAIN)');
  let credentials;
  if (env.ZENDESK_OAUTH_TOKEN) credentials = { oauthToken: env.ZENDESK_OAUTH_TOKEN };
  else if (env.ZENDESK_EMAIL && env.ZENDESK_API_TOKEN) credentials = { email: env.ZENDESK_EMAIL, apiToken: env.ZENDESK_API_TOKEN };
  else throw new UsageError('zendesk: set ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN, in the environment');
  try {
    return new tk.ZendeskClient({ baseUrl: baseUrl.replace(/\/+$/, ''), ...credentials });
  } catch (e) {
    throw new UsageError(`zendesk: ${e.message}`);
  }
}

/** The account's triggers in firing order. */
async function remoteTriggers(zendesk) {
  const all = [];
  for await (const t of zendesk.triggers()) all.push(t);
  return all.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.id - b.id);
}

/** A one-line account of a failed request: the client's message and the server's details. */
function requestFailure(e) {
  const details = e?.body?.details;
  const parts = [];
  if (details && typeof details === 'object') {
    for (const list of Object.values(details)) {
      if (Array.isArray(list)) for (const d of list) if (d?.description) parts.push(d.description);
    }
  }
  return parts.length ? `${e.message} (${parts.join('; ')})` : String(e?.message ?? e);
}

async function pull(values, positionals, out) {
  expectPositionals('zendesk pull', positionals, 0, 0, 'zendesk pull [--out file]');
  const zendesk = client(values);
  let triggers;
  try {
    triggers = await remoteTriggers(zendesk);
  } catch (e) {
    process.stderr.write(`triggerkit: zendesk pull: ${requestFailure(e)}\n`);
    return EXIT.findings;
  }
  const kept = triggers.map((t) => Object.fromEntries(Object.entries(t).filter(([k]) => !VOLATILE.includes(k))));
  const text = `${JSON.stringify({ triggers: kept }, null, 2)}\n`;
  if (values.out && values.out !== '-') {
    try {
      await writeFile(values.out, text);
    } catch (e) {
      throw new InputError(`${values.out}: cannot write (${e.code ?? e.message})`);
    }
    process.stderr.write(`${plural(kept.length, 'trigger')} written to ${values.out}\n`);
  } else {
    await out.write(text);
  }
  return EXIT.ok;
}

/**
 * The plan that makes `remote` what the file's triggers say.
 * @returns {{create: object[], update: object[], remove: object[], order: (number|string)[] | null}}
 */
function plan(doc, items, remote) {
  const byId = new Map(remote.map((t) => [String(t.id), t]));
  const kept = new Set();
  // A trigger without an id (or with one the account does not have) is the
  // account's trigger of the same title that no other trigger of the file
  // names by id: pushing a file twice changes nothing the second time.
  const named = new Set(items.map(({ value }) => String(value.id)).filter((id) => byId.has(id)));
  const byTitle = new Map();
  for (const t of remote) if (!named.has(String(t.id)) && !byTitle.has(t.title)) byTitle.set(t.title, t);
  const create = [];
  const update = [];
  const order = [];
  items.forEach(({ pointer, value }) => {
    let id = value.id == null ? null : String(value.id);
    if ((id === null || !byId.has(id)) && byTitle.has(value.title)) {
      id = String(byTitle.get(value.title).id);
      byTitle.delete(value.title);
    }
    const remoteTrigger = id === null ? undefined : byId.get(id);
    const at = findingAt(doc, pointer, 'info', 'plan', '');
    if (remoteTrigger && !kept.has(id)) {
      kept.add(id);
      order.push(id);
      const fields = changedFields(value, remoteTrigger);
      if (fields.length) update.push({ id, title: value.title ?? remoteTrigger.title, fields, line: at.line, column: at.column, body: body(value) });
    } else {
      // Placeholder for the id the server gives it.
      order.push({ create: create.length });
      const givenId = value.id == null ? null : String(value.id);
      create.push({ title: value.title, line: at.line, column: at.column, givenId, body: body(value) });
    }
  });
  const remove = remote.filter((t) => !kept.has(String(t.id))).map((t) => ({ id: String(t.id), title: t.title }));
  // The order the account has once the others are created (at the end, in file order) and deleted.
  const expected = [...remote.filter((t) => kept.has(String(t.id))).map((t) => String(t.id)), ...create.map((_, k) => ({ create: k }))];
  const same = expected.length === order.length && expected.every((x, k) => canonical(x) === canonical(order[k]));
  return { create, update, remove, order: same ? null : order };
}

/** The plan as text. */
function describePlan(p, file) {
  const lines = [];
  const counts = [plural(p.create.length, 'create'), plural(p.update.length, 'update'), plural(p.remove.length, 'delete')];
  lines.push(`plan: ${counts.join(', ')}${p.order ? ', reorder' : ''}`);
  for (const c of p.create) {
    const note = c.givenId ? ` (id ${c.givenId} is not on the account)` : '';
    lines.push(`  + create ${JSON.stringify(c.title)}${note}  ${file}:${c.line}:${c.column}`);
  }
  for (const u of p.update) lines.push(`  ~ update ${u.id} ${JSON.stringify(u.title)}: ${u.fields.join(', ')}  ${file}:${u.line}:${u.column}`);
  for (const r of p.remove) lines.push(`  - delete ${r.id} ${JSON.stringify(r.title)}`);
  if (p.order) {
    const names = p.order.map((x) => (typeof x === 'string' ? x : `new ${JSON.stringify(p.create[x.create].title)}`));
    lines.push(`  = firing order: ${names.join(', ')}`);
  }
  return lines;
}

/** The plan without request bodies, for --json. */
const planJson = (p) => ({
  create: p.create.map(({ body: _, ...c }) => c),
  update: p.update.map(({ body: _, ...u }) => u),
  delete: p.remove,
  order: p.order,
});

async function push(values, positionals, out) {
  expectPositionals('zendesk push', positionals, 1, 1, 'zendesk push <triggers.json> [--dry-run]');
  const file = positionals[0];
  const zendesk = client(values);
  const definitions = await loadDefinitions(values.definitions);
  const doc = await loadJsonOrFail(file);
  const { items, listPointer } = triggerItems(doc.value);
  if (listPointer === null) throw new InputError(`${doc.name}: expected an array of triggers or a list page {"triggers": [...]}`);
  const report = [];
  const say = (line) => (values.json ? null : report.push(line));

  // Validation and lint first: a file with errors is not pushed.
  const validation = validateDocument(doc, definitionsChecked((t) => tk.validateZendeskTrigger(t, definitions), values.definitions)).findings;
  // The linter reports invalid triggers too: once is enough.
  const reported = new Set(validation.map((f) => f.path));
  const findings = [...validation, ...lintDocument(doc, definitions, definitionsChecked(tk.lintZendeskTriggers, values.definitions)).filter((f) => !reported.has(f.path))];
  const counts = tally(findings);
  const blocked = findingsExit(counts, values.strict) !== EXIT.ok;
  if (!values.json) for (const f of findings) process.stderr.write(`${formatFinding(f)}\n`);
  if (blocked) {
    const why = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}`;
    if (values.json) await out.write(`${JSON.stringify({ findings, pushed: false }, null, 2)}\n`);
    else process.stderr.write(`triggerkit: zendesk push: not pushed (${why} in ${doc.name})\n`);
    return EXIT.findings;
  }

  let remote;
  try {
    remote = await remoteTriggers(zendesk);
  } catch (e) {
    process.stderr.write(`triggerkit: zendesk push: reading the account's triggers: ${requestFailure(e)}\n`);
    return EXIT.findings;
  }
  const p = plan(doc, items, remote);
  for (const line of describePlan(p, doc.name)) say(line);
  const nothing = !p.create.length && !p.update.length && !p.remove.length && !p.order;
  const applied = [];
  let failure = null;
  if (nothing) say('nothing to do: the account matches the file');
  else if (values['dry-run']) say('dry run: nothing applied');
  else {
    const created = [];
    const step = async (what, fn, located) => {
      if (failure) return;
      try {
        await fn();
        applied.push(what);
        say(`  done: ${what}`);
      } catch (e) {
        failure = { what, message: requestFailure(e), status: e?.status ?? null, ...located };
      }
    };
    for (const c of p.create) {
      await step(`create ${JSON.stringify(c.title)}`, async () => {
        created[p.create.indexOf(c)] = String((await zendesk.createTrigger(c.body)).trigger.id);
      }, { line: c.line, column: c.column });
    }
    for (const u of p.update) {
      await step(`update ${u.id}`, () => zendesk.updateTrigger(u.id, u.body), { line: u.line, column: u.column });
    }
    if (p.remove.length) await step(`delete ${p.remove.map((r) => r.id).join(', ')}`, () => zendesk.destroyManyTriggers(p.remove.map((r) => r.id)));
    if (p.order) {
      await step('reorder', () => zendesk.reorderTriggers(p.order.map((x) => (typeof x === 'string' ? x : created[x.create]))));
    }
    if (failure) {
      const where = failure.line ? `${doc.name}:${failure.line}:${failure.column}: ` : `${doc.name}: `;
      const code = failure.status ? `http_${failure.status}` : 'request_failed';
      say(`${where}error[${code}]: ${failure.what} failed: ${failure.message}`);
      say(`applied ${applied.length} of the plan's steps before the failure; the rest was not attempted`);
    }
  }
  if (values.json) {
    const result = { findings, plan: planJson(p), dryRun: Boolean(values['dry-run']), applied, failure };
    await out.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    await out.write(`${report.join('\n')}\n`);
  }
  return failure ? EXIT.findings : EXIT.ok;
}

export async function run(argv, out) {
  const { values, positionals } = parseCommand('zendesk', argv, {
    out: { type: 'string', short: 'o' },
    'dry-run': { type: 'boolean' },
    definitions: { type: 'string' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
    subdomain: { type: 'string' },
    'base-url': { type: 'string' },
  });
  if (values.help) return out.write(`${HELP}\n`).then(() => EXIT.ok);
  if (positionals.length === 0) throw new UsageError(`zendesk: missing action; usage: triggerkit ${USAGE}`);
  const [action, ...rest] = positionals;
  if (action === 'pull') {
    if (values['dry-run'] || values.definitions || values.strict) throw new UsageError('zendesk pull: --dry-run, --definitions and --strict are push options');
    return pull(values, rest, out);
  }
  if (action === 'push') {
    if (values.out !== undefined) throw new UsageError('zendesk push: --out is a pull option');
    return push(values, rest, out);
  }
  throw new UsageError(`zendesk: unknown action ${JSON.stringify(action)}; pull or push`);
}
