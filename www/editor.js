// The trigger editor page: pick a format, edit JSON, and see the validator's
// errors and warnings at their place in the text as you type.

import { mountChrome } from './chrome.js';
import { CodeEditor } from './code-editor.js';
import { h } from './dom.js';
import { auxiliaryExamples, examples } from './examples.js';
import { lineStarts, locate, parseJson, positionOf } from '/pkg/cli/locate.mjs';
import { runtime, showRuntimeFacts } from './runtime.js';
import { SaveToEmulator } from './save.js';

const DEBOUNCE_MS = 150;

/**
 * The five formats: how to call each validator, and the optional second
 * document it checks against.
 */
const FORMATS = [
  {
    id: 'rocketchat', label: 'Rocket.Chat', endpoint: 'POST /api/v1/livechat/triggers',
    validate: (tk, input) => tk.validateRocketChatTrigger(input),
  },
  {
    id: 'zendesk', label: 'Zendesk', endpoint: 'POST /api/v2/triggers · the trigger object',
    aux: { title: 'Account definitions', hint: 'The response of GET /api/v2/triggers/definitions: the fields, operators and values this account allows.' },
    validate: (tk, input, aux) => tk.validateZendeskTrigger(input, aux),
  },
  {
    id: 'pocketflows', label: 'Pocketflows', endpoint: 'POST /businesses/{id}/triggers',
    validate: (tk, input) => tk.validatePocketflowsTrigger(input),
  },
  {
    id: 'composio', label: 'Composio', endpoint: 'POST /api/v3/trigger_instances/{slug}/upsert',
    aux: { title: 'Trigger config schema', hint: "The trigger type's config JSON Schema; trigger_config is checked against it." },
    validate: (tk, input, aux) => tk.validateComposioTriggerInstance(input, aux),
  },
  {
    id: 'zapier', label: 'Zapier', endpoint: 'PUT /trigger-inbox/api/v1/inboxes/{name}/',
    aux: { title: 'Trigger input fields', hint: 'The results of GET /trigger-inbox/api/v1/trigger-input-fields/: inputs are checked against them and defaults filled in.' },
    validate: (tk, input, aux) => tk.validateZapierInbox(input, aux),
  },
];

const $ = (id) => document.getElementById(id);
const ui = {
  formats: $('formats'), example: $('example'), loadExample: $('load-example'), pretty: $('pretty'),
  endpoint: $('endpoint'), aux: $('aux'), auxTitle: $('aux-title'), auxHint: $('aux-hint'),
  auxExample: $('aux-example'), auxClear: $('aux-clear'), status: $('status'), count: $('issue-count'),
  issues: $('issues'), issuesPanel: $('issues-panel'), serverError: $('server-error'), serverErrorText: $('server-error-text'),
  normalized: $('normalized'), copy: $('copy'),
};

const saver = new SaveToEmulator({
  save: $('save'), status: $('save-status'), answer: $('server-answer'), body: $('server-body'),
  verdict: $('editor-verdict'), target: $('save-target'), targetLabel: $('save-target-label'),
}, () => {
  const parsed = parseJson(main.value);
  return parsed.error
    ? { error: `JSON syntax error at line ${parsed.error.line}, column ${parsed.error.column}` }
    : { value: JSON.parse(main.value) };
});

const main = new CodeEditor($('source'), { onInput: () => schedule() });
const aux = new CodeEditor($('aux-source'), { onInput: () => schedule() });

/** Per-format drafts, so switching formats does not lose edits. */
const drafts = new Map();
/** The selected format (null until the first selection). */
let format = null;
let timer = 0;

const pretty = (value) => JSON.stringify(value, null, 2);

function buildFormatPicker() {
  for (const f of FORMATS) {
    const id = `format-${f.id}`;
    const input = h('input', { type: 'radio', name: 'format', id, value: f.id });
    const label = h('label', { htmlFor: id, textContent: f.label });
    input.addEventListener('change', () => input.checked && selectFormat(f.id));
    ui.formats.append(input, label);
  }
}

function selectFormat(id) {
  if (format) drafts.set(format.id, { main: main.value, aux: aux.value, example: ui.example.value });
  format = FORMATS.find((f) => f.id === id) ?? FORMATS[0];
  $(`format-${format.id}`).checked = true;
  history.replaceState(null, '', `#${format.id}`);

  ui.endpoint.textContent = format.endpoint;
  saver.setFormat(format.id, format.endpoint);
  ui.example.replaceChildren(...examples[format.id].map((ex, i) =>
    h('option', { value: String(i), textContent: ex.title, title: ex.source })));
  ui.aux.hidden = !format.aux;
  if (format.aux) {
    ui.auxTitle.textContent = format.aux.title;
    ui.auxHint.textContent = format.aux.hint;
    ui.auxExample.hidden = !auxiliaryExamples[format.id];
  }

  const draft = drafts.get(format.id);
  if (draft) {
    ui.example.value = draft.example;
    main.value = draft.main;
    aux.value = draft.aux;
    validateNow();
  } else {
    aux.value = '';
    loadExample(0);
  }
}

function loadExample(index) {
  ui.example.value = String(index);
  main.value = `${pretty(examples[format.id][index].value)}\n`;
  validateNow();
}

function schedule() {
  ui.issuesPanel.setAttribute('aria-busy', 'true');
  clearTimeout(timer);
  timer = setTimeout(validateNow, DEBOUNCE_MS);
}

/**
 * An issue as the page shows it: where it is (editor, range, line and
 * column) as well as what the validator said.
 * @typedef {{severity: 'error' | 'warning', code: string, message: string, path: string | null,
 *   editor: CodeEditor, where: string, mark: {start: number, end: number},
 *   select: {start: number, end: number}, found: boolean, line: number, column: number}} ShownIssue
 */

/** A JSON syntax error as an issue, marked at the offending character. */
function syntaxIssue(editor, error, where) {
  const text = editor.value;
  const start = error.offset < text.length ? error.offset : Math.max(0, text.length - 1);
  const range = { start, end: Math.min(text.length, start + 1) };
  return {
    severity: 'error', code: 'json_syntax', message: error.message, path: null, editor, where,
    mark: range, select: { start: error.offset, end: error.offset }, found: true,
    line: error.line, column: error.column,
  };
}

/** A validator issue (a JSON Pointer) located in the parsed text; `starts` from lineStarts. */
function pointerIssue(editor, root, starts, severity, { path, code, message }, where) {
  const loc = locate(root, path);
  const { line, column } = positionOf(editor.value, loc.mark.start, starts);
  return { severity, code, message, path, editor, where, mark: loc.mark, select: loc.select, found: loc.found, line, column };
}

function duplicateIssues(editor, duplicates, where) {
  return duplicates.map((d) => {
    const first = positionOf(editor.value, d.firstKeyStart);
    const { line, column } = positionOf(editor.value, d.keyStart);
    const range = { start: d.keyStart, end: d.keyEnd };
    return {
      severity: 'warning', code: 'duplicate_key', path: d.pointer, editor, where, mark: range, select: range,
      found: true, line, column,
      message: `Duplicate key "${d.key}" (first at line ${first.line}): only this last one counts`,
    };
  });
}

async function validateNow() {
  clearTimeout(timer);
  const current = format;
  let tk;
  try {
    ({ triggerkit: tk } = await runtime('web'));
  } catch {
    setStatus('failed', 'Not loaded');
    ui.count.textContent = 'The validator did not load.';
    ui.issuesPanel.removeAttribute('aria-busy');
    return;
  }
  if (current !== format) return;

  /** @type {ShownIssue[]} */
  const issues = [];
  const parsed = parseJson(main.value);
  if (parsed.error) issues.push(syntaxIssue(main, parsed.error, 'Line'));
  issues.push(...duplicateIssues(main, parsed.duplicates, 'Line'));

  let auxValue;
  let auxOk = true;
  if (format.aux && aux.value.trim() !== '') {
    const where = `${format.aux.title}, line`;
    const auxParsed = parseJson(aux.value);
    if (auxParsed.error) {
      issues.push(syntaxIssue(aux, auxParsed.error, where));
      auxOk = false;
    } else {
      issues.push(...duplicateIssues(aux, auxParsed.duplicates, where));
      auxValue = JSON.parse(aux.value);
    }
  }

  let result = null;
  const starts = lineStarts(main.value);
  if (!parsed.error && auxOk) {
    try {
      result = format.validate(tk, JSON.parse(main.value), auxValue);
    } catch (error) {
      // Validators throw only for an argument that is not what they take,
      // which here can only be the auxiliary document.
      const thrown = { path: '', code: error.code ?? 'invalid_argument', message: error.message };
      const auxRoot = format.aux ? parseJson(aux.value).root : null;
      issues.push(auxRoot
        ? pointerIssue(aux, auxRoot, lineStarts(aux.value), 'error', thrown, `${format.aux.title}, line`)
        : pointerIssue(main, parsed.root, starts, 'error', thrown, 'Line'));
    }
  }
  if (result) {
    for (const issue of result.errors) issues.push(pointerIssue(main, parsed.root, starts, 'error', issue, 'Line'));
    for (const issue of result.warnings) issues.push(pointerIssue(main, parsed.root, starts, 'warning', issue, 'Line'));
  }

  issues.sort((a, b) => (a.editor === b.editor ? 0 : a.editor === main ? -1 : 1)
    || a.mark.start - b.mark.start || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  render(tk, issues, parsed, result);
}

function setStatus(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function render(tk, issues, parsed, result) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  if (parsed.error) setStatus('syntax', 'JSON syntax error');
  else if (!result || !result.valid || errors > 0) setStatus('invalid', 'Invalid');
  else setStatus('valid', warnings ? 'Valid, with warnings' : 'Valid');
  ui.count.textContent = issues.length === 0
    ? 'No issues.'
    : [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')].filter(Boolean).join(', ') + '.';
  saver.setVerdict(`${ui.status.textContent}: ${ui.count.textContent}`);

  for (const editor of [main, aux]) {
    editor.setMarks(issues.filter((i) => i.editor === editor)
      .map((i) => ({ start: i.mark.start, end: i.mark.end, severity: i.severity, message: i.message })));
  }
  ui.issues.replaceChildren(...issues.map(renderIssue));
  ui.issuesPanel.removeAttribute('aria-busy');

  const serverText = format.id === 'rocketchat' && result && !result.valid ? tk.rocketChatErrorText(result) : null;
  ui.serverError.hidden = serverText === null;
  ui.serverErrorText.textContent = serverText ?? '';

  const valid = result?.valid && errors === 0;
  ui.normalized.classList.toggle('empty', !valid);
  ui.normalized.textContent = valid
    ? pretty(result.value ?? null)
    : parsed.error ? 'Fix the JSON syntax error to validate.' : 'No normalized value while there are errors.';
  ui.copy.hidden = !valid;
}

function renderIssue(issue) {
  const meta = h('span', { className: 'issue-meta' },
    h('span', { className: 'issue-where', textContent: `${issue.where} ${issue.line}, col ${issue.column}` }),
    h('code', { className: 'issue-code', textContent: issue.code }));
  if (issue.path !== null) {
    meta.append(h('code', {
      className: 'issue-path',
      textContent: issue.path === '' ? '(root)' : issue.path,
      ...(issue.found ? {} : { title: 'Not in the text: shown at its nearest enclosing value' }),
    }));
  }
  const button = h('button', { type: 'button', className: 'issue', 'data-severity': issue.severity, 'data-line': issue.line },
    h('span', { className: 'issue-icon', 'aria-hidden': 'true', textContent: issue.severity === 'error' ? '✕' : '!' }),
    h('span', { className: 'visually-hidden', textContent: issue.severity === 'error' ? 'Error: ' : 'Warning: ' }),
    h('span', { className: 'issue-body' }, h('span', { className: 'issue-message', textContent: issue.message }), meta));
  button.addEventListener('click', () => {
    if (issue.editor === aux) ui.aux.open = true;
    issue.editor.select(issue.select.start, issue.select.end);
  });
  return h('li', {}, button);
}

mountChrome('/');
buildFormatPicker();
ui.example.addEventListener('change', () => loadExample(Number(ui.example.value)));
ui.loadExample.addEventListener('click', () => loadExample(Number(ui.example.value)));
ui.pretty.addEventListener('click', () => {
  const parsed = parseJson(main.value);
  if (!parsed.error) main.value = `${pretty(JSON.parse(main.value))}\n`;
  validateNow();
});
ui.auxExample.addEventListener('click', () => {
  aux.value = `${pretty(auxiliaryExamples[format.id].value)}\n`;
  validateNow();
});
ui.auxClear.addEventListener('click', () => {
  aux.value = '';
  validateNow();
});
ui.copy.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(ui.normalized.textContent);
    ui.copy.textContent = 'Copied';
  } catch {
    ui.copy.textContent = 'Copy failed';
  }
  setTimeout(() => { ui.copy.textContent = 'Copy'; }, 1500);
});

selectFormat(location.hash.slice(1));
showRuntimeFacts($('runtime-facts'), 'web');
