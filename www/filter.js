// The filter playground: a Pocketflows filter expression compiled with
// compileFilter as you type, each sample event evaluated with explain
// (match, or the reason it does not), and a syntax error shown at its
// line and column with the snippet the compiler gives.

import { mountChrome } from './chrome.js';
import { CodeEditor } from './code-editor.js';
import { sampleEvents, sampleFilter } from './demo-data.js';
import { h, setStatus as setBadge } from './dom.js';
import { lineStarts } from '/pkg/cli/locate.mjs';
import { debounced, readJson, show, loadedTriggerkit } from './playground.js';
import { showRuntimeFacts } from './runtime.js';

mountChrome('/filter.html');
const $ = (id) => document.getElementById(id);
const schedule = debounced(() => evaluate());
const expression = new CodeEditor($('expression'), { onInput: schedule });
const events = new CodeEditor($('events'), { onInput: schedule });

const setStatus = (state, text) => setBadge($('status'), state, text);

/** Offset in `text` of a 1-based line and column (columns count characters). */
function offsetOf(text, line, column) {
  const starts = lineStarts(text);
  const start = starts[Math.min(line, starts.length) - 1] ?? 0;
  return Math.min(text.length, start + Math.max(0, column - 1));
}

async function evaluate() {
  const tk = await loadedTriggerkit($('status'), 'web');
  if (!tk) return;
  const source = expression.value;
  let filter = null;
  const errorBox = $('syntax-error');
  try {
    filter = tk.compileFilter(source);
    expression.setMarks([]);
    errorBox.replaceChildren();
    setStatus('valid', 'Compiles');
  } catch (error) {
    const at = offsetOf(source, error.line ?? 1, error.column ?? 1);
    expression.setMarks([{ start: Math.min(at, Math.max(0, source.length - 1)), end: Math.min(source.length, at + 1), severity: 'error', message: error.message }]);
    setStatus('syntax', 'Syntax error');
    errorBox.replaceChildren(
      h('p', { className: 'syntax-where', textContent: `Line ${error.line}, column ${error.column}: ${error.message}` }),
      h('code', { className: 'issue-code', textContent: error.code ?? error.name }),
      ...(error.snippet ? [h('pre', { className: 'snippet', textContent: error.snippet })] : []));
  }
  const data = readJson(events, 'Events');
  $('events-problem').textContent = data.error ?? (Array.isArray(data.value) ? '' : 'The events must be a JSON array.');
  const items = Array.isArray(data.value) ? data.value : [];
  let matched = 0;
  $('results').replaceChildren(...items.map((item, i) => {
    const verdict = filter ? filter.explain(item) : null;
    if (verdict?.matched) matched += 1;
    const state = !verdict ? 'unknown' : verdict.matched ? 'match' : verdict.error ? 'error' : 'no-match';
    const label = { unknown: 'not evaluated', match: 'match', 'no-match': 'no match', error: 'no match (error)' }[state];
    const reason = !verdict ? 'Fix the expression to evaluate.'
      : verdict.matched ? 'The expression is true for this event.'
        : verdict.error ? `${verdict.error.code}: ${verdict.error.message}` : 'The expression is false for this event.';
    return h('li', { className: 'filter-result', 'data-result': state },
      h('span', { className: 'result-head' },
        h('span', { className: 'result-index', textContent: `#${i + 1}` }),
        h('span', { className: 'result-verdict', textContent: label })),
      h('code', { className: 'result-event', textContent: show(item) }),
      h('span', { className: 'result-reason', textContent: reason }));
  }));
  filter?.free();
  $('count').textContent = filter ? `${matched} of ${items.length} match` : '';
}

expression.value = sampleFilter;
events.value = `${JSON.stringify(sampleEvents, null, 2)}\n`;
evaluate();
showRuntimeFacts($('runtime-facts'), 'web');
