// Unit tests of the JSON source locator shared by the demo and the CLI (cli/locate.mjs): the parser
// that records ranges, JSON Pointer resolution, and line/column positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeToken, lineStarts, locate, parseJson, parsePointer, positionOf, resolvePointer } from '../../cli/locate.mjs';

const parse = (text) => {
  const parsed = parseJson(text);
  assert.equal(parsed.error, null, `unexpected syntax error ${JSON.stringify(parsed.error)}`);
  return parsed.root;
};
const selected = (text, pointer) => {
  const { select } = locate(parse(text), pointer);
  return text.slice(select.start, select.end);
};
const marked = (text, pointer) => {
  const { mark } = locate(parse(text), pointer);
  return text.slice(mark.start, mark.end);
};

const trigger = `{
  "name": "api-trigger",
  "enabled": "false",
  "conditions": [
    { "name": "page-url", "value": "^https://" },
    { "name": "time-on-site", "value": 30 }
  ],
  "actions": [{ "name": "send-message", "params": { "sender": "queue", "msg": "hi" } }]
}`;

test('records the range of every scalar, object, array and key', () => {
  const root = parse(trigger);
  assert.equal(root.type, 'object');
  assert.equal(root.start, 0);
  assert.equal(root.end, trigger.length);
  assert.deepEqual(root.members.map((m) => m.key), ['name', 'enabled', 'conditions', 'actions']);
  const name = root.members[0];
  assert.equal(trigger.slice(name.keyStart, name.keyEnd), '"name"');
  assert.equal(trigger.slice(name.value.start, name.value.end), '"api-trigger"');
  assert.equal(selected(trigger, '/conditions'), trigger.slice(trigger.indexOf('[\n'), trigger.indexOf(']') + 1));
  assert.equal(selected(trigger, '/conditions/1'), '{ "name": "time-on-site", "value": 30 }');
  assert.equal(selected(trigger, '/conditions/1/value'), '30');
  assert.equal(selected(trigger, '/actions/0/params/sender'), '"queue"');
  assert.equal(selected(trigger, ''), trigger);
});

test('marks scalars whole, and objects or arrays by their key or opening bracket', () => {
  assert.equal(marked(trigger, '/enabled'), '"false"');
  assert.equal(marked(trigger, '/conditions'), '"conditions"');
  assert.equal(marked(trigger, '/conditions/0'), '{');
  assert.equal(marked(trigger, '/actions/0/params'), '"params"');
  assert.equal(marked(trigger, ''), '{');
  assert.equal(marked('[[1, 2], 3]', '/0'), '[');
});

test('a pointer past the document locates its deepest existing ancestor', () => {
  const root = parse(trigger);
  const missing = locate(root, '/actions/0/params/serviceUrl');
  assert.equal(missing.found, false);
  assert.equal(missing.reached, '/actions/0/params');
  assert.equal(trigger.slice(missing.mark.start, missing.mark.end), '"params"');
  assert.deepEqual(missing.select, missing.mark);
  assert.equal(locate(root, '/description').reached, '');
  assert.equal(marked(trigger, '/description'), '{');
  // Through a scalar: the scalar itself is the nearest thing.
  assert.equal(marked(trigger, '/name/first'), '"api-trigger"');
  assert.equal(locate(root, '/name/first').found, false);
  assert.equal(locate(root, '/conditions/0/value').found, true);
});

test('escaped reference tokens: ~1 is "/", ~0 is "~", decoded in that order', () => {
  assert.deepEqual(parsePointer('/a~1b/m~0n/~01/~10'), ['a/b', 'm~n', '~1', '/0']);
  assert.deepEqual(parsePointer(''), []);
  assert.deepEqual(parsePointer('/'), ['']);
  assert.equal(parsePointer('no-slash'), null);
  assert.equal(escapeToken('a/b~c'), 'a~1b~0c');
  const text = '{"a/b": 1, "m~n": 2, "~1": 3, "": 4, "a": {"b": 5}, "/0": 6}';
  assert.equal(selected(text, '/a~1b'), '1');
  assert.equal(selected(text, '/m~0n'), '2');
  assert.equal(selected(text, '/~01'), '3');
  assert.equal(selected(text, '/'), '4');
  assert.equal(selected(text, '/a/b'), '5');
  assert.equal(selected(text, '/~10'), '6');
  // "~1" must not be read as "/" and split into a path.
  assert.equal(locate(parse('{"a": {"b": 1}}'), '/a~1b').found, false);
});

test('keys written with escapes are matched by their decoded text', () => {
  const text = '{"a\\u002fb": true, "tab\\there": null, "q\\"uote": 1, "\\ud83d\\ude00": 2}';
  assert.equal(selected(text, '/a~1b'), 'true');
  assert.equal(selected(text, '/tab\there'), 'null');
  assert.equal(selected(text, '/q"uote'), '1');
  assert.equal(selected(text, '/😀'), '2');
});

test('array indexes: in range, out of range, "-", leading zeros, on objects', () => {
  const text = '{"list": [10, [20, 21], {"x": 30}], "obj": {"0": "zero"}}';
  assert.equal(selected(text, '/list/0'), '10');
  assert.equal(selected(text, '/list/1/1'), '21');
  assert.equal(selected(text, '/list/2/x'), '30');
  const root = parse(text);
  for (const pointer of ['/list/3', '/list/-', '/list/01', '/list/-1', '/list/x', '/list/1e0']) {
    const loc = locate(root, pointer);
    assert.equal(loc.found, false, pointer);
    assert.equal(loc.reached, '/list', pointer);
    assert.equal(text.slice(loc.mark.start, loc.mark.end), '"list"', pointer);
  }
  // On an object, a numeric token is a key.
  assert.equal(selected(text, '/obj/0'), '"zero"');
  assert.equal(selected('[]', ''), '[]');
  assert.equal(locate(parse('[]'), '/0').found, false);
});

test('duplicate keys: the last member wins (as in JSON.parse) and every repeat is reported', () => {
  const text = '{\n  "a": 1,\n  "b": {"c": 1, "c": 2},\n  "a": 3,\n  "a": 4\n}';
  const parsed = parseJson(text);
  assert.equal(parsed.error, null);
  assert.equal(selected(text, '/a'), '4');
  assert.equal(selected(text, '/b/c'), '2');
  assert.equal(resolvePointer(parsed.root, '/a').key.start, text.lastIndexOf('"a"'));
  assert.deepEqual(parsed.duplicates.map((d) => [d.pointer, d.key, positionOf(text, d.keyStart).line,
    positionOf(text, d.firstKeyStart).line]), [['/b/c', 'c', 3, 3], ['/a', 'a', 4, 2], ['/a', 'a', 5, 2]]);
  const escaped = parseJson('{"x/y": 1, "x\\/y": 2}');
  assert.deepEqual(escaped.duplicates.map((d) => d.pointer), ['/x~1y']);
});

test('syntax errors carry the message, offset, line and column of the offending character', () => {
  const cases = [
    ['', 'Unexpected end of input: expected a JSON value', 1, 1],
    ['   ', 'Unexpected end of input: expected a JSON value', 1, 4],
    ['{"a": 1,}', "Trailing comma: expected a property name before '}'", 1, 9],
    ['[1, 2,\n]', "Trailing comma: expected a value before ']'", 2, 1],
    ['{\n  "a" 1\n}', "Expected ':' after property name, found '1'", 2, 7],
    ['{\n  "a": 1\n  "b": 2\n}', "Expected ',' or '}' after property value, found '\"'", 3, 3],
    ['[1 2]', "Expected ',' or ']' after array element, found '2'", 1, 4],
    ['{"a": "x', 'Unterminated string: missing closing quote', 1, 7],
    ['{"a": "x\n"}', 'Line break inside a string: close the string with " or write \\n', 1, 9],
    ["{'a': 1}", 'Property names must use double quotes, not single quotes', 1, 2],
    ['{a: 1}', 'Property names must be in double quotes', 1, 2],
    ["{\"a\": 'x'}", 'Strings must use double quotes, not single quotes', 1, 7],
    ['{"a": yes}', "Unexpected token 'yes': strings must be in double quotes", 1, 7],
    ['{"a": truex}', "Unexpected token 'truex': strings must be in double quotes", 1, 7],
    ['{"a": 01}', 'Invalid number', 1, 7],
    ['{"a": 1.}', 'Invalid number', 1, 7],
    ['{"a": -}', 'Invalid number', 1, 7],
    ['{"a": 1} x', "Unexpected 'x' after the end of the JSON value", 1, 10],
    ['{"a": 1}\n// note', 'Comments are not allowed in JSON', 2, 1],
    ['{"a": "\\x"}', "Invalid escape '\\x' in string", 1, 8],
    ['{"a": "\\u12G4"}', 'Invalid \\u escape: expected four hex digits', 1, 8],
    ['{"a": "\t"}', 'Unescaped control character U+0009 in string', 1, 8],
    ['{"a": [1, }', "Unexpected '}': expected a value", 1, 11],
    ['{"a": {"b": [1, 2]', "Unexpected end of input: expected ',' or '}' after property value", 1, 19],
    ['\uFEFF{}', 'Unexpected character U+FEFF: expected a JSON value', 1, 1],
    ['{"😀": 1 x}', "Expected ',' or '}' after property value, found 'x'", 1, 9],
    ['{\r\n"a": 1,\r\n}', "Trailing comma: expected a property name before '}'", 3, 1],
  ];
  for (const [text, message, line, column] of cases) {
    const { root, error } = parseJson(text);
    assert.equal(root, null, text);
    assert.deepEqual({ message: error.message, line: error.line, column: error.column }, { message, line, column }, text);
    assert.throws(() => JSON.parse(text), SyntaxError, `JSON.parse accepts ${JSON.stringify(text)}`);
  }
});

// A small deterministic generator, so the agreement test is reproducible.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every pointer in a parsed value, with the value it designates.
function* pointersOf(value, pointer = '') {
  yield [pointer, value];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* pointersOf(value[i], `${pointer}/${i}`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* pointersOf(v, `${pointer}/${escapeToken(k)}`);
  }
}

test('agrees with JSON.parse on validity, and every value pointer selects that value', () => {
  const seeds = [
    trigger,
    '{"a/b": [1, -2.5e3, true, false, null, "s\\n\\u00e9"], "a/b": {"~": [[], {}]}, "": "empty"}',
    JSON.stringify({ deep: [[[[{ x: [1, { y: 'z' }] }]]]], 'k~/': 0.1, u: '\u2028😀' }, null, 2),
  ];
  const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', '0', '-', '.', 'e', 't', 'null', '"k"', '/', '~'];
  const random = rng(0x5eed);
  let checked = 0;
  let valid = 0;
  for (const seed of seeds) {
    for (let round = 0; round < 1500; round++) {
      let text = seed;
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * (text.length + 1));
        const kind = random();
        if (round === 0) break;
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 3));
        else if (kind < 0.8) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
        else text = text.slice(0, at) + text.slice(at).replace(/[,:\]}]/, '');
      }
      const parsed = parseJson(text);
      let expected;
      try {
        expected = { ok: true, value: JSON.parse(text) };
      } catch {
        expected = { ok: false };
      }
      assert.equal(parsed.error === null, expected.ok, `disagreement on ${JSON.stringify(text)}: ${parsed.error?.message}`);
      checked++;
      if (!expected.ok) {
        assert.ok(parsed.error.offset >= 0 && parsed.error.offset <= text.length);
        continue;
      }
      valid++;
      for (const [pointer, value] of pointersOf(expected.value)) {
        const loc = locate(parsed.root, pointer);
        assert.ok(loc.found, pointer);
        assert.deepEqual(JSON.parse(text.slice(loc.select.start, loc.select.end)), value, `${pointer} in ${text}`);
      }
    }
  }
  assert.ok(valid > 100, `only ${valid} of ${checked} mutated texts were valid JSON`);
});

test('deep nesting neither overflows the stack nor loses positions', () => {
  const depth = 100_000;
  const text = `${'['.repeat(depth)}7${']'.repeat(depth)}`;
  const root = parse(text);
  const pointer = '/0'.repeat(depth);
  const loc = locate(root, pointer);
  assert.equal(loc.found, true);
  assert.deepEqual(loc.select, { start: depth, end: depth + 1 });
  const open = parseJson('{"a":'.repeat(depth));
  assert.equal(open.error.message, 'Unexpected end of input: expected a JSON value');
  assert.equal(open.error.column, 5 * depth + 1);
});

test('line and column: \\n, \\r\\n and lone \\r end lines; columns count code points', () => {
  const text = 'ab\ncd\r\nef\rgh😀ij';
  assert.deepEqual(lineStarts(text), [0, 3, 7, 10]);
  assert.deepEqual(positionOf(text, 0), { line: 1, column: 1 });
  assert.deepEqual(positionOf(text, 2), { line: 1, column: 3 });
  assert.deepEqual(positionOf(text, 3), { line: 2, column: 1 });
  assert.deepEqual(positionOf(text, 8), { line: 3, column: 2 });
  assert.deepEqual(positionOf(text, 10), { line: 4, column: 1 });
  // "gh😀" is four UTF-16 units but three characters: "i" is column 4.
  assert.equal(text.indexOf('i'), 14);
  assert.deepEqual(positionOf(text, 14), { line: 4, column: 4 });
  const starts = lineStarts(text);
  assert.deepEqual(positionOf(text, text.length, starts), { line: 4, column: 6 });
  // A lone low surrogate is a character of its own.
  assert.deepEqual(positionOf('\udc00x', 1), { line: 1, column: 2 });
});
