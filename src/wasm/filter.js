// Projects a batch of JS values onto the parts a filter reads and returns
// them as one JSON text, so a batch crosses into wasm once. The rules are
// those of src/wasm/convert.rs: plain objects (own enumerable keys,
// undefined members skipped), arrays, finite numbers, strings, booleans and
// null are data; functions, symbols, BigInts, non-finite numbers, other
// objects (Map, Date, class instances) and nesting deeper than 128 levels
// (which includes cycles) are not. Only the parts read are checked.
const MAX_DEPTH = 128;
const objectProto = Object.prototype;
const isEnumerable = Object.prototype.propertyIsEnumerable;

class NotJson {
  constructor(message) { this.path = ''; this.message = message; }
}

// Lone surrogates become U+FFFD, as when wasm-bindgen passes a string;
// JSON.stringify would escape them into JSON that serde_json refuses.
function wellFormed(text) {
  return text.isWellFormed === undefined || text.isWellFormed()
    ? text
    : text.replace(/\p{Surrogate}/gu, '\uFFFD');
}

function pointer(key) {
  return '/' + String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

function put(out, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[key] = value;
  }
}

function checkObject(v, depth) {
  if (depth >= MAX_DEPTH) throw new NotJson(`nested deeper than ${MAX_DEPTH} levels (or cyclic)`);
  if (Array.isArray(v)) return;
  const proto = Object.getPrototypeOf(v);
  if (proto !== null && proto !== objectProto) {
    const name = (v.constructor && v.constructor.name) || 'non-plain object';
    throw new NotJson(`a ${name} is not JSON data`);
  }
}

// Prefixes the path of a NotJson thrown under `key`; rethrows.
function under(key, e) {
  if (e instanceof NotJson) e.path = pointer(key) + e.path;
  throw e;
}

// (try/catch in the loops rather than a closure per key: this runs once per
// value read, and allocating a closure for each was half the cost.)
function whole(v, depth) {
  switch (typeof v) {
    case 'undefined': return null;
    case 'boolean': return v;
    case 'string': return wellFormed(v);
    case 'number':
      if (Number.isFinite(v)) return v;
      throw new NotJson(`${v} is not a finite number`);
    case 'object':
      if (v === null) return null;
      break;
    default: throw new NotJson(`a ${typeof v} is not JSON data`);
  }
  checkObject(v, depth);
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      try { out[i] = whole(v[i], depth + 1); } catch (e) { under(i, e); }
    }
    return out;
  }
  const out = {};
  for (const key of Object.keys(v)) {
    const item = v[key];
    if (item === undefined) continue;
    let value;
    try { value = whole(item, depth + 1); } catch (e) { under(key, e); }
    put(out, wellFormed(key), value);
  }
  return out;
}

// spec: true (the whole value) or an array of [key, spec] pairs (only
// those keys when the value is a plain object; any other value whole).
function projected(v, spec, depth) {
  if (spec === true || typeof v !== 'object' || v === null || Array.isArray(v)) return whole(v, depth);
  checkObject(v, depth);
  const out = {};
  for (let i = 0; i < spec.length; i++) {
    const pair = spec[i];
    const key = pair[0];
    if (!isEnumerable.call(v, key)) continue;
    const item = v[key];
    if (item === undefined) continue;
    let value;
    try { value = projected(item, pair[1], depth + 1); } catch (e) { under(key, e); }
    put(out, key, value);
  }
  return out;
}

export function projectItems(items, spec) {
  const out = new Array(items.length);
  const errors = [];
  for (let i = 0; i < items.length; i++) {
    try {
      out[i] = projected(items[i], spec, 0);
    } catch (e) {
      out[i] = null;
      if (e instanceof NotJson) {
        errors.push(i, e.path, e.message);
      } else {
        let detail = 'reading the data threw';
        try { detail += `: ${e}`; } catch { /* an unprintable exception */ }
        errors.push(i, '', detail);
      }
    }
  }
  const text = JSON.stringify(out);
  return errors.length === 0 ? text : [text, errors];
}

// One item as a batch of one (an array literal here is much cheaper than
// building it from wasm).
export function projectOne(item, spec) {
  return projectItems([item], spec);
}

export function toBooleans(bytes) {
  const out = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 1;
  return out;
}
