// The inbox console: creates an inbox on the local emulator with
// TriggerInboxClient, publishes events through the emulator's admin API,
// turns its faults on and off, and runs TriggerInboxClient.consume in the
// page, with live counters from the consumer (its handler and hooks) and
// from the emulator (GET /_admin/counters).

import { mountChrome } from './chrome.js';
import { h, setStatus as setBadge } from './dom.js';
import { config, DEV_TOKEN, entry } from './tk.js';

mountChrome('/inbox.html');
const $ = (id) => document.getElementById(id);

const INBOX_BODY = { app: 'slack', action: 'channel_message', connection: 'slack-conn-1', inputs: { channel: 'C0123ABC456' } };

let emulatorUrl = null;
let client = null;
let stopper = null;
const page = { handled: 0, succeeded: 0, failed: 0, poison: 0, errors: 0 };

const setStatus = (id, state, text) => setBadge($(id), state, text);

function log(text) {
  const now = new Date();
  $('log').prepend(h('li', {},
    h('time', { dateTime: now.toISOString(), textContent: now.toLocaleTimeString('en-GB', { hour12: false }) }),
    h('span', { className: 'event-text', textContent: text })));
  while ($('log').childElementCount > 50) $('log').lastElementChild.remove();
}

function fillCounters(list, entries) {
  list.replaceChildren(...entries.flatMap(([name, value, key]) => [
    h('dt', { textContent: name }),
    h('dd', { textContent: String(value), 'data-counter': key }),
  ]));
}

const inboxName = () => $('inbox-name').value.trim();

async function admin(method, path, body) {
  const response = await fetch(`${emulatorUrl}/_admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Runs a button's action, reporting failures in the log. */
function action(id, run) {
  $(id).addEventListener('click', async () => {
    try {
      await run();
    } catch (error) {
      log(`${$(id).textContent} failed: ${error.code ? `${error.code}: ` : ''}${error.message}`);
    }
  });
}

action('create', async () => {
  const name = inboxName();
  setStatus('inbox-status', 'pending', 'Creating…');
  await client.upsertInbox(name, INBOX_BODY);
  const inbox = await client.waitUntilActive(name, { timeoutMs: 10000 });
  setStatus('inbox-status', 'valid', inbox.status);
  log(`inbox ${name} is ${inbox.status}`);
});

action('publish', async () => {
  const count = Number($('publish-count').value);
  const result = await admin('POST', `/inboxes/${encodeURIComponent(inboxName())}/publish`, { count });
  log(`published ${result.published} events`);
});

action('faults-on', async () => {
  const percent = (id) => Math.min(100, Math.max(0, Number($(id).value) || 0)) / 100;
  const latency = Math.max(0, Number($('latency').value) || 0);
  await admin('PUT', '/faults', {
    path_prefix: `/trigger-inbox/api/v1/inboxes/${inboxName()}/`,
    latency_min_ms: 0, latency_max_ms: latency,
    error_rate: percent('error-rate'), error_status: 503,
    rate_limit_rate: percent('rate-limit'), retry_after_seconds: 1,
  });
  setStatus('faults-status', 'invalid', 'On');
  log(`faults on: latency up to ${latency} ms, ${$('error-rate').value}% 5xx, ${$('rate-limit').value}% 429`);
});

action('faults-off', async () => {
  await admin('DELETE', '/faults');
  setStatus('faults-status', 'pending', 'Off');
  log('faults cleared');
});

action('start', async () => {
  const name = inboxName();
  const failing = $('handler-mode').value === 'poison';
  Object.keys(page).forEach((k) => { page[k] = 0; });
  stopper = new AbortController();
  $('start').disabled = true;
  $('stop').disabled = false;
  setStatus('consumer-status', 'valid', 'Running');
  log(`consumer started on ${name}`);
  try {
    const stats = await client.consume(name, async (message) => {
      page.handled += 1;
      if (failing && message.payload.seq % 50 === 0) {
        page.failed += 1;
        throw new Error(`event ${message.payload.seq} is poison`);
      }
      page.succeeded += 1;
    }, {
      signal: stopper.signal,
      leaseSeconds: 10,
      maxMessages: 50,
      concurrency: 8,
      emptyBackoffMs: 250,
      maxEmptyBackoffMs: 1000,
      onPoison: (message, error) => {
        page.poison += 1;
        log(`poison: event ${message.payload.seq} (${error.message}): acked, as poisonAction 'ack' does`);
      },
      onError: (error) => {
        page.errors += 1;
        log(`survived: ${error.code ?? error.name}: ${error.message}`);
      },
    });
    log(`consumer stopped: ${JSON.stringify(stats)}`);
  } catch (error) {
    log(`consumer failed: ${error.code ?? error.name}: ${error.message}`);
  } finally {
    $('start').disabled = false;
    $('stop').disabled = true;
    setStatus('consumer-status', 'pending', 'Stopped');
  }
});

$('stop').addEventListener('click', () => stopper?.abort());

async function refresh() {
  fillCounters($('page-counters'), [
    ['Handled', page.handled, 'handled'], ['Succeeded', page.succeeded, 'succeeded'],
    ['Failed (released)', page.failed, 'failed'], ['Poison', page.poison, 'poison'], ['Errors survived', page.errors, 'errors'],
  ]);
  try {
    const all = await admin('GET', '/counters');
    const c = all.inboxes?.[inboxName()];
    const faults = all.faults;
    fillCounters($('fault-counters'), [
      ['Requests seen', faults.requests, 'requests'], ['Delayed', faults.delayed, 'delayed'],
      ['5xx injected', faults.errors, 'injected-5xx'], ['429 injected', faults.rate_limited, 'injected-429'],
    ]);
    if (!c) {
      fillCounters($('server-counters'), [['Inbox', 'not created yet', 'none']]);
      return;
    }
    const m = c.messages ?? {};
    const inInbox = (m.available ?? 0) + (m.leased ?? 0) + (m.quarantined ?? 0);
    fillCounters($('server-counters'), [
      ['Published', c.published, 'published'], ['Leased', c.leased, 'leased'], ['Acked', c.acked, 'acked'],
      ['Released', c.released, 'released'], ['Lease expired', c.expired, 'expired'], ['Quarantined', c.quarantined, 'quarantined'],
      ['Waiting or leased', (m.available ?? 0) + (m.leased ?? 0), 'outstanding'], ['Acked twice', c.acked_twice, 'acked-twice'],
      ['Lost', c.published - c.acked - inInbox, 'lost'],
    ]);
  } catch (error) {
    fillCounters($('server-counters'), [['Emulator', `unreachable (${error.message})`, 'none']]);
  }
}

async function main() {
  ({ emulatorUrl } = await config());
  for (const id of ['create', 'publish', 'faults-on', 'faults-off', 'start']) $(id).disabled = !emulatorUrl;
  if (!emulatorUrl) {
    $('runtime-facts').textContent = 'No emulator is running: start the demo with scripts/demo.sh.';
    $('runtime-facts').dataset.state = 'failed';
    return;
  }
  try {
    const { TriggerInboxClient } = await entry('clients');
    client = new TriggerInboxClient({ baseUrl: emulatorUrl, token: DEV_TOKEN, retry: { baseDelayMs: 50, maxDelayMs: 1000, maxAttempts: 10 } });
    $('runtime-facts').textContent = `triggerkit/clients loaded; emulator at ${emulatorUrl}`;
    $('runtime-facts').dataset.state = 'loaded';
  } catch (error) {
    $('runtime-facts').textContent = `triggerkit/clients did not load: ${error.message}`;
    $('runtime-facts').dataset.state = 'failed';
    return;
  }
  document.body.dataset.inbox = 'ready';
  await refresh();
  setInterval(refresh, 300);
}

main();
