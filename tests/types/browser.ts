// Type tests of what moduleResolution bundler sees (the browser entries, the
// `default` condition of package.json "exports"): compiled with api.ts in the
// bundler project only (tests/types/types.test.mjs). The browser `triggerkit`
// is the validators and the filter; the Zendesk engine is in
// `triggerkit/zendesk` and the livechat runtime in `triggerkit/livechat`.
import * as tk from 'triggerkit';
import * as zendesk from 'triggerkit/zendesk';

export function browserTriggerkit(): void {
  // @ts-expect-error the browser triggerkit does not export compileZendeskTriggers (triggerkit/zendesk does)
  tk.compileZendeskTriggers;
  // @ts-expect-error nor the rule set class
  tk.ZendeskRuleSet;
  // @ts-expect-error nor the livechat runtime (triggerkit/livechat has it)
  tk.LivechatTriggers;
  // @ts-expect-error nor the clients (triggerkit/clients has them)
  tk.TriggerInboxClient;
  const engine: typeof zendesk.compileZendeskTriggers = zendesk.compileZendeskTriggers;
  void engine;
  // @ts-expect-error triggerkit/zendesk has no livechat runtime either
  zendesk.LivechatTriggers;
}
