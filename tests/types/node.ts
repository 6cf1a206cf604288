// Type tests of what Node's resolution (node16, ESM and CommonJS) sees:
// compiled with api.ts in the node16 projects only (tests/types/types.test.mjs).
// Under Node, `triggerkit` keeps everything, and `triggerkit/zendesk` is the
// same API as the main entry's.
import * as tk from 'triggerkit';
import * as zendesk from 'triggerkit/zendesk';

export function nodeTriggerkit(): void {
  const engine: typeof zendesk.compileZendeskTriggers = tk.compileZendeskTriggers;
  const same: typeof tk.compileZendeskTriggers = zendesk.compileZendeskTriggers;
  const runtime: typeof tk.LivechatTriggers = tk.LivechatTriggers;
  const client: typeof tk.TriggerInboxClient = tk.TriggerInboxClient;
  void engine;
  void same;
  void runtime;
  void client;
  // @ts-expect-error triggerkit/zendesk has no livechat runtime
  zendesk.LivechatTriggers;
}
