//! The Trigger Inbox state machine, free of HTTP: inboxes with their
//! lifecycle (initializing → active, paused, deleting,
//! initialization_failure), and their messages with leases, acks, releases,
//! expiry and quarantine. Time is an argument (emulator milliseconds), so
//! every rule is tested without waiting.

use crate::ids::Ids;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A message whose lease count reaches this is quarantined instead of leased.
pub const QUARANTINE_AT: u32 = 5;

/// Inbox status, as the seed's lifecycle table names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Subscription being set up; no events collected.
    Initializing,
    /// Collecting and buffering events.
    Active,
    /// Collection stopped; buffered messages kept.
    Paused,
    /// Scheduled for removal.
    Deleting,
    /// Setup failed; `paused_reason` says why.
    InitializationFailure,
}

impl Status {
    /// Parses a status filter value.
    pub fn parse(text: &str) -> Option<Status> {
        Some(match text {
            "initializing" => Status::Initializing,
            "active" => Status::Active,
            "paused" => Status::Paused,
            "deleting" => Status::Deleting,
            "initialization_failure" => Status::InitializationFailure,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Initializing => "initializing",
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Deleting => "deleting",
            Status::InitializationFailure => "initialization_failure",
        }
    }
}

/// What an inbox subscribes to, and how its setup will end.
#[derive(Debug, Clone)]
pub struct InboxSpec {
    /// Versioned app key (`SlackCLIAPI`): inboxes are compared on it.
    pub app_key: String,
    /// Trigger key.
    pub action: String,
    /// Connection id.
    pub connection: String,
    /// Trigger input values (defaults filled).
    pub inputs: Map<String, Value>,
    /// Push URL, when given.
    pub notification_url: Option<String>,
    /// When set, initialization fails with this `paused_reason`.
    pub init_failure: Option<String>,
}

/// One event offered to an inbox.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    /// The event data.
    pub payload: Value,
    /// Whether dedup was impossible for this event.
    pub possible_duplicate_data: bool,
    /// A hydration error to report with the message.
    pub error_message: Option<String>,
}

/// Why an inbox operation was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum InboxError {
    /// No inbox of that name (or it is being deleted).
    NotFound(String),
    /// The name exists with another subscription, or the state forbids it.
    Conflict(String),
    /// The inbox is not collecting events (admin publish only).
    NotCollecting(Status),
}

/// Running totals of what happened to messages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counters {
    /// Messages published into inboxes.
    pub published: u64,
    /// Message deliveries by lease calls.
    pub leased: u64,
    /// Messages acked (each at most once).
    pub acked: u64,
    /// Leases ended by release.
    pub released: u64,
    /// Leases that ran out.
    pub expired: u64,
    /// Messages quarantined.
    pub quarantined: u64,
    /// Acks repeated with a token already acked (idempotent, no effect).
    pub ack_repeats: u64,
    /// Releases repeated with a token already released (no effect).
    pub release_repeats: u64,
    /// Push notifications delivered to `notification_url` (2xx answer).
    pub notifications_sent: u64,
    /// Push notifications that failed (no answer, error, non-2xx).
    pub notifications_failed: u64,
    /// Ack tokens refused, by reason.
    pub ack_rejected: Rejections,
    /// Release tokens refused, by reason.
    pub release_rejected: Rejections,
}

/// Refused lease tokens by reason.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Rejections {
    /// The token's lease ran out before the call.
    pub lease_expired: u64,
    /// The token's lease was released.
    pub lease_released: u64,
    /// The token's lease was acked (release after ack).
    pub already_acked: u64,
    /// The token was never issued by this inbox.
    pub unknown_lease_token: u64,
}

impl Rejections {
    fn bump(&mut self, code: &str) {
        match code {
            "lease_expired" => self.lease_expired += 1,
            "lease_released" => self.lease_released += 1,
            "already_acked" => self.already_acked += 1,
            _ => self.unknown_lease_token += 1,
        }
    }
}

fn bump(local: &mut Counters, total: &mut Counters, f: impl Fn(&mut Counters)) {
    f(local);
    f(total);
}

#[derive(Debug, Clone, PartialEq)]
enum MsgState {
    Available,
    Leased { token: String, until: u64 },
    Acked,
    Quarantined,
}

#[derive(Debug, Clone)]
struct Message {
    id: String,
    created_at: String,
    payload: Value,
    possible_duplicate_data: bool,
    error_message: Option<String>,
    lease_count: u32,
    state: MsgState,
    ack_count: u32,
}

impl Message {
    fn status(&self) -> &'static str {
        match self.state {
            MsgState::Available => "available",
            MsgState::Leased { .. } => "leased",
            MsgState::Acked => "acked",
            MsgState::Quarantined => "quarantined",
        }
    }

    fn view(&self, lease_token: Option<&str>) -> Value {
        let mut v = json!({
            "id": self.id,
            "created_at": self.created_at,
            "status": self.status(),
            "payload": self.payload,
            "message_attributes": {
                "lease_count": self.lease_count,
                "error_message": self.error_message,
                "possible_duplicate_data": self.possible_duplicate_data,
            },
        });
        if let (Some(token), Some(obj)) = (lease_token, v.as_object_mut()) {
            obj.insert("lease_token".into(), json!(token));
        }
        v
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Active,
    Acked,
    Released,
    Expired,
}

#[derive(Debug, Clone)]
struct TokenRec {
    seq: u64,
    outcome: Outcome,
}

/// One inbox.
#[derive(Debug, Clone)]
pub struct Inbox {
    id: String,
    name: String,
    created_at: String,
    status: Status,
    paused_reason: Option<String>,
    spec: InboxSpec,
    ready_at: u64,
    delete_at: Option<u64>,
    messages: BTreeMap<u64, Message>,
    available: BTreeSet<u64>,
    leased: BTreeSet<(u64, u64)>,
    tokens: HashMap<String, TokenRec>,
    next_seq: u64,
    counters: Counters,
}

/// The result of an ack or release call.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenReport {
    /// Tokens that took effect (or repeated one that had): `{lease_token, id, status}`.
    pub results: Vec<Value>,
    /// Tokens refused: `{lease_token, id, code, detail}`.
    pub failed: Vec<Value>,
}

impl Inbox {
    /// The inbox in the seed's response shape.
    pub fn view(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "status": self.status.as_str(),
            "created_at": self.created_at,
            "paused_reason": self.paused_reason,
            "notification_url": self.spec.notification_url,
            "subscription": {
                "connection_id": self.spec.connection,
                "app_key": self.spec.app_key,
                "action_key": self.spec.action,
                "inputs": self.spec.inputs,
            },
        })
    }

    /// Applies what time did: finished initialization, expired leases.
    fn refresh(&mut self, now: u64, totals: &mut Counters) {
        if self.status == Status::Initializing && now >= self.ready_at {
            match &self.spec.init_failure {
                Some(reason) => {
                    self.status = Status::InitializationFailure;
                    self.paused_reason = Some(reason.clone());
                }
                None => self.status = Status::Active,
            }
        }
        while let Some(&(until, seq)) = self.leased.first() {
            if until > now {
                break;
            }
            self.leased.remove(&(until, seq));
            if let Some(m) = self.messages.get_mut(&seq) {
                if let MsgState::Leased { token, .. } = &m.state {
                    if let Some(rec) = self.tokens.get_mut(token) {
                        rec.outcome = Outcome::Expired;
                    }
                    m.state = MsgState::Available;
                    self.available.insert(seq);
                    bump(&mut self.counters, totals, |c| c.expired += 1);
                }
            }
        }
    }

    fn lease(
        &mut self,
        lease_ms: u64,
        max: usize,
        now: u64,
        ids: &mut Ids,
        totals: &mut Counters,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        if !matches!(self.status, Status::Active | Status::Paused) {
            return out;
        }
        let until = now.saturating_add(lease_ms);
        while out.len() < max {
            let Some(seq) = self.available.pop_first() else {
                break;
            };
            let Some(m) = self.messages.get_mut(&seq) else {
                continue;
            };
            m.lease_count += 1;
            if m.lease_count >= QUARANTINE_AT {
                m.state = MsgState::Quarantined;
                bump(&mut self.counters, totals, |c| c.quarantined += 1);
                continue;
            }
            let token = ids.token("lt_", 20);
            self.tokens.insert(
                token.clone(),
                TokenRec {
                    seq,
                    outcome: Outcome::Active,
                },
            );
            m.state = MsgState::Leased {
                token: token.clone(),
                until,
            };
            self.leased.insert((until, seq));
            bump(&mut self.counters, totals, |c| c.leased += 1);
            out.push(m.view(Some(&token)));
        }
        out
    }

    /// Acks (`ack == true`) or releases each token.
    fn settle(&mut self, tokens: &[String], ack: bool, totals: &mut Counters) -> TokenReport {
        let mut report = TokenReport::default();
        for token in tokens {
            let rec = self.tokens.get(token).cloned();
            let id = rec
                .as_ref()
                .and_then(|r| self.messages.get(&r.seq))
                .map(|m| m.id.clone());
            let refused = match rec.as_ref().map(|r| r.outcome) {
                None => Some((
                    "unknown_lease_token",
                    "This lease token was never issued by this inbox.",
                )),
                Some(Outcome::Expired) => Some((
                    "lease_expired",
                    "The lease of this token ran out; the message went back to the pool.",
                )),
                Some(Outcome::Released) if ack => Some((
                    "lease_released",
                    "This lease was released; the message went back to the pool.",
                )),
                Some(Outcome::Acked) if !ack => Some((
                    "already_acked",
                    "This lease was acked; the message is gone.",
                )),
                Some(Outcome::Acked) => {
                    bump(&mut self.counters, totals, |c| c.ack_repeats += 1);
                    None
                }
                Some(Outcome::Released) => {
                    bump(&mut self.counters, totals, |c| c.release_repeats += 1);
                    None
                }
                Some(Outcome::Active) => {
                    if let Some(r) = &rec {
                        self.finish_lease(token, r.seq, ack, totals);
                    }
                    None
                }
            };
            match refused {
                Some((code, detail)) => {
                    let (local, total) = if ack {
                        (&mut self.counters.ack_rejected, &mut totals.ack_rejected)
                    } else {
                        (
                            &mut self.counters.release_rejected,
                            &mut totals.release_rejected,
                        )
                    };
                    local.bump(code);
                    total.bump(code);
                    report.failed.push(json!({
                        "lease_token": token, "id": id, "code": code, "detail": detail,
                    }));
                }
                None => report.results.push(json!({
                    "lease_token": token,
                    "id": id,
                    "status": if ack { "acked" } else { "released" },
                })),
            }
        }
        report
    }

    fn finish_lease(&mut self, token: &str, seq: u64, ack: bool, totals: &mut Counters) {
        let Some(m) = self.messages.get_mut(&seq) else {
            return;
        };
        if let MsgState::Leased { until, .. } = m.state {
            self.leased.remove(&(until, seq));
        }
        if let Some(rec) = self.tokens.get_mut(token) {
            rec.outcome = if ack {
                Outcome::Acked
            } else {
                Outcome::Released
            };
        }
        if ack {
            m.state = MsgState::Acked;
            m.ack_count += 1;
            bump(&mut self.counters, totals, |c| c.acked += 1);
        } else {
            m.state = MsgState::Available;
            self.available.insert(seq);
            bump(&mut self.counters, totals, |c| c.released += 1);
        }
    }

    fn publish(
        &mut self,
        events: Vec<NewMessage>,
        created_at: &str,
        ids: &mut Ids,
        totals: &mut Counters,
    ) -> Vec<String> {
        let mut out = Vec::with_capacity(events.len());
        for e in events {
            let seq = self.next_seq;
            self.next_seq += 1;
            let id = ids.token("msg_", 12);
            self.messages.insert(
                seq,
                Message {
                    id: id.clone(),
                    created_at: created_at.to_owned(),
                    payload: e.payload,
                    possible_duplicate_data: e.possible_duplicate_data,
                    error_message: e.error_message,
                    lease_count: 0,
                    state: MsgState::Available,
                    ack_count: 0,
                },
            );
            self.available.insert(seq);
            bump(&mut self.counters, totals, |c| c.published += 1);
            out.push(id);
        }
        out
    }

    /// Messages still in the inbox (acked ones are gone), oldest first.
    fn list(&self, status: Option<&str>) -> Vec<Value> {
        self.messages
            .values()
            .filter(|m| m.state != MsgState::Acked)
            .filter(|m| status.is_none_or(|s| m.status() == s))
            .map(|m| m.view(None))
            .collect()
    }

    /// Every message ever published, acked ones included, with ack counts.
    fn dump(&self) -> Vec<Value> {
        self.messages
            .values()
            .map(|m| {
                let mut v = m.view(None);
                if let Some(obj) = v.as_object_mut() {
                    obj.insert("ack_count".into(), json!(m.ack_count));
                }
                v
            })
            .collect()
    }

    /// Counters and message tallies of this inbox.
    fn stats(&self) -> Value {
        let mut by_state: BTreeMap<&str, u64> = BTreeMap::new();
        let mut acked_twice = 0u64;
        for m in self.messages.values() {
            *by_state.entry(m.status()).or_default() += 1;
            if m.ack_count > 1 {
                acked_twice += 1;
            }
        }
        let mut v = json!(self.counters);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("status".into(), json!(self.status.as_str()));
            obj.insert("messages".into(), json!(by_state));
            obj.insert("acked_twice".into(), json!(acked_twice));
        }
        v
    }
}

/// Every inbox, by name, with the totals across them (kept after deletion).
#[derive(Debug, Clone)]
pub struct Store {
    inboxes: BTreeMap<String, Inbox>,
    totals: Counters,
    init_ms: u64,
    delete_ms: u64,
}

impl Store {
    /// An empty store; new inboxes initialize for `init_ms`, deleted ones
    /// stay `deleting` for `delete_ms`.
    pub fn new(init_ms: u64, delete_ms: u64) -> Self {
        Store {
            inboxes: BTreeMap::new(),
            totals: Counters::default(),
            init_ms,
            delete_ms,
        }
    }

    /// Applies what time did to every inbox.
    pub fn sweep(&mut self, now: u64) {
        for inbox in self.inboxes.values_mut() {
            inbox.refresh(now, &mut self.totals);
        }
        self.inboxes
            .retain(|_, i| i.delete_at.is_none_or(|at| now < at));
    }

    /// The inbox, refreshed; deleting inboxes are visible.
    pub fn get(&mut self, name: &str, now: u64) -> Result<&Inbox, InboxError> {
        self.sweep(now);
        self.inboxes
            .get(name)
            .ok_or_else(|| InboxError::NotFound(name.to_owned()))
    }

    /// The inbox for a message or state operation: deleting ones are gone.
    fn live(&mut self, name: &str, now: u64) -> Result<&mut Inbox, InboxError> {
        self.sweep(now);
        match self.inboxes.get_mut(name) {
            Some(i) if i.status != Status::Deleting => Ok(i),
            _ => Err(InboxError::NotFound(name.to_owned())),
        }
    }

    /// Creates the inbox, or returns the existing one when its app, action
    /// and connection match (`true` when created).
    pub fn upsert(
        &mut self,
        name: &str,
        spec: InboxSpec,
        id: String,
        created_at: &str,
        now: u64,
    ) -> Result<(bool, &Inbox), InboxError> {
        self.sweep(now);
        if let Some(existing) = self.inboxes.get(name) {
            if existing.status == Status::Deleting {
                return Err(InboxError::Conflict(format!(
                    "Inbox '{name}' is being deleted; create it again once it is gone."
                )));
            }
            let e = &existing.spec;
            if e.app_key != spec.app_key
                || e.action != spec.action
                || e.connection != spec.connection
            {
                return Err(InboxError::Conflict(format!(
                    "Inbox '{name}' already exists with a different (app, action, connection): ({}, {}, {}).",
                    e.app_key, e.action, e.connection
                )));
            }
        } else {
            let inbox = Inbox {
                id,
                name: name.to_owned(),
                created_at: created_at.to_owned(),
                status: Status::Initializing,
                paused_reason: None,
                spec,
                ready_at: now.saturating_add(self.init_ms),
                delete_at: None,
                messages: BTreeMap::new(),
                available: BTreeSet::new(),
                leased: BTreeSet::new(),
                tokens: HashMap::new(),
                next_seq: 0,
                counters: Counters::default(),
            };
            self.inboxes.insert(name.to_owned(), inbox);
            self.sweep(now);
            if let Some(inbox) = self.inboxes.get(name) {
                return Ok((true, inbox));
            }
        }
        self.inboxes
            .get(name)
            .map(|i| (false, i))
            .ok_or_else(|| InboxError::NotFound(name.to_owned()))
    }

    /// Inboxes matching the optional status and exact-name filters.
    pub fn list(&mut self, now: u64, status: Option<Status>, name: Option<&str>) -> Vec<Value> {
        self.sweep(now);
        self.inboxes
            .values()
            .filter(|i| status.is_none_or(|s| i.status == s))
            .filter(|i| name.is_none_or(|n| i.name == n))
            .map(Inbox::view)
            .collect()
    }

    /// Stops collection; buffered messages stay.
    pub fn pause(&mut self, name: &str, now: u64) -> Result<Value, InboxError> {
        let inbox = self.live(name, now)?;
        match inbox.status {
            Status::InitializationFailure => Err(InboxError::Conflict(format!(
                "Inbox '{name}' failed to initialize; resume it to retry setup."
            ))),
            _ => {
                inbox.status = Status::Paused;
                Ok(inbox.view())
            }
        }
    }

    /// Restarts collection; an inbox whose setup failed retries it.
    pub fn resume(&mut self, name: &str, now: u64) -> Result<Value, InboxError> {
        let init_ms = self.init_ms;
        let totals = &mut self.totals;
        let inbox = match self.inboxes.get_mut(name) {
            Some(i) if i.status != Status::Deleting => i,
            _ => return Err(InboxError::NotFound(name.to_owned())),
        };
        inbox.refresh(now, totals);
        match inbox.status {
            Status::Paused => inbox.status = Status::Initializing,
            Status::InitializationFailure => {
                inbox.status = Status::Initializing;
                inbox.paused_reason = None;
                inbox.ready_at = now.saturating_add(init_ms);
            }
            _ => {}
        }
        inbox.refresh(now, totals);
        Ok(inbox.view())
    }

    /// Marks the inbox for deletion; it is gone after the deleting delay.
    pub fn delete(&mut self, name: &str, now: u64) -> Result<Value, InboxError> {
        let delete_ms = self.delete_ms;
        let inbox = self.live(name, now)?;
        inbox.status = Status::Deleting;
        inbox.delete_at = Some(now.saturating_add(delete_ms));
        let view = inbox.view();
        self.sweep(now);
        Ok(view)
    }

    /// Leases up to `max` available messages for `lease_ms`.
    pub fn lease(
        &mut self,
        name: &str,
        lease_ms: u64,
        max: usize,
        now: u64,
        ids: &mut Ids,
    ) -> Result<Vec<Value>, InboxError> {
        self.sweep(now);
        match self.inboxes.get_mut(name) {
            Some(i) if i.status != Status::Deleting => {
                Ok(i.lease(lease_ms, max, now, ids, &mut self.totals))
            }
            _ => Err(InboxError::NotFound(name.to_owned())),
        }
    }

    /// Acks (`ack`) or releases the leases of `tokens`.
    pub fn settle(
        &mut self,
        name: &str,
        tokens: &[String],
        ack: bool,
        now: u64,
    ) -> Result<TokenReport, InboxError> {
        self.sweep(now);
        match self.inboxes.get_mut(name) {
            Some(i) if i.status != Status::Deleting => Ok(i.settle(tokens, ack, &mut self.totals)),
            _ => Err(InboxError::NotFound(name.to_owned())),
        }
    }

    /// Messages still in the inbox, optionally of one status.
    pub fn messages(
        &mut self,
        name: &str,
        status: Option<&str>,
        now: u64,
    ) -> Result<Vec<Value>, InboxError> {
        Ok(self.live(name, now)?.list(status))
    }

    /// Offers events to the inbox; refused unless it is collecting
    /// (`active`) or `force` is set.
    pub fn publish(
        &mut self,
        name: &str,
        events: Vec<NewMessage>,
        force: bool,
        created_at: &str,
        now: u64,
        ids: &mut Ids,
    ) -> Result<Vec<String>, InboxError> {
        self.sweep(now);
        match self.inboxes.get_mut(name) {
            Some(i) if i.status == Status::Active || (force && i.status != Status::Deleting) => {
                Ok(i.publish(events, created_at, ids, &mut self.totals))
            }
            Some(i) if i.status != Status::Deleting => Err(InboxError::NotCollecting(i.status)),
            _ => Err(InboxError::NotFound(name.to_owned())),
        }
    }

    /// Records the outcome of a push notification for inbox `name`.
    pub fn notified(&mut self, name: &str, delivered: bool) {
        let f = |c: &mut Counters| {
            if delivered {
                c.notifications_sent += 1;
            } else {
                c.notifications_failed += 1;
            }
        };
        f(&mut self.totals);
        if let Some(inbox) = self.inboxes.get_mut(name) {
            f(&mut inbox.counters);
        }
    }

    /// Every message of the inbox, acked ones included.
    pub fn dump(&mut self, name: &str, now: u64) -> Result<Vec<Value>, InboxError> {
        Ok(self.get(name, now)?.dump())
    }

    /// Totals across inboxes plus each inbox's own counters.
    pub fn counters(&mut self, now: u64) -> Value {
        self.sweep(now);
        let per: Map<String, Value> = self
            .inboxes
            .iter()
            .map(|(name, i)| (name.clone(), i.stats()))
            .collect();
        let acked_twice: u64 = per
            .values()
            .filter_map(|v| v.get("acked_twice").and_then(Value::as_u64))
            .sum();
        let mut v = json!(self.totals);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("acked_twice".into(), json!(acked_twice));
            obj.insert("inboxes".into(), Value::Object(per));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(connection: &str) -> InboxSpec {
        InboxSpec {
            app_key: "SlackCLIAPI".into(),
            action: "channel_message".into(),
            connection: connection.into(),
            inputs: Map::new(),
            notification_url: None,
            init_failure: (connection == "bad").then(|| "bad connection".to_owned()),
        }
    }

    fn active_store(ids: &mut Ids) -> Store {
        let mut s = Store::new(100, 0);
        let (created, _) = s
            .upsert("box", spec("c"), ids.uuid4(), "t", 0)
            .expect("upsert");
        assert!(created);
        assert_eq!(s.get("box", 100).map(|i| i.status), Ok(Status::Active));
        s
    }

    fn new_messages(n: usize) -> Vec<NewMessage> {
        (0..n)
            .map(|i| NewMessage {
                payload: json!({ "i": i }),
                ..NewMessage::default()
            })
            .collect()
    }

    fn token(v: &Value) -> String {
        v["lease_token"].as_str().unwrap_or_default().to_owned()
    }

    #[test]
    fn upsert_is_idempotent_and_conflicts_on_other_subscription() {
        let mut ids = Ids::new(Some(1));
        let mut s = Store::new(100, 0);
        let (created, first) = s
            .upsert("box", spec("c"), "id1".into(), "t", 0)
            .expect("create");
        assert!(created);
        assert_eq!(first.status, Status::Initializing);
        let (created, again) = s
            .upsert("box", spec("c"), ids.uuid4(), "t", 10)
            .expect("again");
        assert!(!created);
        assert_eq!(again.view()["id"], "id1");
        assert!(matches!(
            s.upsert("box", spec("other"), ids.uuid4(), "t", 10),
            Err(InboxError::Conflict(_))
        ));
    }

    #[test]
    fn initialization_failure_reports_reason_and_resume_retries() {
        let mut s = Store::new(100, 0);
        s.upsert("bad", spec("bad"), "id".into(), "t", 0)
            .expect("create");
        let inbox = s.get("bad", 100).expect("get");
        assert_eq!(inbox.status, Status::InitializationFailure);
        assert_eq!(inbox.view()["paused_reason"], "bad connection");
        let v = s.resume("bad", 150).expect("resume");
        assert_eq!(v["status"], "initializing");
        assert_eq!(v["paused_reason"], Value::Null);
    }

    #[test]
    fn lease_hides_messages_and_tokens_are_unique() {
        let mut ids = Ids::new(Some(2));
        let mut s = active_store(&mut ids);
        s.publish("box", new_messages(3), false, "t", 100, &mut ids)
            .expect("publish");
        let a = s.lease("box", 30_000, 2, 100, &mut ids).expect("lease");
        let b = s.lease("box", 30_000, 10, 100, &mut ids).expect("lease");
        assert_eq!((a.len(), b.len()), (2, 1));
        assert!(s
            .lease("box", 30_000, 10, 100, &mut ids)
            .expect("lease")
            .is_empty());
        let mut tokens: Vec<String> = a.iter().chain(&b).map(token).collect();
        tokens.sort();
        tokens.dedup();
        assert_eq!(tokens.len(), 3);
        assert_eq!(a[0]["message_attributes"]["lease_count"], 1);
        assert_eq!(a[0]["status"], "leased");
    }

    #[test]
    fn expiry_returns_messages_and_stale_token_is_refused() {
        let mut ids = Ids::new(Some(3));
        let mut s = active_store(&mut ids);
        s.publish("box", new_messages(1), false, "t", 100, &mut ids)
            .expect("publish");
        let first = s.lease("box", 1000, 10, 100, &mut ids).expect("lease");
        assert!(s
            .lease("box", 1000, 10, 1099, &mut ids)
            .expect("lease")
            .is_empty());
        let second = s.lease("box", 1000, 10, 1100, &mut ids).expect("lease");
        assert_eq!(second.len(), 1);
        assert_eq!(second[0]["message_attributes"]["lease_count"], 2);
        let stale = s
            .settle("box", &[token(&first[0])], true, 1100)
            .expect("ack");
        assert!(stale.results.is_empty());
        assert_eq!(stale.failed[0]["code"], "lease_expired");
        let ok = s
            .settle("box", &[token(&second[0])], true, 1100)
            .expect("ack");
        assert_eq!(ok.results[0]["status"], "acked");
        let again = s
            .settle("box", &[token(&second[0])], true, 1200)
            .expect("ack");
        assert_eq!(again.results.len(), 1);
        let c = s.counters(1200);
        assert_eq!(
            (c["acked"].as_u64(), c["expired"].as_u64()),
            (Some(1), Some(1))
        );
        assert_eq!(c["ack_repeats"], 1);
        assert_eq!(c["acked_twice"], 0);
        assert_eq!(c["ack_rejected"]["lease_expired"], 1);
    }

    #[test]
    fn release_returns_to_pool_and_fifth_lease_quarantines() {
        let mut ids = Ids::new(Some(4));
        let mut s = active_store(&mut ids);
        s.publish("box", new_messages(1), false, "t", 100, &mut ids)
            .expect("publish");
        for round in 1..QUARANTINE_AT {
            let got = s.lease("box", 30_000, 1, 100, &mut ids).expect("lease");
            assert_eq!(got[0]["message_attributes"]["lease_count"], round);
            let r = s
                .settle("box", &[token(&got[0])], false, 100)
                .expect("release");
            assert_eq!(r.results[0]["status"], "released");
        }
        assert!(s
            .lease("box", 30_000, 1, 100, &mut ids)
            .expect("lease")
            .is_empty());
        let listed = s.messages("box", None, 100).expect("list");
        assert_eq!(listed[0]["status"], "quarantined");
        assert_eq!(
            listed[0]["message_attributes"]["lease_count"],
            QUARANTINE_AT
        );
        assert_eq!(s.counters(100)["quarantined"], 1);
    }

    #[test]
    fn pause_keeps_messages_and_stops_collection() {
        let mut ids = Ids::new(Some(5));
        let mut s = active_store(&mut ids);
        s.publish("box", new_messages(2), false, "t", 100, &mut ids)
            .expect("publish");
        assert_eq!(s.pause("box", 100).expect("pause")["status"], "paused");
        assert_eq!(
            s.publish("box", new_messages(1), false, "t", 100, &mut ids),
            Err(InboxError::NotCollecting(Status::Paused))
        );
        assert_eq!(
            s.lease("box", 1000, 10, 100, &mut ids)
                .expect("lease")
                .len(),
            2
        );
        assert_eq!(s.resume("box", 100).expect("resume")["status"], "active");
    }

    #[test]
    fn delete_removes_the_inbox() {
        let mut ids = Ids::new(Some(6));
        let mut s = active_store(&mut ids);
        assert_eq!(s.delete("box", 100).expect("delete")["status"], "deleting");
        assert!(matches!(s.get("box", 100), Err(InboxError::NotFound(_))));
        let mut slow = Store::new(0, 50);
        slow.upsert("b", spec("c"), "i".into(), "t", 0)
            .expect("create");
        slow.delete("b", 0).expect("delete");
        assert_eq!(slow.list(10, Some(Status::Deleting), None).len(), 1);
        assert!(matches!(
            slow.lease("b", 1, 1, 10, &mut ids),
            Err(InboxError::NotFound(_))
        ));
        assert!(slow.list(50, None, None).is_empty());
    }
}
