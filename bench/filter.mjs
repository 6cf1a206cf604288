// Filter benchmark: one Node process loads the built package (pkg/),
// compiles a few realistic filters and evaluates a batch of generated
// events with evaluateMany, from a JS array and from JSON text, and with
// one evaluate call per event; then the JSON text as UTF-8 bytes (a
// Uint8Array, as read from a file or a fetch body). Prints evaluations per
// second.
// Usage: bash scripts/build.sh && node bench/filter.mjs [events]
// (TRIGGERKIT_PKG=<dir> benchmarks another build of the package;
// TRIGGERKIT_BUILD=web the browser build of `triggerkit`, pkg/web, instead
// of the Node build).
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

// The Node entry (initialized at import) of the package in pkg/ or
// $TRIGGERKIT_PKG, or its browser build initialized from the wasm file.
const pkg = process.env.TRIGGERKIT_PKG ?? new URL('../pkg', import.meta.url).pathname;
const build = process.env.TRIGGERKIT_BUILD ?? 'node';
if (build !== 'node' && build !== 'web') throw new Error(`TRIGGERKIT_BUILD must be node or web, not ${build}`);
const tk = await import(pathToFileURL(resolve(pkg, build === 'node' ? 'node/triggerkit.mjs' : 'web/triggerkit.js')).href);
if (build === 'web') await tk.default({ module_or_path: readFileSync(resolve(pkg, 'web/triggerkit_bg.wasm')) });
console.log(`build: ${build} (${pkg})`);

const COUNT = Number(process.argv[2] ?? 100_000);

// Deterministic generator (xorshift) so every run sees the same data.
let seed = 0x2545f491;
const rand = () => {
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const events = [];
for (let i = 0; i < COUNT; i++) {
  events.push({
    event: {
      name: pick(['purchase', 'signup', 'refund']),
      properties: {
        plan: pick(['free', 'pro', 'team', 'enterprise']),
        amount: Math.floor(rand() * 500),
        currency: pick(['EUR', 'USD']),
        items: Math.floor(rand() * 5),
        coupon: rand() < 0.2 ? 'SPRING' : null,
      },
    },
    customer: { id: `cus_${i}`, email: `user${i}@${pick(['example.com', 'corp.io'])}`, country: pick(['FR', 'DE', 'US']) },
    customer_id: `cus_${i}`,
  });
}
const text = JSON.stringify(events);

const filters = [
  'event.properties.plan == "pro" && event.properties.amount > 100',
  'event.name == "purchase" && event.properties.plan in ["pro", "team"] && customer.country != "US"',
  'has(event.properties.coupon) && event.properties.coupon != null && customer.email.endsWith("@corp.io")',
  'customer.email.matches("^user[0-9]+@example\\\\.com$") || event.properties.amount >= 450',
];

// Times are CPU seconds of this process (process.cpuUsage), not wall
// time, so a busy shared machine distorts them less.
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const time = (fn) => {
  fn(); // warm up
  const runs = 3;
  let best = Infinity;
  let result;
  for (let r = 0; r < runs; r++) {
    const t0 = cpuSeconds();
    result = fn();
    best = Math.min(best, cpuSeconds() - t0);
  }
  return { seconds: best, result };
};
const rate = (n, s) => `${(n / s / 1e6).toFixed(2)} M/s`.padStart(10);

console.log(`filter benchmark: ${COUNT} events, ${(text.length / 1e6).toFixed(1)} MB of JSON; best of 3 runs, per CPU second`);
// A machine-independent yardstick: V8's own JSON.parse of the same text.
const parse = time(() => JSON.parse(text));
console.log(`reference: JSON.parse of the same text ${rate(COUNT, parse.seconds)} events`);
console.log('evaluateMany(JSON text) | evaluateMany(array) | evaluate() per event | matches | filter');
for (const expr of filters) {
  const f = tk.compileFilter(expr);
  const fromText = time(() => f.evaluateMany(text));
  const fromArray = time(() => f.evaluateMany(events));
  const single = time(() => events.map((e) => f.evaluate(e)));
  const same = JSON.stringify(fromText.result) === JSON.stringify(fromArray.result)
    && JSON.stringify(fromText.result) === JSON.stringify(single.result);
  if (!same) throw new Error(`results differ between input paths for ${expr}`);
  const hits = fromText.result.filter(Boolean).length;
  console.log(`${rate(COUNT, fromText.seconds)}              | ${rate(COUNT, fromArray.seconds)}          | ${rate(COUNT, single.seconds)}           | ${String(hits).padStart(6)}  | ${expr}`);
  f.free();
}
// The same text as UTF-8 bytes (what a file read or a fetch body gives):
// no string copy into wasm, only the byte copy and its UTF-8 check.
const bytes = new TextEncoder().encode(text);
console.log('evaluateMany(Uint8Array of the JSON text) | filter');
for (const expr of filters) {
  const f = tk.compileFilter(expr);
  const fromBytes = time(() => f.evaluateMany(bytes));
  const fromText = f.evaluateMany(text);
  if (JSON.stringify(fromBytes.result) !== JSON.stringify(fromText)) throw new Error(`bytes and text differ for ${expr}`);
  console.log(`${rate(COUNT, fromBytes.seconds)}                              | ${expr}`);
  f.free();
}
