// Sample data of the demo, shared by the pages and by scripts/demo-seed.mjs
// (which puts the triggers on the local API emulator): the sample host
// site's livechat triggers, Zendesk triggers with a ticket update for the
// rules playground, and events for the filter playground.

/** The external service of the order-status trigger (answered by the emulator). */
export const ORDER_SERVICE_URL = 'https://orders.example.com/status';

const sendMessage = (msg, agentName) => agentName
  ? { name: 'send-message', params: { sender: 'custom', name: agentName, msg } }
  : { name: 'send-message', params: { sender: 'queue', msg } };

/** The host site's livechat triggers (Rocket.Chat POST /api/v1/livechat/triggers bodies). */
export const livechatTriggers = [
  {
    name: 'Welcome after 2 seconds on the home page',
    description: 'time-on-site: greets a visitor who stays on the home page',
    enabled: true, runOnce: false,
    conditions: [{ name: 'time-on-site', value: 2 }, { name: 'page-url', value: '/site/$' }],
    actions: [sendMessage('Hi there! Have a look around, we are here if you need us.', 'Ada')],
  },
  {
    name: 'Pricing questions',
    description: 'page-url: fires when the visitor reaches the pricing page',
    enabled: true, runOnce: false,
    conditions: [{ name: 'page-url', value: '/site/pricing' }],
    actions: [sendMessage('Comparing plans? Ask me anything about pricing.', 'Ada')],
  },
  {
    name: 'Chat opened',
    description: 'chat-opened-by-visitor: answers as soon as the window opens',
    enabled: true, runOnce: false,
    conditions: [{ name: 'chat-opened-by-visitor', value: null }],
    actions: [sendMessage('Thanks for reaching out! Tell us your name to start.')],
  },
  {
    name: 'After registration',
    description: 'after-guest-registration: thanks the visitor for the form',
    enabled: true, runOnce: false,
    conditions: [{ name: 'after-guest-registration', value: null }],
    actions: [sendMessage('You are registered. An agent will be with you shortly.', 'Ada')],
  },
  {
    name: 'Order status',
    description: 'use-external-service: the order system answers on the orders page',
    enabled: true, runOnce: false,
    conditions: [{ name: 'page-url', value: '/site/orders' }],
    actions: [{
      name: 'use-external-service',
      params: {
        sender: 'custom', name: 'Order bot', serviceUrl: ORDER_SERVICE_URL, serviceTimeout: 3000,
        serviceFallbackMessage: 'The order system is not answering right now. An agent will follow up.',
      },
    }],
  },
  {
    name: 'First visit coupon (run once)',
    description: 'runOnce: once per visitor, on any page of the site',
    enabled: true, runOnce: true,
    conditions: [{ name: 'page-url', value: '/site/' }],
    actions: [sendMessage('First time here? Use code HELLO10 for 10% off.')],
  },
];

const condition = (field, operator, value) => ({ field, operator, value });

/** Zendesk triggers for the rules playground (POST /api/v2/triggers bodies), in position order. */
export const zendeskTriggers = [
  {
    title: 'VIP tickets go to tier 2', position: 1,
    conditions: {
      all: [condition('status', 'less_than', 'solved')],
      any: [condition('current_tags', 'includes', 'vip enterprise'), condition('priority', 'is', 'urgent')],
    },
    actions: [
      { field: 'group_id', value: '42' },
      { field: 'priority', value: 'high' },
      { field: 'notification_webhook', value: ['9001', '{"ticket": "{{ticket.id}}"}'] },
    ],
  },
  {
    title: 'Refunds in tier 2 are escalated', position: 2,
    conditions: {
      all: [condition('group_id', 'is', '42'), condition('comment_includes_word', 'includes', 'refund chargeback')],
      any: [],
    },
    actions: [{ field: 'current_tags', value: 'refund_escalated' }, { field: 'status', value: 'open' }],
  },
  {
    title: 'Escalations notify the requester', position: 3,
    conditions: { all: [condition('current_tags', 'includes', 'refund_escalated')], any: [] },
    actions: [{ field: 'notification_user', value: ['requester_id', 'We are on it', 'A specialist has your refund request.'] }],
  },
  {
    title: 'Solved tickets get a survey', position: 4,
    conditions: { all: [condition('status', 'is', 'solved'), condition('status', 'changed', null)], any: [] },
    actions: [{ field: 'satisfaction_score', value: 'offered_to_requester' }],
  },
];

/** A ticket update for the rules playground: a VIP asks for a refund. */
export const sampleUpdate = {
  ticket: {
    id: 1042, status: 'new', priority: 'normal', tags: ['vip'], group_id: null,
    subject: 'Refund for order #1042', requester_id: 501,
  },
  comment: { body: 'Please refund my order: the jacket does not fit.', public: true },
};

/** Events for the filter playground (the data a Pocketflows filter sees). */
export const sampleEvents = [
  { event: { name: 'order.completed', properties: { plan: 'pro', amount: 150, country: 'DE' } }, customer: { email: 'ada@example.com', tags: ['vip'] } },
  { event: { name: 'order.completed', properties: { plan: 'free', amount: 20, country: 'US' } }, customer: { email: 'bob@example.com', tags: [] } },
  { event: { name: 'order.refunded', properties: { plan: 'pro', amount: 320, country: 'FR' } }, customer: { email: 'cy@example.com', tags: ['vip', 'beta'] } },
  { event: { name: 'signup', properties: { plan: 'pro' } }, customer: { email: 'dee@example.com', tags: ['beta'] } },
  { event: { name: 'order.completed', properties: { plan: 'pro', amount: '99', country: 'DE' } }, customer: { email: 'eve@example.com' } },
];

/** The filter the playground starts with. */
export const sampleFilter = 'event.name == "order.completed"\n  && event.properties.plan == "pro"\n  && event.properties.amount > 100';
