// JSON documents read with the source position of every value (cli/locate.mjs),
// so that a JSON Pointer from a validator, the linter or the rule compiler
// turns into `file:line:column`; and the triggers a document holds: one
// trigger, an array of them, or a list page `{ "triggers": [...] }`.

import { InputError } from './common.mjs';
import { displayName, readText } from './io.mjs';
import { escapeToken, lineStarts, locate, parseJson, positionOf } from './locate.mjs';

/**
 * A parsed JSON document.
 * @typedef {{file: string, name: string, text: string, root: import('./locate.mjs').JsonNode,
 *   value: unknown, starts: number[], duplicates: import('./locate.mjs').DuplicateKey[]}} JsonDocument
 */

/**
 * Reads and parses `file`. A syntax error comes back as `{ syntaxError }`
 * (a finding the caller reports or turns into an InputError); an unreadable
 * file throws an InputError.
 * @returns {Promise<{doc: JsonDocument} | {syntaxError: import('./common.mjs').Finding}>}
 */
export async function loadJson(file) {
  const text = await readText(file);
  const name = displayName(file);
  const { root, error, duplicates } = parseJson(text);
  if (error) {
    const message = text.trim() === '' ? 'empty file: expected JSON' : `not JSON: ${error.message}`;
    return {
      syntaxError: { file: name, line: error.line, column: error.column, severity: 'error', code: 'invalid_json', message, path: '' },
    };
  }
  return { doc: { file, name, text, root, value: JSON.parse(text), starts: lineStarts(text), duplicates } };
}

/** Like loadJson, but a syntax error is an InputError (exit code 2). */
export async function loadJsonOrFail(file) {
  const loaded = await loadJson(file);
  if (loaded.syntaxError) {
    const f = loaded.syntaxError;
    throw new InputError(`${f.file}:${f.line}:${f.column}: ${f.message}`);
  }
  return loaded.doc;
}

/** Line and column (1-based) of what `pointer` names in the document. */
export function positionIn(doc, pointer) {
  const { mark } = locate(doc.root, pointer);
  return positionOf(doc.text, mark.start, doc.starts);
}

/** A finding at `pointer` of the document. */
export function findingAt(doc, pointer, severity, code, message, extra = {}) {
  const { line, column } = positionIn(doc, pointer);
  return { file: doc.name, line, column, severity, code, message, path: pointer, ...extra };
}

/** Warnings for member keys given twice (JSON.parse keeps the last). */
export function duplicateKeyFindings(doc) {
  return doc.duplicates.map((d) => {
    const { line, column } = positionOf(doc.text, d.keyStart, doc.starts);
    const first = positionOf(doc.text, d.firstKeyStart, doc.starts);
    return {
      file: doc.name, line, column, severity: 'warning', code: 'duplicate_key',
      message: `key ${JSON.stringify(d.key)} is given twice (first at line ${first.line}); the last one is used`,
      path: d.pointer,
    };
  });
}

/**
 * The triggers a document holds, each with its JSON Pointer: an array is
 * a list of triggers, an object with a `triggers` array is a list page, any
 * other value is one trigger.
 * @returns {{items: {pointer: string, value: unknown}[], listPointer: string | null}}
 */
export function triggerItems(value) {
  const list = (array, base) => ({ items: array.map((v, i) => ({ pointer: `${base}/${i}`, value: v })), listPointer: base });
  if (Array.isArray(value)) return list(value, '');
  if (value !== null && typeof value === 'object' && Array.isArray(value.triggers)) return list(value.triggers, '/triggers');
  return { items: [{ pointer: '', value }], listPointer: null };
}

/**
 * The triggers of a document as one array (what the linter, the rule
 * compiler and the diff take), and `pointer`, which turns a path into that
 * array back into a pointer into the document.
 */
export function triggerSet(doc) {
  const { items, listPointer } = triggerItems(doc.value);
  const pointer = (path = '') => (listPointer === null ? path.replace(/^\/0(?=\/|$)/, '') : `${listPointer}${path}`);
  return { triggers: items.map((i) => i.value), pointer };
}

/** `base` followed by the pointer `rest` (relative to the value at base). */
export function joinPointer(base, rest) {
  return rest === '' ? base : `${base}${rest}`;
}

/** The pointer of array item `i` under `base`. */
export function itemPointer(base, i) {
  return `${base}/${escapeToken(String(i))}`;
}
