// The `triggerkit` command line, run from the packed tarball: help and
// usage errors, validate, lint, simulate, diff and filter, every exit code, and bad
// input (not JSON, a truncated line, a directory, a missing file) reported
// with a located one-line message and never a stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixtures, installed, jsonl, triggerkit, where } from './run.mjs';

const good = {
  id: 11, title: 'Urgent goes to pending', active: true, position: 1,
  conditions: { all: [{ field: 'priority', operator: 'is', value: 'urgent' }], any: [] },
  actions: [{ field: 'status', value: 'pending' }],
};
const second = {
  id: 12, title: 'Pending gets high priority', active: true, position: 2,
  conditions: { all: [{ field: 'status', operator: 'is', value: 'pending' }], any: [] },
  actions: [{ field: 'priority', value: 'high' }],
};
const bad = {
  id: 13, title: 'Broken',
  conditions: { all: [{ field: 'priority', operator: 'bogus_op', value: 'urgent' }] },
  actions: [{ field: 'status', value: 'nonsense' }],
};
const silent = { ...second, id: 14, title: 'Does nothing', actions: [] };

const page = (triggers) => `${JSON.stringify({ triggers }, null, 2)}\n`;
const texts = {
  'good.json': page([good, second]),
  'bad.json': page([good, bad]),
  'warn.json': `${JSON.stringify([good, silent], null, 2)}\n`,
  'one.json': `${JSON.stringify(bad, null, 2)}\n`,
  'syntax.json': '{\n  "triggers": [\n    {"id": 1,}\n  ]\n}\n',
  'rocketchat.json': `${JSON.stringify({ name: 'x', enabled: true, runOnce: false, conditions: [{ name: 'page-url', value: 'a' }], actions: [] }, null, 2)}\n`,
};
const dir = fixtures(texts);
const at = (name) => join(dir, name);

test('--help, per command too, and usage errors exit 2 with one line', async () => {
  const top = await triggerkit(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Usage: triggerkit <command>/);
  for (const command of ['validate', 'lint', 'simulate', 'diff', 'filter', 'zendesk']) {
    const r = await triggerkit([command, '--help']);
    assert.equal(r.code, 0, command);
    assert.match(r.stdout, new RegExp(`Usage: triggerkit ${command}`), command);
    assert.match(r.stdout, /Exit codes/, command);
  }
  for (const args of [[], ['nope'], ['validate'], ['validate', 'zendesk', at('good.json'), '--bogus'],
    ['validate', 'yaml', at('good.json')], ['simulate', 'zendesk', at('good.json')], ['filter'],
    ['validate', 'rocketchat', at('rocketchat.json'), '--definitions', at('good.json')]]) {
    const r = await triggerkit(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '', args.join(' '));
    assert.match(r.stderr, /^triggerkit: [^\n]+\n$/, `one line for ${args.join(' ')}`);
  }
});

test('validate: clean files exit 0', async () => {
  const r = await triggerkit(['validate', 'zendesk', at('good.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /2 triggers in 1 file: 0 errors, 0 warnings/);
});

test('validate: every error located at its value as file:line:column, exit 1', async () => {
  const r = await triggerkit(['validate', 'zendesk', at('bad.json')]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stdout);
  const text = texts['bad.json'];
  assert.match(lines[0], new RegExp(`^${at('bad.json')}:${where(text, '"bogus_op"')}: error\\[invalid_operator\\]: `));
  assert.match(lines[1], new RegExp(`^${at('bad.json')}:${where(text, '"nonsense"')}: error\\[invalid_value\\]: `));
});

test('validate: a single trigger, an array, standard input and --json', async () => {
  const one = await triggerkit(['validate', 'zendesk', at('one.json')]);
  assert.equal(one.code, 1);
  assert.match(one.stdout, new RegExp(`one.json:${where(texts['one.json'], '"bogus_op"')}: error`));
  const stdin = await triggerkit(['validate', 'zendesk', '-'], { input: texts['bad.json'] });
  assert.equal(stdin.code, 1);
  assert.match(stdin.stdout, new RegExp(`^<stdin>:${where(texts['bad.json'], '"bogus_op"')}: error\\[invalid_operator\\]`));
  const json = await triggerkit(['validate', 'zendesk', at('bad.json'), at('good.json'), '--json']);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  assert.deepEqual(report.summary, { files: 2, unreadable: 0, triggers: 4, errors: 2, warnings: 0 });
  assert.deepEqual(report.findings.map((f) => f.path), ['/triggers/1/conditions/all/0/operator', '/triggers/1/actions/0/value']);
  assert.equal(`${report.findings[0].line}:${report.findings[0].column}`, where(texts['bad.json'], '"bogus_op"'));
});

test('validate: warnings exit 0, and 1 with --strict', async () => {
  const r = await triggerkit(['validate', 'zendesk', at('warn.json')]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /warn\.json:\d+:\d+: warning\[no_actions\]: /);
  const strict = await triggerkit(['validate', 'zendesk', at('warn.json'), '--strict']);
  assert.equal(strict.code, 1);
});

test('validate: other formats', async () => {
  const r = await triggerkit(['validate', 'rocketchat', at('rocketchat.json'), '--json']);
  const report = JSON.parse(r.stdout);
  assert.equal(report.summary.triggers, 1);
  assert.equal(r.code, report.summary.errors ? 1 : 0);
  for (const f of report.findings) assert.ok(f.line >= 1 && f.column >= 1 && f.file.endsWith('rocketchat.json'));
});

test('validate: not JSON is a located error; a missing file and a directory exit 2', async () => {
  const syntax = await triggerkit(['validate', 'zendesk', at('syntax.json')]);
  assert.equal(syntax.code, 1);
  assert.match(syntax.stdout, new RegExp(`^${at('syntax.json')}:3:14: error\\[invalid_json\\]: not JSON: `));
  const missing = await triggerkit(['validate', 'zendesk', at('missing.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, new RegExp(`^triggerkit: ${at('missing.json')}: no such file\\n`));
  const folder = await triggerkit(['validate', 'zendesk', dir, at('good.json')]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /is a directory/);
  assert.match(folder.stderr, /2 triggers in 1 file/, 'the readable file is still validated');
});

// ----------------------------------------------------------------- lint

const dupe = { ...second, id: 15, position: 3 };
const never = {
  id: 16, title: 'Never', active: true, position: 4,
  conditions: { all: [{ field: 'status', operator: 'is', value: 'open' }, { field: 'status', operator: 'is', value: 'solved' }], any: [] },
  actions: [{ field: 'priority', value: 'low' }],
};
const lintTexts = { 'set.json': page([good, second, dupe, never]), 'clean.json': page([good]), 'dupe.json': page([good, second, dupe]) };
const lintDir = fixtures(lintTexts);

/** The line range of the i-th trigger of a pretty-printed list page. */
function lines(text, i) {
  let start = -1;
  for (let k = 0; k <= i; k++) start = text.indexOf('\n    {', start + 1);
  const end = text.indexOf('\n    }', start);
  return [text.slice(0, start + 1).split('\n').length, text.slice(0, end + 1).split('\n').length];
}

test('lint: findings located in the trigger they are about; errors exit 1', async () => {
  const r = await triggerkit(['lint', 'zendesk', join(lintDir, 'set.json'), '--json']);
  assert.equal(r.code, 1, r.stderr);
  const { findings, summary } = JSON.parse(r.stdout);
  const neverFires = findings.find((f) => f.code === 'never_fires');
  assert.equal(neverFires?.severity, 'error', JSON.stringify(findings));
  assert.match(neverFires.path, /^\/triggers\/3(\/|$)/);
  const [from, to] = lines(lintTexts['set.json'], 3);
  assert.ok(neverFires.line >= from && neverFires.line <= to, `line ${neverFires.line} in ${from}-${to}`);
  const duplicate = findings.find((f) => f.code === 'duplicate_title');
  assert.equal(duplicate?.severity, 'warning');
  assert.ok(summary.errors >= 1 && summary.warnings >= 1);
  const text = await triggerkit(['lint', 'zendesk', join(lintDir, 'set.json')]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, new RegExp(`set\\.json:${neverFires.line}:${neverFires.column}: error\\[never_fires\\]: `));
});

test('lint: clean exits 0; warnings exit 0, and 1 with --strict', async () => {
  const clean = await triggerkit(['lint', 'zendesk', join(lintDir, 'clean.json')]);
  assert.equal(clean.code, 0, clean.stdout);
  const warned = await triggerkit(['lint', 'zendesk', join(lintDir, 'dupe.json')]);
  assert.equal(warned.code, 0, warned.stdout);
  assert.match(warned.stdout, /warning\[duplicate_title\]/);
  const strict = await triggerkit(['lint', 'zendesk', join(lintDir, 'dupe.json'), '--strict']);
  assert.equal(strict.code, 1);
  const missing = await triggerkit(['lint', 'zendesk', join(lintDir, 'nope.json')]);
  assert.equal(missing.code, 2);
});

// ------------------------------------------------------------- simulate

const updates = [
  { ticket: { id: 1, status: 'new', priority: 'urgent', tags: [] } },
  { ticket: { id: 2, status: 'open', priority: 'low', tags: [] } },
  { ticket: { id: 3, status: 'pending', priority: 'normal', tags: ['x'] }, previous: { status: 'open' } },
];
const simDir = fixtures({
  'triggers.json': page([good, second]),
  'broken.json': page([good, bad]),
  'updates.jsonl': `${jsonl(updates.slice(0, 2))}\n${jsonl(updates.slice(2))}`,
  'truncated.jsonl': `${jsonl(updates.slice(0, 2))}${JSON.stringify(updates[2]).slice(0, 30)}`,
  'notjson.jsonl': `${jsonl(updates.slice(0, 1))}{"ticket": {"id": 4, status: 1}}\n`,
  'twoperline.jsonl': `${JSON.stringify(updates[0])} ${JSON.stringify(updates[1])}\n`,
  'notobject.jsonl': `${jsonl(updates.slice(0, 1))}[1, 2]\n`,
});
const sim = (name) => join(simDir, name);

test('simulate: one result line per update (blank lines skipped), as evaluateMany gives them; --ticket, --effects', async () => {
  const r = await triggerkit(['simulate', 'zendesk', sim('triggers.json'), sim('updates.jsonl'), '--ticket', '--effects']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.line), [1, 2, 4]);
  const { dir: project } = await installed();
  const tk = await import(pathToFileURL(join(project, 'node_modules/triggerkit/node/triggerkit.mjs')).href);
  const expected = tk.compileZendeskTriggers([good, second]).evaluateMany(updates);
  assert.deepEqual(lines.map(({ line: _, ...rest }) => rest), JSON.parse(JSON.stringify(expected.map((e) => ({ fired: e.fired, effects: e.effects, ticket: e.ticket })))));
  assert.deepEqual(lines[0].fired, [11, 12]);
  assert.equal(lines[0].ticket.status, 'pending');
  assert.equal(lines[0].ticket.priority, 'high');

  const lean = await triggerkit(['simulate', 'zendesk', sim('triggers.json'), '-', '--batch', '1'], { input: jsonl(updates) });
  assert.equal(lean.code, 0);
  assert.equal(lean.stdout, lines.map((l, i) => `{"line":${i + 1},"fired":${JSON.stringify(l.fired)}}\n`).join(''));
});

test('simulate: triggers that do not compile are located on stderr, exit 1', async () => {
  const r = await triggerkit(['simulate', 'zendesk', sim('broken.json'), sim('updates.jsonl')]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.trimEnd().split('\n').length, 3, 'the other triggers still run');
  const text = page([good, bad]);
  assert.match(r.stderr, new RegExp(`broken.json:${where(text, '"bogus_op"')}: error\\[invalid_operator\\]`));
});

test('simulate: bad lines are named by line number, exit 2', async () => {
  const cases = [
    ['truncated.jsonl', /truncated\.jsonl:3:\d+: truncated JSON line/],
    ['notjson.jsonl', /notjson\.jsonl:2:22: not JSON: /],
    ['twoperline.jsonl', /twoperline\.jsonl:1:\d+: not JSON: /],
    ['notobject.jsonl', /notobject\.jsonl:2: /],
  ];
  for (const [name, message] of cases) {
    const r = await triggerkit(['simulate', 'zendesk', sim('triggers.json'), sim(name)]);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, message, name);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, name);
  }
  const folder = await triggerkit(['simulate', 'zendesk', sim('triggers.json'), simDir]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /is a directory/);
  const notJson = await triggerkit(['simulate', 'zendesk', sim('updates.jsonl'), sim('updates.jsonl')]);
  assert.equal(notJson.code, 2);
  assert.match(notJson.stderr, /updates\.jsonl:2:1: not JSON: Unexpected '\{' after the end/);
});

test('simulate --explain: one trace per update, as ZendeskRuleSet.explain gives it', async () => {
  const r = await triggerkit(['simulate', 'zendesk', sim('triggers.json'), sim('updates.jsonl'), '--explain']);
  assert.equal(r.code, 0, r.stderr);
  const traces = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const { dir: project } = await installed();
  const tk = await import(pathToFileURL(join(project, 'node_modules/triggerkit/node/triggerkit.mjs')).href);
  const rules = tk.compileZendeskTriggers([good, second]);
  assert.deepEqual(traces, updates.map((u, i) => JSON.parse(JSON.stringify({ line: [1, 2, 4][i], ...rules.explain(u) }))));
  assert.deepEqual(traces[0].fired, [11, 12]);
});

// ----------------------------------------------------------------- diff

const changed = { ...good, conditions: { all: [{ field: 'priority', operator: 'is', value: 'low' }], any: [] } };
const diffDir = fixtures({
  'before.json': page([good, second]),
  'after.json': page([changed, second]),
  'updates.jsonl': jsonl(updates),
});

test('diff: a readable summary, per trigger counts and the changed updates; exit 1 when updates change', async () => {
  const args = ['diff', 'zendesk', join(diffDir, 'before.json'), join(diffDir, 'after.json'), join(diffDir, 'updates.jsonl')];
  const r = await triggerkit(args);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^3 updates read, 2 updates changed \(66\.7%\)\n/);
  assert.match(r.stdout, /\n11 "Urgent goes to pending" +1 +1\n/);
  assert.match(r.stdout, /updates\.jsonl:1: fired \[11, 12\] -> \[\]\n/);
  assert.match(r.stdout, /updates\.jsonl:2: fired \[\] -> \[11, 12\]\n/);
  assert.match(r.stdout, /    ticket\.status: "pending" -> "new"\n/);

  const json = await triggerkit([...args, '--json', '--limit', '1', ]);
  assert.equal(json.code, 1);
  const report = JSON.parse(json.stdout);
  const { dir: project } = await installed();
  const tk = await import(pathToFileURL(join(project, 'node_modules/triggerkit/node/triggerkit.mjs')).href);
  const expected = tk.diffZendeskTriggerSets([good, second], [changed, second], updates);
  assert.deepEqual(report.summary, JSON.parse(JSON.stringify(expected.summary)));
  assert.equal(report.changes.length, 1);
  assert.deepEqual(report.changes[0], JSON.parse(JSON.stringify({ line: 1, ...expected.changes[0] })));

  const same = await triggerkit(['diff', 'zendesk', join(diffDir, 'before.json'), join(diffDir, 'before.json'), '-'], { input: jsonl(updates) });
  assert.equal(same.code, 0);
  assert.match(same.stdout, /^3 updates read, 0 updates changed/);
  const bad = await triggerkit(['diff', 'zendesk', join(diffDir, 'before.json'), join(diffDir, 'after.json'), join(diffDir, 'nope.jsonl')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /nope\.jsonl: no such file/);
});

// --------------------------------------------------------------- filter

const events = [
  { event: { type: 'message', text: 'refund please', n: 3 } },
  { event: { type: 'join', n: 1 } },
  { event: { type: 'message', text: 'hello', n: 7 } },
];
const filterDir = fixtures({
  'events.jsonl': jsonl(events),
  'bad.jsonl': `${jsonl(events)}{"event": }\n`,
});

test('filter: prints the matching lines unchanged, like grep (exit 0, or 1 when none)', async () => {
  const r = await triggerkit(['filter', 'event.type == "message" && event.n > 5', join(filterDir, 'events.jsonl')]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, jsonl([events[2]]));
  const stdin = await triggerkit(['filter', 'event.type == "message"', '-'], { input: jsonl(events) });
  assert.equal(stdin.stdout, jsonl([events[0], events[2]]));
  const count = await triggerkit(['filter', '-c', 'event.type == "message"'], { input: jsonl(events) });
  assert.equal(count.stdout, '2\n');
  const invert = await triggerkit(['filter', '-v', 'event.type == "message"'], { input: jsonl(events) });
  assert.equal(invert.stdout, jsonl([events[1]]));
  const none = await triggerkit(['filter', 'event.type == "leave"', join(filterDir, 'events.jsonl')]);
  assert.equal(none.code, 1);
  assert.equal(none.stdout, '');
});

test('filter: a syntax error is shown with a caret under its place, exit 2', async () => {
  const r = await triggerkit(['filter', 'event.type == && x'], { input: jsonl(events) });
  assert.equal(r.code, 2);
  const [first, line, caret] = r.stderr.split('\n');
  assert.match(first, /^triggerkit: filter: syntax error at column 15: /);
  assert.equal(line, '  event.type == && x');
  assert.equal(caret, `  ${' '.repeat(14)}^`);
});

test('filter: a line that is not JSON is named, exit 2', async () => {
  const r = await triggerkit(['filter', 'event.n > 0', join(filterDir, 'bad.jsonl')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad\.jsonl:4:11: not JSON: /);
});

// -------------------------------------------------------------- Node 18

test('runs on Node 18 (the oldest supported)', async (t) => {
  const { NODE18 } = await import('../package/scratch.mjs');
  const { existsSync } = await import('node:fs');
  if (!existsSync(NODE18)) {
    t.skip('Node 18 is not installed (scripts/install.sh puts it in tests/package/node18)');
    return;
  }
  const { execFile } = await import('node:child_process');
  const { bin } = await installed();
  const node18 = (args, input) => new Promise((resolve) => {
    const child = execFile(NODE18, [bin, ...args], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
  const validate = await node18(['validate', 'zendesk', at('bad.json')]);
  assert.equal(validate.code, 1, validate.stderr);
  assert.match(validate.stdout, new RegExp(`bad.json:${where(texts['bad.json'], '"bogus_op"')}: error\\[invalid_operator\\]`));
  const simulate = await node18(['simulate', 'zendesk', sim('triggers.json'), '-'], jsonl(updates));
  assert.equal(simulate.code, 0, simulate.stderr);
  assert.equal(simulate.stdout.split('\n')[0], '{"line":1,"fired":[11,12]}');
  const usage = await node18(['filter', 'a ==']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^triggerkit: filter: syntax error/);
});

// ------------------------------------------------------------- progress

test('a progress bar on standard error when it is a terminal, cleared at the end; never in pipes', async (t) => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  if (spawnSync('script', ['--version']).status !== 0) {
    t.skip('no script(1) to give the command a terminal');
    return;
  }
  const { bin } = await installed();
  const big = jsonl(Array.from({ length: 3000 }, (_, i) => ({ ticket: { id: i, status: 'new', priority: 'urgent' } })));
  const dirs = fixtures({ 'triggers.json': page([good, second]), 'big.jsonl': big });
  const out = join(dirs, 'out.jsonl');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [bin, 'simulate', 'zendesk', join(dirs, 'triggers.json'), join(dirs, 'big.jsonl')].map(quote).join(' ');
  // script(1) runs the command on a new terminal; its output is what that terminal showed.
  const screen = execFileSync('script', ['-qec', `${command} --batch 100 > ${quote(out)}`, '/dev/null'], { encoding: 'utf8' });
  assert.match(screen, /\rsimulate \[[#.]{24}\] +\d+% [\d,]+ updates?\x1b\[K/);
  assert.ok(screen.endsWith('\r\x1b[K'), 'the bar is cleared at the end');
  const { readFileSync } = await import('node:fs');
  assert.equal(readFileSync(out, 'utf8').split('\n').length - 1, 3000, 'standard output carries only the results');
  // In a pipe (every other test here), run() checks that standard error has no bar.
  const piped = await triggerkit(['simulate', 'zendesk', join(dirs, 'triggers.json'), join(dirs, 'big.jsonl'), '--batch', '100']);
  assert.equal(piped.stderr, '');
});
