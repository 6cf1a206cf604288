// Seeded generator of the Zendesk benchmark data: Zendesk-style triggers
// (3 to 5 conditions, about 30% with an `any` block, side-effect actions
// only) and ticket updates, from one PRNG. bench/rules.mjs and bench/cli.mjs
// share it, so both run on the same kind of data; a generator made with the
// same seed yields the same triggers and updates when used in the same order
// (triggers first).

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const STATUS = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITY = ['low', 'normal', 'high', 'urgent'];
const TYPES = ['question', 'incident', 'problem', 'task'];
const GROUPS = [101, 102, 103, 104, 105, 106];
const AGENTS = Array.from({ length: 20 }, (_, i) => 201 + i);
const ORGS = Array.from({ length: 15 }, (_, i) => 301 + i);
const PLANS = ['basic', 'pro', 'enterprise'];
const CHANNELS = [['email', 4], ['web', 0], ['api', 5], ['chat', 29]];
const TAGS = ['vip', 'billing', 'refund', 'bug', 'feature', 'enterprise', 'trial', 'churn_risk',
  'mobile', 'web', 'api', 'sso', 'invoice', 'outage', 'security', 'gdpr', 'onboarding',
  'upgrade', 'spam', 'partner', 'beta', 'escalated', 'followup', 'legal', 'returns'];
const WORDS = ['refund', 'order', 'cancel', 'invoice', 'payment', 'login', 'password', 'error',
  'crash', 'slow', 'broken', 'help', 'urgent', 'account', 'upgrade', 'plan', 'charge',
  'delivery', 'missing', 'damaged', 'return', 'question', 'feature', 'bug', 'api', 'sso',
  'export', 'report', 'delete', 'privacy', 'security', 'outage', 'timeout', 'mobile', 'email'];
const FILLER = ['my', 'the', 'is', 'not', 'please', 'with', 'for', 'a', 'on', 'again', 'why'];

/**
 * A generator seeded with `seed`: `makeTrigger(i)` (trigger i, id 9000 + i)
 * and `makeUpdate()` (the next ticket update), drawing from one sequence.
 */
export function zendeskBenchData(seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => rand() < p;
  const some = (list, min, max) => {
    const n = min + int(max - min + 1);
    const out = new Set();
    while (out.size < n) out.add(pick(list));
    return [...out];
  };

  function text(min, max) {
    const words = Array.from({ length: min + int(max - min + 1) }, () => (chance(0.6) ? pick(WORDS) : pick(FILLER)));
    const s = words.map((w) => (chance(0.2) ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
    return s + pick(['', '!', '?', ` #${int(9999)}`, '...']);
  }

  function makeTicket() {
    const [channel] = pick(CHANNELS);
    return {
      id: 1 + int(1e6),
      status: pick(STATUS),
      priority: chance(0.2) ? null : pick(PRIORITY),
      type: chance(0.25) ? null : pick(TYPES),
      group_id: chance(0.2) ? null : pick(GROUPS),
      assignee_id: chance(0.3) ? null : pick(AGENTS),
      requester_id: 1000 + int(5000),
      organization_id: chance(0.3) ? null : pick(ORGS),
      tags: some(TAGS, 0, 5),
      subject: text(3, 8),
      description: text(10, 30),
      custom_fields: [
        { id: 1001, value: chance(0.2) ? null : pick(PLANS) },
        { id: 1002, value: chance(0.5) },
        { id: 1003, value: chance(0.1) ? null : int(100) },
      ],
      via: { channel, source: { from: {}, to: {}, rel: null } },
      created_at: '2024-06-11T10:00:00Z',
      updated_at: '2024-06-11T10:05:00Z',
    };
  }

  function makeUpdate() {
    const ticket = makeTicket();
    const update = { ticket };
    if (chance(0.6)) {
      update.previous = { ...ticket, status: chance(0.5) ? pick(STATUS) : ticket.status };
    }
    if (chance(0.7)) update.comment = { body: text(8, 25), public: chance(0.8) };
    return update;
  }

  // One random condition, with its value drawn so the rule set matches a
  // useful share of tickets.
  function makeCondition() {
    const k = int(13);
    const op = (ops) => pick(ops);
    switch (k) {
      case 0: return { field: 'status', operator: op(['is', 'is_not', 'less_than', 'greater_than']), value: pick(STATUS) };
      case 1: return { field: 'priority', operator: op(['is', 'is_not', 'less_than', 'greater_than']), value: pick(['', ...PRIORITY]) };
      case 2: return { field: 'type', operator: op(['is', 'is_not']), value: pick(['', ...TYPES]) };
      case 3: return { field: 'group_id', operator: op(['is', 'is_not', 'is_not']), value: chance(0.2) ? '' : String(pick(GROUPS)) };
      case 4: return { field: 'assignee_id', operator: op(['is', 'is_not']), value: chance(0.6) ? '' : String(pick(AGENTS)) };
      case 5: return { field: 'organization_id', operator: op(['is_not', 'is_not', 'is']), value: String(pick(ORGS)) };
      case 6: return { field: 'current_tags', operator: op(['includes', 'not_includes']), value: some(TAGS, 1, 3).join(' ') };
      case 7: return { field: 'subject_includes_word', operator: op(['includes', 'not_includes']), value: some(WORDS, 1, 3).join(' ') };
      case 8: return { field: 'comment_includes_word', operator: op(['includes', 'not_includes']), value: some(WORDS, 1, 3).join(' ') };
      case 9: {
        const c = int(3);
        if (c === 0) return { field: 'custom_fields_1001', operator: op(['is', 'is_not']), value: pick(PLANS) };
        if (c === 1) return { field: 'custom_fields_1002', operator: 'is', value: chance(0.5) };
        return { field: 'custom_fields_1003', operator: op(['less_than', 'greater_than']), value: String(int(100)) };
      }
      case 10: return { field: 'via_id', operator: op(['is', 'is_not']), value: pick(CHANNELS)[1] };
      case 11: return { field: 'update_type', operator: 'is', value: pick(['Create', 'Change']) };
      default: return chance(0.5)
        ? { field: 'status', operator: 'changed' }
        : { field: 'status', operator: 'value', value: pick(STATUS) };
    }
  }

  function makeTrigger(i) {
    const count = 3 + int(3);
    const anyCount = chance(0.3) ? Math.min(count, 2 + int(2)) : 0;
    const conditions = Array.from({ length: count }, makeCondition);
    return {
      id: 9000 + i,
      title: `bench ${i}`,
      active: true,
      position: i + 1,
      conditions: { all: conditions.slice(anyCount), any: conditions.slice(0, anyCount) },
      // Side effects only, so the firing cycle fires exactly the matching
      // triggers, in order, and evaluate/evaluateMany do the same work.
      actions: [{ field: 'notification_webhook', value: [String(i), '{"ticket":"{{ticket.id}}"}'] }],
    };
  }

  return { makeTrigger, makeUpdate };
}
