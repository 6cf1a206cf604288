// Source locations for JSON text: a JSON parser that records where every
// value and member key sits, and the JSON Pointer resolution that turns a
// validator's `path` into a range of the text the person is editing.
// Shared by the demo's editor (served from the built package's cli/ folder)
// and the `triggerkit` command line, which prints `file:line:column`.
//
// JSON.parse gives values but no positions, and validators report RFC 6901
// pointers, so the editor needs both halves here. The parser is iterative
// (an explicit stack, no recursion), so no nesting depth can overflow it, and
// it never throws: invalid text yields `error` with a line and column.
// Offsets are UTF-16 code unit indexes, as textarea selections use; columns
// count code points, as a person counts characters.

/**
 * @typedef {{start: number, end: number}} Range
 * @typedef {{key: string, keyStart: number, keyEnd: number, value: JsonNode}} Member
 * @typedef {{type: 'object', start: number, end: number, members: Member[], byKey: Map<string, Member>}
 *   | {type: 'array', start: number, end: number, items: JsonNode[]}
 *   | {type: 'string' | 'number' | 'boolean' | 'null', start: number, end: number}} JsonNode
 * @typedef {{message: string, offset: number, line: number, column: number}} JsonSyntaxError
 * @typedef {{key: string, keyStart: number, keyEnd: number, firstKeyStart: number, pointer: string}} DuplicateKey
 */

class SyntaxFailure {
  constructor(message, offset) {
    this.message = message;
    this.offset = offset;
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** How a character found where something else was expected reads in a message. */
function describe(text, i) {
  if (i >= text.length) return 'end of input';
  const cp = text.codePointAt(i);
  if (cp < 0x20 || cp === 0x7f || cp === 0xfeff) {
    return `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${String.fromCodePoint(cp)}'`;
}

/**
 * Parses JSON text, recording the source range of every value and key.
 * Never throws. Duplicate member keys are kept (the last one wins, as in
 * JSON.parse) and reported in `duplicates`.
 * @param {string} text
 * @returns {{root: JsonNode | null, error: JsonSyntaxError | null, duplicates: DuplicateKey[]}}
 */
export function parseJson(text) {
  const n = text.length;
  let i = 0;
  /** @type {DuplicateKey[]} */
  const duplicates = [];
  /** Open containers, innermost last, each with the pointer it sits at. */
  const stack = [];
  const pointers = [];

  const fail = (message, at = i) => {
    throw new SyntaxFailure(message, at);
  };
  const skipWhitespace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else if (c === 0x2f && (text[i + 1] === '/' || text[i + 1] === '*')) fail('Comments are not allowed in JSON');
      else return;
    }
  };

  // Reads a string starting at the opening quote at i; returns its decoded
  // text when `decode` is set (keys), otherwise only checks it.
  const readString = (decode) => {
    const open = i;
    i++;
    let out = '';
    let chunk = i;
    for (;;) {
      if (i >= n) fail('Unterminated string: missing closing quote', open);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        if (decode) out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        if (decode) out += text.slice(chunk, i);
        const e = text[i + 1];
        if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\u escape: expected four hex digits');
          if (decode) out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
          if (decode) out += ESCAPES[e];
          i += 2;
        } else {
          fail(e === undefined ? 'Unterminated string: missing closing quote' : `Invalid escape '\\${e}' in string`,
            e === undefined ? open : i);
        }
        chunk = i;
        continue;
      }
      if (c < 0x20) {
        fail(c === 0x0a || c === 0x0d
          ? 'Line break inside a string: close the string with " or write \\n'
          : `Unescaped control ${describe(text, i)} in string`);
      }
      i++;
    }
  };

  // Reads `"key" :` at i (after '{' or ',') into a new member of `object`.
  const readKey = (object, pointer) => {
    skipWhitespace();
    if (text[i] !== '"') {
      if (text[i] === '}') fail("Trailing comma: expected a property name before '}'");
      if (text[i] === "'") fail('Property names must use double quotes, not single quotes');
      if (/[A-Za-z_$]/.test(text[i] ?? '')) fail('Property names must be in double quotes');
      fail(`Expected a property name in double quotes, found ${describe(text, i)}`);
    }
    const keyStart = i;
    const key = readString(true);
    const keyEnd = i;
    skipWhitespace();
    if (text[i] !== ':') fail(`Expected ':' after property name, found ${describe(text, i)}`);
    i++;
    const member = { key, keyStart, keyEnd, value: null };
    if (object.byKey.has(key)) {
      const first = object.members.find((m) => m.key === key);
      duplicates.push({ key, keyStart, keyEnd, firstKeyStart: first.keyStart, pointer: childPointer(pointer, key) });
    }
    object.members.push(member);
    object.byKey.set(key, member);
  };

  // Reads a scalar at i.
  const readScalar = () => {
    const start = i;
    const c = text[i];
    if (c === '"') {
      readString(false);
      return { type: 'string', start, end: i };
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail('Invalid number');
      i += m[0].length;
      if (/[0-9.eE+-]/.test(text[i] ?? '')) fail('Invalid number', start);
      return { type: 'number', start, end: i };
    }
    for (const [word, type] of [['true', 'boolean'], ['false', 'boolean'], ['null', 'null']]) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_$]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return { type, start, end: i };
      }
    }
    if (i >= n) fail('Unexpected end of input: expected a JSON value');
    if (c === "'") fail('Strings must use double quotes, not single quotes');
    if (c === ']' || c === '}') fail(`Unexpected ${describe(text, i)}: expected a value`);
    if (/[A-Za-z_$]/.test(c)) {
      const word = /^[A-Za-z0-9_$]*/.exec(text.slice(start, start + 32))[0];
      fail(`Unexpected token '${word}': strings must be in double quotes`, start);
    }
    return fail(`Unexpected ${describe(text, i)}: expected a JSON value`);
  };

  try {
    let pointer = '';
    for (;;) {
      // Expecting a value at `pointer`.
      skipWhitespace();
      let value;
      const c = text[i];
      if (c === '{' || c === '[') {
        const node = c === '{'
          ? { type: 'object', start: i, end: -1, members: [], byKey: new Map() }
          : { type: 'array', start: i, end: -1, items: [] };
        i++;
        skipWhitespace();
        const close = c === '{' ? '}' : ']';
        if (text[i] === close) {
          i++;
          node.end = i;
          value = node;
        } else {
          stack.push(node);
          pointers.push(pointer);
          if (node.type === 'object') {
            readKey(node, pointer);
            pointer = childPointer(pointer, node.members[0].key);
          } else {
            pointer = `${pointer}/0`;
          }
          continue;
        }
      } else {
        value = readScalar();
      }
      // A value is complete: attach it, then close containers as far as the text says.
      for (;;) {
        const parent = stack[stack.length - 1];
        if (!parent) {
          skipWhitespace();
          if (i < n) fail(`Unexpected ${describe(text, i)} after the end of the JSON value`);
          return { root: value, error: null, duplicates };
        }
        if (parent.type === 'array') parent.items.push(value);
        else parent.members[parent.members.length - 1].value = value;
        skipWhitespace();
        const close = parent.type === 'object' ? '}' : ']';
        const parentPointer = pointers[pointers.length - 1];
        if (text[i] === ',') {
          i++;
          if (parent.type === 'object') {
            readKey(parent, parentPointer);
            pointer = childPointer(parentPointer, parent.members[parent.members.length - 1].key);
          } else {
            skipWhitespace();
            if (text[i] === ']') fail("Trailing comma: expected a value before ']'");
            pointer = `${parentPointer}/${parent.items.length}`;
          }
          break;
        }
        if (text[i] === close) {
          i++;
          parent.end = i;
          stack.pop();
          pointers.pop();
          value = parent;
          continue;
        }
        const what = parent.type === 'object' ? 'property value' : 'array element';
        if (i >= n) fail(`Unexpected end of input: expected ',' or '${close}' after ${what}`);
        fail(`Expected ',' or '${close}' after ${what}, found ${describe(text, i)}`);
      }
    }
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    const offset = Math.min(e.offset, n);
    const { line, column } = positionOf(text, offset);
    return { root: null, error: { message: e.message, offset, line, column }, duplicates };
  }
}

/** Escapes one reference token (RFC 6901: `~` as `~0`, `/` as `~1`). */
export function escapeToken(key) {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function childPointer(pointer, key) {
  return `${pointer}/${escapeToken(key)}`;
}

/**
 * Splits a JSON Pointer into unescaped reference tokens; null when the text
 * is not a pointer (non-empty and not starting with `/`).
 * @param {string} pointer
 * @returns {string[] | null}
 */
export function parsePointer(pointer) {
  if (pointer === '') return [];
  if (typeof pointer !== 'string' || pointer[0] !== '/') return null;
  // ~1 before ~0, so that "~01" reads as "~1" and not "/".
  return pointer.slice(1).split('/').map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

/**
 * Follows a JSON Pointer through a parsed tree as far as it exists. With
 * duplicate keys the last member wins, as in the value JSON.parse builds and
 * validators see.
 * @param {JsonNode} root
 * @param {string} pointer
 * @returns {{node: JsonNode, key: Range | null, found: boolean, reached: string}}
 *   `node` is the designated value, or the deepest existing ancestor when the
 *   pointer goes further than the document (`found` false); `key` is the
 *   range of that node's member key, if it is an object member; `reached` is
 *   the pointer of `node`.
 */
export function resolvePointer(root, pointer) {
  const tokens = parsePointer(pointer);
  let node = root;
  let key = null;
  let reached = '';
  if (tokens === null) return { node, key, found: false, reached };
  for (const token of tokens) {
    let next = null;
    let nextKey = null;
    if (node.type === 'object') {
      const member = node.byKey.get(token);
      if (member) {
        next = member.value;
        nextKey = { start: member.keyStart, end: member.keyEnd };
      }
    } else if (node.type === 'array' && ARRAY_INDEX.test(token)) {
      next = node.items[Number(token)] ?? null;
    }
    if (!next) return { node, key, found: false, reached };
    node = next;
    key = nextKey;
    reached = `${reached}/${escapeToken(token)}`;
  }
  return { node, key, found: true, reached };
}

/**
 * Where an issue at `pointer` shows in the text.
 * `select` is what clicking the issue selects: the designated value itself.
 * `mark` is the short range underlined in the editor: a scalar value, or
 * for an object or array its member key (or its opening bracket when it has
 * no key), so a problem with a large value does not underline all of it.
 * When the pointer names something absent (a missing required key), both
 * point at the deepest existing ancestor and `found` is false.
 * @param {JsonNode} root
 * @param {string} pointer
 * @returns {{select: Range, mark: Range, found: boolean, reached: string}}
 */
export function locate(root, pointer) {
  const { node, key, found, reached } = resolvePointer(root, pointer);
  const container = node.type === 'object' || node.type === 'array';
  const mark = container ? key ?? { start: node.start, end: node.start + 1 } : { start: node.start, end: node.end };
  const select = found ? { start: node.start, end: node.end } : mark;
  return { select, mark, found, reached };
}

/**
 * Offsets at which each line starts (line 1 at index 0). Lines end at \n,
 * \r\n or a lone \r, as a textarea displays them.
 * @param {string} text
 * @returns {number[]}
 */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

/**
 * 1-based line and column (in code points) of a UTF-16 offset.
 * @param {string} text
 * @param {number} offset
 * @param {number[]} [starts] from lineStarts(text), to reuse for many lookups
 * @returns {{line: number, column: number}}
 */
export function positionOf(text, offset, starts = lineStarts(text)) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  let column = 1;
  for (let i = starts[lo]; i < offset; i++) {
    // The low half of a surrogate pair continues the code point its high half started.
    const low = text.charCodeAt(i);
    const high = i > starts[lo] ? text.charCodeAt(i - 1) : 0;
    if (!(low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff)) column++;
  }
  return { line: lo + 1, column };
}
