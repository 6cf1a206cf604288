//! The Trigger Inbox consumer behind `TriggerInboxClient.consume`: lease,
//! run the handler, ack or release, as the best lease-based consumers do.
//!
//! One event loop owns all state (single-threaded wasm, no locks): the
//! lease calls in flight, the queue of leased messages waiting for a
//! handler slot, the running handlers, the pending ack and release batches
//! and the settle calls in flight. Each turn it starts what may start, then
//! waits for the first event (lease answered, handler done, batch settled,
//! timer, stop signal). A synchronous handler is run on the spot; only
//! handlers returning a promise become tasks.
//!
//! Lease clock: a lease is taken to expire `leaseSeconds` after its request
//! was SENT (monotonic clock), which is never later than the server's
//! expiry. A handler must end `leaseMarginMs` before that; a token whose
//! lease is within half the margin of its end is never sent (counted
//! `expired`): its message comes back to the pool by itself. So two
//! consumers never run the same message at the same time, and no stale
//! token is ever acked.

use super::http::{CallOptions, ClientError};
use super::js::{aborted, json_arg, now_ms, sleep, Listener, Options};
use super::zapier::{
    call_js, js_value, LeasedMessage, Settle, SettleReport, ZapierClient, ERROR_NAME,
};
use crate::wasm::errors::js_error;
use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::stream::{FuturesUnordered, StreamExt};
use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use std::cell::Cell;
use std::collections::{HashSet, VecDeque};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal};

/// What a consumer did, resolved when it stops.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConsumerStats {
    /// Messages received from lease calls.
    pub leased: u64,
    /// Handler runs that succeeded.
    pub processed: u64,
    /// Messages acknowledged (confirmed by the server).
    pub acked: u64,
    /// Messages released (confirmed by the server).
    pub released: u64,
    /// Handler runs that threw, rejected or timed out.
    pub failed: u64,
    /// Messages reported as poison (failed at the poison lease count).
    pub poison: u64,
    /// Messages whose lease ran out before they could be settled: not acked
    /// or released with a stale token; they return to the pool by themselves.
    pub expired: u64,
    /// Messages skipped because the idempotency hook had seen their id
    /// (acked without running the handler).
    pub duplicates: u64,
    /// Messages flagged `possible_duplicate_data` by the inbox.
    pub possible_duplicates: u64,
    /// HTTP retries made by the consumer's calls.
    pub retries: u64,
    /// Failed calls the consumer survived (reported through `onError`).
    pub errors: u64,
}

/// What to do with a poison message once `onPoison` has seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoisonAction {
    /// Ack it (drop it), as the seed's reference loop does.
    Ack,
    /// Release it, so the inbox quarantines it at lease count 5.
    Release,
}

/// The consumer's settings (`ConsumeOptions` in JS).
#[derive(Debug, Clone)]
pub struct ConsumeConfig {
    /// Lease duration asked for.
    pub lease_seconds: u32,
    /// Messages asked for per lease call.
    pub max_messages: u32,
    /// Lease calls in flight at once.
    pub lease_concurrency: u32,
    /// Handlers running at once.
    pub concurrency: u32,
    /// Leased messages held at once (running or waiting for a slot).
    pub max_in_flight: u32,
    /// Time a handler may run.
    pub handler_timeout_ms: f64,
    /// Time kept free at the end of a lease to settle its message.
    pub lease_margin_ms: f64,
    /// Tokens per ack or release call.
    pub batch_size: u32,
    /// Longest a token waits in a batch.
    pub flush_interval_ms: f64,
    /// First wait after an empty lease; doubles up to the maximum.
    pub empty_backoff_ms: f64,
    /// Longest wait after empty leases.
    pub max_empty_backoff_ms: f64,
    /// Time in-flight work gets after the stop signal.
    pub drain_timeout_ms: f64,
    /// Lease count from which a failing message is poison.
    pub poison_lease_count: u32,
    /// What to do with a poison message.
    pub poison_action: PoisonAction,
    /// Built-in idempotency: ids remembered (0 turns it off).
    pub dedupe_capacity: usize,
    /// Resolve once a lease comes back empty with nothing in flight and no
    /// message left to a lease that has yet to run out.
    pub stop_when_empty: bool,
    /// Time to wait for the inbox to become active.
    pub wait_timeout_ms: f64,
}

impl ConsumeConfig {
    fn from_options(o: &Options<'_>) -> Result<ConsumeConfig, ClientError> {
        const DAY_MS: f64 = 86_400_000.0;
        let lease_seconds = o.integer("leaseSeconds", 1, 43_200)?.unwrap_or(30);
        let lease_ms = f64::from(lease_seconds) * 1000.0;
        let lease_margin_ms = match o.number("leaseMarginMs", 0.0, DAY_MS)? {
            Some(m) => m,
            None => (lease_ms * 0.2).clamp(200.0, 10_000.0),
        };
        if lease_margin_ms >= lease_ms {
            return Err(ClientError::InvalidArgument(
                "options.leaseMarginMs must be shorter than the lease".to_owned(),
            ));
        }
        let handler_timeout_ms = o
            .number("handlerTimeoutMs", 1.0, DAY_MS)?
            .unwrap_or(lease_ms - lease_margin_ms);
        if handler_timeout_ms > lease_ms - lease_margin_ms {
            return Err(ClientError::InvalidArgument(format!(
                "options.handlerTimeoutMs must be at most the lease minus its margin ({} ms)",
                lease_ms - lease_margin_ms
            )));
        }
        let concurrency = o.integer("concurrency", 1, 10_000)?.unwrap_or(16);
        let max_messages = o.integer("maxMessages", 1, 10_000)?.unwrap_or(50);
        let max_in_flight = o
            .integer("maxInFlight", 1, 100_000)?
            .unwrap_or_else(|| (concurrency * 2).max(max_messages));
        let empty_backoff_ms = o.number("emptyBackoffMs", 0.0, DAY_MS)?.unwrap_or(5_000.0);
        let poison_action = match o.string("poisonAction")?.as_deref() {
            None | Some("ack") => PoisonAction::Ack,
            Some("release") => PoisonAction::Release,
            Some(other) => {
                return Err(ClientError::InvalidArgument(format!(
                    "options.poisonAction must be 'ack' or 'release', got {other:?}"
                )))
            }
        };
        Ok(ConsumeConfig {
            lease_seconds,
            max_messages,
            lease_concurrency: o.integer("leaseConcurrency", 1, 16)?.unwrap_or(1),
            concurrency,
            max_in_flight,
            handler_timeout_ms,
            lease_margin_ms,
            batch_size: o.integer("batchSize", 1, 10_000)?.unwrap_or(100),
            flush_interval_ms: o.number("flushIntervalMs", 0.0, DAY_MS)?.unwrap_or(50.0),
            empty_backoff_ms,
            max_empty_backoff_ms: o
                .number("maxEmptyBackoffMs", 0.0, DAY_MS)?
                .unwrap_or(60_000.0)
                .max(empty_backoff_ms),
            drain_timeout_ms: o.number("drainTimeoutMs", 0.0, DAY_MS)?.unwrap_or(10_000.0),
            poison_lease_count: o.integer("poisonLeaseCount", 1, 1_000)?.unwrap_or(4),
            poison_action,
            dedupe_capacity: o
                .integer("dedupeCapacity", 0, 10_000_000)?
                .unwrap_or(10_000) as usize,
            stop_when_empty: o.boolean("stopWhenEmpty")?.unwrap_or(false),
            wait_timeout_ms: o.number("waitTimeoutMs", 0.0, DAY_MS)?.unwrap_or(60_000.0),
        })
    }
}

/// The JS callbacks of a consumer.
struct Hooks {
    handler: Function,
    on_poison: Option<Function>,
    on_error: Option<Function>,
    seen: Option<Function>,
    remember: Option<Function>,
}

/// A bounded set of processed message ids (oldest forgotten first).
struct SeenIds {
    capacity: usize,
    ids: HashSet<String>,
    order: VecDeque<String>,
}

impl SeenIds {
    fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    fn insert(&mut self, id: &str) {
        if self.capacity == 0 || self.ids.contains(id) {
            return;
        }
        if self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        self.ids.insert(id.to_owned());
        self.order.push_back(id.to_owned());
    }
}

/// A leased message and the monotonic time its lease ends.
struct Held {
    message: LeasedMessage,
    expires_at: f64,
}

/// How a handler run ended.
enum Outcome {
    /// Handler succeeded: ack.
    Done,
    /// The idempotency hook had seen the id: ack without running.
    Duplicate,
    /// Handler failed; `ack` when it is poison to be dropped.
    Failed { poison: bool, ack: bool },
    /// Stopped at the drain deadline: release.
    Stopped,
}

struct Finished {
    held: Held,
    outcome: Outcome,
    errors: Vec<JsValue>,
}

/// Handlers with the same deadline share one AbortController: with the
/// default timeout that is every message of a lease (their deadline is the
/// lease's end minus the margin), so a message costs no controller,
/// listener or promise of its own.
struct Group {
    id: u64,
    /// Deadline (monotonic, rounded down to the group granularity).
    at: f64,
    controller: AbortController,
    /// Resolves when the controller aborts.
    aborted: Promise,
    _listener: Option<Listener>,
    fired: bool,
    /// Asynchronous handlers of the group still running.
    tasks: usize,
}

/// Deadlines within this many milliseconds share a group (rounded down,
/// so no handler gets more time than it should).
const GROUP_MS: f64 = 10.0;

struct Pending {
    token: String,
    expires_at: f64,
}

/// A batch of acks or releases waiting to be sent.
struct Batch {
    items: Vec<Pending>,
    opened_at: f64,
    first_expiry: f64,
}

struct Settled {
    kind: Settle,
    count: u64,
    /// The latest lease end among the batch's messages.
    latest_expiry: f64,
    result: Result<SettleReport, ClientError>,
}

/// A lease call that ended.
struct LeaseDone {
    id: u64,
    /// Messages it asked for.
    requested: u32,
    /// Monotonic time its (last) attempt was sent.
    sent_at: f64,
    result: Result<Vec<LeasedMessage>, ClientError>,
}

enum Event {
    Stop,
    Leased(LeaseDone),
    Handled(u64, Finished),
    Settled(Settled),
    Tick,
}

type LeaseFuture = LocalBoxFuture<'static, LeaseDone>;

struct Consumer {
    client: Rc<ZapierClient>,
    name: Rc<str>,
    config: ConsumeConfig,
    hooks: Rc<Hooks>,
    stats: ConsumerStats,
    retries: Rc<Cell<u64>>,
    seen: SeenIds,
    queue: VecDeque<Held>,
    groups: Vec<Group>,
    tasks: FuturesUnordered<LocalBoxFuture<'static, (u64, Finished)>>,
    next_group: u64,
    leases: FuturesUnordered<LeaseFuture>,
    /// Controllers of the lease calls in flight, by lease number.
    lease_aborts: Vec<(u64, AbortController)>,
    next_lease: u64,
    /// Messages asked for by the lease calls in flight.
    requested: u32,
    next_lease_at: f64,
    empty_backoff_ms: f64,
    lease_failures: u32,
    acks: Batch,
    releases: Batch,
    settling: FuturesUnordered<LocalBoxFuture<'static, Settled>>,
    releases_in_flight: usize,
    /// Monotonic time by which every message left unsettled (lease ran
    /// out) is back in the pool: `stopWhenEmpty` waits for it.
    returns_at: f64,
    stop: Option<(JsFuture, Option<Listener>)>,
    stopping: bool,
    drain_deadline: Option<f64>,
    fatal: Option<ClientError>,
    wake: Option<(f64, LocalBoxFuture<'static, ()>)>,
    stop_signal: Option<AbortSignal>,
    upsert: Option<serde_json::Value>,
    wait_active: bool,
}

/// `consume(name, handler, options)`: the JS entry point. Resolves with the
/// stats once stopped; rejects with a `TriggerInboxError` (carrying `stats`)
/// on a setup failure or an error no retry can fix (401, 404, ...).
pub fn consume(
    client: Rc<ZapierClient>,
    name: JsValue,
    handler: JsValue,
    options: Option<JsValue>,
) -> Promise {
    future_to_promise(async move {
        let mut consumer = Consumer::new(client, &name, handler, options.as_ref())
            .map_err(|e| e.to_js(ERROR_NAME))?;
        consumer.run().await
    })
}

/// Result of racing a JS call against an AbortSignal.
enum Raced {
    Done(Result<JsValue, JsValue>),
    Aborted(JsValue),
}

/// Runs `work` until it ends or the group's signal aborts.
async fn race<F>(work: F, t: &TaskSetup) -> Raced
where
    F: std::future::Future<Output = Result<JsValue, JsValue>>,
{
    if t.signal.aborted() {
        return Raced::Aborted(t.signal.reason());
    }
    match select(Box::pin(work), JsFuture::from(t.aborted.clone())).await {
        Either::Left((result, _)) => Raced::Done(result),
        Either::Right(_) => Raced::Aborted(t.signal.reason()),
    }
}

const STOPPED: &str = "consumer_stopped";

fn is_stop(reason: &JsValue) -> bool {
    Reflect::get(reason, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .is_some_and(|c| c == STOPPED)
}

/// A promise or another thenable (what `await` would wait for).
fn is_thenable(value: &JsValue) -> bool {
    value.has_type::<Promise>()
        || ((value.is_object() || value.is_function())
            && Reflect::get(value, &"then".into()).is_ok_and(|then| then.is_function()))
}

/// What a handler run needs besides the message.
struct TaskSetup {
    signal: AbortSignal,
    aborted: Promise,
    context: JsValue,
    hooks: Rc<Hooks>,
    poison: bool,
    poison_action: PoisonAction,
    /// Monotonic time after which `onPoison` is no longer awaited.
    settle_by: f64,
}

impl TaskSetup {
    fn failed(&self, held: Held, errors: Vec<JsValue>) -> Finished {
        Finished {
            held,
            outcome: Outcome::Failed {
                poison: self.poison,
                ack: self.poison && self.poison_action == PoisonAction::Ack,
            },
            errors,
        }
    }
}

/// Starts a handler run. A synchronous handler (no thenable returned) with
/// no asynchronous hook to wait for is finished on the spot; otherwise the
/// rest of the run is returned as a future.
fn start_handler(held: Held, t: TaskSetup) -> Result<Finished, LocalBoxFuture<'static, Finished>> {
    if t.hooks.seen.is_some() {
        return Err(Box::pin(run_handler(held, t)));
    }
    let first = t
        .hooks
        .handler
        .call2(&JsValue::UNDEFINED, &held.message.value, &t.context);
    match first {
        Ok(value) if !is_thenable(&value) && t.hooks.remember.is_none() => Ok(Finished {
            held,
            outcome: Outcome::Done,
            errors: Vec::new(),
        }),
        Err(_) if !(t.poison && t.hooks.on_poison.is_some()) => Ok(t.failed(held, Vec::new())),
        first => Err(Box::pin(after_handler(held, t, first, Vec::new()))),
    }
}

/// A run with the `seen` idempotency hook: ask it first.
async fn run_handler(held: Held, t: TaskSetup) -> Finished {
    let mut errors = Vec::new();
    if let Some(seen) = &t.hooks.seen {
        let id = JsValue::from(held.message.id.as_str());
        match race(call_js(seen, &[&id]), &t).await {
            Raced::Done(Ok(v)) if v.is_truthy() => {
                return Finished {
                    held,
                    outcome: Outcome::Duplicate,
                    errors,
                }
            }
            Raced::Done(Ok(_)) => {}
            // Unknown: process it (at-least-once) and report the hook's error.
            Raced::Done(Err(e)) => errors.push(e),
            Raced::Aborted(reason) if is_stop(&reason) => {
                return Finished {
                    held,
                    outcome: Outcome::Stopped,
                    errors,
                }
            }
            Raced::Aborted(_) => return t.failed(held, errors),
        }
    }
    let first = t
        .hooks
        .handler
        .call2(&JsValue::UNDEFINED, &held.message.value, &t.context);
    after_handler(held, t, first, errors).await
}

/// The rest of a run once the handler was called: wait for its promise
/// (bounded by the group's signal), then `remember`, or report poison.
async fn after_handler(
    held: Held,
    t: TaskSetup,
    first: Result<JsValue, JsValue>,
    mut errors: Vec<JsValue>,
) -> Finished {
    let raced = match first {
        Ok(value) if is_thenable(&value) => {
            race(JsFuture::from(Promise::resolve(&value)), &t).await
        }
        other => Raced::Done(other),
    };
    let error = match raced {
        Raced::Done(Ok(_)) => {
            if let Some(remember) = &t.hooks.remember {
                let id = JsValue::from(held.message.id.as_str());
                if let Raced::Done(Err(e)) = race(call_js(remember, &[&id]), &t).await {
                    errors.push(e);
                }
            }
            return Finished {
                held,
                outcome: Outcome::Done,
                errors,
            };
        }
        Raced::Done(Err(error)) => error,
        Raced::Aborted(reason) if is_stop(&reason) => {
            return Finished {
                held,
                outcome: Outcome::Stopped,
                errors,
            }
        }
        Raced::Aborted(reason) => reason,
    };
    let mut finished = t.failed(held, errors);
    if let (true, Some(on_poison)) = (t.poison, &t.hooks.on_poison) {
        // Bounded by the lease: past it the message cannot be settled anyway.
        let wait = sleep(t.settle_by - now_ms(), None);
        let call = call_js(on_poison, &[&finished.held.message.value, &error]);
        let reported = match select(Box::pin(call), Box::pin(wait)).await {
            Either::Left((result, _)) => Some(result),
            Either::Right(_) => None,
        };
        let refused = match reported {
            Some(Ok(_)) => false,
            Some(Err(e)) => {
                finished.errors.push(e);
                true
            }
            None => true,
        };
        if refused {
            finished.outcome = Outcome::Failed {
                poison: true,
                ack: false,
            };
        }
    }
    finished
}

/// A promise resolved when `signal` aborts, and the listener behind it.
fn abort_promise(signal: &AbortSignal) -> (Promise, Option<Listener>) {
    let mut listener = None;
    let promise = Promise::new(&mut |resolve, _reject| {
        listener = Some(Listener::on_abort(signal, &resolve));
    });
    (promise, listener)
}

thread_local! {
    /// The members of the handler context, made into JS strings once.
    static CONTEXT_KEYS: [JsValue; 5] =
        ["signal", "leaseCount", "poison", "possibleDuplicate", "deadline"].map(JsValue::from);
}

impl Consumer {
    fn new(
        client: Rc<ZapierClient>,
        name: &JsValue,
        handler: JsValue,
        options: Option<&JsValue>,
    ) -> Result<Consumer, ClientError> {
        let name = name.as_string().filter(|n| !n.is_empty()).ok_or_else(|| {
            ClientError::InvalidArgument("name must be a non-empty string".into())
        })?;
        let handler: Function = handler
            .dyn_into()
            .map_err(|_| ClientError::InvalidArgument("handler must be a function".into()))?;
        let o = Options::new(options, "options")?;
        let config = ConsumeConfig::from_options(&o)?;
        let hooks = Hooks {
            handler,
            on_poison: o.function("onPoison")?,
            on_error: o.function("onError")?,
            seen: o.function("seen")?,
            remember: o.function("remember")?,
        };
        let upsert = match o.get("upsert") {
            Some(body) => Some(json_arg(&body, "options.upsert")?),
            None => None,
        };
        let wait_active = o.boolean("waitUntilActive")?.unwrap_or(upsert.is_some());
        let stop_signal = o.signal("signal")?;
        let now = now_ms();
        Ok(Consumer {
            client,
            name: name.into(),
            seen: SeenIds {
                capacity: config.dedupe_capacity,
                ids: HashSet::new(),
                order: VecDeque::new(),
            },
            empty_backoff_ms: config.empty_backoff_ms,
            config,
            hooks: Rc::new(hooks),
            stats: ConsumerStats::default(),
            retries: Rc::new(Cell::new(0)),
            queue: VecDeque::new(),
            groups: Vec::new(),
            tasks: FuturesUnordered::new(),
            next_group: 0,
            leases: FuturesUnordered::new(),
            lease_aborts: Vec::new(),
            next_lease: 0,
            requested: 0,
            next_lease_at: now,
            lease_failures: 0,
            acks: Batch::new(),
            releases: Batch::new(),
            settling: FuturesUnordered::new(),
            releases_in_flight: 0,
            returns_at: 0.0,
            stop: None,
            stopping: false,
            drain_deadline: None,
            fatal: None,
            wake: None,
            stop_signal,
            upsert,
            wait_active,
        })
    }

    async fn run(&mut self) -> Result<JsValue, JsValue> {
        if let Err(e) = self.prepare().await {
            let stopped = self.stop_signal.as_ref().is_some_and(|s| s.aborted());
            if !(stopped && matches!(e, ClientError::Aborted(_))) {
                return Err(self.reject(&e));
            }
        }
        if let Some(signal) = &self.stop_signal {
            self.stop = Some(aborted(signal));
        }
        self.event_loop().await;
        self.stats.retries = self.retries.get();
        match self.fatal.take() {
            Some(e) => Err(self.reject(&e)),
            None => js_value(&self.stats).map_err(|e| e.to_js(ERROR_NAME)),
        }
    }

    /// The error with the stats so far attached as `stats`.
    fn reject(&mut self, error: &ClientError) -> JsValue {
        self.stats.retries = self.retries.get();
        let js = error.to_js(ERROR_NAME);
        if let Ok(stats) = js_value(&self.stats) {
            let _ = Reflect::set(&js, &"stats".into(), &stats);
        }
        js
    }

    /// Optional upsert, then waiting for `active`.
    async fn prepare(&mut self) -> Result<(), ClientError> {
        let signal = self.stop_signal.clone();
        let options = CallOptions {
            signal: signal.as_ref(),
            deadline: None,
            retries: Some(&self.retries),
            sent_at: None,
        };
        if let Some(body) = &self.upsert {
            self.client.upsert_inbox(&self.name, body, options).await?;
        }
        if self.wait_active {
            self.client
                .wait_until_active(&self.name, self.config.wait_timeout_ms, signal.as_ref())
                .await?;
        }
        Ok(())
    }

    async fn event_loop(&mut self) {
        loop {
            let now = now_ms();
            self.enforce_deadlines(now);
            self.start_handlers(now);
            self.flush(now);
            self.start_leases(now);
            if self.is_done() {
                return;
            }
            self.arm_wake(now);
            let event = poll_fn(|cx| self.poll_event(cx)).await;
            self.handle(event, now_ms());
        }
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Event> {
        use futures_util::FutureExt;
        if let Some((stop, _)) = &mut self.stop {
            if stop.poll_unpin(cx).is_ready() {
                self.stop = None;
                return Poll::Ready(Event::Stop);
            }
        }
        if let Poll::Ready(Some(leased)) = self.leases.poll_next_unpin(cx) {
            return Poll::Ready(Event::Leased(leased));
        }
        if let Poll::Ready(Some((group, finished))) = self.tasks.poll_next_unpin(cx) {
            return Poll::Ready(Event::Handled(group, finished));
        }
        if let Poll::Ready(Some(settled)) = self.settling.poll_next_unpin(cx) {
            return Poll::Ready(Event::Settled(settled));
        }
        if let Some((_, wake)) = &mut self.wake {
            if wake.poll_unpin(cx).is_ready() {
                self.wake = None;
                return Poll::Ready(Event::Tick);
            }
        }
        Poll::Pending
    }

    fn handle(&mut self, event: Event, now: f64) {
        match event {
            Event::Stop => self.begin_stop(now),
            Event::Leased(leased) => {
                self.lease_aborts.retain(|(id, _)| *id != leased.id);
                self.requested = self.requested.saturating_sub(leased.requested);
                self.leased(leased.sent_at, leased.result, now)
            }
            Event::Handled(group, finished) => {
                if let Some(g) = self.groups.iter_mut().find(|g| g.id == group) {
                    g.tasks = g.tasks.saturating_sub(1);
                }
                self.handled(finished, now)
            }
            Event::Settled(settled) => self.settled(settled),
            Event::Tick => {}
        }
    }

    fn begin_stop(&mut self, now: f64) {
        if !self.stopping {
            self.stopping = true;
            self.drain_deadline = Some(now + self.config.drain_timeout_ms);
        }
    }

    fn fail(&mut self, error: ClientError, now: f64) {
        if self.fatal.is_none() {
            self.fatal = Some(error);
        }
        self.begin_stop(now);
    }

    fn report(&mut self, error: &JsValue) {
        self.stats.errors += 1;
        if let Some(on_error) = &self.hooks.on_error {
            // A throwing or rejecting error callback must not stop the consumer.
            if let Ok(value) = on_error.call1(&JsValue::UNDEFINED, error) {
                if let Ok(promise) = value.dyn_into::<Promise>() {
                    // Attaches a rejection handler, so a rejecting callback
                    // is not an unhandled rejection (fatal in Node).
                    drop(JsFuture::from(promise));
                }
            }
        }
    }

    fn stale_at(&self, held_expires_at: f64) -> f64 {
        held_expires_at - self.config.lease_margin_ms / 2.0
    }

    /// Aborts handlers past their deadline, and everything at the drain deadline.
    fn enforce_deadlines(&mut self, now: f64) {
        let drained = self.drain_deadline.is_some_and(|d| now >= d);
        if drained {
            for (_, lease) in self.lease_aborts.drain(..) {
                lease.abort_with_reason(&js_error(
                    "AbortError",
                    STOPPED,
                    "the consumer stopped",
                    &[],
                ));
            }
        }
        for group in self.groups.iter_mut().filter(|g| !g.fired) {
            if drained {
                group.fired = true;
                group.controller.abort_with_reason(&js_error(
                    "AbortError",
                    STOPPED,
                    "the consumer stopped before the handler finished",
                    &[],
                ));
            } else if now >= group.at {
                group.fired = true;
                group.controller.abort_with_reason(&js_error(
                    "TimeoutError",
                    "handler_timeout",
                    "the handler ran out of time (its lease is ending)",
                    &[],
                ));
            }
        }
        // Keep groups with handlers, and the newest one for reuse.
        let newest = self.groups.last().map(|g| g.id);
        self.groups
            .retain(|g| g.tasks > 0 || (!g.fired && Some(g.id) == newest));
    }

    fn start_handlers(&mut self, now: f64) {
        while !self.queue.is_empty()
            && (self.stopping || self.tasks.len() < self.config.concurrency as usize)
        {
            let Some(held) = self.queue.pop_front() else {
                break;
            };
            if self.stopping {
                self.settle(Settle::Release, held, now);
            } else if now >= held.expires_at - self.config.lease_margin_ms {
                // Too little lease left to run the handler safely.
                self.settle(Settle::Release, held, now);
            } else if self.seen.contains(&held.message.id) {
                self.stats.duplicates += 1;
                self.settle(Settle::Ack, held, now);
            } else {
                self.spawn(held, now);
            }
        }
    }

    /// The group of handlers due at `deadline`, created when missing.
    fn group(&mut self, deadline: f64) -> Result<&Group, ClientError> {
        let at = (deadline / GROUP_MS).floor() * GROUP_MS;
        let reuse = self.groups.last().is_some_and(|g| g.at == at && !g.fired);
        if !reuse {
            let controller = super::js::new_controller()?;
            let (aborted, listener) = abort_promise(&controller.signal());
            self.groups.push(Group {
                id: self.next_group,
                at,
                controller,
                aborted,
                _listener: listener,
                fired: false,
                tasks: 0,
            });
            self.next_group += 1;
        }
        self.groups
            .last()
            .ok_or_else(|| ClientError::Runtime("no handler group".to_owned()))
    }

    fn spawn(&mut self, held: Held, now: f64) {
        let deadline = (now + self.config.handler_timeout_ms)
            .min(held.expires_at - self.config.lease_margin_ms);
        let (group, signal, aborted) = match self.group(deadline) {
            Ok(g) => (g.id, g.controller.signal(), g.aborted.clone()),
            Err(e) => {
                self.settle(Settle::Release, held, now);
                self.fail(e, now);
                return;
            }
        };
        let poison = held.message.lease_count >= self.config.poison_lease_count;
        let context = Object::new();
        let values: [JsValue; 5] = [
            signal.clone().into(),
            held.message.lease_count.into(),
            poison.into(),
            held.message.possible_duplicate.into(),
            (js_sys::Date::now() + (deadline - now)).into(),
        ];
        CONTEXT_KEYS.with(|keys| {
            for (key, value) in keys.iter().zip(values.iter()) {
                // Setting a member of a fresh plain object cannot fail.
                let _ = Reflect::set(&context, key, value);
            }
        });
        let setup = TaskSetup {
            signal,
            aborted,
            context: context.into(),
            hooks: self.hooks.clone(),
            poison,
            poison_action: self.config.poison_action,
            settle_by: self.stale_at(held.expires_at),
        };
        match start_handler(held, setup) {
            Ok(finished) => self.handled(finished, now),
            Err(rest) => {
                if let Some(g) = self.groups.iter_mut().find(|g| g.id == group) {
                    g.tasks += 1;
                }
                self.tasks
                    .push(Box::pin(async move { (group, rest.await) }));
            }
        }
    }

    fn handled(&mut self, finished: Finished, now: f64) {
        for error in &finished.errors {
            self.report(error);
        }
        let held = finished.held;
        match finished.outcome {
            Outcome::Done => {
                self.stats.processed += 1;
                self.seen.insert(&held.message.id);
                self.settle(Settle::Ack, held, now);
            }
            Outcome::Duplicate => {
                self.stats.duplicates += 1;
                self.settle(Settle::Ack, held, now);
            }
            Outcome::Failed { poison, ack } => {
                self.stats.failed += 1;
                if poison {
                    self.stats.poison += 1;
                }
                let kind = if ack { Settle::Ack } else { Settle::Release };
                self.settle(kind, held, now);
            }
            Outcome::Stopped => self.settle(Settle::Release, held, now),
        }
    }

    /// Queues the message's token for an ack or release, unless its lease
    /// is (nearly) over: a stale token is never sent.
    fn settle(&mut self, kind: Settle, held: Held, now: f64) {
        if now >= self.stale_at(held.expires_at) {
            self.expired(1, held.expires_at);
            return;
        }
        let batch = match kind {
            Settle::Ack => &mut self.acks,
            Settle::Release => &mut self.releases,
        };
        if batch.items.is_empty() {
            batch.opened_at = now;
            batch.first_expiry = f64::INFINITY;
        }
        batch.first_expiry = batch.first_expiry.min(held.expires_at);
        batch.items.push(Pending {
            token: held.message.token,
            expires_at: held.expires_at,
        });
    }

    fn flush(&mut self, now: f64) {
        for kind in [Settle::Ack, Settle::Release] {
            let due = match kind {
                Settle::Ack => self.acks.due_at(&self.config),
                Settle::Release => self.releases.due_at(&self.config),
            };
            let full = match kind {
                Settle::Ack => self.acks.items.len(),
                Settle::Release => self.releases.items.len(),
            } >= self.config.batch_size as usize;
            if due.is_some_and(|d| self.stopping || full || now >= d) {
                self.send_batch(kind, now);
            }
        }
    }

    fn send_batch(&mut self, kind: Settle, now: f64) {
        let items = match kind {
            Settle::Ack => std::mem::take(&mut self.acks.items),
            Settle::Release => std::mem::take(&mut self.releases.items),
        };
        let margin = self.config.lease_margin_ms / 2.0;
        let (live, stale): (Vec<Pending>, Vec<Pending>) =
            items.into_iter().partition(|p| now < p.expires_at - margin);
        for pending in &stale {
            self.expired(1, pending.expires_at);
        }
        for chunk in live.chunks(self.config.batch_size.max(1) as usize) {
            let deadline = chunk
                .iter()
                .map(|p| p.expires_at - margin)
                .fold(f64::INFINITY, f64::min);
            let latest_expiry = chunk.iter().map(|p| p.expires_at).fold(0.0, f64::max);
            let tokens: Vec<String> = chunk.iter().map(|p| p.token.clone()).collect();
            let count = tokens.len() as u64;
            let client = self.client.clone();
            let name = self.name.clone();
            let retries = self.retries.clone();
            if kind == Settle::Release {
                self.releases_in_flight += 1;
            }
            self.settling.push(Box::pin(async move {
                let options = CallOptions {
                    signal: None,
                    deadline: Some(deadline),
                    retries: Some(&retries),
                    sent_at: None,
                };
                let result = client
                    .settle(&name, kind, &tokens, options)
                    .await
                    .and_then(|reply| SettleReport::read(&reply));
                Settled {
                    kind,
                    count,
                    latest_expiry,
                    result,
                }
            }));
        }
    }

    fn settled(&mut self, settled: Settled) {
        if settled.kind == Settle::Release {
            self.releases_in_flight = self.releases_in_flight.saturating_sub(1);
        }
        match settled.result {
            Ok(report) => {
                let took = settled.count.saturating_sub(report.failed.len() as u64);
                match settled.kind {
                    Settle::Ack => self.stats.acked += took,
                    Settle::Release => self.stats.released += took,
                }
                for refused in report.failed {
                    if refused.code == "lease_expired" {
                        self.expired(1, settled.latest_expiry);
                        continue;
                    }
                    let id = refused.id.map(JsValue::from).unwrap_or(JsValue::NULL);
                    let error = js_error(
                        ERROR_NAME,
                        &refused.code,
                        &refused.detail,
                        &[("leaseToken", refused.lease_token.into()), ("id", id)],
                    );
                    self.report(&error);
                }
            }
            Err(e) if e.is_transient() => {
                // Out of retries before the leases end: the messages come back.
                self.expired(settled.count, settled.latest_expiry);
                self.report(&e.to_js(ERROR_NAME));
            }
            Err(e) => self.fail(e, now_ms()),
        }
    }

    /// Counts messages left to their lease, which ends at `expires_at`.
    fn expired(&mut self, count: u64, expires_at: f64) {
        self.stats.expired += count;
        // Our lease clock starts before the server's: allow for the gap.
        self.returns_at = self
            .returns_at
            .max(expires_at + self.config.lease_margin_ms);
    }

    /// Starts lease calls while fewer than `leaseConcurrency` are in flight
    /// and the in-flight limit leaves room for a good part of a batch.
    fn start_leases(&mut self, now: f64) {
        while self.leases.len() < self.config.lease_concurrency as usize && self.start_lease(now) {}
    }

    fn start_lease(&mut self, now: f64) -> bool {
        if self.stopping || now < self.next_lease_at {
            return false;
        }
        let in_flight = (self.queue.len() + self.tasks.len()) as u32 + self.requested;
        let free = self.config.max_in_flight.saturating_sub(in_flight);
        let want = free.min(self.config.max_messages);
        let low_water = self
            .config
            .max_messages
            .min(self.config.max_in_flight)
            .div_ceil(2);
        if want == 0 || (in_flight > 0 && want < low_water) {
            return false;
        }
        let controller = match super::js::new_controller() {
            Ok(c) => c,
            Err(e) => {
                self.fail(e, now);
                return false;
            }
        };
        let signal = controller.signal();
        let client = self.client.clone();
        let name = self.name.clone();
        let retries = self.retries.clone();
        let lease_seconds = self.config.lease_seconds;
        let id = self.next_lease;
        self.next_lease += 1;
        self.requested += want;
        self.lease_aborts.push((id, controller));
        self.leases.push(Box::pin(async move {
            let sent_at = Cell::new(now_ms());
            let options = CallOptions {
                signal: Some(&signal),
                deadline: None,
                retries: Some(&retries),
                sent_at: Some(&sent_at),
            };
            let result = client
                .lease(&name, Some(lease_seconds), Some(want), options)
                .await
                .map(|(_, messages)| messages);
            LeaseDone {
                id,
                requested: want,
                sent_at: sent_at.get(),
                result,
            }
        }));
        true
    }

    fn leased(&mut self, sent_at: f64, result: Result<Vec<LeasedMessage>, ClientError>, now: f64) {
        match result {
            Ok(messages) if messages.is_empty() => {
                self.lease_failures = 0;
                // Concurrent empty leases back off once, not once each.
                if now >= self.next_lease_at {
                    self.next_lease_at = now + self.empty_backoff_ms;
                    self.empty_backoff_ms =
                        (self.empty_backoff_ms * 2.0).min(self.config.max_empty_backoff_ms);
                }
                let idle = self.leases.is_empty()
                    && self.queue.is_empty()
                    && self.tasks.is_empty()
                    && self.releases.items.is_empty()
                    && self.releases_in_flight == 0
                    && now >= self.returns_at;
                if self.config.stop_when_empty && idle {
                    self.begin_stop(now);
                }
            }
            Ok(messages) => {
                self.lease_failures = 0;
                self.empty_backoff_ms = self.config.empty_backoff_ms;
                self.next_lease_at = now;
                let expires_at = sent_at + f64::from(self.config.lease_seconds) * 1000.0;
                self.stats.leased += messages.len() as u64;
                for message in messages {
                    if message.possible_duplicate {
                        self.stats.possible_duplicates += 1;
                    }
                    self.queue.push_back(Held {
                        message,
                        expires_at,
                    });
                }
            }
            Err(ClientError::Aborted(_)) if self.stopping => {}
            Err(e) if e.is_transient() => {
                self.lease_failures += 1;
                let wait = match e.retry_after() {
                    Some(seconds) => seconds * 1000.0,
                    None => self
                        .client
                        .http
                        .policy
                        .backoff_ms(self.lease_failures, js_sys::Math::random())
                        .max(self.client.http.policy.base_delay_ms),
                };
                self.next_lease_at = now + wait;
                self.report(&e.to_js(ERROR_NAME));
            }
            Err(e) => self.fail(e, now),
        }
    }

    fn is_done(&self) -> bool {
        self.stopping
            && self.leases.is_empty()
            && self.queue.is_empty()
            && self.tasks.is_empty()
            && self.acks.items.is_empty()
            && self.releases.items.is_empty()
            && self.settling.is_empty()
    }

    /// Arms the timer for the next moment something is due.
    fn arm_wake(&mut self, now: f64) {
        let mut at = f64::INFINITY;
        let lease_slot = self.leases.len() < self.config.lease_concurrency as usize;
        if !self.stopping && lease_slot && self.next_lease_at > now {
            at = at.min(self.next_lease_at);
        }
        for due in [
            self.acks.due_at(&self.config),
            self.releases.due_at(&self.config),
        ]
        .into_iter()
        .flatten()
        {
            at = at.min(due);
        }
        for group in self.groups.iter().filter(|g| !g.fired && g.tasks > 0) {
            at = at.min(group.at);
        }
        if let Some(d) = self.drain_deadline.filter(|d| *d > now) {
            at = at.min(d);
        }
        if !at.is_finite() {
            self.wake = None;
            return;
        }
        // A wake armed for the same time or earlier stays: when it fires,
        // the next turn arms the timer again (saving a timer per event).
        if self.wake.as_ref().is_some_and(|(target, _)| *target <= at) {
            return;
        }
        let wait = Box::pin(async move {
            let _ = sleep(at - now_ms(), None).await;
        });
        self.wake = Some((at, wait));
    }
}

impl Batch {
    fn new() -> Batch {
        Batch {
            items: Vec::new(),
            opened_at: 0.0,
            first_expiry: f64::INFINITY,
        }
    }

    /// When the batch must be sent: after the flush interval, or early
    /// enough for its oldest lease.
    fn due_at(&self, config: &ConsumeConfig) -> Option<f64> {
        if self.items.is_empty() {
            return None;
        }
        Some(
            (self.opened_at + config.flush_interval_ms)
                .min(self.first_expiry - config.lease_margin_ms),
        )
    }
}
