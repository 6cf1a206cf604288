// Node tests of the built package's LivechatEngine: the state machine
// through the JS API, and page-url patterns checked against V8's own RegExp
// (a fixed corpus plus seeded random patterns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';

const T0 = 1_700_000_000_000;

const trigger = (id, conditions, msgs, extra = {}) => ({
  _id: id, name: id, description: '', enabled: true, runOnce: false, conditions,
  actions: msgs.map((msg) => ({ name: 'send-message', params: { sender: 'queue', msg } })),
  ...extra,
});
const pageUrl = (value) => [{ name: 'page-url', value }];
const msgs = (step) => step.actions.map((a) => a.msg);

test('LivechatEngine fires, schedules and persists through the JS API', () => {
  const triggers = [
    trigger('t', [{ name: 'time-on-site', value: 60 }], ['minute']),
    trigger('p', pageUrl('/pricing'), ['plans'], { runOnce: true }),
    trigger('c', [{ name: 'chat-opened-by-visitor', value: null }, { name: 'page-url', value: 'help' }], ['help?']),
  ];
  const engine = new tk.LivechatEngine(triggers);
  assert.deepEqual(engine.invalid, []);
  let step = engine.start('https://shop.example/', T0);
  assert.deepEqual(step, { actions: [], nextWakeAt: T0 + 60_000 });
  step = engine.visibilityChanged(false, T0 + 5_000);
  assert.equal(step.nextWakeAt, T0 + 60_000);
  // The background tab's timer ran 6 minutes late: it still fires.
  step = engine.tick(T0 + 6 * 60_000);
  assert.deepEqual(step.actions, [{ type: 'send-message', triggerId: 't', sender: 'queue', msg: 'minute' }]);
  assert.equal(step.nextWakeAt, null);
  engine.visibilityChanged(true, T0 + 7 * 60_000);
  assert.deepEqual(msgs(engine.navigate('https://shop.example/pricing', T0 + 8 * 60_000)), ['minute', 'plans']);
  assert.deepEqual(msgs(engine.navigate('https://shop.example/help', T0 + 9 * 60_000)), ['minute']);
  assert.deepEqual(msgs(engine.chatOpened(T0 + 9 * 60_000 + 1)), ['help?']);
  assert.deepEqual(msgs(engine.guestRegistered(T0 + 9 * 60_000 + 2)), []);

  const state = engine.state();
  assert.equal(state.version, 1);
  assert.deepEqual(state.firedRunOnce, ['p']);
  assert.equal(state.visit.start, T0);
  // A reload 10 minutes later: the visit and the run-once record carry over.
  const reloaded = new tk.LivechatEngine(triggers, JSON.stringify(state));
  assert.deepEqual(msgs(reloaded.start('https://shop.example/pricing', T0 + 19 * 60_000)), ['minute']);
  // After more than 30 idle minutes, a new visit: the minute starts again.
  const later = new tk.LivechatEngine(triggers, reloaded.state());
  const back = T0 + 19 * 60_000 + 31 * 60_000;
  assert.deepEqual(later.start('https://shop.example/', back), { actions: [], nextWakeAt: back + 60_000 });
});

test('LivechatEngine reports instead of throwing on bad triggers and state', () => {
  const engine = new tk.LivechatEngine(
    [trigger('x', pageUrl('(a)\\1'), ['x']), { nonsense: true }, trigger('ok', pageUrl('.'), ['ok'])],
    { version: 7 },
  );
  assert.deepEqual(engine.invalid.map((i) => i.index), [0, 1]);
  assert.equal(engine.invalid[0].errors[0].code, 'pattern_unsupported');
  assert.equal(engine.invalid[0].errors[0].path, '/conditions/0/value');
  assert.match(engine.invalid[0].errors[0].message, /backreference `\\1`/);
  assert.deepEqual(engine.warnings.map((w) => w.code), ['state_discarded']);
  assert.deepEqual(msgs(engine.start('https://a/', T0)), ['ok']);
  assert.throws(() => new tk.LivechatEngine('nope'), (e) => e.name === 'LivechatError' && e.code === 'invalid_argument');
  assert.throws(() => engine.tick(Number.NaN), (e) => e.code === 'invalid_argument');
  assert.throws(() => new tk.LivechatEngine([]).chatOpened(T0), (e) => e.code === 'not_started');
});

test('LivechatEngine.explain says why each trigger fired or waits, and changes nothing', () => {
  const triggers = [
    trigger('t', [{ name: 'time-on-site', value: 30 }], ['thirty']),
    trigger('p', pageUrl('/pricing'), ['plans'], { runOnce: true }),
    trigger('c', [{ name: 'chat-opened-by-visitor', value: null }], ['chat']),
    trigger('off', pageUrl('.'), ['off'], { enabled: false }),
    trigger('bad', pageUrl('(a)\\1'), ['bad']),
  ];
  const engine = new tk.LivechatEngine(triggers);
  const twin = new tk.LivechatEngine(triggers);
  assert.deepEqual(engine.explain(T0)[0], {
    status: 'pending', index: 0, id: 't', waiting: [
      { condition: 'start' }, { condition: 'time-on-site', thresholdMs: 30_000, remainingMs: 30_000, dueAt: null }],
  });
  engine.start('https://shop.example/pricing', T0);
  twin.start('https://shop.example/pricing', T0);
  assert.deepEqual(engine.explain(T0 + 4_000), [
    { status: 'pending', index: 0, id: 't', waiting: [
      { condition: 'time-on-site', thresholdMs: 30_000, remainingMs: 26_000, dueAt: T0 + 30_000 }] },
    { status: 'fired', index: 1, id: 'p', firedAt: T0, runOnce: true },
    { status: 'pending', index: 2, id: 'c', waiting: [{ condition: 'chat-opened-by-visitor' }] },
    { status: 'disabled', index: 3, id: 'off' },
    { status: 'invalid', index: 4, id: 'bad', code: 'pattern_unsupported' },
  ]);
  engine.navigate('https://shop.example/', T0 + 5_000);
  twin.navigate('https://shop.example/', T0 + 5_000);
  assert.deepEqual(engine.explain(T0 + 5_000)[1], { status: 'spent', index: 1, id: 'p' });
  assert.deepEqual(engine.state(), twin.state());
  assert.deepEqual(engine.tick(T0 + 30_000), twin.tick(T0 + 30_000));
  assert.throws(() => engine.explain(-1), (e) => e.name === 'LivechatError' && e.code === 'invalid_argument');
});

test('(a+)+$ against 50,000 a\'s takes linear time', () => {
  const engine = new tk.LivechatEngine([trigger('h', pageUrl('(a+)+$'), ['m'])]);
  const timeFor = (n) => {
    const started = performance.now();
    engine.start(`${'a'.repeat(n)}!`, T0);
    return performance.now() - started;
  };
  timeFor(1000); // warm up
  const small = Math.min(timeFor(50_000), timeFor(50_000));
  const large = Math.min(timeFor(200_000), timeFor(200_000));
  assert.ok(small < 1000, `50,000 a's took ${small} ms`);
  assert.ok(large < small * 10 + 5, `not linear: ${small} ms vs ${large} ms`);
  assert.deepEqual(msgs(engine.start('a'.repeat(50_000), T0)), ['m']);
});

// What JavaScript itself says about a pattern on a URL; null when it throws.
function jsVerdict(pattern, url) {
  try {
    return new RegExp(pattern, 'g').test(url);
  } catch {
    return null;
  }
}

// Every pattern becomes a trigger; one start per URL tells which fired.
function checkAgainstV8(patterns, urls) {
  const triggers = patterns.map((p, i) => trigger(String(i), pageUrl(p), [String(i)]));
  const engine = new tk.LivechatEngine(triggers);
  const invalid = new Map(engine.invalid.map((i) => [i.index, i.errors[0].code]));
  for (const [i, pattern] of patterns.entries()) {
    const jsAccepts = jsVerdict(pattern, '') !== null;
    const code = invalid.get(i);
    // Inline modifiers are valid from ES2025 (Chrome 125) but not in Node 20's V8.
    const modifiers = /\(\?[ims-]+:/.test(pattern);
    if (!jsAccepts && !(modifiers && code === 'pattern_unsupported')) {
      assert.equal(code, 'pattern_syntax', `V8 rejects /${pattern}/, we said ${code ?? 'ok'}`);
    } else if (code !== undefined) {
      assert.notEqual(code, 'pattern_syntax', `V8 accepts /${pattern}/, we said ${code}`);
    }
  }
  for (const url of urls) {
    const fired = new Set(msgs(engine.start(url, T0)).map(Number));
    for (const [i, pattern] of patterns.entries()) {
      if (invalid.has(i)) continue;
      assert.equal(fired.has(i), jsVerdict(pattern, url), `/${pattern}/ on ${JSON.stringify(url)}`);
    }
  }
}

test('page-url patterns agree with V8 on a corpus', () => {
  const patterns = [
    'pricing', '/pricing$', '^https://shop\\.example/', 'example.com', 'PRICING', '[?&]utm_source=(mail|ads)',
    '/item/\\d+$', '\\bshop\\b', '\\Bhop', '[^/]+\\.pdf$', 'a{2,3}', 'a{,2}', 'x{', '}', ']', '[]]', '[^]x',
    '[\\d-z]', '[[:alpha:]]', '\\p{L}', '\\P', '(?<page>docs)/(.+?)$', 'a+?b', '\\8', '\\101', '(a)\\2', '\\x41',
    '\\xZ', '\\u0041', '\\u{41}', '\\cJ', '\\c1', '[\\c1]', '[\\c_]', '[\\b]', '\\k', '\\/path\\/', '.*', '^$',
    '(?:)', '()', 'a|', '|', '[a-]', '[-a]', '\\w+@\\w+', '\\s', '\\S+', '\\D\\W', '%20', 'ä', '\\0', '\\00',
    '\\08', '(?=x)', '(?!x)', '(?<=x)', '(?<!x)', '(a)\\1', '(?<n>a)\\k<n>', '(?i:a)', '(?i)', '*', 'a**', '{1}',
    'a{2}{3}', '^*', '\\b+', '[z-a]', 'a{3,2}', '(', ')', '[a', '\\', '(?a)', '(?<1>a)', '(?<a>x)(?<a>y)',
    '\\-', '[\\-]', '\\.', 'a\\', '$^', 'a{1,}b', 'a{0}', 'a{0,0}b', '[\\s\\S]', '[^\\d]', '[\\D]', '[^\\D]',
  ];
  const urls = [
    'https://shop.example/', 'https://shop.example/pricing', 'https://shop.example/item/42',
    'https://shop.example/docs/intro?utm_source=mail&x=1', 'https://example.com/a%20b#top', 'aab', 'xaaa',
    'p{L}', 'a]', 'x{', '}', ']', 'A', '\n', 'uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu', '-', '8', '\u0002',
    'a b@c d', '/path/', 'https://shop.example/files/r.pdf', 'ä', '\u0000', 'hop shop', '',
  ];
  checkAgainstV8(patterns, urls);
});

test('page-url patterns agree with V8 on 4,000 random patterns', () => {
  // A small seeded generator (xorshift32), so a failure can be replayed.
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed;
  };
  const pieces = ['a', 'b', '-', '.', '/', '(', ')', '(?:', '[', ']', '[^', '{', '}', ',', '1', '2', '0', '|',
    '*', '+', '?', '^', '$', '\\', '\\d', '\\w', '\\s', '\\b', '\\B', '\\1', '\\x4', '\\u', 'c', 'k', '<', '>',
    '=', '!', ':'];
  const patterns = [];
  for (let i = 0; i < 4000; i++) {
    let p = '';
    const len = 1 + (next() % 8);
    for (let j = 0; j < len; j++) p += pieces[next() % pieces.length];
    patterns.push(p);
  }
  const alphabet = 'ab-./(){}[],120|*+?^$\\ck<>=!:_ \n';
  const urls = ['', 'ab', 'https://a.b/ab-1', 'a{1}', 'a\\b', 'c<k>', '1,2', 'ba-ab ab_ab'];
  for (let i = 0; i < 12; i++) {
    let u = '';
    const len = next() % 12;
    for (let j = 0; j < len; j++) u += alphabet[next() % alphabet.length];
    urls.push(u);
  }
  checkAgainstV8(patterns, urls);
});

test('the livechat declarations are precise (no any)', async () => {
  const { readFile } = await import('node:fs/promises');
  const dts = await readFile(new URL('../../pkg/node/triggerkit.d.mts', import.meta.url), 'utf8');
  for (const name of ['LivechatTriggersOptions', 'LivechatStorage', 'LivechatExternalService', 'LivechatTriggerList',
    'LivechatStep', 'LivechatState', 'Visit', 'InvalidTrigger']) {
    const decl = dts.match(new RegExp(`export (?:interface|type) ${name}\\b[^]*?\\n}`));
    assert.ok(decl, `${name} is declared`);
    const code = decl[0].replace(/\/\*\*[^]*?\*\//g, '');
    assert.doesNotMatch(code, /\bany\b/, name);
  }
  assert.match(dts, /export type LivechatAction = \{ type: "send-message"; triggerId\?: string; sender: Sender; agentName\?: string; msg: string \} \| \{ type: "use-external-service"; triggerId: string;/);
  assert.match(dts, /constructor\(triggers: unknown\[\], state\?: LivechatState \| string \| null\);/);
  assert.match(dts, /constructor\(triggers: unknown\[\], options: LivechatTriggersOptions\);/);
  assert.match(dts, /navigate\(url: string, nowMs: number\): LivechatStep;/);
  assert.match(dts, /export function fetchLivechatTriggers\(serverUrl: string\): Promise<LivechatTriggerList>;/);
  assert.match(dts, /nextWakeAt: number \| null;/);
  assert.match(dts, /visit: Visit \| null;/);
  for (const name of ['LivechatExplanation', 'LivechatWaiting']) {
    const start = dts.indexOf(`export type ${name} =`);
    assert.ok(start >= 0, `${name} is declared`);
    assert.doesNotMatch(dts.slice(start, dts.indexOf('\n\n', start)), /\bany\b/, name);
  }
  assert.match(dts, /\| \{ status: "fired"; index: number; id: string \| null; firedAt: number; runOnce: boolean \}\n\s*\| \{ status: "pending"; index: number; id: string \| null; waiting: LivechatWaiting\[\] \}/);
  assert.match(dts, /\| \{ condition: "page-url"; pattern: string; url: string \| null \}/);
  assert.match(dts, /explain\(nowMs: number\): LivechatExplanation\[\];/);
  assert.match(dts, /explain\(\): LivechatExplanation\[\];/);
});
