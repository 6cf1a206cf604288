// In-page benchmark of livechat navigation latency, loaded by page.html.
// Exposes window.runBench(), which run.mjs calls through playwright-core.
// The widget build (triggerkit/livechat): in browsers, the one entry with the
// livechat runtime.
const tk = await import('/pkg/livechat/triggerkit_livechat.js');
await tk.default();

// A realistic mix: 40% page-url (literal paths and regexes), 30%
// time-on-site, 20% chat-opened + page-url, 10% after-guest-registration.
function makeTriggers(n) {
  const triggers = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    let conditions;
    if (kind < 4) {
      const patterns = [
        `/products/${i}`,
        `^https://shop\\.example/(cart|checkout)/${i}$`,
        `/blog/\\d{4}/post-${i}`,
        `[?&]campaign=c${i}(&|$)`,
      ];
      conditions = [{ name: 'page-url', value: patterns[kind] }];
    } else if (kind < 7) {
      conditions = [{ name: 'time-on-site', value: i }];
    } else if (kind < 9) {
      conditions = [{ name: 'chat-opened-by-visitor', value: null }, { name: 'page-url', value: `/support/${i}` }];
    } else {
      conditions = [{ name: 'after-guest-registration', value: null }];
    }
    triggers.push({
      _id: `t${i}`, name: `t${i}`, description: '', enabled: true, runOnce: i % 3 === 0, conditions,
      actions: [{ name: 'send-message', params: { sender: 'queue', msg: `message ${i}` } }],
    });
  }
  return triggers;
}

function makeUrls(n) {
  const urls = [];
  for (let k = 0; k < 64; k++) {
    const i = (k * 37) % n;
    urls.push(
      [`https://shop.example/products/${i}`, `https://shop.example/cart/${i + 1}`,
        `https://shop.example/blog/2024/post-${i + 2}`, `https://shop.example/?campaign=c${i + 3}&x=1`,
        `https://shop.example/support/${i}`][k % 5],
    );
  }
  return urls;
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
  return { p50: at(0.5), p95: at(0.95), mean, samples: sorted.length };
}

function measure(run, iterations) {
  for (let i = 0; i < 200; i++) run(i); // warm up
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    run(i);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

window.runBench = async (iterations = 3000) => {
  const results = [];
  for (const n of [100, 1000]) {
    const triggers = makeTriggers(n);
    const urls = makeUrls(n);
    const pick = (i) => urls[i % urls.length];

    const engine = new tk.LivechatEngine(triggers);
    if (engine.invalid.length) throw new Error(JSON.stringify(engine.invalid[0]));
    engine.start(pick(0), Date.now());
    results.push({ triggers: n, what: 'LivechatEngine.navigate', ...measure((i) => engine.navigate(pick(i + 1), Date.now()), iterations) });
    engine.free();

    localStorage.clear();
    let delivered = 0;
    const runtime = new tk.LivechatTriggers(triggers, { onAction: () => { delivered++; }, parentUrl: pick(0) });
    runtime.start();
    results.push({ triggers: n, what: 'LivechatTriggers.navigate', ...measure((i) => runtime.navigate(pick(i + 1)), iterations) });
    runtime.stop();
    runtime.free();

    // The History API, bare and then hooked: pushState itself plus the
    // runtime's work (reading location, the engine, storage).
    const paths = urls.map((u) => new URL(u).pathname + new URL(u).search);
    const push = (i) => history.pushState(null, '', paths[i % paths.length]);
    results.push({ triggers: n, what: 'history.pushState (bare)', ...measure(push, iterations) });
    localStorage.clear();
    const hooked = new tk.LivechatTriggers(triggers, { onAction: () => { delivered++; } });
    hooked.start();
    results.push({ triggers: n, what: 'history.pushState (hooked)', ...measure(push, iterations) });
    hooked.stop();
    hooked.free();
    if (delivered === 0) throw new Error('no action was delivered: the benchmark measured nothing');
  }
  localStorage.clear();
  return { crossOriginIsolated: self.crossOriginIsolated, userAgent: navigator.userAgent, results };
};
window.benchReady = true;
