// Drains BENCH_MESSAGES (default 10000) messages from the local emulator
// twice in one Node process: with `consume`, and with a straight JS port of
// the seed's reference loop (lease, one ack call per message, the same
// empty-inbox backoff). Prints messages per second for both, the ratio and
// the client CPU per message (process.cpuUsage).
//
//   bash scripts/build.sh && node bench/inbox.mjs
//   BENCH_LATENCY_MS=20 node bench/inbox.mjs   # every API call takes 20 ms more
//
// Uses TRIGGERKIT_EMULATOR_URL when set, else starts the release emulator.
import tk from '../tests/node/load.mjs';
import { startEmulator, uniqueName, slackInbox, DEV_TOKEN } from '../tests/node/emulator.mjs';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 0);

const emu = await startEmulator({ private: true, release: true });
const client = new tk.TriggerInboxClient({ baseUrl: emu.url, token: DEV_TOKEN });

async function prepare() {
  const name = uniqueName('bench');
  await client.upsertInbox(name, slackInbox());
  await client.waitUntilActive(name);
  await emu.publish(name, { count: MESSAGES, seed: 1 });
  if (LATENCY > 0) await emu.faults(name, { latency_min_ms: LATENCY, latency_max_ms: LATENCY });
  return name;
}

/** Runs `drain` and measures wall time and this process's CPU time. */
async function measure(label, drain) {
  const name = await prepare();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const handled = await drain(name);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const counters = await emu.counters(name);
  if (handled !== MESSAGES || counters.acked !== MESSAGES) {
    throw new Error(`${label}: handled ${handled}, acked ${counters.acked} of ${MESSAGES}`);
  }
  await emu.clearFaults();
  return {
    label,
    seconds,
    perSecond: MESSAGES / seconds,
    cpuMicrosPerMessage: (cpu.user + cpu.system) / MESSAGES,
  };
}

// The handler both variants run: read the payload as the seed's loop does.
let sink = 0;
function handle(message) {
  const p = message.payload;
  sink += p.text.length + p.user.length + p.channel.length;
}

async function withConsume(name) {
  let handled = 0;
  const stop = new AbortController();
  await client.consume(name, (message) => {
    handle(message);
    handled += 1;
    if (handled === MESSAGES) stop.abort();
  }, {
    signal: stop.signal, maxMessages: 100, leaseConcurrency: 2, concurrency: 64, maxInFlight: 300,
    batchSize: 100, flushIntervalMs: 20, drainTimeoutMs: 5000,
  });
  return handled;
}

// The seed's Python loop, line by line in JS (requests -> fetch), ending
// once every message is handled instead of polling forever.
async function referenceLoop(name) {
  const BASE_URL = emu.url;
  const HEADERS = { Authorization: `Bearer ${DEV_TOKEN}`, 'Content-Type': 'application/json' };
  const post = async (path, body) => {
    const resp = await fetch(`${BASE_URL}/trigger-inbox/api/v1/inboxes/${name}/messages/${path}/`, {
      method: 'POST', headers: HEADERS, body: JSON.stringify(body),
    });
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    return resp.json();
  };
  let backoff = 5;
  const maxBackoff = 60;
  let handled = 0;
  while (handled < MESSAGES) {
    const messages = (await post('lease', { lease_seconds: 30 })).results ?? [];
    if (messages.length === 0) {
      await new Promise((r) => setTimeout(r, backoff * 1000));
      backoff = Math.min(backoff * 2, maxBackoff);
      continue;
    }
    backoff = 5;
    for (const message of messages) {
      const leaseToken = message.lease_token;
      try {
        handle(message);
        handled += 1;
        await post('ack', { lease_tokens: [leaseToken] });
      } catch (exc) {
        if (message.message_attributes.lease_count >= 4) {
          await post('ack', { lease_tokens: [leaseToken] });
        } else {
          await post('release', { lease_tokens: [leaseToken] });
        }
      }
    }
  }
  return handled;
}

try {
  const fast = await measure('consume', withConsume);
  const seed = await measure('reference loop', referenceLoop);
  const row = (r) => `${r.label.padEnd(15)} ${r.perSecond.toFixed(0).padStart(8)} msg/s  ${r.seconds.toFixed(2).padStart(7)} s  ${r.cpuMicrosPerMessage.toFixed(1).padStart(7)} us CPU/msg`;
  console.log(`${MESSAGES} messages, emulator latency ${LATENCY} ms per call, node ${process.version}`);
  console.log(row(fast));
  console.log(row(seed));
  console.log(`ratio           ${(fast.perSecond / seed.perSecond).toFixed(1)}x  (target >= 10x)`);
  if (sink < 0) console.log(sink);
} finally {
  await emu.stop();
}
