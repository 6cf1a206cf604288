// Node tests of the built package's filter API: compileFilter, Filter
// (evaluate, explain, evaluateMany) and matchPocketflowsTriggers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';

const event = {
  event: { name: 'purchase', properties: { plan: 'pro', amount: 150, tags: ['new'] } },
  customer: { email: 'ann@example.com', name: 'Zoë' },
  customer_id: 'cus_1',
};

test('compileFilter evaluates CEL semantics', () => {
  const cases = [
    ['event.properties.plan == "pro" && event.properties.amount > 100', true],
    ['event.properties.amount == 150', true],
    ['event.properties.amount + 1 == 151', false], // double + int has no overload: an error
    ['event.properties.amount + 1.0 == 151', true],
    ['1 == 1.0 && 1u == 1 && !(1 == "1")', true],
    ["'new' in event.properties.tags && size(customer.name) == 3", true],
    ["customer.email.matches('^[a-z]+@example\\\\.com$')", true],
    ['has(customer.phone) || customer_id.startsWith("cus_")', true],
    ['false && missing.key', false],
    ['true ? event.name == "purchase" : false', true],
  ];
  for (const [expr, want] of cases) {
    assert.equal(tk.compileFilter(expr).evaluate(event), want, expr);
  }
});

test('syntax errors throw FilterSyntaxError with position and caret', () => {
  assert.throws(
    () => tk.compileFilter('event.name == "a" &&\n  customer.x =! 1'),
    (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'FilterSyntaxError');
      assert.equal(e.code, 'invalid_character');
      assert.equal(e.line, 2);
      assert.equal(e.column, 14);
      assert.equal(e.snippet, '  customer.x =! 1\n             ^');
      assert.match(e.message, /line 2, column 14/);
      return true;
    },
  );
  for (const [expr, code] of [['(', 'unexpected_token'], ['"open', 'unterminated_string'],
    ['foo(1)', 'unknown_function'], ['x.matches("(")', 'invalid_regex'],
    ['('.repeat(5000), 'too_deep'], ['1'.repeat(20000), 'too_long']]) {
    assert.throws(() => tk.compileFilter(expr), (e) => e.code === code, expr.slice(0, 20));
  }
  assert.throws(() => tk.compileFilter(5), (e) => e.code === 'invalid_argument');
});

test('explain reports evaluation errors without throwing', () => {
  const f = tk.compileFilter('customer.phone.startsWith("+1")');
  assert.equal(f.evaluate(event), false);
  const r = f.explain(event);
  assert.equal(r.matched, false);
  assert.equal(r.error.code, 'no_such_key');
  assert.equal(typeof r.error.message, 'string');
  assert.deepEqual(tk.compileFilter('true').explain({}), { matched: true });
  assert.equal(tk.compileFilter('1 / 0 == 1').explain({}).error.code, 'division_by_zero');
  assert.equal(tk.compileFilter('x').explain({ x: 'str' }).error.code, 'not_boolean');
});

test('hostile data never throws', () => {
  const f = tk.compileFilter('x == 1 || size(x) > 0');
  const cyclic = {}; cyclic.x = cyclic;
  let deep = {}; const root = { x: deep };
  for (let i = 0; i < 10000; i++) { deep.a = {}; deep = deep.a; }
  const getter = Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('boom'); } });
  const cases = [[undefined, 'unknown_variable'], [null, 'unknown_variable'], [1, 'unknown_variable'],
    ['x', 'unknown_variable'], [[], 'unknown_variable'], [cyclic, 'invalid_data'], [root, 'invalid_data'],
    [() => 1, 'invalid_data'], [10n, 'invalid_data'], [new Map(), 'invalid_data'], [Symbol('s'), 'invalid_data'],
    [{ x: () => 1 }, 'invalid_data'], [{ x: NaN }, 'invalid_data'], [{ x: new Date(0) }, 'invalid_data'],
    [getter, 'invalid_data'], [Object.create({ x: 1 }), 'invalid_data']];
  for (const [input, code] of cases) {
    assert.equal(f.evaluate(input), false);
    const r = f.explain(input);
    assert.equal(r.matched, false);
    assert.equal(r.error.code, code, String(code));
  }
  assert.match(f.explain({ x: { a: [1, () => 1] } }).error.message, /not JSON at '\/x\/a\/1'/);
  assert.deepEqual(f.evaluateMany([cyclic, { x: 1 }, { x: 1n }, { x: 1, other: () => 1 }]), [false, true, false, true]);
});

test('evaluateMany takes an array or JSON text and agrees with evaluate', () => {
  const f = tk.compileFilter('event.properties.amount > 100 && event.properties.plan in ["pro", "team"]');
  const items = [];
  for (let i = 0; i < 1000; i++) {
    items.push({ event: { properties: { amount: i % 300, plan: ['pro', 'free', 'team'][i % 3] } } });
  }
  items.push({}, null, 5, { event: { properties: { amount: 'x' } } });
  const one = items.map((x) => f.evaluate(x));
  assert.deepEqual(f.evaluateMany(items), one);
  assert.deepEqual(f.evaluateMany(JSON.stringify(items)), one);
  assert.ok(one.filter(Boolean).length > 100);
  assert.deepEqual(f.evaluateMany([]), []);
  assert.throws(() => f.evaluateMany('[1,'), (e) => e.name === 'FilterDataError' && e.code === 'invalid_json');
  assert.throws(() => f.evaluateMany(42), (e) => e.code === 'invalid_argument');
});

test('evaluateMany takes the JSON text as UTF-8 bytes (Uint8Array, Buffer)', () => {
  const f = tk.compileFilter('customer.name.startsWith("Zo") && event.properties.tags[1] == "b"');
  const items = [];
  for (let i = 0; i < 300; i++) {
    items.push({
      customer: { name: ['Zoë', 'Zoé 😀', 'Ann', 'Zo\u00eb'][i % 4], note: 'é'.repeat(i % 7) },
      event: { properties: { tags: i % 3 ? ['a', 'b'] : ['b'] }, skipped: { deep: [[{ s: '"]}\\' }]] } },
    });
  }
  const text = JSON.stringify(items);
  const expected = items.map((x) => f.evaluate(x));
  assert.ok(expected.filter(Boolean).length > 50);
  assert.deepEqual(f.evaluateMany(new TextEncoder().encode(text)), expected);
  assert.deepEqual(f.evaluateMany(Buffer.from(text, 'utf8')), expected);
  assert.deepEqual(f.evaluateMany(text), expected);
  // A view onto part of a larger buffer reads only its own bytes.
  const framed = Buffer.from(`xx${text}yy`, 'utf8');
  assert.deepEqual(f.evaluateMany(framed.subarray(2, framed.length - 2)), expected);
  assert.throws(() => f.evaluateMany(new Uint8Array(0)), (e) => e.code === 'invalid_json');
});

test('evaluateMany refuses bytes that are not UTF-8 JSON with a positioned error', () => {
  const f = tk.compileFilter('x == 1');
  const bad = new Uint8Array([0x5b, 0x7b, 0x22, 0x78, 0x22, 0x3a, 0x31, 0x7d, 0x2c, 0xff, 0x5d]);
  assert.throws(() => f.evaluateMany(bad), (e) => e.name === 'FilterDataError' && e.code === 'invalid_json' && /byte 9/.test(e.message));
  assert.throws(() => f.evaluateMany(new TextEncoder().encode('[{"x": 1},')), (e) => e.code === 'invalid_json' && /line 1 column 10/.test(e.message));
  assert.throws(() => f.evaluateMany(new TextEncoder().encode('{"x": 1}')), (e) => e.code === 'invalid_json');
  assert.deepEqual(f.evaluateMany(new TextEncoder().encode(' [ {"x": 1}, {"x": 2} ] ')), [true, false]);
});

test('evaluateMany reads non-ASCII JSON text and lone surrogates as evaluate does', () => {
  const f = tk.compileFilter('s == "\uFFFD" || s.endsWith("語😀")');
  const items = [{ s: '\uD800' }, { s: '日本語😀' }, { s: 'x'.repeat(50) + '語😀' }, { s: '\uDC00x' }, { s: 'é' }];
  const expected = items.map((x) => f.evaluate(x));
  assert.deepEqual(expected, [true, true, true, false, false]);
  // Raw lone surrogates in the string itself become U+FFFD on the way in.
  const raw = JSON.stringify(items).replaceAll('\\ud800', '\uD800').replaceAll('\\udc00', '\uDC00');
  assert.deepEqual(f.evaluateMany(raw), expected);
  // An escaped lone surrogate is refused where the filter reads it (as
  // serde_json refuses it) and ignored where it does not.
  assert.throws(() => f.evaluateMany('[{"s": "\\ud800"}]'), (e) => e.code === 'invalid_json');
  assert.deepEqual(f.evaluateMany('[{"t": "\\ud800", "s": "é"}]'), [false]);
});

test('matchPocketflowsTriggers gives a verdict and reason per trigger', () => {
  const base = { name: 'n', steps: [{ type: 'email', email_template_id: 't' }], statistics: {} };
  const triggers = [
    { ...base, id: 'a', project_defined_event: 'purchase', status: 'active', filter: 'event.properties.amount > 100' },
    { ...base, id: 'b', project_defined_event: 'purchase', status: 'inactive', filter: null },
    { ...base, id: 'c', project_defined_event: 'signup', status: 'active', filter: null },
    { ...base, id: 'd', project_defined_event: 'purchase', status: 'active', excluded_customers: ['cus_1'] },
    { ...base, id: 'e', project_defined_event: 'purchase', status: 'active', filter: 'event.properties.amount > 1000' },
    { ...base, id: 'f', project_defined_event: 'purchase', status: 'active', filter: 'customer.tier == "gold"' },
    { ...base, id: 'g', project_defined_event: 'purchase', status: 'active', filter: 'event.properties.amount >' },
    { ...base, id: 'h', project_defined_event: 'purchase', status: 'draft' },
  ];
  const e = { event: 'purchase', customer_id: 'cus_1', properties: { amount: 150 }, customer: { email: 'a@b.co' } };
  const result = tk.matchPocketflowsTriggers(triggers, e);
  assert.deepEqual(result.map((m) => [m.id, m.matched, m.reason ?? null]), [
    ['a', true, null],
    ['b', false, 'inactive'],
    ['c', false, 'event_mismatch'],
    ['d', false, 'excluded_customer'],
    ['e', false, 'filter_false'],
    ['f', false, 'filter_error'],
    ['g', false, 'filter_invalid'],
    ['h', false, 'inactive'],
  ]);
  assert.equal(result[5].error.code, 'no_such_key');
  assert.equal(result[6].error.code, 'unexpected_token');
  assert.equal(result[6].error.line, 1);
  assert.equal(result[0].index, 0);
  assert.throws(() => tk.matchPocketflowsTriggers([{ status: 'paused' }], e),
    (err) => err.name === 'PocketflowsMatchError' && err.code === 'invalid_argument');
  assert.throws(() => tk.matchPocketflowsTriggers({}, e), (err) => err.code === 'invalid_argument');
});

test('unicode crosses the boundary intact; lone surrogates become U+FFFD', () => {
  const f = tk.compileFilter('size(name) == 3 && name.matches("^.{3}$")');
  const items = [{ name: 'Zoë' }, { name: '日本語' }, { name: '😀😀😀' }, { name: 'ab' }, { name: 'a\uD800b' }];
  const want = [true, true, true, false, true];
  assert.deepEqual(items.map((x) => f.evaluate(x)), want);
  assert.deepEqual(f.evaluateMany(items), want);
  assert.deepEqual(f.evaluateMany(JSON.stringify(items.slice(0, 4))), want.slice(0, 4));
  assert.equal(tk.compileFilter('name == "a\\uFFFDb"').evaluate({ name: 'a\uD800b' }), true);
  assert.equal(tk.compileFilter('"日本" + x == "日本語"').evaluate({ x: '語' }), true);
});
