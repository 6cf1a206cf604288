// The sample host site: a single-page shop (links navigate with
// history.pushState, Contact is a full page load) that embeds the chat
// widget. Its triggers come from the emulator's Rocket.Chat config
// (fetchLivechatTriggers); the livechat runtime watches the page and says
// what to show; the side panel shows what the engine does.

import { mountChrome } from '../chrome.js';
import { h } from '../dom.js';
import { config, livechatFromEmbed } from '../tk.js';
import { EnginePanel } from './panel.js';
import { ChatWidget } from './widget.js';

mountChrome('/site/');

const $ = (id) => document.getElementById(id);

/** The shop's pages, by path: a heading and paragraphs. */
const PAGES = {
  '/site/': ['Gear for every trail', 'Jackets, boots and packs tested in the mountains by our own team.',
    'Stay a moment: the home page greets visitors after two seconds.'],
  '/site/pricing': ['Membership plans', 'Trail: free shipping over $50. Summit: free shipping and returns, $29 a year.',
    'The pricing page has its own trigger, which fires when you get here without a page load.'],
  '/site/orders': ['Your orders', 'Order #1042: shipped.',
    'This page asks the order system (an external service behind the chat server) for a status.'],
  '/site/contact': ['Contact us', 'Write to help@northwind.example or use the chat.',
    'This page was a full page load: the runtime started again, remembering the visit and run-once triggers.'],
};

const article = $('host-page');

function renderPage() {
  const [title, ...paragraphs] = PAGES[location.pathname] ?? ['Not found', 'There is no such page on this sample site.'];
  article.replaceChildren(h('h2', { textContent: title }), ...paragraphs.map((text) => h('p', { textContent: text })));
  document.title = `${title} · Northwind Outfitters · triggerkit`;
  for (const a of document.querySelectorAll('.host-bar a')) {
    if (a.pathname === location.pathname) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

const panel = new EnginePanel({
  status: $('engine-status'), source: $('engine-source'), nextWake: $('next-wake'),
  explain: $('explain'), events: $('events'),
});

// Site links move with pushState; the runtime sees that by itself.
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-spa]') : null;
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (link.pathname !== location.pathname) {
    history.pushState(null, '', link.href);
    panel.event('navigate', `${link.pathname} (history.pushState)`);
  }
  renderPage();
  article.focus();
});
window.addEventListener('popstate', () => {
  panel.event('navigate', `${location.pathname} (back/forward)`);
  renderPage();
});
renderPage();

/** The visitor's storage: localStorage under one prefix, so a reset can clear it. */
const PREFIX = 'northwind-chat:';
const storage = {
  getItem: (key) => localStorage.getItem(PREFIX + key),
  setItem: (key, value) => localStorage.setItem(PREFIX + key, value),
};

function visitorToken() {
  let token = storage.getItem('visitor-token');
  if (!token) {
    token = `visitor-${crypto.randomUUID()}`;
    storage.setItem('visitor-token', token);
  }
  return token;
}

function forgetVisitor() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}

let runtime = null;
let triggers = [];

const widget = new ChatWidget($('chat'), {
  onOpen() {
    panel.event('chat', 'opened by the visitor');
    runtime?.chatOpened();
  },
  onRegister(guest) {
    panel.event('chat', `guest registered: ${guest.name}`);
    runtime?.guestRegistered();
  },
});

/** Fallback text of a trigger's external service, to label fallback messages. */
function fallbackOf(triggerId) {
  const action = triggers.find((t) => t._id === triggerId)?.actions.find((a) => a.name === 'use-external-service');
  return action?.params.serviceFallbackMessage;
}

function onAction(action) {
  panel.actionSeen(action.triggerId);
  const number = panel.number(action.triggerId);
  if (action.type !== 'send-message') {
    panel.event('action', `trigger #${number}: ${action.type}`);
    return;
  }
  const fallback = action.msg === fallbackOf(action.triggerId);
  widget.add({
    from: action.sender === 'custom' ? action.agentName ?? 'Agent' : 'Support',
    text: action.msg,
    triggerId: action.triggerId,
    note: fallback ? 'fallback: the external service call failed' : undefined,
  });
  panel.event('action', `trigger #${number}: send-message${fallback ? ' (the service fallback)' : ''}`);
}

function startRuntime(livechat, serverUrl) {
  runtime = new livechat.LivechatTriggers(triggers, {
    onAction,
    storage,
    externalService: { serverUrl, token: visitorToken() },
  });
  panel.event('start', `page view at ${location.pathname}`);
  document.body.dataset.startedAt = String(Date.now());
  runtime.start();
}

function refreshPanel() {
  let explanation = null;
  if (runtime && typeof runtime.explain === 'function') {
    try {
      explanation = runtime.explain();
    } catch (error) {
      panel.event('error', `explain() failed: ${error.message}`);
    }
  }
  panel.render(explanation);
}

async function setServiceMode(emulatorUrl, mode) {
  const serviceUrl = triggers.flatMap((t) => t.actions).find((a) => a.name === 'use-external-service')?.params.serviceUrl;
  if (!serviceUrl) return;
  const body = { service_url: serviceUrl, ...{ ok: {}, error: { status: 503, body: 'Service Unavailable' }, slow: { delay_ms: 5000 } }[mode] };
  const response = await fetch(`${emulatorUrl}/_admin/rocketchat/services`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  panel.event('service', response.ok ? `order service now ${$('service-mode').selectedOptions[0].textContent}` : `could not change the service: HTTP ${response.status}`);
}

async function main() {
  const { emulatorUrl } = await config();
  if (!emulatorUrl) {
    panel.setStatus('failed', 'No emulator');
    panel.setSource('The local API emulator is not running, so there are no triggers: start the demo with scripts/demo.sh.');
    return;
  }
  let livechat;
  try {
    const loaded = await livechatFromEmbed($('triggerkit-embed'));
    livechat = loaded.module;
    panel.setSource(loaded.viaEmbed
      ? `Widget build loaded by the embed snippet; triggers from ${emulatorUrl}/api/v1/livechat/config.`
      : `The embed script did not load, so the livechat module was imported instead; triggers from ${emulatorUrl}/api/v1/livechat/config.`);
  } catch (error) {
    panel.setStatus('failed', 'Not loaded');
    panel.setSource(`The livechat build did not load: ${error.message}`);
    return;
  }
  try {
    const list = await livechat.fetchLivechatTriggers(emulatorUrl);
    triggers = list.triggers;
    panel.setTriggers(list.triggers, list.invalid);
  } catch (error) {
    panel.setStatus('failed', 'No triggers');
    panel.setSource(`fetchLivechatTriggers failed: ${error.code ?? error.name}: ${error.message}`);
    return;
  }
  const mode = $('service-mode');
  mode.value = 'ok';
  await setServiceMode(emulatorUrl, 'ok');
  mode.addEventListener('change', () => setServiceMode(emulatorUrl, mode.value));
  $('reset-visitor').addEventListener('click', () => {
    runtime?.stop();
    forgetVisitor();
    widget.reset();
    panel.reset();
    panel.event('reset', 'visitor storage cleared: a new visitor');
    startRuntime(livechat, emulatorUrl);
    refreshPanel();
  });
  startRuntime(livechat, emulatorUrl);
  panel.setStatus('valid', `${triggers.length} triggers`);
  document.body.dataset.livechat = 'ready';
  refreshPanel();
  setInterval(refreshPanel, 250);
}

main();
