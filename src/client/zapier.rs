//! The Zapier Trigger Inbox client (`TriggerInboxClient`): triggers and
//! their input fields, inbox upsert/get/list/pause/resume/delete, waiting
//! for an inbox to become active, lease/ack/release, the authentications
//! list and the OAuth token calls (client credentials, token exchange).
//!
//! The wire types are those of `crate::formats::zapier` (shared with the
//! validators and the emulator); only the ack/release report, which the
//! seed does not document, is read here.

use super::consumer;
use super::http::{
    Body, Call, CallOptions, ClientError, HttpClient, Reply, RetryPolicy, TokenSource,
};
use super::js::{
    in_page, json_arg, now_ms, signal_of, sleep, string_arg, string_list, warn_once, Options,
};
use crate::formats::zapier::{
    ZapierInbox, ZapierInboxInput, ZapierInboxList, ZapierInboxStatus, ZapierInputFieldList,
    ZapierTokenResponse, ZapierTriggerList,
};
use crate::validate::validate_zapier_inbox_name;
use crate::wasm::convert::to_js;
use gloo_net::http::Method;
use js_sys::{Array, Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

/// `name` of every error the Trigger Inbox client throws.
pub const ERROR_NAME: &str = "TriggerInboxError";

const API: &str = "/trigger-inbox/api/v1";
const DEFAULT_BASE_URL: &str = "https://api.zapier.com";
const DEFAULT_TOKEN_URL: &str = "https://zapier.com";
static PAGE_WARNING: AtomicBool = AtomicBool::new(false);

/// Ack or release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Remove the messages for good.
    Ack,
    /// Return them to the pool now.
    Release,
}

impl Settle {
    fn path(self) -> &'static str {
        match self {
            Settle::Ack => "ack",
            Settle::Release => "release",
        }
    }
}

/// The tokens an ack or release call refused (the rest took effect).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct SettleReport {
    /// Refused tokens.
    #[serde(default)]
    pub failed: Vec<SettleFailure>,
}

impl SettleReport {
    /// The report of an ack or release answer; an empty answer means every
    /// token took effect.
    pub fn read(reply: &Reply) -> Result<SettleReport, ClientError> {
        if reply.is_empty() {
            return Ok(SettleReport::default());
        }
        reply.json()
    }
}

/// A refused lease token.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SettleFailure {
    /// The token.
    #[serde(default)]
    pub lease_token: String,
    /// The message, when known.
    #[serde(default)]
    pub id: Option<String>,
    /// Why: `lease_expired`, `lease_released`, `already_acked`, `unknown_lease_token`.
    pub code: String,
    /// Explanation.
    #[serde(default)]
    pub detail: String,
}

/// A leased message: what the consumer needs, plus the JS object itself
/// (handed to handlers untouched, so arbitrary payloads survive).
#[derive(Debug, Clone)]
pub struct LeasedMessage {
    /// Message ID.
    pub id: String,
    /// Lease token (unique per lease).
    pub token: String,
    /// How many times the message has been leased, this lease included.
    pub lease_count: u32,
    /// The upstream app gave no dedup ID.
    pub possible_duplicate: bool,
    /// The message object.
    pub value: JsValue,
}

/// The Trigger Inbox API over the shared fetch layer.
#[derive(Debug)]
pub struct ZapierClient {
    /// The fetch layer.
    pub http: HttpClient,
}

/// The URL path of inbox `name`, refused unless the name is safe in a URL
/// path (then it is its own encoding).
fn inbox_path(name: &str) -> Result<String, ClientError> {
    match validate_zapier_inbox_name(name).first() {
        Some(issue) => Err(ClientError::InvalidArgument(format!(
            "inbox name {name:?}: {}",
            issue.message
        ))),
        None => Ok(format!("{API}/inboxes/{name}/")),
    }
}

impl ZapierClient {
    /// GET /triggers/?app=
    pub async fn list_triggers(
        &self,
        app: &str,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let call = Call::new(Method::GET, format!("{API}/triggers/")).query("app", app);
        let reply = self.http.send(&call, o).await?;
        reply.json::<ZapierTriggerList>()?;
        reply.js()
    }

    /// GET /trigger-input-fields/?app=&action=&connection=
    pub async fn trigger_input_fields(
        &self,
        app: &str,
        action: &str,
        connection: &str,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let call = Call::new(Method::GET, format!("{API}/trigger-input-fields/"))
            .query("app", app)
            .query("action", action)
            .query("connection", connection);
        let reply = self.http.send(&call, o).await?;
        reply.json::<ZapierInputFieldList>()?;
        reply.js()
    }

    /// PUT /inboxes/{name}/ (upsert by name).
    pub async fn upsert_inbox(
        &self,
        name: &str,
        body: &Value,
        o: CallOptions<'_>,
    ) -> Result<(ZapierInbox, JsValue), ClientError> {
        serde_json::from_value::<ZapierInboxInput>(body.clone())
            .map_err(|e| ClientError::InvalidArgument(format!("inbox body: {e}")))?;
        let call = Call::new(Method::PUT, inbox_path(name)?).body(Body::json(body)?);
        let reply = self.http.send(&call, o).await?;
        Ok((reply.json()?, reply.js()?))
    }

    /// GET /inboxes/{name}/
    pub async fn get_inbox(
        &self,
        name: &str,
        o: CallOptions<'_>,
    ) -> Result<(ZapierInbox, JsValue), ClientError> {
        let reply = self
            .http
            .send(&Call::new(Method::GET, inbox_path(name)?), o)
            .await?;
        Ok((reply.json()?, reply.js()?))
    }

    /// GET /inboxes/?status=&name=
    pub async fn list_inboxes(
        &self,
        status: Option<String>,
        name: Option<String>,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let mut call = Call::new(Method::GET, format!("{API}/inboxes/"));
        if let Some(status) = status {
            call = call.query("status", status);
        }
        if let Some(name) = name {
            call = call.query("name", name);
        }
        let reply = self.http.send(&call, o).await?;
        reply.json::<ZapierInboxList>()?;
        reply.js()
    }

    /// POST /inboxes/{name}/pause/ or /resume/, DELETE /inboxes/{name}/.
    pub async fn inbox_action(
        &self,
        name: &str,
        action: InboxAction,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let path = inbox_path(name)?;
        let call = match action {
            InboxAction::Pause => Call::new(Method::POST, format!("{path}pause/")),
            InboxAction::Resume => Call::new(Method::POST, format!("{path}resume/")),
            InboxAction::Delete => Call::new(Method::DELETE, path),
        };
        self.http.send(&call, o).await?.js()
    }

    /// Polls the inbox until it is `active`; fails on `initialization_failure`
    /// (with its `paused_reason`), on `paused`/`deleting`, and at the timeout.
    pub async fn wait_until_active(
        &self,
        name: &str,
        timeout_ms: f64,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, ClientError> {
        let deadline = now_ms() + timeout_ms;
        let mut interval: f64 = 250.0;
        loop {
            let o = CallOptions {
                signal,
                ..CallOptions::default()
            };
            let (inbox, value) = self.get_inbox(name, o).await?;
            match inbox.status {
                ZapierInboxStatus::Active => return Ok(value),
                ZapierInboxStatus::Initializing => {}
                ZapierInboxStatus::InitializationFailure => {
                    return Err(ClientError::InitializationFailure {
                        inbox: name.to_owned(),
                        reason: inbox.paused_reason,
                    })
                }
                ZapierInboxStatus::Paused | ZapierInboxStatus::Deleting => {
                    return Err(ClientError::NotActive {
                        inbox: name.to_owned(),
                        status: inbox.status.as_str().to_owned(),
                    })
                }
            }
            let left = deadline - now_ms();
            if left <= 0.0 {
                return Err(ClientError::WaitTimeout {
                    inbox: name.to_owned(),
                    status: inbox.status.as_str().to_owned(),
                });
            }
            sleep(interval.min(left), signal)
                .await
                .map_err(ClientError::Aborted)?;
            interval = (interval * 2.0).min(2000.0);
        }
    }

    /// POST /inboxes/{name}/messages/lease/: the response object and its
    /// messages, checked to carry what ack/release and the consumer need.
    pub async fn lease(
        &self,
        name: &str,
        lease_seconds: Option<u32>,
        max_messages: Option<u32>,
        o: CallOptions<'_>,
    ) -> Result<(JsValue, Vec<LeasedMessage>), ClientError> {
        let mut body = Map::new();
        if let Some(s) = lease_seconds {
            body.insert("lease_seconds".into(), s.into());
        }
        if let Some(m) = max_messages {
            body.insert("max_messages".into(), m.into());
        }
        let call = Call::new(
            Method::POST,
            format!("{}messages/lease/", inbox_path(name)?),
        )
        .body(Body::json(&body)?);
        let value = self.http.send(&call, o).await?.js()?;
        let messages = read_lease(&value)?;
        Ok((value, messages))
    }

    /// POST /inboxes/{name}/messages/ack/ or /release/ with one batch of
    /// tokens (see [`SettleReport::read`] for the tokens refused).
    pub async fn settle(
        &self,
        name: &str,
        kind: Settle,
        tokens: &[String],
        o: CallOptions<'_>,
    ) -> Result<Reply, ClientError> {
        let call = Call::new(
            Method::POST,
            format!("{}messages/{}/", inbox_path(name)?, kind.path()),
        )
        .body(Body::json(&json!({ "lease_tokens": tokens }))?);
        self.http.send(&call, o).await
    }

    /// GET /inboxes/{name}/messages/?status=
    pub async fn list_messages(
        &self,
        name: &str,
        status: Option<String>,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let mut call = Call::new(Method::GET, format!("{}messages/", inbox_path(name)?));
        if let Some(status) = status {
            call = call.query("status", status);
        }
        self.http.send(&call, o).await?.js()
    }

    /// GET /v2/authentications/?app=&limit=&offset=
    pub async fn list_authentications(
        &self,
        app: &str,
        limit: Option<u32>,
        offset: Option<u32>,
        o: CallOptions<'_>,
    ) -> Result<JsValue, ClientError> {
        let mut call = Call::new(Method::GET, "/v2/authentications/".to_owned()).query("app", app);
        if let Some(limit) = limit {
            call = call.query("limit", limit.to_string());
        }
        if let Some(offset) = offset {
            call = call.query("offset", offset.to_string());
        }
        self.http.send(&call, o).await?.js()
    }
}

/// Inbox state changes without a body.
#[derive(Debug, Clone, Copy)]
pub enum InboxAction {
    /// POST pause/.
    Pause,
    /// POST resume/.
    Resume,
    /// DELETE.
    Delete,
}

fn member(object: &JsValue, key: &JsValue) -> JsValue {
    Reflect::get(object, key).unwrap_or(JsValue::UNDEFINED)
}

/// Member names read from every leased message, made into JS strings once
/// (converting a Rust string per read costs more than the read).
struct MessageKeys {
    results: JsValue,
    id: JsValue,
    lease_token: JsValue,
    attributes: JsValue,
    lease_count: JsValue,
    possible_duplicate: JsValue,
}

thread_local! {
    static MESSAGE_KEYS: MessageKeys = MessageKeys {
        results: "results".into(),
        id: "id".into(),
        lease_token: "lease_token".into(),
        attributes: "message_attributes".into(),
        lease_count: "lease_count".into(),
        possible_duplicate: "possible_duplicate_data".into(),
    };
}

/// Reads the messages of a lease response (`{ results: [...] }`).
fn read_lease(value: &JsValue) -> Result<Vec<LeasedMessage>, ClientError> {
    MESSAGE_KEYS.with(|k| read_lease_with(value, k))
}

fn read_lease_with(value: &JsValue, k: &MessageKeys) -> Result<Vec<LeasedMessage>, ClientError> {
    let bad = |m: &str| ClientError::InvalidResponse(format!("lease response: {m}"));
    let results = member(value, &k.results);
    if !Array::is_array(&results) {
        return Err(bad("results is not an array"));
    }
    let results: Array = results.unchecked_into();
    let mut messages = Vec::with_capacity(results.length() as usize);
    for message in results.iter() {
        let id = member(&message, &k.id)
            .as_string()
            .ok_or_else(|| bad("a message has no string id"))?;
        let token = member(&message, &k.lease_token)
            .as_string()
            .ok_or_else(|| bad("a message has no string lease_token"))?;
        let attributes = member(&message, &k.attributes);
        let lease_count = member(&attributes, &k.lease_count)
            .as_f64()
            .filter(|n| *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX))
            .map(|n| n as u32)
            .ok_or_else(|| bad("a message has no integer message_attributes.lease_count"))?;
        let possible_duplicate = member(&attributes, &k.possible_duplicate)
            .as_bool()
            .unwrap_or(false);
        messages.push(LeasedMessage {
            id,
            token,
            lease_count,
            possible_duplicate,
            value: message,
        });
    }
    Ok(messages)
}

/// POST {baseUrl}/oauth/token with a form body.
async fn token_call(
    options: &Options<'_>,
    form: &[(&str, &str)],
    signal: Option<&AbortSignal>,
) -> Result<JsValue, ClientError> {
    let base = options
        .string("baseUrl")?
        .unwrap_or_else(|| DEFAULT_TOKEN_URL.to_owned());
    let policy = RetryPolicy::from_js(options.get("retry").as_ref())?;
    let http = HttpClient::new(&base, Vec::new(), None, policy, ERROR_NAME)?;
    let call = Call::new(Method::POST, "/oauth/token".to_owned()).body(Body::form(form));
    let reply = http
        .send(
            &call,
            CallOptions {
                signal,
                ..CallOptions::default()
            },
        )
        .await?;
    reply.json::<ZapierTokenResponse>()?;
    reply.js()
}

// ---------------------------------------------------------------- JS API

/// Runs `work` as a promise whose rejection is a `TriggerInboxError`.
pub(crate) fn promise<F>(work: F) -> Promise
where
    F: std::future::Future<Output = Result<JsValue, ClientError>> + 'static,
{
    future_to_promise(async move { work.await.map_err(|e| e.to_js(ERROR_NAME)) })
}

/// The client of the Zapier Trigger Inbox API.
#[wasm_bindgen(js_name = TriggerInboxClient, skip_typescript)]
pub struct TriggerInboxClient {
    inner: Rc<ZapierClient>,
}

#[wasm_bindgen(js_class = TriggerInboxClient)]
impl TriggerInboxClient {
    /// `new TriggerInboxClient({ baseUrl?, token, retry? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<TriggerInboxClient, JsValue> {
        Self::build(&options).map_err(|e| e.to_js(ERROR_NAME))
    }

    fn build(options: &JsValue) -> Result<TriggerInboxClient, ClientError> {
        let http = HttpClient::from_options(options, Some(DEFAULT_BASE_URL), ERROR_NAME, |o| {
            let token = o.get("token").ok_or_else(|| {
                ClientError::InvalidArgument("options.token is required".to_owned())
            })?;
            Ok((Vec::new(), Some(TokenSource::from_js(token)?)))
        })?;
        warn_in_page();
        Ok(TriggerInboxClient {
            inner: Rc::new(ZapierClient { http }),
        })
    }

    /// Lists the triggers of `app`.
    #[wasm_bindgen(js_name = listTriggers)]
    pub fn list_triggers(&self, app: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let app = string_arg(&app, "app")?;
            let signal = signal_of(&options, "options")?;
            inner
                .list_triggers(&app, CallOptions::with_signal(signal.as_ref()))
                .await
        })
    }

    /// Lists the input fields of trigger `action` of `app` for `connection`.
    #[wasm_bindgen(js_name = triggerInputFields)]
    pub fn trigger_input_fields(
        &self,
        app: JsValue,
        action: JsValue,
        connection: JsValue,
        options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let app = string_arg(&app, "app")?;
            let action = string_arg(&action, "action")?;
            let connection = string_arg(&connection, "connection")?;
            let signal = signal_of(&options, "options")?;
            inner
                .trigger_input_fields(
                    &app,
                    &action,
                    &connection,
                    CallOptions::with_signal(signal.as_ref()),
                )
                .await
        })
    }

    /// Creates the inbox `name`, or returns it if it exists with the same
    /// app, action and connection (409 `conflict` otherwise).
    #[wasm_bindgen(js_name = upsertInbox)]
    pub fn upsert_inbox(&self, name: JsValue, body: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let body = json_arg(&body, "body")?;
            let signal = signal_of(&options, "options")?;
            let (_, value) = inner
                .upsert_inbox(&name, &body, CallOptions::with_signal(signal.as_ref()))
                .await?;
            Ok(value)
        })
    }

    /// Gets the inbox `name`.
    #[wasm_bindgen(js_name = getInbox)]
    pub fn get_inbox(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let signal = signal_of(&options, "options")?;
            let (_, value) = inner
                .get_inbox(&name, CallOptions::with_signal(signal.as_ref()))
                .await?;
            Ok(value)
        })
    }

    /// Lists inboxes, optionally filtered by `status` and exact `name`.
    #[wasm_bindgen(js_name = listInboxes)]
    pub fn list_inboxes(&self, filter: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let o = Options::new(filter.as_ref(), "filter")?;
            let signal = o.signal("signal")?;
            inner
                .list_inboxes(
                    o.string("status")?,
                    o.string("name")?,
                    CallOptions::with_signal(signal.as_ref()),
                )
                .await
        })
    }

    /// Polls until the inbox is `active` (`{ timeoutMs = 60000, signal }`).
    #[wasm_bindgen(js_name = waitUntilActive)]
    pub fn wait_until_active(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let o = Options::new(options.as_ref(), "options")?;
            let timeout = o
                .number("timeoutMs", 0.0, 86_400_000.0)?
                .unwrap_or(60_000.0);
            let signal = o.signal("signal")?;
            inner
                .wait_until_active(&name, timeout, signal.as_ref())
                .await
        })
    }

    /// Pauses collection (buffered messages are kept).
    pub fn pause(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        self.action(name, options, InboxAction::Pause)
    }

    /// Resumes collection.
    pub fn resume(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        self.action(name, options, InboxAction::Resume)
    }

    /// Marks the inbox for deletion.
    #[wasm_bindgen(js_name = deleteInbox)]
    pub fn delete_inbox(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        self.action(name, options, InboxAction::Delete)
    }

    fn action(&self, name: JsValue, options: Option<JsValue>, action: InboxAction) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let signal = signal_of(&options, "options")?;
            inner
                .inbox_action(&name, action, CallOptions::with_signal(signal.as_ref()))
                .await
        })
    }

    /// Leases messages (`{ leaseSeconds?, maxMessages?, signal? }`).
    pub fn lease(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let o = Options::new(options.as_ref(), "options")?;
            let lease_seconds = o.integer("leaseSeconds", 1, 86_400)?;
            let max_messages = o.integer("maxMessages", 1, 10_000)?;
            let signal = o.signal("signal")?;
            let (value, _) = inner
                .lease(
                    &name,
                    lease_seconds,
                    max_messages,
                    CallOptions::with_signal(signal.as_ref()),
                )
                .await?;
            Ok(value)
        })
    }

    /// Acknowledges (removes) the messages leased with `tokens`.
    pub fn ack(&self, name: JsValue, tokens: JsValue, options: Option<JsValue>) -> Promise {
        self.settle(name, tokens, options, Settle::Ack)
    }

    /// Releases the messages leased with `tokens` back to the pool.
    pub fn release(&self, name: JsValue, tokens: JsValue, options: Option<JsValue>) -> Promise {
        self.settle(name, tokens, options, Settle::Release)
    }

    fn settle(
        &self,
        name: JsValue,
        tokens: JsValue,
        options: Option<JsValue>,
        kind: Settle,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let tokens = string_list(&tokens, "tokens")?;
            let signal = signal_of(&options, "options")?;
            inner
                .settle(
                    &name,
                    kind,
                    &tokens,
                    CallOptions::with_signal(signal.as_ref()),
                )
                .await?
                .js()
        })
    }

    /// Lists the user's connections of `app` (GET /v2/authentications/),
    /// one page (`{ limit?, offset?, signal? }`).
    #[wasm_bindgen(js_name = listAuthentications)]
    pub fn list_authentications(&self, app: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let app = string_arg(&app, "app")?;
            let o = Options::new(options.as_ref(), "options")?;
            let limit = o.integer("limit", 1, 1000)?;
            let offset = o.integer("offset", 0, u32::MAX)?;
            let signal = o.signal("signal")?;
            inner
                .list_authentications(
                    &app,
                    limit,
                    offset,
                    CallOptions::with_signal(signal.as_ref()),
                )
                .await
        })
    }

    /// Lists the messages still in the inbox, quarantined ones included
    /// (`{ status?: 'available' | 'leased' | 'quarantined', signal? }`).
    #[wasm_bindgen(js_name = listMessages)]
    pub fn list_messages(&self, name: JsValue, options: Option<JsValue>) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let name = string_arg(&name, "name")?;
            let o = Options::new(options.as_ref(), "options")?;
            let status = o.string("status")?;
            let signal = o.signal("signal")?;
            inner
                .list_messages(&name, status, CallOptions::with_signal(signal.as_ref()))
                .await
        })
    }

    /// Drains the inbox with `handler`; see `ConsumeOptions`.
    pub fn consume(&self, name: JsValue, handler: JsValue, options: Option<JsValue>) -> Promise {
        consumer::consume(self.inner.clone(), name, handler, options)
    }

    /// OAuth client credentials grant: POST {baseUrl}/oauth/token.
    #[wasm_bindgen(js_name = fetchToken)]
    pub fn fetch_token(options: JsValue) -> Promise {
        promise(async move {
            let o = Options::new(Some(&options), "options")?;
            warn_in_page();
            let client_id = o.required_string("clientId")?;
            let client_secret = o.required_string("clientSecret")?;
            let scope = o.string("scope")?.unwrap_or_else(|| "external".to_owned());
            let signal = o.signal("signal")?;
            let form = [
                ("grant_type", "client_credentials"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.as_str()),
                ("scope", scope.as_str()),
            ];
            token_call(&o, &form, signal.as_ref()).await
        })
    }

    /// OAuth token exchange grant (RFC 8693): trades a partner-signed JWT
    /// for a user access token.
    #[wasm_bindgen(js_name = exchangeToken)]
    pub fn exchange_token(options: JsValue) -> Promise {
        promise(async move {
            let o = Options::new(Some(&options), "options")?;
            warn_in_page();
            let client_id = o.required_string("clientId")?;
            let client_secret = o.required_string("clientSecret")?;
            let subject_token = o.required_string("subjectToken")?;
            let subject_type = o
                .string("subjectTokenType")?
                .unwrap_or_else(|| "urn:ietf:params:oauth:token-type:external-jwt".to_owned());
            let requested_type = o
                .string("requestedTokenType")?
                .unwrap_or_else(|| "urn:ietf:params:oauth:token-type:access-token".to_owned());
            let scope = o.string("scope")?.unwrap_or_else(|| "external".to_owned());
            let signal = o.signal("signal")?;
            let form = [
                (
                    "grant_type",
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                ),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.as_str()),
                ("subject_token", subject_token.as_str()),
                ("subject_token_type", subject_type.as_str()),
                ("requested_token_type", requested_type.as_str()),
                ("scope", scope.as_str()),
            ];
            token_call(&o, &form, signal.as_ref()).await
        })
    }
}

fn warn_in_page() {
    if in_page() {
        warn_once(
            &PAGE_WARNING,
            "triggerkit: a Zapier bearer token or client secret is being used in a web page; \
             keep it server-side (anyone using the page can read it)",
        );
    }
}

/// Calls `f(args...)` now; the future awaits what it returned (a value or
/// a promise).
pub(crate) fn call_js(
    f: &Function,
    args: &[&JsValue],
) -> impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static {
    let this = JsValue::UNDEFINED;
    let called = match args {
        [] => f.call0(&this),
        [a] => f.call1(&this, a),
        [a, b] => f.call2(&this, a, b),
        _ => f.apply(&this, &args.iter().copied().collect::<Array>()),
    };
    async move { wasm_bindgen_futures::JsFuture::from(Promise::resolve(&called?)).await }
}

/// Serializes a value for JS, as a client error on failure.
pub(crate) fn js_value<T: Serialize>(value: &T) -> Result<JsValue, ClientError> {
    to_js(value).map_err(|_| ClientError::Runtime("could not build the JS value".to_owned()))
}

#[wasm_bindgen(typescript_custom_section)]
const TRIGGER_INBOX_TS: &'static str = r#"
/** A leased message whose payload has the shape `P` (ZapierMessage with a typed payload). */
export type TriggerInboxMessage<P = Record<string, unknown>> = Omit<ZapierMessage, 'payload'> & { payload: P };
/** The answer of a lease call, with payloads of shape `P`. */
export interface TriggerInboxLease<P = Record<string, unknown>> { results: TriggerInboxMessage<P>[]; }

/** Options of `new TriggerInboxClient(...)`. */
export interface TriggerInboxClientOptions {
    /** Default `https://api.zapier.com`. */
    baseUrl?: string;
    /** OAuth bearer token, or a function returning one (called per request). Keep it server-side. */
    token: string | (() => string | Promise<string>);
    retry?: RetryOptions;
}

/** Filter of listInboxes. */
export interface InboxFilter extends CallOptions { status?: ZapierInboxStatus; name?: string; }
/** Options of waitUntilActive. */
export interface WaitOptions extends CallOptions { /** Default 60000. */ timeoutMs?: number; }
/** Options of lease. */
export interface LeaseOptions extends CallOptions { /** Default 30 (server side). */ leaseSeconds?: number; maxMessages?: number; }

/** Options of TriggerInboxClient.fetchToken (client credentials grant). */
export interface FetchTokenOptions extends CallOptions {
    /** Default `https://zapier.com`. */
    baseUrl?: string;
    clientId: string;
    clientSecret: string;
    /** Default `external`. */
    scope?: string;
    retry?: RetryOptions;
}

/** Options of TriggerInboxClient.exchangeToken (RFC 8693 token exchange). */
export interface ExchangeTokenOptions extends FetchTokenOptions {
    /** The partner-signed JWT. */
    subjectToken: string;
    /** Default `urn:ietf:params:oauth:token-type:external-jwt`. */
    subjectTokenType?: string;
    /** Default `urn:ietf:params:oauth:token-type:access-token`. */
    requestedTokenType?: string;
}

/** Options of listAuthentications. */
export interface AuthenticationListOptions extends CallOptions { limit?: number; offset?: number; }
/** Options of listMessages. */
export interface MessageListOptions extends CallOptions { status?: 'available' | 'leased' | 'quarantined'; }
/** A message as listed (no lease token unless leased). */
export type TriggerInboxListedMessage<P = Record<string, unknown>> = Omit<TriggerInboxMessage<P>, 'lease_token'> & { lease_token?: string };
/** The answer of listMessages. */
export interface TriggerInboxMessageList<P = Record<string, unknown>> { results: TriggerInboxListedMessage<P>[]; }
/** The answer of ack and release: the tokens that took effect and those refused. */
export interface TriggerInboxSettleReport {
    results: { lease_token: string; id: string | null; status: 'acked' | 'released' }[];
    failed: { lease_token: string; id: string | null; code: 'lease_expired' | 'lease_released' | 'already_acked' | 'unknown_lease_token' | (string & {}); detail: string }[];
}

/** What the handler gets besides the message. */
export interface HandlerContext {
    /** Fires at the handler timeout (before the lease ends) or when a stopped consumer's drain time is over. */
    signal: AbortSignal;
    /** Times the message has been leased, this lease included. */
    leaseCount: number;
    /** Last try before quarantine (leaseCount >= poisonLeaseCount): if the handler fails, onPoison is called. */
    poison: boolean;
    /** The inbox could not deduplicate this event (`possible_duplicate_data`). */
    possibleDuplicate: boolean;
    /** Epoch milliseconds by which the handler must be done. */
    deadline: number;
}

/** Processes one message; a throw or rejection means failure (the message is released). */
export type MessageHandler<P = Record<string, unknown>> =
    (message: TriggerInboxMessage<P>, context: HandlerContext) => unknown;

/** Options of consume (every member optional). */
export interface ConsumeOptions<P = Record<string, unknown>> {
    /** Stops the consumer: no more leases; in-flight messages finish or are released by the drain deadline. */
    signal?: AbortSignal;
    /** Upsert the inbox with this body first (then wait until active). */
    upsert?: ZapierInboxInput;
    /** Wait until the inbox is active before leasing (default: true with upsert). */
    waitUntilActive?: boolean;
    /** Default 60000. */
    waitTimeoutMs?: number;
    /** Lease duration (default 30). */
    leaseSeconds?: number;
    /** Messages per lease call (default 50). */
    maxMessages?: number;
    /** Lease calls in flight at once (default 1; 2 overlaps a lease's round trip with handling the previous batch). */
    leaseConcurrency?: number;
    /** Handlers running at once (default 16). */
    concurrency?: number;
    /** Leased messages held at once, running or waiting (default max(2 x concurrency, maxMessages)). */
    maxInFlight?: number;
    /** Time kept at the end of a lease to settle its message (default 20% of the lease, 200..10000 ms). */
    leaseMarginMs?: number;
    /** Handler time limit (default and maximum: lease minus leaseMarginMs). */
    handlerTimeoutMs?: number;
    /** Lease tokens per ack or release call (default 100). */
    batchSize?: number;
    /** Longest a settled message waits for its batch (default 50). */
    flushIntervalMs?: number;
    /** Wait after an empty lease, doubling per empty lease (default 5000). */
    emptyBackoffMs?: number;
    /** Cap of that wait (default 60000). */
    maxEmptyBackoffMs?: number;
    /** Time in-flight work gets after the stop signal (default 10000). */
    drainTimeoutMs?: number;
    /** Lease count from which a failing message is poison (default 4; quarantine is at 5). */
    poisonLeaseCount?: number;
    /** After onPoison: 'ack' drops the message (default, like the reference loop); 'release' lets the inbox quarantine it. A throwing onPoison always releases. */
    poisonAction?: 'ack' | 'release';
    /** Called when a poison message fails. */
    onPoison?: (message: TriggerInboxMessage<P>, error: unknown) => void | Promise<void>;
    /** Called with errors the consumer survives (a lease or settle call that ran out of retries, a failing hook). */
    onError?: (error: unknown) => void;
    /** Idempotency hook: true when this message id was already processed (it is then acked, not handled). */
    seen?: (id: string) => boolean | Promise<boolean>;
    /** Idempotency hook: called with the id after the handler succeeded. */
    remember?: (id: string) => void | Promise<void>;
    /** Ids of processed messages remembered in memory to skip redeliveries (default 10000; 0 = off). */
    dedupeCapacity?: number;
    /** Resolve once a lease comes back empty with nothing in flight and no message left to a running lease. */
    stopWhenEmpty?: boolean;
}

/** The Error every TriggerInboxClient call rejects with. */
export interface TriggerInboxError extends ClientError {
    name: 'TriggerInboxError';
    inbox?: string;
    /** For code `initialization_failure`. */
    pausedReason?: string | null;
    /** For codes `inbox_not_active` and `wait_timeout`. */
    inboxStatus?: string;
    /** The consumer's stats when consume rejects. */
    stats?: ConsumerStats;
}

/** Client of the Zapier Trigger Inbox API (server-side: the token must not reach browsers). */
export class TriggerInboxClient {
    free(): void;
    [Symbol.dispose](): void;
    constructor(options: TriggerInboxClientOptions);
    listTriggers(app: string, options?: CallOptions): Promise<ZapierTriggerList>;
    triggerInputFields(app: string, action: string, connection: string, options?: CallOptions): Promise<ZapierInputFieldList>;
    upsertInbox(name: string, body: ZapierInboxInput, options?: CallOptions): Promise<ZapierInbox>;
    getInbox(name: string, options?: CallOptions): Promise<ZapierInbox>;
    listInboxes(filter?: InboxFilter): Promise<ZapierInboxList>;
    waitUntilActive(name: string, options?: WaitOptions): Promise<ZapierInbox>;
    pause(name: string, options?: CallOptions): Promise<ZapierInbox>;
    resume(name: string, options?: CallOptions): Promise<ZapierInbox>;
    deleteInbox(name: string, options?: CallOptions): Promise<ZapierInbox>;
    lease<P = Record<string, unknown>>(name: string, options?: LeaseOptions): Promise<TriggerInboxLease<P>>;
    ack(name: string, tokens: string[], options?: CallOptions): Promise<TriggerInboxSettleReport>;
    release(name: string, tokens: string[], options?: CallOptions): Promise<TriggerInboxSettleReport>;
    listMessages<P = Record<string, unknown>>(name: string, options?: MessageListOptions): Promise<TriggerInboxMessageList<P>>;
    listAuthentications(app: string, options?: AuthenticationListOptions): Promise<ZapierAuthenticationList>;
    consume<P = Record<string, unknown>>(name: string, handler: MessageHandler<P>, options?: ConsumeOptions<P>): Promise<ConsumerStats>;
    static fetchToken(options: FetchTokenOptions): Promise<ZapierTokenResponse>;
    static exchangeToken(options: ExchangeTokenOptions): Promise<ZapierTokenResponse>;
}
"#;
