// Seeded random Zendesk triggers and ticket updates for the rule-engine
// tests: every kind of action, and text with non-ASCII, astral characters
// and (optionally) lone surrogates, in read and unread members.
// fixtures/rules-eager.json holds what the eager implementation (commit
// 9b89b4c, whose results were parsed up front) returned for
// `evaluateMany(JSON.stringify(makeUpdates(FIXTURE_SEED, FIXTURE_COUNT)))`;
// changing this file changes those updates, so regenerate the fixture only
// from a build known to be right.

export const FIXTURE_SEED = 20241125;
export const FIXTURE_COUNT = 80;

// A linear congruential generator: plenty for test data.
function lcg(seed) {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 4294967296;
  };
}

const WORDS = ['refund', 'Refund', 'urgent', 'ärger', '日本', 'größe', '🎉', 'party🎉', 'naïve', 'x',
  '\u{10348}', 'help', 'é', '"quoted"', 'back\\slash', 'line\nbreak', 'tab\t', 'ǅ', 'İstanbul'];
const TAGS = ['vip', 'VIP', 'größe', '日本', '🎉tag', 'billing', 'seen', 'x'];
const STATUS = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'odd'];

const c = (field, operator, value) => ({ field, operator, value });
const trigger = (id, all, any, actions) => ({ id, title: `t${id}`, position: id, conditions: { all, any }, actions });

export const triggers = [
  trigger(1, [c('status', 'less_than', 'pending')],
    [c('current_tags', 'includes', 'vip 🎉tag'), c('subject_includes_word', 'includes', 'refund 日本')],
    [{ field: 'current_tags', value: 'seen größe' }, { field: 'notification_webhook', value: ['1', '{"t": "🎉"}'] }]),
  trigger(2, [c('current_tags', 'includes', 'seen')], [],
    [{ field: 'notification_user', value: ['requester_id', 'Subj ärger', 'Body \u{10348}'] }]),
  trigger(3, [c('status', 'changed', null), c('priority', 'is', 'urgent')], [],
    [{ field: 'priority', value: 'high' }, { field: 'custom_fields_100', value: 'platinum' }]),
  trigger(4, [c('comment_includes_word', 'includes', 'urgent 🎉')], [],
    [{ field: 'status', value: 'open' }, { field: 'remove_tags', value: 'vip' },
      { field: 'satisfaction_score', value: 'offered_to_requester' }]),
  trigger(5, [c('requester.custom_fields.plan', 'is', 'premium')], [],
    [{ field: 'set_tags', value: 'premium 日本' }, { field: 'group_id', value: '7' }]),
  trigger(6, [c('custom_fields_101', 'is', true)], [],
    [{ field: 'notification_group', value: ['7', 's', 'b'] }]),
];

export function makeUpdates(seed, count, { loneSurrogates = true } = {}) {
  const rand = lcg(seed);
  const below = (n) => Math.floor(rand() * n);
  const pick = (list) => list[below(list.length)];
  const chance = (p) => rand() < p;
  const text = (n) => {
    const s = Array.from({ length: n }, () => pick(WORDS)).join(' ');
    // A cut emoji: a lone surrogate, as JS strings may hold.
    return loneSurrogates && chance(0.1) ? `${s} \uD83C` : s;
  };
  const ticket = () => {
    const t = {};
    if (chance(0.7)) t.description = text(6);
    t.id = below(100000);
    t.status = pick(STATUS);
    if (chance(0.6)) t.priority = pick(['low', 'normal', 'high', 'urgent']);
    if (chance(0.85)) t.tags = Array.from({ length: below(4) }, () => pick(TAGS));
    t.subject = text(4);
    if (chance(0.7)) t.custom_fields = [{ id: 100, value: pick(['gold', 'Gold', 'silver', '日本']) }, { id: 101, value: chance(0.5) }];
    if (chance(0.2)) t.fields = [{ id: 100, value: 'gold' }];
    if (chance(0.3)) t.satisfaction_rating = { score: pick(['unoffered', 'good', 'bad']), id: 5 };
    t.via = { channel: pick(['email', 'web', 'api']), source: { from: { name: 'Zoë 🎉' } } };
    if (chance(0.5)) t.group_id = below(3) + 1;
    t['ключ'] = text(3);
    return t;
  };
  return Array.from({ length: count }, () => {
    const u = {};
    if (chance(0.3)) u.note = text(3);
    const t = ticket();
    if (chance(0.6)) u.previous = { ...t, status: pick(STATUS) };
    u.ticket = t;
    if (chance(0.7)) u.comment = { body: text(5), public: chance(0.8) };
    if (chance(0.3)) u.requester = { user_fields: { plan: pick(['premium', 'free']), other: '🎉' }, locale_id: 1 };
    return u;
  });
}
