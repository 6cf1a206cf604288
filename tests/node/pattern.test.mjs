// Differential test of the page-url pattern engine against V8: thousands of
// generated patterns (classes, escapes, quantifiers, anchors, alternation,
// groups, astral and surrogate text) on generated URLs, each verdict of a
// LivechatEngine page-url trigger compared with `new RegExp(p, 'g').test(url)`.
// The generator is seeded, so a failure can be replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';

const T0 = 1_700_000_000_000;

// xorshift32.
function generator(seed) {
  let s = seed >>> 0;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  return { next, pick: (list) => list[next() % list.length], chance: (n) => next() % n === 0 };
}

const LITERALS = ['a', 'b', 'c', '1', '_', '-', '/', ':', 'é', '😀', ' ', '%', '}', ']', '{', 'A'];
const ESCAPES = [
  '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\.', '\\/', '\\-', '\\?', '\\(', '\\[', '\\{', '\\$', '\\^', '\\\\',
  '\\x61', '\\x2D', '\\u0062', '\\u00e9', '\\uD83D', '\\uDE00', '\\uDE01', '\\cJ', '\\cj', '\\c', '\\c1', '\\n',
  '\\0', '\\01', '\\141', '\\8', '\\t', '\\p', '\\P{L}', '\\k', '\\xz', '\\u{61}', '\\é', '\\😀', '\\a', '\\ ',
  '\\u00A0', '\\u2028',
];
const CLASS_ITEMS = [
  'a', 'b-d', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '-', '😀', 'é', '\\uD83D', '\\uDE00-\\uDFFF', '\\-', '.', '\\b',
  '0-9', '\\cJ', '\\c1', '\\c_', '\\x41-\\x5A', '^', '[', '\\]', '/', '\\1', '\\0', '$', 'a-', '\\d-z', ' -/', '\\u00e0-\\u00ff',
];
const QUANTIFIERS = ['*', '+', '?', '{2}', '{1,}', '{0,2}', '{1,3}', '*?', '+?', '??', '{2,}?', '{0}', '{,2}', '{1'];
const ASSERTIONS = ['^', '$', '\\b', '\\B'];
const UNRUNNABLE = ['(?=a)', '(?!b)', '(?<=a)', '(?<!/)', '\\1', '\\2'];

// A random pattern from the grammar: mostly valid JavaScript, some
// lookaround and backreferences.
function structuredPattern(g) {
  let names = 0;
  const alternation = (depth) => {
    const alternatives = [];
    const count = 1 + (g.chance(3) ? g.next() % 3 : 0);
    for (let i = 0; i < count; i++) alternatives.push(sequence(depth));
    return alternatives.join('|');
  };
  const sequence = (depth) => {
    let out = '';
    const terms = g.next() % 5;
    for (let i = 0; i < terms; i++) out += term(depth);
    return out;
  };
  const classText = () => {
    let out = g.chance(3) ? '[^' : '[';
    const items = g.next() % 4;
    for (let i = 0; i < items; i++) out += g.pick(CLASS_ITEMS);
    return `${out}]`;
  };
  const term = (depth) => {
    const kind = g.next() % 20;
    let atom;
    if (kind < 7) atom = g.pick(LITERALS);
    else if (kind < 11) atom = g.pick(ESCAPES);
    else if (kind < 12) atom = '.';
    else if (kind < 15) atom = classText();
    else if (kind < 18 && depth < 3) {
      const open = g.pick(['(', '(?:', '(', `(?<n${names++}>`]);
      atom = `${open}${alternation(depth + 1)})`;
    } else if (kind < 19) {
      return g.pick(ASSERTIONS);
    } else {
      return g.chance(4) ? g.pick(UNRUNNABLE) : g.pick(LITERALS);
    }
    return g.chance(3) ? atom + g.pick(QUANTIFIERS) : atom;
  };
  return alternation(0) || 'a';
}

// A random string of pattern pieces: mostly invalid, for the syntax checks.
const PIECES = ['a', 'b', '-', '.', '/', '(', ')', '(?:', '(?<x>', '[', ']', '[^', '{', '}', ',', '1', '2', '0', '|',
  '*', '+', '?', '^', '$', '\\', '\\d', '\\w', '\\s', '\\b', '\\B', '\\1', '\\x4', '\\u', '\\uD83D', 'c', 'k', '<',
  '>', '=', '!', ':', '😀', 'é', '\\c', '\\k<x>'];
function piecesPattern(g) {
  let p = '';
  const len = 1 + (g.next() % 7);
  for (let i = 0; i < len; i++) p += g.pick(PIECES);
  return p;
}

const URL_CHARS = ['a', 'b', 'c', '1', '_', '-', '/', '.', ' ', '\n', 'é', 'à', '😀', '😁', '\u00a0', '\u2028',
  'A', '%', ':', '?', '=', '&', '{', '}', ']', '\\', '\u0001', '\u0000', '9'];
function randomUrl(g) {
  let u = g.chance(4) ? 'https://a.b/' : '';
  const len = g.next() % 12;
  for (let i = 0; i < len; i++) u += g.pick(URL_CHARS);
  return u;
}

// What JavaScript itself says; null when the pattern does not compile.
function jsVerdict(pattern, url) {
  try {
    return new RegExp(pattern, 'g').test(url);
  } catch {
    return null;
  }
}

const LOOKAROUND_OR_BACKREFERENCE = /\(\?<?[=!]|\\[1-9]|\\k/;

// Compiles every pattern as one trigger, checks the accept/refuse verdicts,
// then compares every URL's fired triggers with V8. Returns the number of
// (pattern, URL) verdicts compared and how many of them were matches.
function compare(patterns, urls) {
  const triggers = patterns.map((value, i) => ({
    _id: String(i), name: String(i), description: '', enabled: true, runOnce: false,
    conditions: [{ name: 'page-url', value }],
    actions: [{ name: 'send-message', params: { sender: 'queue', msg: String(i) } }],
  }));
  const engine = new tk.LivechatEngine(triggers);
  const refused = new Map(engine.invalid.map((i) => [i.index, i.errors[0].code]));
  const runnable = [];
  for (const [i, pattern] of patterns.entries()) {
    const code = refused.get(i);
    const jsAccepts = jsVerdict(pattern, '') !== null;
    if (!jsAccepts) {
      assert.equal(code, 'pattern_syntax', `V8 rejects /${pattern}/, we said ${code ?? 'ok'}`);
    } else if (code !== undefined) {
      assert.equal(code, 'pattern_unsupported', `V8 accepts /${pattern}/, we said ${code}`);
      assert.match(pattern, LOOKAROUND_OR_BACKREFERENCE, `/${pattern}/ is unsupported without lookaround or backreference`);
    } else {
      runnable.push(i);
    }
  }
  let compared = 0;
  let matched = 0;
  for (const url of urls) {
    const fired = new Set(engine.start(url, T0).actions.map((a) => Number(a.msg)));
    for (const i of runnable) {
      const expected = jsVerdict(patterns[i], url);
      assert.equal(fired.has(i), expected, `/${patterns[i]}/ on ${JSON.stringify(url)}`);
      compared += 1;
      if (expected) matched += 1;
    }
  }
  return { compared, matched, runnable: runnable.length };
}

test('page-url verdicts agree with V8 on 3,000 generated patterns', () => {
  const g = generator(0x9e3779b9);
  const patterns = [];
  while (patterns.length < 3000) patterns.push(structuredPattern(g));
  const urls = ['', 'a', 'ab', 'https://a.b/c', '😀', 'a😀b', '\n', ' ', 'é', 'A_1', 'b-c/d'];
  while (urls.length < 40) urls.push(randomUrl(g));
  const { compared, matched, runnable } = compare(patterns, urls);
  // The generator is meant to produce mostly runnable patterns and a fair
  // share of matches; if it drifts, the comparison says little.
  assert.ok(runnable > 2400, `only ${runnable} runnable patterns`);
  assert.ok(matched > compared / 5 && matched < (compared * 4) / 5, `${matched} matches in ${compared}`);
});

test('page-url accept/refuse verdicts agree with V8 on 2,000 random piece strings', () => {
  const g = generator(0x1b873593);
  const patterns = [];
  while (patterns.length < 2000) patterns.push(piecesPattern(g));
  const urls = ['', 'ab', 'a{1}', 'c<k>', '😀', 'https://a.b/ab-1', 'x\\b'];
  while (urls.length < 16) urls.push(randomUrl(g));
  const { runnable } = compare(patterns, urls);
  assert.ok(runnable > 300, `only ${runnable} runnable patterns`);
});
