// The local API emulator for the Node tests and the benchmark: uses
// TRIGGERKIT_EMULATOR_URL when set (scripts/test.sh starts one), otherwise
// starts target/debug/triggerkit-emulator on port 0 (building it with cargo
// when missing) and stops it afterwards. Also: the admin API calls
// (publish, faults, counters, message dump), a fetch counter and a
// rejection check.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';

export const DEV_TOKEN = 'triggerkit-dev-token';
export const DEV_CLIENT_ID = 'triggerkit-dev-client';
export const DEV_CLIENT_SECRET = 'triggerkit-dev-secret';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The emulator binary, built when missing (`release` for the benchmark). */
export function emulatorBinary({ release = false } = {}) {
  const bin = `${root}target/${release ? 'release' : 'debug'}/triggerkit-emulator`;
  if (!existsSync(bin)) {
    const args = ['build', '-q', '-p', 'triggerkit-emulator', ...(release ? ['--release'] : [])];
    const r = spawnSync('cargo', args, { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`cargo ${args.join(' ')} failed`);
  }
  return bin;
}

/**
 * Starts an emulator (or returns the shared one). `private: true` always
 * starts one (for tests that change global state such as the clock).
 */
export async function startEmulator({ private: own = false, release = false, args = [] } = {}) {
  const shared = process.env.TRIGGERKIT_EMULATOR_URL;
  if (shared && !own) return new Emulator(shared.replace(/\/$/, ''), null);
  const child = spawn(emulatorBinary({ release }), ['--port', '0', '--initializing-ms', '150', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the emulator did not print its URL')), 20_000);
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
  return new Emulator(url, child);
}

export class Emulator {
  constructor(url, child) {
    this.url = url;
    this.child = child;
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  async admin(method, path, body) {
    const r = await fetch(`${this.url}/_admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`admin ${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  /** Publishes `count` generated messages (or explicit `messages`). */
  publish(inbox, body) {
    return this.admin('POST', `/inboxes/${inbox}/publish`, body);
  }

  /** Sets faults; always scoped to one inbox's paths so other suites are untouched. */
  faults(inbox, config) {
    return this.admin('PUT', '/faults', { path_prefix: `/trigger-inbox/api/v1/inboxes/${inbox}/`, ...config });
  }

  clearFaults() {
    return this.admin('DELETE', '/faults');
  }

  /** The counters of one inbox. */
  async counters(inbox) {
    const all = await this.admin('GET', '/counters');
    return all.inboxes[inbox];
  }

  /** Every message of the inbox with its status and ack_count. */
  async messages(inbox) {
    return (await this.admin('GET', `/inboxes/${inbox}/messages`)).results;
  }
}

/** An inbox name no other test uses. */
export function uniqueName(prefix) {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The body of a Slack channel inbox on the emulator's catalog. */
export function slackInbox(connection = 'slack-conn-1') {
  return { app: 'slack', action: 'channel_message', connection, inputs: { channel: 'C0123ABC456' } };
}

/**
 * Wraps the global fetch (which the wasm client calls) to count requests
 * by method and path suffix, and to let a test delay or inspect them.
 */
export function countFetch({ before, after } = {}) {
  const original = globalThis.fetch;
  const counts = new Map();
  globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    const key = `${request.method} ${path.replace(/^.*\/inboxes\/[^/]+\//, '')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (before) await before(request, path);
    const response = await original(input, init);
    if (after) await after(request, path);
    return response;
  };
  return {
    counts,
    get: (key) => counts.get(key) ?? 0,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

/** Awaits `promise`, which must reject with an Error named `name`; runs `check` on it. */
export async function rejects(promise, name, check) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof Error, 'rejects with an Error');
  assert.equal(error.name, name);
  check(error);
  return error;
}
