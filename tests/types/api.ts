// Type tests of the packed package: compiled by tests/types/types.test.mjs with
// `tsc --strict --noEmit`, target ES2022 and skipLibCheck false, under
// moduleResolution bundler (as api.ts), node16 ESM (as api.mts) and node16
// CommonJS (as api.cts). Each `@ts-expect-error` line must be an error: if a
// type loosens (narrowing lost, an option accepting anything, `any`), the
// directive is unused and tsc fails. No top-level await: the same text is a
// CommonJS module under api.cts.
import init, {
  compileFilter,
  validateComposioTriggerInstance,
  validateRocketChatTrigger,
  validateZendeskTrigger,
  type Issue,
  type RocketChatTrigger,
  type ValidationResult,
  type ZendeskTrigger,
} from 'triggerkit';
import initZendesk, {
  compileZendeskTriggers,
  diffZendeskTriggerSets,
  lintZendeskTriggers,
  validateZendeskTrigger as validateZendeskTriggerToo,
  type ZendeskLintFinding,
} from 'triggerkit/zendesk';
import { TriggerInboxClient, ZendeskClient } from 'triggerkit/clients';
import * as livechat from 'triggerkit/livechat';
import type {} from 'triggerkit/livechat/embed.js';
import webWasm from 'triggerkit/web.wasm';
import zendeskWasm from 'triggerkit/zendesk.wasm';

/** True when T is `any` (which every type is assignable to and from). */
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T,>(_value: T, ..._proof: IsAny<T> extends true ? [never] : []): void => {};

export async function validation(): Promise<void> {
  await init();
  const result = validateRocketChatTrigger({ name: 'x' });
  notAny(result);
  // Before narrowing, the value may be missing.
  // @ts-expect-error value is RocketChatTrigger | undefined here
  const early: RocketChatTrigger = result.value;
  void early;
  if (result.valid) {
    const value: RocketChatTrigger = result.value;
    const name: string = value.name;
    void name;
  } else {
    const errors: Issue[] = result.errors;
    void errors;
    // @ts-expect-error an invalid result has no value
    const missing: RocketChatTrigger = result.value;
    void missing;
  }
  const zendesk: ValidationResult<ZendeskTrigger> = validateZendeskTrigger({}, null);
  if (zendesk.valid) {
    const title: string = zendesk.value.title;
    void title;
  }
  // @ts-expect-error `valid: true` needs a value
  const bad: ValidationResult<string> = { valid: true, errors: [], warnings: [] };
  void bad;
  // @ts-expect-error definitions are a definitions document, not a number
  validateZendeskTrigger({}, 42);
  // @ts-expect-error configSchema is an object
  validateComposioTriggerInstance({}, 'schema');
}

export function engines(): void {
  // triggerkit/zendesk has the validators too, with the same types.
  const same: typeof validateZendeskTrigger = validateZendeskTriggerToo;
  void same;
  const rules = compileZendeskTriggers([]);
  const [first] = rules.evaluateMany([{ ticket: { status: 'open' } }]);
  notAny(first);
  if (first) {
    const fired: number[] = first.fired;
    void fired;
  }
  const filter = compileFilter('event.name == "x"');
  const matched: boolean = filter.evaluate({ event: { name: 'x' } });
  void matched;
  // @ts-expect-error a filter is compiled from a string
  compileFilter(42);
}

export function whyItFired(): void {
  const rules = compileZendeskTriggers([]);
  const trace = rules.explain({ ticket: { status: 'open' } });
  notAny(trace);
  for (const pass of trace.passes) {
    for (const trigger of pass.triggers) {
      const outcome: 'fired' | 'skipped' | 'not_matched' = trigger.outcome;
      void outcome;
      for (const condition of trigger.conditions.all) {
        const held: boolean = condition.held;
        void held;
      }
    }
  }
  // @ts-expect-error explain takes an update object or its JSON text
  rules.explain(42);
  const diff = diffZendeskTriggerSets([], { triggers: [] }, '[]');
  notAny(diff);
  const changed: number = diff.summary.changed;
  void changed;
  for (const change of diff.changes) {
    const before: number[] = change.firedBefore;
    void before;
  }
  // @ts-expect-error updates are an array, JSON text or bytes
  diffZendeskTriggerSets([], [], 42);
  const findings: ZendeskLintFinding[] = lintZendeskTriggers([], null);
  for (const finding of findings) {
    // @ts-expect-error severity is error, warning or info
    const high: 'critical' = finding.severity;
    void high;
    // @ts-expect-error the code is one of the documented codes
    const code: 'no_such_code' = finding.code;
    void code;
  }
  // @ts-expect-error triggers are an array or a List Triggers page
  lintZendeskTriggers(42);
}

export function clients(): void {
  const inbox = new TriggerInboxClient({ token: () => Promise.resolve('t') });
  notAny(inbox);
  // @ts-expect-error the token is a string or a function returning one
  new TriggerInboxClient({ token: 42 });
  new ZendeskClient({ baseUrl: 'https://example.zendesk.com', oauthToken: 't' });
  // @ts-expect-error Zendesk needs credentials
  new ZendeskClient({ baseUrl: 'https://example.zendesk.com' });
}

export async function widget(): Promise<void> {
  await livechat.init();
  const runtime = new livechat.LivechatTriggers([], {
    onAction(action) {
      if (action.type === 'send-message') {
        const text: string = action.msg;
        void text;
      }
    },
  });
  runtime.start();
  runtime.chatOpened();
  // @ts-expect-error onAction is required
  new livechat.LivechatTriggers([], {});
  const list = await livechat.fetchLivechatTriggers('https://chat.example.com');
  const triggers: RocketChatTrigger[] = list.triggers;
  void triggers;
  const engine = new livechat.LivechatEngine([]);
  const step = engine.start('https://example.com/', 0);
  notAny(step);
  for (const entry of engine.explain(0)) {
    if (entry.status === 'pending') {
      for (const wait of entry.waiting) {
        if (wait.condition === 'time-on-site') {
          const left: number = wait.remainingMs;
          void left;
        }
      }
    } else if (entry.status === 'invalid') {
      const code: string = entry.code;
      void code;
    }
    // @ts-expect-error firedAt exists only on fired entries
    entry.firedAt;
  }
  const now: livechat.LivechatExplanation[] = runtime.explain();
  void now;
  // @ts-expect-error the livechat entry has no Zendesk engine
  livechat.compileZendeskTriggers;
}

export async function bundled(): Promise<void> {
  // esbuild's file loader: the wasm's path, turned into a URL for init().
  await init({ module_or_path: new URL(webWasm, 'https://example.com/app.js') });
  await initZendesk({ module_or_path: new URL(zendeskWasm, 'https://example.com/app.js') });
  // @ts-expect-error the wasm subpath is a URL string, not a module
  webWasm.instance;
  // @ts-expect-error the wasm subpath is a URL string, not a module
  zendeskWasm.instance;
}

export async function embed(): Promise<void> {
  const { LivechatTriggers, fetchLivechatTriggers } = await globalThis.TriggerkitLivechat.ready;
  const { triggers } = await fetchLivechatTriggers('https://chat.example.com');
  new LivechatTriggers(triggers, { onAction: () => {} });
  // @ts-expect-error ready is a promise of the module, not the module
  globalThis.TriggerkitLivechat.LivechatTriggers;
}
