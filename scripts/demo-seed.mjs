// What the demo puts on the local API emulator before serving: the
// Rocket.Chat livechat triggers of the sample host site (one per condition
// and action, plus a run-once one), their external service answering (the
// emulator's canned reply), and Zendesk triggers for the rules playground
// (the data is www/demo-data.js). Idempotent: a trigger whose name (title)
// is already there is left alone, so restarting the server against a
// running emulator adds nothing twice.

import { livechatTriggers, ORDER_SERVICE_URL, zendeskTriggers } from '../www/demo-data.js';

export const DEV_TOKEN = 'triggerkit-dev-token';

async function call(base, method, path, headers, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Seeds the emulator at `base`; returns what it added. */
export async function seed(base) {
  const rc = { 'x-auth-token': DEV_TOKEN, 'x-user-id': 'demo-admin' };
  const zd = { authorization: `Bearer ${DEV_TOKEN}` };
  const listed = await call(base, 'GET', '/api/v1/livechat/triggers?count=1000', rc);
  const names = new Set(listed.triggers.map((t) => t.name));
  const added = { livechat: 0, zendesk: 0 };
  for (const trigger of livechatTriggers.filter((t) => !names.has(t.name))) {
    await call(base, 'POST', '/api/v1/livechat/triggers', rc, trigger);
    added.livechat += 1;
  }
  // The service answers with the emulator's default reply (a page may have left it failing).
  await call(base, 'PUT', '/_admin/rocketchat/services', {}, { service_url: ORDER_SERVICE_URL });
  const titles = new Set((await call(base, 'GET', '/api/v2/triggers?per_page=100', zd)).triggers.map((t) => t.title));
  for (const trigger of zendeskTriggers.filter((t) => !titles.has(t.title))) {
    await call(base, 'POST', '/api/v2/triggers', zd, { trigger });
    added.zendesk += 1;
  }
  return added;
}
