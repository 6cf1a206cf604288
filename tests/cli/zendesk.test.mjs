// `triggerkit zendesk pull` and `push`, from the packed tarball, against a
// private local emulator (its faults are global): pull to a file and to
// standard output, the push plan (create, update, delete, reorder) with
// --dry-run changing nothing, applying it, a 429 retried on the way, a 422
// stopping it with a located message, a file with errors not pushed, and
// credentials taken from the environment only.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_TOKEN, startEmulator } from '../node/emulator.mjs';
import { fixtures, triggerkit, where } from './run.mjs';

let emu;
let env;
const dir = fixtures({});

before(async () => {
  emu = await startEmulator({ private: true });
  env = { ZENDESK_EMAIL: 'agent@example.com', ZENDESK_API_TOKEN: DEV_TOKEN, ZENDESK_OAUTH_TOKEN: '', ZENDESK_SUBDOMAIN: '', ZENDESK_BASE_URL: '' };
});
after(() => emu?.stop());

/** A call to the emulator's Zendesk API. */
async function api(method, path, body) {
  const r = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${DEV_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The account's triggers in firing order, as [id, title] pairs. */
async function account() {
  const { triggers } = await api('GET', '/api/v2/triggers?sort_by=position&per_page=100');
  return triggers.sort((a, b) => a.position - b.position).map((t) => [t.id, t.title]);
}

const trigger = (title, status) => ({
  title, active: true,
  conditions: { all: [{ field: 'status', operator: 'is', value: status }], any: [] },
  actions: [{ field: 'priority', value: 'high' }],
});

const zendesk = (args, extra = {}) => triggerkit(['zendesk', ...args, '--base-url', emu.url], { env: { ...env, ...extra } });

/** Empties the account and creates `titles` in order; returns their ids. */
async function seed(...titles) {
  await emu.admin('DELETE', '/faults');
  for (const [id] of await account()) await api('DELETE', `/api/v2/triggers/${id}`);
  const ids = [];
  for (const [i, title] of titles.entries()) ids.push((await api('POST', '/api/v2/triggers', { trigger: trigger(title, i % 2 ? 'open' : 'new') })).trigger.id);
  return ids;
}

test('pull writes the triggers in firing order, without the members that change on every save', async () => {
  const ids = await seed('First', 'Second');
  const out = join(dir, 'pulled.json');
  const r = await zendesk(['pull', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /2 triggers written to /);
  const file = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(file.triggers.map((t) => [t.id, t.title]), [[ids[0], 'First'], [ids[1], 'Second']]);
  for (const t of file.triggers) {
    assert.equal(t.url, undefined);
    assert.equal(t.created_at, undefined);
    assert.deepEqual(t.actions, [{ field: 'priority', value: 'high' }]);
  }
  const stdout = await zendesk(['pull']);
  assert.equal(stdout.code, 0);
  assert.deepEqual(JSON.parse(stdout.stdout), file);
  const validate = await triggerkit(['validate', 'zendesk', out]);
  assert.equal(validate.code, 0, `a pulled file validates: ${validate.stdout}`);
});

/** A pulled file, edited: Second renamed, First deleted, New added at the top, Third moved up. */
async function editedFile() {
  const ids = await seed('First', 'Second', 'Third');
  const out = join(dir, 'edit.json');
  assert.equal((await zendesk(['pull', '--out', out])).code, 0);
  const { triggers } = JSON.parse(readFileSync(out, 'utf8'));
  const [, second, third] = triggers;
  const edited = [trigger('New', 'pending'), third, { ...second, title: 'Second, renamed' }];
  const text = `${JSON.stringify({ triggers: edited }, null, 2)}\n`;
  writeFileSync(out, text);
  return { ids, out, text };
}

test('push --dry-run shows the plan and changes nothing; push applies it', async () => {
  const { ids, out, text } = await editedFile();
  const dry = await zendesk(['push', out, '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  const lines = dry.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'plan: 1 create, 1 update, 1 delete, reorder');
  assert.match(dry.stdout, new RegExp(`\\+ create "New"  ${out}:${where(text, '{', text.indexOf('"triggers"'))}`));
  assert.match(dry.stdout, new RegExp(`~ update ${ids[1]} "Second, renamed": title  ${out}:\\d+:\\d+`));
  assert.match(dry.stdout, new RegExp(`- delete ${ids[0]} "First"`));
  assert.match(dry.stdout, new RegExp(`= firing order: new "New", ${ids[2]}, ${ids[1]}`));
  assert.match(dry.stdout, /dry run: nothing applied/);
  assert.deepEqual(await account(), [[ids[0], 'First'], [ids[1], 'Second'], [ids[2], 'Third']]);

  const json = await zendesk(['push', out, '--dry-run', '--json']);
  const plan = JSON.parse(json.stdout);
  assert.equal(plan.dryRun, true);
  assert.deepEqual(plan.applied, []);
  assert.deepEqual(plan.plan.delete, [{ id: String(ids[0]), title: 'First' }]);

  const r = await zendesk(['push', out]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const now = await account();
  assert.deepEqual(now.map(([, title]) => title), ['New', 'Third', 'Second, renamed']);
  assert.deepEqual(now.slice(1).map(([id]) => id), [ids[2], ids[1]]);
  const again = await zendesk(['push', out]);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /nothing to do/);
});

test('push: a 429 on the way is retried and the push completes', async () => {
  const { out } = await editedFile();
  await emu.admin('PUT', '/faults', { path_prefix: '/api/v2/triggers', next: ['ok', 'rate_limit'], retry_after_seconds: 1 });
  const r = await zendesk(['push', out]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual((await account()).map(([, title]) => title), ['New', 'Third', 'Second, renamed']);
  const { stats } = await emu.admin('GET', '/faults');
  assert.equal(stats.rate_limited, 1);
});

test('push: a 422 stops it with a located message and lists what was applied', async () => {
  const { ids, out, text } = await editedFile();
  // The list call passes; the second change (the update) is refused.
  await emu.admin('PUT', '/faults', { path_prefix: '/api/v2/triggers', next: ['ok', 'ok', 'error'], error_status: 422 });
  const r = await zendesk(['push', out]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /done: create "New"/);
  // The update is the file's third trigger: located at its opening brace.
  let start = -1;
  for (let k = 0; k < 3; k++) start = text.indexOf('\n    {', start + 1);
  assert.match(r.stdout, new RegExp(`${out}:${where(text, '{', start)}: error\\[http_422\\]: update ${ids[1]} failed: HTTP 422 .*refused`));
  assert.match(r.stdout, /applied 1 of the plan's steps before the failure/);
  const titles = (await account()).map(([, title]) => title);
  assert.deepEqual(titles, ['First', 'Second', 'Third', 'New'], 'nothing after the failure was attempted');
});

test('push: a file with errors is not pushed', async () => {
  await seed('Only');
  const bad = { ...trigger('Bad', 'open'), actions: [{ field: 'status', value: 'nonsense' }] };
  const text = `${JSON.stringify([bad], null, 2)}\n`;
  const file = join(dir, 'bad.json');
  writeFileSync(file, text);
  const r = await zendesk(['push', file]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`${file}:${where(text, '"nonsense"')}: error\\[invalid_value\\]`));
  assert.match(r.stderr, /not pushed \(1 error/);
  assert.deepEqual((await account()).map(([, title]) => title), ['Only']);
});

test('credentials come from the environment only; a refused login exits 1', async () => {
  const none = await zendesk(['pull'], { ZENDESK_EMAIL: '', ZENDESK_API_TOKEN: '' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /set ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN/);
  const arg = await zendesk(['pull', '--api-token', DEV_TOKEN], { ZENDESK_EMAIL: '', ZENDESK_API_TOKEN: '' });
  assert.equal(arg.code, 2);
  assert.match(arg.stderr, /Unknown option '--api-token'/);
  const oauth = await zendesk(['pull'], { ZENDESK_EMAIL: '', ZENDESK_API_TOKEN: '', ZENDESK_OAUTH_TOKEN: DEV_TOKEN });
  assert.equal(oauth.code, 0, oauth.stderr);
  const wrong = await zendesk(['pull'], { ZENDESK_API_TOKEN: 'wrong' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^triggerkit: zendesk pull: HTTP 401/);
  const nowhere = await triggerkit(['zendesk', 'pull'], { env });
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.stderr, /give --subdomain <name> or --base-url <url>/);
});
