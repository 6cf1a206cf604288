// The JS half of the rule engine's batch boundary (see src/wasm/rules.rs).
//
// In: updates given as objects are cut down to the parts the compiled rules
// read (a spec from Rust: `true` for a whole value, or a flat array
// `[key, spec, key, spec, ...]` for the keys read of an object; any other
// value is read whole) and sent as one JSON text. The parts read must be
// JSON data, with the rules of src/wasm/convert.rs: plain objects (own
// enumerable keys, undefined members skipped), arrays, finite numbers,
// strings, booleans and null; no functions, symbols, BigInts, Maps, Dates
// or class instances, and no nesting deeper than 128 levels (which ends
// cycles). Parts not read are never looked at.
//
// Out: results are built from a flat index (see src/rules/indexed.rs) as
// plain objects: `fired` is an array, while `ticket` and `effects` are
// parsed from their JSON text when first read and then kept, as enumerable
// accessor properties that can be assigned, so JSON.stringify, spread and
// structuredClone see the same data as if they had been parsed up front.
const MAX_DEPTH = 128;
const IN_INPUT = 0;
const objectProto = Object.prototype;
const LONE_SURROGATE = /\p{Surrogate}/u;

class NotJson {
  constructor(message) { this.path = ''; this.message = message; }
}

// Adds the key a NotJson was met under to its path, on its way up.
function under(e, key) {
  if (e instanceof NotJson) e.path = '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1') + e.path;
  return e;
}

// Why an object or array may not be read as JSON data ('' when it may).
function refusal(v, depth) {
  if (depth >= MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels (or cyclic)`;
  const proto = Array.isArray(v) ? null : Object.getPrototypeOf(v);
  if (proto === null || proto === objectProto) return '';
  return `a ${v.constructor?.name || 'non-plain object'} is not JSON data`;
}

// Throws a NotJson unless v is JSON data; copies nothing (JSON.stringify
// writes it as it is).
function check(v, depth) {
  switch (typeof v) {
    case 'string': case 'boolean': case 'undefined': return;
    case 'number':
      if (Number.isFinite(v)) return;
      throw new NotJson(`${v} is not a finite number`);
    case 'object':
      if (v === null) return;
      break;
    default: throw new NotJson(`a ${typeof v} is not JSON data`);
  }
  const why = refusal(v, depth);
  if (why) throw new NotJson(why);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      try { check(v[i], depth + 1); } catch (e) { throw under(e, i); }
    }
    return;
  }
  for (const key in v) {
    if (!Object.hasOwn(v, key)) continue;
    try { check(v[key], depth + 1); } catch (e) { throw under(e, key); }
  }
}

// Whether Object.prototype has enumerable properties (someone added some):
// then `for...in` also yields inherited keys, which JSON ignores.
function polluted() {
  for (const _ in {}) return true;
  return false;
}

// A spec as nested Maps of key to spec (`true` for a whole value), made
// once per spec array.
const maps = new WeakMap();
function specMap(spec) {
  if (spec === true) return true;
  let map = maps.get(spec);
  if (map === undefined) {
    map = new Map();
    for (let i = 0; i < spec.length; i += 2) map.set(spec[i], specMap(spec[i + 1]));
    maps.set(spec, map);
  }
  return map;
}

// The parts of v that spec names (whole values are checked, not copied),
// keys in v's order.
function cut(v, spec, depth, inherited) {
  if (spec === true || typeof v !== 'object' || v === null || Array.isArray(v)) {
    check(v, depth);
    return v;
  }
  const why = refusal(v, depth);
  if (why) throw new NotJson(why);
  const out = {};
  for (const key in v) {
    const sub = spec.get(key);
    if (sub === undefined || (inherited && !Object.hasOwn(v, key))) continue;
    const item = v[key];
    if (item === undefined) continue;
    let part;
    try { part = cut(item, sub, depth + 1, inherited); } catch (e) { throw under(e, key); }
    if (key === '__proto__') {
      Object.defineProperty(out, key, { value: part, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = part;
    }
  }
  return out;
}

// Cuts every update of an array down to `spec` and returns
// `[jsonText, tickets]` (tickets: each update's `ticket` as given, when
// `keepTickets`), or `[undefined, index, path, message]` for the first
// update that is not JSON data where it is read (index -1: not an array).
export function projectUpdates(updates, spec, keepTickets) {
  if (!Array.isArray(updates)) {
    return [undefined, -1, '', 'expected an array of ticket updates or the text of one'];
  }
  const map = specMap(spec);
  const inherited = polluted();
  const n = updates.length;
  const out = new Array(n);
  const tickets = keepTickets ? new Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const update = updates[i];
    try {
      out[i] = cut(update, map, 0, inherited);
      if (keepTickets && typeof update === 'object' && update !== null) tickets[i] = update.ticket;
    } catch (e) {
      if (e instanceof NotJson) return [undefined, i, e.path, e.message];
      let detail = 'reading the update threw';
      try { detail += `: ${e}`; } catch { /* an unprintable exception */ }
      return [undefined, i, '', detail];
    }
  }
  return [JSON.stringify(out), tickets];
}

// Lone surrogates read as U+FFFD in wasm (TextEncoder), one UTF-16 unit
// each: replaced the same way, the text slices at the same offsets.
function wellFormed(text) {
  const ok = typeof text.isWellFormed === 'function' ? text.isWellFormed() : !LONE_SURROGATE.test(text);
  if (ok) return text;
  return typeof text.toWellFormed === 'function' ? text.toWellFormed() : text.replace(/\p{Surrogate}/gu, '\uFFFD');
}

// The effects of the fired triggers at index[first..first + n]: the JSON
// of each trigger's effects, comma-separated, is in `effects`.
function effectsOf(index, first, n, effects) {
  let list = '';
  for (let k = first; k < first + n; k++) {
    const part = effects[index[k]];
    if (part) list = list ? `${list},${part}` : part;
  }
  return JSON.parse(`[${list}]`);
}

// One result. `ticketText` is JSON to parse on first read of `ticket`
// (undefined when `ticket` is already the value).
function result(fired, ticket, ticketText, index, first, n, effects) {
  let effectList;
  let effectsRead = false;
  return {
    fired,
    get ticket() {
      if (ticketText !== undefined) {
        ticket = JSON.parse(ticketText);
        ticketText = undefined;
      }
      return ticket;
    },
    set ticket(value) {
      ticket = value;
      ticketText = undefined;
    },
    get effects() {
      if (!effectsRead) {
        effectList = effectsOf(index, first, n, effects);
        effectsRead = true;
      }
      return effectList;
    },
    set effects(value) {
      effectList = value;
      effectsRead = true;
    },
  };
}

// Builds the results from the index (a view of wasm memory, copied first).
// From JSON text (`source`, with `tickets` undefined) a ticket is parsed
// from the input or from `text`; from objects, an unchanged ticket is the
// caller's object and a changed one a shallow copy with the patch in
// `text` applied. `ids` maps trigger positions to ids.
export function buildResults(view, text, source, tickets, ids, effects) {
  const index = view.slice();
  const input = typeof source === 'string' ? wellFormed(source) : '';
  const results = [];
  for (let p = 0; p < index.length;) {
    const place = index[p];
    const start = index[p + 1];
    const end = index[p + 2];
    const n = index[p + 3];
    const first = p + 4;
    const fired = new Array(n);
    for (let k = 0; k < n; k++) fired[k] = ids[index[first + k]];
    let ticket;
    let ticketText;
    if (tickets === undefined) {
      ticketText = (place === IN_INPUT ? input : text).slice(start, end);
    } else if (place === IN_INPUT) {
      ticket = tickets[results.length];
    } else {
      ticket = Object.assign({ ...tickets[results.length] }, JSON.parse(text.slice(start, end)));
    }
    results.push(result(fired, ticket, ticketText, index, first, n, effects));
    p = first + n;
  }
  return results;
}
