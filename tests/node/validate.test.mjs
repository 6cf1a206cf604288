import { test } from 'node:test';
import assert from 'node:assert/strict';
import tk from './load.mjs';

const seed = {
  name: 'api-trigger',
  description: 'testing create trigger endpoint',
  enabled: 'false',
  runOnce: 'true',
  conditions: [{ name: 'chat-opened-by-visitor', value: '0' }],
  actions: [{ name: 'send-message', params: { sender: 'queue', msg: 'hello world' } }],
};

test('hostile inputs never throw', () => {
  const cyclic = {}; cyclic.self = cyclic;
  let deep = {}; const root = deep;
  for (let i = 0; i < 10000; i++) { deep.a = {}; deep = deep.a; }
  const inputs = [undefined, null, 1, 'x', [], cyclic, root, () => 1, 10n, new Map(), 'x'.repeat(10_000_000), Symbol('s')];
  for (const input of inputs) {
    for (const fn of [tk.validateRocketChatTrigger, tk.validateZendeskTrigger, tk.validatePocketflowsTrigger,
      tk.validateComposioTriggerInstance, tk.validateZapierInbox]) {
      const r = fn(input);
      assert.equal(r.valid, false);
      assert.ok(r.errors.length > 0);
      for (const e of r.errors) assert.equal(typeof e.code, 'string');
    }
  }
});

test('rocketChatErrorText is null for a valid result', () => {
  const r = tk.validateRocketChatTrigger({ ...seed, enabled: false, runOnce: true });
  assert.equal(tk.rocketChatErrorText(r), null);
});
