// Helpers the playground pages share: JSON read from a code editor with
// its syntax error marked where it is, a debounced scheduler, and values
// shown as text.

import { parseJson } from '/pkg/cli/locate.mjs';
import { h, setStatus } from './dom.js';
import { runtime } from './runtime.js';

/** The initialized browser entry `name` (runtime.js), or null (with `status` marked) when it did not load. */
export async function loadedTriggerkit(status, name) {
  try {
    return (await runtime(name)).triggerkit;
  } catch {
    setStatus(status, 'failed', 'Not loaded');
    return null;
  }
}

/**
 * Parses an editor's JSON. On a syntax error, marks it in the editor and
 * returns `{error}` with a message naming line and column.
 * @param {import('./code-editor.js').CodeEditor} editor
 * @param {string} what a name for messages ("Triggers")
 */
export function readJson(editor, what) {
  const parsed = parseJson(editor.value);
  if (!parsed.error) {
    editor.setMarks([]);
    return { value: JSON.parse(editor.value) };
  }
  const { offset, line, column, message } = parsed.error;
  const start = Math.min(offset, Math.max(0, editor.value.length - 1));
  editor.setMarks([{ start, end: Math.min(editor.value.length, start + 1), severity: 'error', message }]);
  return { error: `${what}, line ${line}, column ${column}: ${message}` };
}

/** Calls `fn` once typing pauses for `ms`. */
export function debounced(fn, ms = 150) {
  let timer = 0;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

/** A JSON value as compact text (strings without quotes). */
export function show(value) {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills a list with text items. */
export function fillList(list, texts) {
  list.replaceChildren(...texts.map((text) => h('li', { textContent: text })));
}
