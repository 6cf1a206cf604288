// The livechat page's side panel: the engine's events as they happen, when
// it wakes next and, per trigger, why it has or has not fired, from
// `LivechatTriggers.explain()` (issue #10: LivechatExplanation entries and
// their LivechatWaiting conditions). A build without `explain` gets what
// the page itself saw (onAction calls) instead, and says so.

import { h, setStatus } from '../dom.js';

const clock = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false }) +
  `.${String(Math.floor(ms % 1000)).padStart(3, '0')}`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A trigger as one line: its conditions and actions (the config has no names). */
export function describeTrigger(trigger) {
  const conditions = (trigger.conditions ?? []).map((c) => {
    switch (c.name) {
      case 'time-on-site': return `time on site ≥ ${c.value} s`;
      case 'page-url': return `page URL matches ${c.value}`;
      case 'chat-opened-by-visitor': return 'chat opened by the visitor';
      case 'after-guest-registration': return 'after guest registration';
      default: return String(c.name);
    }
  });
  const actions = (trigger.actions ?? []).map((a) => (a.name === 'use-external-service'
    ? `ask ${a.params?.serviceUrl ?? 'the external service'}` : 'send a message'));
  return `${conditions.join(' and ') || 'always'} → ${actions.join(', ')}${trigger.runOnce ? ' (run once)' : ''}`;
}

/** A condition a pending trigger waits for, as text (LivechatWaiting). */
function waitingText(item) {
  switch (item.condition) {
    case 'time-on-site':
      return `waiting for time-on-site: ${seconds(item.remainingMs)} of ${seconds(item.thresholdMs)} left` +
        (typeof item.dueAt === 'number' ? `, due at ${clock(item.dueAt)}` : ' (no visit going)');
    case 'page-url':
      return `waiting for page-url: ${item.pattern} does not match ${item.url ?? '(no page yet)'}`;
    default:
      return `waiting for ${item.condition}`;
  }
}

/** When a pending trigger's wait on time ends (epoch ms), or null. */
function wakeOf(entry, now) {
  const times = (entry.waiting ?? []).filter((w) => w.condition === 'time-on-site')
    .map((w) => (typeof w.dueAt === 'number' ? w.dueAt : now + w.remainingMs));
  return times.length ? Math.min(...times) : null;
}

export class EnginePanel {
  constructor({ status, source, nextWake, explain, events }) {
    Object.assign(this, { statusEl: status, sourceEl: source, nextWakeEl: nextWake, explainEl: explain, eventsEl: events });
    this.triggers = [];
    this.invalid = [];
    this.seen = new Map();
  }

  setStatus(state, text) {
    setStatus(this.statusEl, state, text);
  }

  setSource(text) {
    this.sourceEl.textContent = text;
  }

  /** The triggers as fetched (`fetchLivechatTriggers`): valid and invalid. */
  setTriggers(triggers, invalid) {
    this.triggers = triggers;
    this.invalid = invalid;
  }

  /** Position (1-based) of a trigger id in the list, for labels. */
  number(id) {
    const i = this.triggers.findIndex((t) => t._id === id);
    return i < 0 ? '?' : String(i + 1);
  }

  /** Logs an event: what happened, as text. */
  event(kind, text) {
    const now = Date.now();
    this.eventsEl.prepend(h('li', { 'data-kind': kind },
      h('time', { dateTime: new Date(now).toISOString(), textContent: clock(now) }),
      h('span', { className: 'event-kind', textContent: kind }),
      h('span', { className: 'event-text', textContent: text })));
    while (this.eventsEl.childElementCount > 60) this.eventsEl.lastElementChild.remove();
  }

  /** An action the runtime handed to onAction. */
  actionSeen(triggerId) {
    if (triggerId !== undefined) this.seen.set(triggerId, Date.now());
  }

  /** A new visitor: forget what was seen. */
  reset() {
    this.seen.clear();
    this.eventsEl.replaceChildren();
  }

  /**
   * Redraws the trigger list and next wake time from `explanation` (the
   * result of `explain()`), or from what the page saw when it is null.
   */
  render(explanation) {
    const now = Date.now();
    const byId = new Map((explanation ?? []).map((e) => [String(e.id), e]));
    let wake = null;
    const items = this.triggers.map((trigger, i) => {
      const entry = explanation ? byId.get(String(trigger._id)) ?? explanation[i] : null;
      const status = entry ? entry.status : this.seen.has(trigger._id) ? 'fired' : 'not seen';
      const lines = [];
      if (entry) {
        if (typeof entry.firedAt === 'number') lines.push(`fired at ${clock(entry.firedAt)}${entry.runOnce ? ' (run once: not again for this visitor)' : ' (not again in this page view)'}`);
        if (entry.status === 'spent') lines.push('run once: already fired for this visitor');
        for (const item of entry.waiting ?? []) lines.push(waitingText(item));
        if (entry.status === 'pending' && entry.waiting?.length === 0) lines.push('all conditions hold: fires at the next event');
        if (entry.code) lines.push(`code: ${entry.code}`);
        const at = entry.status === 'pending' ? wakeOf(entry, now) : null;
        if (at !== null) wake = wake === null ? at : Math.min(wake, at);
      } else if (this.seen.has(trigger._id)) {
        lines.push(`an action arrived at ${clock(this.seen.get(trigger._id))}`);
      }
      return h('li', { className: 'explain-item', 'data-status': status, 'data-trigger': trigger._id ?? '' },
        h('span', { className: 'explain-head' },
          h('span', { className: 'explain-number', textContent: `#${i + 1}` }),
          h('span', { className: 'explain-status', textContent: status })),
        h('span', { className: 'explain-what', textContent: describeTrigger(trigger) }),
        ...lines.map((line) => h('span', { className: 'explain-detail', textContent: line })));
    });
    for (const bad of this.invalid) {
      items.push(h('li', { className: 'explain-item', 'data-status': 'invalid' },
        h('span', { className: 'explain-head' },
          h('span', { className: 'explain-number', textContent: `config #${bad.index + 1}` }),
          h('span', { className: 'explain-status', textContent: 'invalid' })),
        ...bad.errors.map((e) => h('span', { className: 'explain-detail', textContent: `${e.path} ${e.code}: ${e.message}` }))));
    }
    this.explainEl.replaceChildren(...items);
    if (!explanation) {
      this.nextWakeEl.textContent = 'needs LivechatTriggers.explain(), which this build lacks; the list shows what onAction delivered';
    } else if (wake === null) {
      this.nextWakeEl.textContent = 'nothing scheduled: only a visitor event can fire a trigger now';
    } else {
      this.nextWakeEl.textContent = `${clock(wake)} (in ${seconds(Math.max(0, wake - now))})`;
    }
  }
}
