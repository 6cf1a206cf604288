// A consumer process for the kill test in reliability.test.mjs (not a test
// file itself). Usage: node inbox-worker.mjs URL TOKEN INBOX QUICK
// Handles the first QUICK messages at once; every later handler hangs, and
// once ten hang it prints `stalled <ids of the hung messages>` and waits to
// be killed, with acks of finished messages possibly still in its batch.
import tk from './load.mjs';

const [url, token, name, quick] = process.argv.slice(2);
const inbox = new tk.TriggerInboxClient({ baseUrl: url, token });
let handled = 0;
const hung = [];
inbox.consume(name, async (message) => {
  handled += 1;
  if (handled <= Number(quick)) return;
  hung.push(message.id);
  if (hung.length === 10) console.log(`stalled ${hung.join(' ')}`);
  await new Promise(() => {});
}, { leaseSeconds: 3, leaseMarginMs: 500, maxMessages: 20, concurrency: 10, batchSize: 10, flushIntervalMs: 2000 })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
