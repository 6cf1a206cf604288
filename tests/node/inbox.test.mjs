// TriggerInboxClient and consume() against the local API emulator: every
// endpoint, typed errors, retries (5xx, 429 Retry-After, dropped
// connections), cancellation, and each consumer guarantee of DESIGN.md §8.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';
import {
  startEmulator, uniqueName, slackInbox, countFetch, rejects as rejectsWith, DEV_TOKEN, DEV_CLIENT_ID, DEV_CLIENT_SECRET,
} from './emulator.mjs';

const { TriggerInboxClient } = tk;
let emu;
let inbox;

before(async () => {
  emu = await startEmulator();
  inbox = new TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
});
after(async () => {
  await emu.clearFaults();
  await emu.stop();
});

/** A fresh active inbox holding `count` generated messages. */
async function activeInbox(prefix, count = 0, extra = {}) {
  const name = uniqueName(prefix);
  await inbox.upsertInbox(name, slackInbox());
  await inbox.waitUntilActive(name, { timeoutMs: 5000 });
  if (count > 0) await emu.publish(name, { count, ...extra });
  return name;
}

const rejects = (promise, check) => rejectsWith(promise, 'TriggerInboxError', check);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('catalog: triggers, input fields, authentications (paged)', async () => {
  const triggers = await inbox.listTriggers('slack');
  assert.ok(triggers.results.some((t) => t.key === 'channel_message'));
  const fields = await inbox.triggerInputFields('slack', 'channel_message', 'slack-conn-1');
  const channel = fields.results.find((f) => f.key === 'channel');
  assert.equal(channel.is_required, true);
  const page = await inbox.listAuthentications('slack', { limit: 2 });
  assert.equal(page.data.length, 2);
  assert.equal(page.meta.count, 3);
  assert.equal(typeof page.links.next, 'string');
  const rest = await inbox.listAuthentications('slack', { limit: 2, offset: 2 });
  assert.equal(rest.data.length, 1);
  assert.equal(rest.data[0].is_expired, true);
});

test('inbox lifecycle: upsert is idempotent, 409 on another connection, list, pause, resume, delete', async () => {
  const name = uniqueName('life');
  const created = await inbox.upsertInbox(name, slackInbox());
  assert.equal(created.name, name);
  assert.equal(created.status, 'initializing');
  const active = await inbox.waitUntilActive(name, { timeoutMs: 5000 });
  assert.equal(active.status, 'active');
  const again = await inbox.upsertInbox(name, slackInbox());
  assert.equal(again.id, created.id);

  const conflict = await rejects(inbox.upsertInbox(name, slackInbox('slack-conn-2')), (e) => {
    assert.equal(e.code, 'conflict');
    assert.equal(e.status, 409);
    assert.equal(e.attempts, 1, 'a 409 is never retried');
  });
  assert.match(conflict.message, /409/);

  const listed = await inbox.listInboxes({ name });
  assert.deepEqual(listed.results.map((i) => i.name), [name]);
  const byStatus = await inbox.listInboxes({ status: 'active', name });
  assert.equal(byStatus.results.length, 1);

  await emu.publish(name, { count: 3 });
  const paused = await inbox.pause(name);
  assert.equal(paused.status, 'paused');
  const kept = await inbox.lease(name, { maxMessages: 10 });
  assert.equal(kept.results.length, 3, 'pause keeps buffered messages');
  await inbox.release(name, kept.results.map((m) => m.lease_token));
  assert.equal((await inbox.resume(name)).status, 'active');

  await inbox.deleteInbox(name);
  await rejects(inbox.getInbox(name), (e) => {
    assert.ok(e.code === 'not_found' || e.code === 'inbox_not_active');
  });
});

test('errors: 404, 422 with the body, 401 without retries, bad arguments', async () => {
  await rejects(inbox.getInbox(uniqueName('missing')), (e) => {
    assert.equal(e.code, 'not_found');
    assert.equal(e.status, 404);
    assert.match(e.message, /does not exist/);
  });
  await rejects(inbox.upsertInbox(uniqueName('bad'), { app: 'no-such-app', action: 'channel_message', connection: 'slack-conn-1', inputs: {} }), (e) => {
    assert.equal(e.code, 'validation_error');
    assert.equal(e.status, 422);
    assert.ok(Array.isArray(e.body.errors));
  });
  const stranger = new TriggerInboxClient({ baseUrl: emu.url, token: 'not-a-token' });
  await rejects(stranger.listTriggers('slack'), (e) => {
    assert.equal(e.code, 'authentication_failed');
    assert.equal(e.status, 401);
    assert.equal(e.attempts, 1);
  });
  await rejects(inbox.getInbox(42), (e) => assert.equal(e.code, 'invalid_argument'));
  await rejects(inbox.ack('x', ['a', 1]), (e) => assert.equal(e.code, 'invalid_argument'));
  await rejects(inbox.upsertInbox('x', { app: 'slack' }), (e) => assert.equal(e.code, 'invalid_argument'));
  assert.throws(() => new TriggerInboxClient({ baseUrl: 'ftp://x', token: 't' }), (e) => e.code === 'invalid_argument');
  assert.throws(() => new TriggerInboxClient({ baseUrl: emu.url }), (e) => e.code === 'invalid_argument');
  assert.throws(() => new TriggerInboxClient({ baseUrl: emu.url, token: 't', retry: { maxAttempts: 0 } }), (e) => e.code === 'invalid_argument');
  const badHeader = new TriggerInboxClient({ baseUrl: emu.url, token: 'a\nb' });
  await rejects(badHeader.listTriggers('slack'), (e) => assert.equal(e.code, 'invalid_argument'));
});

test('a broken global fetch gives typed errors, and the module keeps working', async () => {
  const once = new TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN, retry: { maxAttempts: 1 } });
  const original = globalThis.fetch;
  const broken = [
    [async () => ({ status: 200 }), 'invalid_response'],
    [() => Promise.reject('a string reason'), 'network_error'],
    [() => { throw 42; }, 'network_error'],
    [async () => new Response('not json', { status: 200 }), 'invalid_response'],
  ];
  try {
    for (const [fetch, code] of broken) {
      globalThis.fetch = fetch;
      await rejects(once.listTriggers('slack'), (e) => assert.equal(e.code, code));
    }
  } finally {
    globalThis.fetch = original;
  }
  assert.ok((await once.listTriggers('slack')).results.length > 0);
  await rejects(new TriggerInboxClient({ baseUrl: 'http://127.0.0.1:1', token: 't', retry: { maxAttempts: 1 } }).listTriggers('slack'), (e) => {
    assert.equal(e.code, 'network_error');
    assert.match(e.message, /fetch failed/);
  });
});

test('waitUntilActive fails with the paused_reason on initialization_failure', async () => {
  const name = uniqueName('initfail');
  await inbox.upsertInbox(name, slackInbox('bad-conn'));
  await rejects(inbox.waitUntilActive(name, { timeoutMs: 5000 }), (e) => {
    assert.equal(e.code, 'initialization_failure');
    assert.match(e.pausedReason, /expired or invalid/);
    assert.equal(e.inbox, name);
  });
});

test('waitUntilActive times out, and stops on its AbortSignal', async () => {
  const name = uniqueName('slow');
  await inbox.upsertInbox(name, slackInbox());
  await rejects(inbox.waitUntilActive(name, { timeoutMs: 10 }), (e) => assert.equal(e.code, 'wait_timeout'));
  const controller = new AbortController();
  controller.abort(new Error('no longer needed'));
  await rejects(inbox.waitUntilActive(name, { signal: controller.signal }), (e) => {
    assert.equal(e.code, 'aborted');
    assert.equal(e.cause.message, 'no longer needed');
  });
});

test('lease, ack and release: tokens per lease, lease_count, settle reports', async () => {
  const name = await activeInbox('lease', 5);
  const first = await inbox.lease(name, { leaseSeconds: 30, maxMessages: 3 });
  assert.equal(first.results.length, 3);
  for (const m of first.results) {
    assert.equal(m.message_attributes.lease_count, 1);
    assert.match(m.lease_token, /\S/);
  }
  const acked = await inbox.ack(name, [first.results[0].lease_token]);
  assert.equal(acked.results[0].status, 'acked');
  const released = await inbox.release(name, first.results.slice(1).map((m) => m.lease_token));
  assert.equal(released.results.length, 2);
  const again = await inbox.ack(name, [first.results[1].lease_token]);
  assert.equal(again.failed[0].code, 'lease_released');

  const second = await inbox.lease(name, { maxMessages: 10 });
  assert.equal(second.results.length, 4);
  const counts = second.results.map((m) => m.message_attributes.lease_count).sort();
  assert.deepEqual(counts, [1, 1, 2, 2]);
  const tokens = new Set([...first.results, ...second.results].map((m) => m.lease_token));
  assert.equal(tokens.size, 7, 'lease tokens are unique per lease');
  await inbox.ack(name, second.results.map((m) => m.lease_token));
  assert.equal((await inbox.lease(name)).results.length, 0);
  const listed = await inbox.listMessages(name);
  assert.equal(listed.results.length, 0);
});

test('retries: 5xx and dropped connections are retried, the call succeeds', async () => {
  const name = await activeInbox('retry');
  await emu.faults(name, { next: ['error', 'drop', 'drop_after', 'error'] });
  const got = await inbox.getInbox(name);
  assert.equal(got.name, name);
  await emu.faults(name, { next: ['error', 'error', 'error', 'error', 'error'] });
  await rejects(inbox.getInbox(name), (e) => {
    assert.equal(e.status, 500);
    assert.equal(e.attempts, 5);
  });
  await emu.faults(name, { next: ['drop'] });
  const once = new TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN, retry: { maxAttempts: 1 } });
  await rejects(once.getInbox(name), (e) => {
    assert.equal(e.code, 'network_error');
    assert.equal(e.attempts, 1);
  });
  await emu.clearFaults();
});

test('retries: 429 honours Retry-After in seconds and as an HTTP date', async () => {
  const name = await activeInbox('ratelimit');
  await emu.faults(name, { next: ['rate_limit'], retry_after_seconds: 1 });
  let started = performance.now();
  await inbox.getInbox(name);
  assert.ok(performance.now() - started >= 950, 'waited the Retry-After seconds');

  await emu.faults(name, { next: ['rate_limit'], retry_after_seconds: 2, retry_after_http_date: true });
  started = performance.now();
  await inbox.getInbox(name);
  // An HTTP date has whole-second precision: the wait is between 1 and 2 s.
  assert.ok(performance.now() - started >= 900, 'waited until the HTTP date');

  await emu.faults(name, { next: ['rate_limit'], retry_after_seconds: 30 });
  const impatient = new TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN, retry: { maxRetryAfterMs: 5000 } });
  await rejects(impatient.getInbox(name), (e) => {
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.status, 429);
    assert.equal(e.retryAfter, 30);
  });
  await emu.clearFaults();
});

test('AbortSignal stops a request in flight and a Retry-After wait', async () => {
  const name = await activeInbox('abort');
  await emu.faults(name, { latency_min_ms: 2000, latency_max_ms: 2000 });
  let controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  let started = performance.now();
  await rejects(inbox.getInbox(name, { signal: controller.signal }), (e) => assert.equal(e.code, 'aborted'));
  assert.ok(performance.now() - started < 1500);

  await emu.faults(name, { next: ['rate_limit'], retry_after_seconds: 10 });
  controller = new AbortController();
  setTimeout(() => controller.abort('a string reason'), 200);
  started = performance.now();
  await rejects(inbox.getInbox(name, { signal: controller.signal }), (e) => {
    assert.equal(e.code, 'aborted');
    assert.equal(e.cause, 'a string reason');
  });
  assert.ok(performance.now() - started < 5000);
  await emu.clearFaults();

  const timeouts = new TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN, retry: { timeoutMs: 100, maxAttempts: 2 } });
  await emu.faults(name, { latency_min_ms: 1000, latency_max_ms: 1000 });
  await rejects(timeouts.getInbox(name), (e) => {
    assert.equal(e.code, 'request_timeout');
    assert.equal(e.attempts, 2);
  });
  await emu.clearFaults();
});

test('OAuth: client credentials and token exchange', async () => {
  const token = await TriggerInboxClient.fetchToken({ baseUrl: emu.url, clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET });
  assert.equal(token.token_type, 'Bearer');
  assert.ok(token.expires_in > 0);
  const client = new TriggerInboxClient({ baseUrl: emu.url, token: token.access_token });
  assert.ok((await client.listTriggers('slack')).results.length > 0);

  const provider = new TriggerInboxClient({ baseUrl: emu.url, token: async () => token.access_token });
  assert.ok((await provider.listTriggers('slack')).results.length > 0);

  await rejects(TriggerInboxClient.fetchToken({ baseUrl: emu.url, clientId: DEV_CLIENT_ID, clientSecret: 'wrong' }), (e) => {
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_client');
  });
  await rejects(TriggerInboxClient.exchangeToken({
    baseUrl: emu.url, clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, subjectToken: 'not-a-jwt',
  }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.code, 'invalid_grant');
  });
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';
  const exchanged = await TriggerInboxClient.exchangeToken({
    baseUrl: emu.url, clientId: DEV_CLIENT_ID, clientSecret: DEV_CLIENT_SECRET, subjectToken: jwt,
  });
  assert.equal(exchanged.token_type, 'Bearer');
  const user = new TriggerInboxClient({ baseUrl: emu.url, token: exchanged.access_token });
  assert.ok((await user.listTriggers('slack')).results.length > 0);
});

// ------------------------------------------------------------------ consume

test('consume: drains with batched acks (one call per batch of tokens)', async () => {
  const name = await activeInbox('drain', 250);
  const fetches = countFetch();
  const seen = new Set();
  const stats = await inbox.consume(name, (m) => {
    seen.add(m.id);
  }, { stopWhenEmpty: true, maxMessages: 50, batchSize: 100, concurrency: 8 });
  fetches.restore();
  assert.equal(seen.size, 250);
  assert.equal(stats.processed, 250);
  assert.equal(stats.acked, 250);
  assert.equal(stats.failed, 0);
  assert.equal(stats.expired, 0);
  const ackCalls = fetches.get('POST messages/ack/');
  assert.ok(ackCalls >= 3 && ackCalls <= 25, `batched: ${ackCalls} ack calls for 250 messages`);
  const c = await emu.counters(name);
  assert.equal(c.acked, 250);
  assert.equal(c.acked_twice, 0);
});

test('consume: several lease calls in flight stay within maxInFlight', async () => {
  const name = await activeInbox('leases', 400);
  let inFlight = 0;
  let maxInFlight = 0;
  let asked = 0;
  let maxAsked = 0;
  const original = globalThis.fetch;
  globalThis.fetch = async (request) => {
    if (!request.url.endsWith('/messages/lease/')) return original(request);
    const { max_messages: n } = await request.clone().json();
    inFlight += 1;
    asked += n;
    maxInFlight = Math.max(maxInFlight, inFlight);
    maxAsked = Math.max(maxAsked, asked);
    try {
      await sleep(10);
      return await original(request);
    } finally {
      inFlight -= 1;
      asked -= n;
    }
  };
  const seen = new Set();
  const stats = await inbox.consume(name, async (m) => {
    seen.add(m.id);
    await sleep(2);
  }, { stopWhenEmpty: true, leaseConcurrency: 3, maxMessages: 20, maxInFlight: 60, concurrency: 10 });
  globalThis.fetch = original;
  assert.equal(seen.size, 400);
  assert.equal(stats.acked, 400);
  assert.ok(maxInFlight >= 2, `lease calls overlapped (${maxInFlight})`);
  assert.ok(maxAsked <= 60, `asked for at most maxInFlight messages at once (${maxAsked})`);
});

test('consume: upsert + wait, failures released, poison surfaced at lease_count 4 then acked', async () => {
  const name = uniqueName('poison');
  await inbox.upsertInbox(name, slackInbox());
  await inbox.waitUntilActive(name);
  await emu.publish(name, { count: 3 });
  const poisoned = [];
  const contexts = [];
  const stats = await inbox.consume(name, (m, ctx) => {
    contexts.push(ctx);
    if (m.payload.seq === 1) throw new Error('cannot handle this one');
  }, {
    upsert: slackInbox(), stopWhenEmpty: true, emptyBackoffMs: 10,
    onPoison: (m, error) => poisoned.push([m.id, m.message_attributes.lease_count, error.message]),
  });
  assert.equal(poisoned.length, 1);
  assert.equal(poisoned[0][1], 4);
  assert.equal(poisoned[0][2], 'cannot handle this one');
  assert.equal(stats.failed, 4);
  assert.equal(stats.poison, 1);
  assert.equal(stats.released, 3);
  assert.equal(stats.acked, 3, 'two good messages and the poison one');
  const last = contexts.at(-1);
  assert.equal(last.poison, true);
  assert.equal(last.leaseCount, 4);
  assert.ok(last.signal instanceof AbortSignal);
  assert.ok(last.deadline > Date.now() - 60_000);
  const c = await emu.counters(name);
  assert.equal(c.quarantined, 0);
  assert.equal(c.acked, 3);
});

test("consume: poisonAction 'release' lets the inbox quarantine; a throwing onPoison releases too", async () => {
  const name = await activeInbox('quarantine', 2);
  const stats = await inbox.consume(name, () => {
    throw new Error('always fails');
  }, {
    stopWhenEmpty: true, emptyBackoffMs: 10, poisonAction: 'release',
    onPoison: (m) => {
      if (m.payload.seq === 1) throw new Error('dead-letter store down');
    },
  });
  assert.equal(stats.poison, 2);
  assert.equal(stats.acked, 0);
  assert.equal(stats.errors, 1, 'the throwing onPoison is reported');
  const c = await emu.counters(name);
  assert.equal(c.quarantined, 2);
  const listed = await inbox.listMessages(name, { status: 'quarantined' });
  assert.equal(listed.results.length, 2, 'quarantined messages stay listed');
});

test('consume: handler timeout aborts the handler signal and releases; the late result is ignored', async () => {
  const name = await activeInbox('timeout', 1);
  let aborted = null;
  let calls = 0;
  const stats = await inbox.consume(name, (m, ctx) => {
    calls += 1;
    if (calls > 1) return;
    ctx.signal.addEventListener('abort', () => { aborted = ctx.signal.reason; });
    return sleep(2500); // ignores the signal, finishes after its lease
  }, { leaseSeconds: 2, leaseMarginMs: 800, stopWhenEmpty: true, emptyBackoffMs: 10 });
  assert.equal(aborted?.name, 'TimeoutError');
  assert.equal(aborted?.code, 'handler_timeout');
  assert.equal(stats.failed, 1);
  assert.equal(stats.released, 1);
  assert.equal(stats.processed, 1);
  assert.equal(stats.acked, 1);
  const c = await emu.counters(name);
  assert.equal(c.ack_rejected.lease_expired, 0, 'no ack with a stale token');
  assert.equal(c.acked_twice, 0);
});

test('consume: messages whose lease ran out before they could be handled are not settled with stale tokens', async () => {
  const name = await activeInbox('stale', 5);
  let delayed = 0;
  // The first lease answer arrives when its leases are nearly over.
  const fetches = countFetch({
    after: async (request, path) => {
      if (path.endsWith('/messages/lease/') && delayed++ === 0) await sleep(1900);
    },
  });
  const stats = await inbox.consume(name, () => {}, {
    leaseSeconds: 2, leaseMarginMs: 400, stopWhenEmpty: true, emptyBackoffMs: 300,
  });
  fetches.restore();
  assert.equal(stats.expired, 5, 'the first five deliveries expired unsettled');
  assert.equal(stats.processed, 5, 'then came back and were processed');
  assert.equal(stats.acked, 5);
  const c = await emu.counters(name);
  assert.equal(c.ack_rejected.lease_expired, 0);
  assert.equal(c.release_rejected.lease_expired, 0);
  assert.equal(c.expired, 5);
});

test('consume: idempotency hooks and the built-in seen-id set skip redeliveries', async () => {
  const name = await activeInbox('dedupe', 4, { duplicate_rate: 1 });
  const store = new Set();
  const handled = [];
  const flags = [];
  // Mark two messages processed already, as another worker would have.
  const peek = await inbox.lease(name, { maxMessages: 2 });
  for (const m of peek.results) store.add(m.id);
  await inbox.release(name, peek.results.map((m) => m.lease_token));
  const stats = await inbox.consume(name, (m, ctx) => {
    handled.push(m.id);
    flags.push(ctx.possibleDuplicate);
  }, {
    stopWhenEmpty: true, emptyBackoffMs: 10,
    seen: async (id) => store.has(id),
    remember: (id) => { store.add(id); },
  });
  assert.equal(handled.length, 2);
  assert.equal(stats.duplicates, 2);
  assert.equal(stats.acked, 4);
  assert.equal(stats.possibleDuplicates, 4);
  assert.ok(flags.every((f) => f === true), 'possible_duplicate_data surfaced');
  assert.equal(store.size, 4);
});

test('consume: empty inbox backoff doubles to its cap and resets on messages', async () => {
  const name = await activeInbox('backoff');
  const times = [];
  const fetches = countFetch({
    before: async (request, path) => {
      if (path.endsWith('/messages/lease/')) times.push(performance.now());
    },
  });
  const controller = new AbortController();
  let handledAt = 0;
  const running = inbox.consume(name, () => { handledAt = performance.now(); }, {
    signal: controller.signal, emptyBackoffMs: 100, maxEmptyBackoffMs: 400,
  });
  await sleep(1600);
  await emu.publish(name, { count: 1 });
  await sleep(900);
  controller.abort();
  const stats = await running;
  fetches.restore();
  const gaps = times.slice(1, 6).map((t, i) => t - times[i]);
  // Waits of 100, 200, 400, 400 ms (the cap) between empty leases. Timers
  // never fire early; a loaded machine may make them late, hence the loose
  // upper bounds.
  assert.ok(gaps[0] >= 95 && gaps[0] < 250, `first wait ${gaps[0]}`);
  assert.ok(gaps[1] >= 195 && gaps[1] < 350, `second wait ${gaps[1]}`);
  assert.ok(gaps[2] >= 395 && gaps[2] < 600, `third wait ${gaps[2]}`);
  assert.ok(gaps[3] >= 395 && gaps[3] < 600, `capped wait ${gaps[3]}`);
  assert.equal(stats.acked, 1);
  // After the message the next lease goes out at once, and the wait after
  // the following empty one is back at 100 ms.
  // (A synchronous handler runs before that next lease is sent.)
  const i = times.findIndex((t) => t > handledAt);
  assert.ok(i >= 1 && i + 1 < times.length, 'leases after the message');
  assert.ok(times[i] - handledAt < 95, `lease right after the message: ${times[i] - handledAt}`);
  const reset = times[i + 1] - times[i];
  assert.ok(reset >= 95 && reset < 300, `reset wait ${reset}`);
});

test('consume: 429 on lease honours Retry-After, other faults are survived', async () => {
  const name = await activeInbox('lease429', 20);
  await emu.faults(name, { next: ['rate_limit'], retry_after_seconds: 1 });
  const started = performance.now();
  const stats = await inbox.consume(name, () => {}, { stopWhenEmpty: true, emptyBackoffMs: 10 });
  assert.ok(performance.now() - started >= 950);
  assert.ok(stats.retries >= 1);
  assert.equal(stats.acked, 20);
  await emu.clearFaults();
});

test('consume: stop signal drains (finishes or releases in-flight) by the deadline', async () => {
  const name = await activeInbox('stop', 6);
  const controller = new AbortController();
  let started = 0;
  const running = inbox.consume(name, async (m, ctx) => {
    started += 1;
    if (started === 1) controller.abort();
    if (m.payload.seq % 2 === 0) return sleep(100); // finishes within the drain time
    await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve)); // never finishes by itself
    throw ctx.signal.reason;
  }, { signal: controller.signal, concurrency: 6, drainTimeoutMs: 500 });
  const t0 = performance.now();
  const stats = await running;
  assert.ok(performance.now() - t0 < 3000);
  assert.equal(stats.processed + stats.released, 6);
  assert.equal(stats.acked, stats.processed);
  assert.equal(stats.failed, 0, 'stopped handlers are released, not failures');
  const c = await emu.counters(name);
  assert.equal(c.acked + c.released, 6);
  assert.equal((await inbox.lease(name, { maxMessages: 10 })).results.length, 6 - c.acked);
});

test('consume: two consumers on one inbox never handle a message at the same time', async () => {
  const name = await activeInbox('pair', 300);
  const active = new Set();
  let overlaps = 0;
  let total = 0;
  const handler = async (m) => {
    if (active.has(m.id)) overlaps += 1;
    active.add(m.id);
    total += 1;
    await sleep(Math.random() * 5);
    active.delete(m.id);
    if (Math.random() < 0.1) throw new Error('flaky');
  };
  const options = { stopWhenEmpty: true, emptyBackoffMs: 20, maxMessages: 20, concurrency: 8 };
  const [a, b] = await Promise.all([inbox.consume(name, handler, options), inbox.consume(name, handler, options)]);
  assert.equal(overlaps, 0);
  assert.equal(a.acked + b.acked, 300);
  // A message failing four times (rare at 10%) is poison, acked unprocessed.
  assert.equal(a.processed + b.processed + a.poison + b.poison, 300);
  assert.ok(total >= 300);
  const c = await emu.counters(name);
  assert.equal(c.acked, 300);
  assert.equal(c.acked_twice, 0);
});

test('consume: invalid options and fatal errors reject with a TriggerInboxError carrying stats', async () => {
  await rejects(inbox.consume('x', () => {}, { leaseSeconds: 10, handlerTimeoutMs: 10_000 }), (e) => {
    assert.equal(e.code, 'invalid_argument');
  });
  await rejects(inbox.consume('x', 'not a function'), (e) => assert.equal(e.code, 'invalid_argument'));
  await rejects(inbox.consume(uniqueName('gone'), () => {}), (e) => {
    assert.equal(e.code, 'not_found');
    assert.equal(e.stats.leased, 0);
  });
});
