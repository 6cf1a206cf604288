// The rules playground: Zendesk triggers (from the emulator through
// ZendeskClient, or the built-in example) and a ticket update in; the fired
// triggers, the final ticket with its changed fields, the effects and the
// pass-by-pass trace of ZendeskRuleSet.explain out, as you type.

import { mountChrome } from './chrome.js';
import { CodeEditor } from './code-editor.js';
import { sampleUpdate, zendeskTriggers } from './demo-data.js';
import { h, setStatus as setBadge } from './dom.js';
import { debounced, fillList, readJson, show, loadedTriggerkit } from './playground.js';
import { showRuntimeFacts } from './runtime.js';
import { config, DEV_TOKEN, entry } from './tk.js';

mountChrome('/rules.html');
const $ = (id) => document.getElementById(id);
const schedule = debounced(() => evaluate());
const triggersEditor = new CodeEditor($('triggers'), { onInput: schedule });
const updateEditor = new CodeEditor($('update'), { onInput: schedule });
const pretty = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** The fields of a listed trigger worth editing (read-only ones left out). */
const editable = ({ id, title, active, position, conditions, actions }) => ({ id, title, active, position, conditions, actions });

const setStatus = (state, text) => setBadge($('status'), state, text);

async function loadTriggers() {
  const note = $('load-note');
  if ($('trigger-source').value === 'example') {
    triggersEditor.value = pretty(zendeskTriggers.map((t, i) => ({ id: i + 1, ...t })));
    note.textContent = 'Built-in example loaded.';
    return evaluate();
  }
  const { emulatorUrl } = await config();
  if (!emulatorUrl) {
    note.textContent = 'No emulator is running (start the demo with scripts/demo.sh): loaded the built-in example.';
    $('trigger-source').value = 'example';
    return loadTriggers();
  }
  try {
    const { ZendeskClient } = await entry('clients');
    const client = new ZendeskClient({ baseUrl: emulatorUrl, oauthToken: DEV_TOKEN });
    const listed = [];
    for await (const trigger of client.activeTriggers()) listed.push(editable(trigger));
    listed.sort((a, b) => a.position - b.position);
    triggersEditor.value = pretty(listed);
    note.textContent = `${listed.length} active triggers from ${emulatorUrl} (url, timestamps and other read-only fields left out).`;
  } catch (error) {
    note.textContent = `Loading from the emulator failed (${error.code ?? error.name}: ${error.message}).`;
  }
  return evaluate();
}

let rules = null;

async function evaluate() {
  // The Zendesk engine is in triggerkit/zendesk, not in the browser triggerkit.
  const tk = await loadedTriggerkit($('status'), 'zendesk');
  if (!tk) return;
  const problems = [];
  const triggers = readJson(triggersEditor, 'Triggers');
  const update = readJson(updateEditor, 'Ticket update');
  for (const r of [triggers, update]) if (r.error) problems.push(r.error);
  let result = null;
  let explanation = null;
  if (problems.length === 0) {
    try {
      rules?.free();
      rules = tk.compileZendeskTriggers(triggers.value);
      for (const p of rules.problems) problems.push(`Triggers ${p.path}: ${p.code}: ${p.message} (left out)`);
      result = rules.evaluate(update.value);
      if (typeof rules.explain === 'function') explanation = rules.explain(update.value);
    } catch (error) {
      rules = null;
      problems.push(`${error.name} ${error.code ?? ''}: ${error.message}`);
    }
  }
  fillList($('input-problems'), problems);
  if (!result) {
    setStatus('invalid', 'Not evaluated');
    for (const id of ['fired', 'ticket', 'effects', 'trace']) $(id).replaceChildren();
    return;
  }
  const titles = new Map((Array.isArray(triggers.value) ? triggers.value : triggers.value.triggers ?? [])
    .map((t) => [t.id, t.title]));
  setStatus('valid', result.fired.length === 1 ? '1 fired' : `${result.fired.length} fired`);
  fillList($('fired'), result.fired.map((id) => `${titles.get(id) ?? 'trigger'} (id ${id})`));
  if (result.fired.length === 0) fillList($('fired'), ['None of the triggers fired.']);
  renderTicket(update.value.ticket ?? {}, result.ticket);
  fillList($('effects'), result.effects.length
    ? result.effects.map((e) => `${titles.get(e.trigger_id) ?? e.trigger_id}: ${e.field} ${show(e.value)}`)
    : ['No notifications.']);
  renderTrace(explanation, titles);
}

function renderTicket(before, after) {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  $('ticket').replaceChildren(...keys.map((key) => {
    const changed = JSON.stringify(before[key]) !== JSON.stringify(after[key]);
    const row = h('tr', { className: changed ? 'changed' : '' },
      h('th', { scope: 'row' }, h('code', { textContent: key }),
        ...(changed ? [h('span', { className: 'changed-mark', textContent: ' changed' })] : [])),
      h('td', { textContent: show(before[key]) }),
      h('td', { textContent: show(after[key]) }));
    return row;
  }));
}

function renderTrace(explanation, titles) {
  const trace = $('trace');
  if (!explanation) {
    trace.replaceChildren(h('p', { className: 'hint', textContent: 'This build has no ZendeskRuleSet.explain yet: the trace appears once it does.' }));
    return;
  }
  trace.replaceChildren(...explanation.passes.map((pass) => h('section', { className: 'pass' },
    h('h3', { textContent: `Pass ${pass.index + 1}` }),
    h('ol', { className: 'pass-triggers' }, ...pass.triggers.map((t) => h('li', { 'data-outcome': t.outcome },
      h('span', { className: 'pass-title', textContent: `${t.title ?? titles.get(t.id) ?? t.id}: ` }),
      h('span', { className: 'pass-outcome', textContent: t.outcome.replace('_', ' ') }),
      conditionList(t.conditions),
      ...(t.actions?.length ? [h('ul', { className: 'pass-actions' }, ...t.actions.map((a) =>
        h('li', { textContent: actionText(a) })))] : [])))))));
}

/** An action as traced: what it changed, or that it was recorded as an effect. */
function actionText(a) {
  if (a.before == null && a.after == null) return `${a.field} ${show(a.value)}: recorded as an effect`;
  return `${a.field}: ${show(a.before)} → ${show(a.after)}`;
}

function conditionList(conditions) {
  const items = [];
  for (const kind of ['all', 'any']) {
    for (const c of conditions?.[kind] ?? []) {
      items.push(h('li', { 'data-held': String(c.held) },
        h('span', { className: 'held', textContent: c.held ? '✓ held' : '✗ did not hold' }),
        h('span', { textContent: ` ${kind}: ${c.field} ${c.operator}${c.value === null ? '' : ` ${show(c.value)}`}, actual ${show(c.actual)}` })));
    }
  }
  return h('ul', { className: 'pass-conditions' }, ...items);
}

$('load-triggers').addEventListener('click', loadTriggers);
updateEditor.value = pretty(sampleUpdate);
loadTriggers();
showRuntimeFacts($('runtime-facts'), 'zendesk');
