//! The fetch layer every client shares (gloo-net over the global `fetch`):
//! base URL and credentials, typed errors, retries and cancellation.
//!
//! Retried: network errors (including a per-attempt timeout), 5xx and 429.
//! A `Retry-After` header (seconds or HTTP-date) is honoured exactly;
//! otherwise the delay is exponential backoff with full jitter, capped.
//! Never retried: every other 4xx (a 409 is a configuration conflict, not a
//! transient state). Every call takes an optional AbortSignal, which stops
//! the request in flight and any wait between attempts.

use super::js::{
    abort_error, bound_abort, new_controller, now_ms, sleep, Listener, Options, Timer,
};
use crate::wasm::convert::to_js;
use crate::wasm::errors::js_error;
use gloo_net::http::{Method, Response};
use js_sys::{Function, JsString};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::cell::Cell;
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

/// When and how often a failed request is tried again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Backoff before the first retry, before jitter.
    pub base_delay_ms: f64,
    /// Cap of the exponential backoff.
    pub max_delay_ms: f64,
    /// The longest `Retry-After` waited for; a longer one ends the call with
    /// the error (its `retryAfter` tells the caller when to come back).
    pub max_retry_after_ms: f64,
    /// Time limit of one attempt (request and response body).
    pub timeout_ms: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay_ms: 250.0,
            max_delay_ms: 20_000.0,
            max_retry_after_ms: 120_000.0,
            timeout_ms: 30_000.0,
        }
    }
}

impl RetryPolicy {
    /// Reads `{ maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs,
    /// timeoutMs }`, every member optional.
    pub fn from_js(value: Option<&JsValue>) -> Result<RetryPolicy, ClientError> {
        let o = Options::new(value, "retry")?;
        let d = RetryPolicy::default();
        const DAY_MS: f64 = 86_400_000.0;
        Ok(RetryPolicy {
            max_attempts: o.integer("maxAttempts", 1, 100)?.unwrap_or(d.max_attempts),
            base_delay_ms: o
                .number("baseDelayMs", 0.0, DAY_MS)?
                .unwrap_or(d.base_delay_ms),
            max_delay_ms: o
                .number("maxDelayMs", 0.0, DAY_MS)?
                .unwrap_or(d.max_delay_ms),
            max_retry_after_ms: o
                .number("maxRetryAfterMs", 0.0, DAY_MS)?
                .unwrap_or(d.max_retry_after_ms),
            timeout_ms: o.number("timeoutMs", 1.0, DAY_MS)?.unwrap_or(d.timeout_ms),
        })
    }

    /// The wait before retry number `retry` (1 for the first retry) given a
    /// uniform `random` in `[0, 1)`: full jitter over the capped exponential.
    pub fn backoff_ms(&self, retry: u32, random: f64) -> f64 {
        let exponent = retry.saturating_sub(1).min(52) as i32;
        let ceiling = (self.base_delay_ms * 2f64.powi(exponent)).min(self.max_delay_ms);
        ceiling * random.clamp(0.0, 1.0)
    }
}

/// Whether a response status is worth another attempt.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// Seconds to wait according to a `Retry-After` value: delta-seconds, or an
/// HTTP-date measured against `now_epoch_ms` (dates in the past give 0).
pub fn parse_retry_after(value: &str, now_epoch_ms: f64) -> Option<f64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<f64>().ok();
    }
    // An HTTP-date names its day and month; without letters it is garbage
    // (which Date.parse might still read as a year).
    if !value.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let at = js_sys::Date::parse(value);
    if at.is_finite() {
        return Some(((at - now_epoch_ms) / 1000.0).max(0.0).ceil());
    }
    None
}

/// What an error body says: the API's own code and message, found in the
/// envelopes of the five APIs (`{code, detail}`, `{error, error_description}`,
/// `{error, description}`, `{error: {message, code}}`, `{errors: [...]}`,
/// `{success: false, error, errorType}`).
pub fn describe_error_body(body: &Value) -> (Option<String>, Option<String>) {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let first_error = body
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let nested = body.get("error").filter(|e| e.is_object());
    let code = text(body.get("code"))
        .or_else(|| text(body.get("errorType")))
        .or_else(|| text(body.get("error")).map(|e| bracketed_code(&e).unwrap_or(e)))
        .or_else(|| text(nested.and_then(|e| e.get("code"))))
        .or_else(|| text(nested.and_then(|e| e.get("slug"))))
        .or_else(|| text(first_error.and_then(|e| e.get("code"))));
    let message = text(body.get("detail"))
        .or_else(|| text(body.get("message")))
        .or_else(|| text(body.get("error_description")))
        .or_else(|| text(body.get("description")))
        .or_else(|| text(nested.and_then(|e| e.get("message"))))
        .or_else(|| text(first_error.and_then(|e| e.get("detail"))))
        .or_else(|| text(first_error.and_then(|e| e.get("message"))))
        .or_else(|| body.get("detail").map(|d| truncate(&d.to_string())))
        .or_else(|| text(body.get("error")).filter(|e| Some(e) != code.as_ref()));
    (code, message)
}

/// Rocket.Chat ends its messages with the error type in brackets
/// (`User does not have the permissions [error-unauthorized]`).
fn bracketed_code(message: &str) -> Option<String> {
    let inner = message.trim_end().strip_suffix(']')?;
    let (_, code) = inner.rsplit_once('[')?;
    let valid = !code.is_empty()
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| code.to_owned())
}

fn truncate(text: &str) -> String {
    const MAX: usize = 500;
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}...", text.get(..at).unwrap_or(text)),
        None => text.to_owned(),
    }
}

/// An error response from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpFailure {
    /// HTTP status.
    pub status: u16,
    /// The API's own error code, or `http_<status>` when the body has none.
    pub code: String,
    /// The API's message, or the start of the body.
    pub message: String,
    /// Seconds the server asked to wait (`Retry-After`).
    pub retry_after: Option<f64>,
    /// The parsed error body, when it was JSON.
    pub body: Option<Value>,
    /// Attempts made before giving up.
    pub attempts: u32,
}

impl HttpFailure {
    /// Reads a failed response.
    pub fn from_response(status: u16, text: &str, retry_after: Option<&str>) -> HttpFailure {
        let body = serde_json::from_str::<Value>(text).ok();
        let (code, message) = body.as_ref().map(describe_error_body).unwrap_or_default();
        let message = message.unwrap_or_else(|| {
            if text.trim().is_empty() {
                format!("HTTP {status}")
            } else {
                truncate(text.trim())
            }
        });
        HttpFailure {
            status,
            code: code.unwrap_or_else(|| format!("http_{status}")),
            message,
            retry_after: retry_after.and_then(|v| parse_retry_after(v, js_sys::Date::now())),
            body,
            attempts: 1,
        }
    }
}

/// Every error of the clients and the consumer. `code()` is stable.
#[derive(Debug, Clone)]
pub enum ClientError {
    /// The server answered with an error status (code from the API).
    Http(HttpFailure),
    /// No response: connection refused or dropped, DNS, CORS
    /// (`network_error`), or an attempt ran over `timeoutMs`
    /// (`request_timeout`), after the retries.
    Network {
        /// What fetch said.
        message: String,
        /// The attempt ran out of time.
        timed_out: bool,
        /// Attempts made.
        attempts: u32,
    },
    /// The caller's AbortSignal fired (`aborted`); `reason` is the signal's.
    Aborted(JsValue),
    /// A success response that is not the documented JSON (`invalid_response`).
    InvalidResponse(String),
    /// A bad argument or option (`invalid_argument`).
    InvalidArgument(String),
    /// The inbox failed to initialize (`initialization_failure`).
    InitializationFailure {
        /// Inbox name.
        inbox: String,
        /// The inbox's `paused_reason`.
        reason: Option<String>,
    },
    /// The inbox is paused or being deleted, so it will not become active
    /// by waiting (`inbox_not_active`).
    NotActive {
        /// Inbox name.
        inbox: String,
        /// Its status.
        status: String,
    },
    /// `waitUntilActive` ran out of time (`wait_timeout`).
    WaitTimeout {
        /// Inbox name.
        inbox: String,
        /// The last status seen.
        status: String,
    },
    /// The JS environment lacks something the client needs (`runtime_error`).
    Runtime(String),
}

impl ClientError {
    /// The stable error code.
    pub fn code(&self) -> &str {
        match self {
            ClientError::Http(f) => &f.code,
            ClientError::Network {
                timed_out: false, ..
            } => "network_error",
            ClientError::Network {
                timed_out: true, ..
            } => "request_timeout",
            ClientError::Aborted(_) => "aborted",
            ClientError::InvalidResponse(_) => "invalid_response",
            ClientError::InvalidArgument(_) => "invalid_argument",
            ClientError::InitializationFailure { .. } => "initialization_failure",
            ClientError::NotActive { .. } => "inbox_not_active",
            ClientError::WaitTimeout { .. } => "wait_timeout",
            ClientError::Runtime(_) => "runtime_error",
        }
    }

    /// HTTP status, for server errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Http(f) => Some(f.status),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (network, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Http(f) => is_retryable_status(f.status),
            ClientError::Network { .. } => true,
            _ => false,
        }
    }

    /// Seconds the server asked to wait.
    pub fn retry_after(&self) -> Option<f64> {
        match self {
            ClientError::Http(f) => f.retry_after,
            _ => None,
        }
    }

    fn with_attempts(mut self, n: u32) -> ClientError {
        match &mut self {
            ClientError::Http(f) => f.attempts = n,
            ClientError::Network { attempts, .. } => *attempts = n,
            _ => {}
        }
        self
    }

    /// The JS `Error` (named `name`) with `code`, and `status`, `retryAfter`,
    /// `body`, `attempts`, `cause`, `inbox`, `pausedReason` where they apply.
    pub fn to_js(&self, name: &str) -> JsValue {
        let message = self.to_string();
        let mut extra: Vec<(&str, JsValue)> = Vec::new();
        match self {
            ClientError::Http(f) => {
                extra.push(("status", f.status.into()));
                if let Some(s) = f.retry_after {
                    extra.push(("retryAfter", s.into()));
                }
                if let Some(body) = f.body.as_ref().and_then(|b| to_js(b).ok()) {
                    extra.push(("body", body));
                }
                extra.push(("attempts", f.attempts.into()));
            }
            ClientError::Network { attempts, .. } => extra.push(("attempts", (*attempts).into())),
            ClientError::Aborted(reason) => extra.push(("cause", reason.clone())),
            ClientError::InitializationFailure { inbox, reason } => {
                extra.push(("inbox", inbox.into()));
                extra.push((
                    "pausedReason",
                    reason
                        .as_deref()
                        .map(JsValue::from)
                        .unwrap_or(JsValue::NULL),
                ));
            }
            ClientError::NotActive { inbox, status }
            | ClientError::WaitTimeout { inbox, status } => {
                extra.push(("inbox", inbox.into()));
                extra.push(("inboxStatus", status.into()));
            }
            ClientError::InvalidResponse(_)
            | ClientError::InvalidArgument(_)
            | ClientError::Runtime(_) => {}
        }
        js_error(name, self.code(), &message, &extra)
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Http(e) => write!(f, "HTTP {} {}: {}", e.status, e.code, e.message),
            ClientError::Network {
                message,
                timed_out,
                attempts,
            } => {
                let what = if *timed_out {
                    "request timed out"
                } else {
                    "network error"
                };
                write!(f, "{what} after {attempts} attempt(s): {message}")
            }
            ClientError::Aborted(_) => write!(f, "aborted"),
            ClientError::InvalidResponse(m) => write!(f, "unexpected response: {m}"),
            ClientError::InvalidArgument(m) | ClientError::Runtime(m) => write!(f, "{m}"),
            ClientError::InitializationFailure { inbox, reason } => write!(
                f,
                "inbox {inbox:?} failed to initialize: {}",
                reason.as_deref().unwrap_or("no reason given")
            ),
            ClientError::NotActive { inbox, status } => {
                write!(f, "inbox {inbox:?} is {status}, not active")
            }
            ClientError::WaitTimeout { inbox, status } => {
                write!(f, "inbox {inbox:?} still {status} when the wait ran out")
            }
        }
    }
}

/// Where the bearer token comes from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// A fixed token.
    Static(String),
    /// A function returning the token (or a promise of it), called per
    /// request, so a caller can refresh tokens.
    Provider(Function),
}

impl TokenSource {
    /// Reads `token`: a string or a function.
    pub fn from_js(value: JsValue) -> Result<TokenSource, ClientError> {
        if let Some(token) = value.as_string() {
            return Ok(TokenSource::Static(token));
        }
        value
            .dyn_into::<Function>()
            .map(TokenSource::Provider)
            .map_err(|_| {
                ClientError::InvalidArgument(
                    "token must be a string or a function returning one".to_owned(),
                )
            })
    }

    async fn get(&self) -> Result<String, ClientError> {
        let function = match self {
            TokenSource::Static(token) => return Ok(token.clone()),
            TokenSource::Provider(f) => f,
        };
        let bad = |_| ClientError::InvalidArgument("the token function failed".to_owned());
        let value = function.call0(&JsValue::UNDEFINED).map_err(bad)?;
        let value = JsFuture::from(js_sys::Promise::resolve(&value))
            .await
            .map_err(bad)?;
        value.as_string().ok_or_else(|| {
            ClientError::InvalidArgument("the token function must return a string".to_owned())
        })
    }
}

/// A request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// No body.
    Empty,
    /// `application/json` text.
    Json(String),
    /// `application/x-www-form-urlencoded` text.
    Form(String),
}

impl Body {
    /// Serializes `value` as a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Body, ClientError> {
        serde_json::to_string(value)
            .map(Body::Json)
            .map_err(|e| ClientError::InvalidArgument(e.to_string()))
    }

    /// Encodes `pairs` as a form body.
    pub fn form(pairs: &[(&str, &str)]) -> Body {
        let encode = |s: &str| String::from(js_sys::encode_uri_component(s)).replace("%20", "+");
        Body::Form(
            pairs
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&"),
        )
    }
}

/// One API call: method, path below the base URL, query and body.
#[derive(Debug, Clone)]
pub struct Call {
    /// HTTP method.
    pub method: Method,
    /// Path with its segments already encoded (see [`segment`]).
    pub path: String,
    /// Query parameters.
    pub query: Vec<(&'static str, String)>,
    /// Body.
    pub body: Body,
}

impl Call {
    /// A call without query or body.
    pub fn new(method: Method, path: String) -> Call {
        Call {
            method,
            path,
            query: Vec::new(),
            body: Body::Empty,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Call {
        self.query.push((key, value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: Body) -> Call {
        self.body = body;
        self
    }
}

/// Encodes one path segment (an inbox name, an id).
pub fn segment(value: &str) -> Result<String, ClientError> {
    if value.is_empty() {
        return Err(ClientError::InvalidArgument(
            "a name or id in the path must not be empty".to_owned(),
        ));
    }
    Ok(js_sys::encode_uri_component(value).into())
}

/// Per-call controls: cancellation, a deadline for retries, a retry counter.
#[derive(Default, Clone, Copy)]
pub struct CallOptions<'a> {
    /// Aborts the request and any wait between attempts.
    pub signal: Option<&'a AbortSignal>,
    /// Monotonic time (`now_ms`) after which no retry starts: a token-bound
    /// call (ack, release) must not be retried once its lease is over.
    pub deadline: Option<f64>,
    /// Incremented once per retry.
    pub retries: Option<&'a Cell<u64>>,
    /// Set to the monotonic time each attempt starts: a lease granted by a
    /// retry runs from that attempt, not from the first.
    pub sent_at: Option<&'a Cell<f64>>,
}

impl<'a> CallOptions<'a> {
    /// Options with only a cancellation signal.
    pub fn with_signal(signal: Option<&'a AbortSignal>) -> CallOptions<'a> {
        CallOptions {
            signal,
            ..CallOptions::default()
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The global `fetch` (browsers, workers, Node.js >= 18).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> Result<js_sys::Promise, JsValue>;

    /// `JSON.parse` of a JS string, which stays on the JS side (no copy
    /// into wasm memory and back).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn parse_js_string(text: &JsString) -> Result<JsValue, JsValue>;
}

/// A successful response: status and body text (kept as a JS string).
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status (2xx).
    pub status: u16,
    /// Body text.
    pub text: JsString,
}

impl Reply {
    /// Whether the body is empty (or blank).
    pub fn is_empty(&self) -> bool {
        self.text.trim().length() == 0
    }

    /// The body parsed as JSON into a JS value (`JSON.parse`: fast, and large
    /// numbers in payloads do not fail); `null` for an empty body.
    pub fn js(&self) -> Result<JsValue, ClientError> {
        if self.is_empty() {
            return Ok(JsValue::NULL);
        }
        parse_js_string(&self.text)
            .map_err(|_| ClientError::InvalidResponse("the body is not JSON".to_owned()))
    }

    /// The body parsed as `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        serde_json::from_str(&String::from(&self.text))
            .map_err(|e| ClientError::InvalidResponse(e.to_string()))
    }
}

/// A base URL with credentials and a retry policy: what every client is.
#[derive(Debug, Clone)]
pub struct HttpClient {
    base_url: String,
    headers: Vec<(String, String)>,
    token: Option<TokenSource>,
    /// Retry policy of every call.
    pub policy: RetryPolicy,
    /// `name` of the JS errors this client throws.
    pub error_name: &'static str,
}

impl HttpClient {
    /// A client of `base_url` (an absolute http(s) URL) sending `headers`
    /// and, when given, `Authorization: Bearer <token>`.
    pub fn new(
        base_url: &str,
        headers: Vec<(String, String)>,
        token: Option<TokenSource>,
        policy: RetryPolicy,
        error_name: &'static str,
    ) -> Result<HttpClient, ClientError> {
        let base = base_url.trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError::InvalidArgument(format!(
                "baseUrl must be an absolute http(s) URL, got {base_url:?}"
            )));
        }
        // Checked here so a bad value fails at construction, not per request.
        build_headers(&headers, None, &Body::Empty)?;
        Ok(HttpClient {
            base_url: base.to_owned(),
            headers,
            token,
            policy,
            error_name,
        })
    }

    /// A client from a JS options object: `baseUrl` (or `default_base`),
    /// `retry`, and the credentials `credentials` reads from it (headers to
    /// send, a bearer token).
    pub fn from_options(
        options: &JsValue,
        default_base: Option<&str>,
        error_name: &'static str,
        credentials: impl FnOnce(
            &Options<'_>,
        )
            -> Result<(Vec<(String, String)>, Option<TokenSource>), ClientError>,
    ) -> Result<HttpClient, ClientError> {
        let o = Options::new(Some(options), "options")?;
        let base = match (o.string("baseUrl")?, default_base) {
            (Some(base), _) => base,
            (None, Some(default)) => default.to_owned(),
            (None, None) => o.required_string("baseUrl")?,
        };
        let (headers, token) = credentials(&o)?;
        let policy = RetryPolicy::from_js(o.get("retry").as_ref())?;
        HttpClient::new(&base, headers, token, policy, error_name)
    }

    /// Sends `call`, retrying as the policy says.
    pub async fn send(&self, call: &Call, options: CallOptions<'_>) -> Result<Reply, ClientError> {
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            if let Some(signal) = options.signal.filter(|s| s.aborted()) {
                return Err(ClientError::Aborted(signal.reason()));
            }
            if let Some(sent_at) = options.sent_at {
                sent_at.set(now_ms());
            }
            let error = match self.attempt(call, options.signal).await {
                Ok(reply) => return Ok(reply),
                Err(e) if e.is_transient() => e,
                Err(e) => return Err(e.with_attempts(attempt)),
            };
            if attempt >= self.policy.max_attempts {
                return Err(error.with_attempts(attempt));
            }
            let delay = match error.retry_after() {
                Some(seconds) if seconds * 1000.0 > self.policy.max_retry_after_ms => {
                    return Err(error.with_attempts(attempt))
                }
                Some(seconds) => seconds * 1000.0,
                None => self.policy.backoff_ms(attempt, js_sys::Math::random()),
            };
            if options.deadline.is_some_and(|d| now_ms() + delay >= d) {
                return Err(error.with_attempts(attempt));
            }
            if let Some(counter) = options.retries {
                counter.set(counter.get().saturating_add(1));
            }
            sleep(delay, options.signal)
                .await
                .map_err(ClientError::Aborted)?;
        }
    }

    /// Sends `call` and parses the JSON answer as `T`.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        call: &Call,
        options: CallOptions<'_>,
    ) -> Result<T, ClientError> {
        self.send(call, options).await?.json()
    }

    /// One attempt: the caller's signal and the attempt timeout both abort
    /// the fetch, through an internal controller whose abort reasons are
    /// always `Error`s (gloo-net requires that of a rejected fetch).
    async fn attempt(
        &self,
        call: &Call,
        signal: Option<&AbortSignal>,
    ) -> Result<Reply, ClientError> {
        let controller = new_controller()?;
        let _link = match signal {
            Some(s) => Some(Listener::on_abort(
                s,
                &bound_abort(&controller, &abort_error("aborted by the caller"))?,
            )),
            None => None,
        };
        let timeout = js_error("TimeoutError", "request_timeout", "request timed out", &[]);
        let _timer = Timer::start(&bound_abort(&controller, &timeout)?, self.policy.timeout_ms);
        let token = match &self.token {
            Some(source) => Some(source.get().await?),
            None => None,
        };
        let failed = |message: String| match signal.filter(|s| s.aborted()) {
            Some(s) => ClientError::Aborted(s.reason()),
            None => ClientError::Network {
                message,
                timed_out: controller.signal().aborted(),
                attempts: 1,
            },
        };
        let mut url = format!("{}{}", self.base_url, call.path);
        if !call.query.is_empty() {
            let params = web_sys::UrlSearchParams::new()
                .map_err(|_| ClientError::Runtime("URLSearchParams is not available".to_owned()))?;
            for (key, value) in &call.query {
                params.append(key, value);
            }
            url.push('?');
            url.push_str(&String::from(params.to_string()));
        }
        let headers = build_headers(&self.headers, token.as_deref(), &call.body)?;
        // Built directly (gloo-net's builder constructs every Request twice,
        // to resolve relative URLs, which the absolute base makes needless).
        let init = web_sys::RequestInit::new();
        init.set_method(call.method.as_str());
        init.set_headers(&headers);
        init.set_signal(Some(&controller.signal()));
        match &call.body {
            Body::Empty => {}
            Body::Json(text) | Body::Form(text) => init.set_body(&JsValue::from_str(text)),
        }
        let request = web_sys::Request::new_with_str_and_init(&url, &init).map_err(|e| {
            ClientError::InvalidArgument(format!(
                "cannot build a request for {url}: {}",
                js_message(&e)
            ))
        })?;
        // gloo-net's `Request::send` panics when fetch rejects with a value
        // that is not an Error, or resolves to something that is not a
        // Response (a polyfill's own class); a panic would kill the module,
        // so the global fetch is called here and both cases are errors.
        let fetching = global_fetch(&request).map_err(|e| failed(js_message(&e)))?;
        let response: Response = JsFuture::from(fetching)
            .await
            .map_err(|e| failed(js_message(&e)))?
            .dyn_into::<web_sys::Response>()
            .map(Response::from)
            .map_err(|_| {
                ClientError::InvalidResponse("fetch did not resolve to a Response".to_owned())
            })?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after");
        let raw = web_sys::Response::from(response);
        let reading = raw.text().map_err(|e| failed(js_message(&e)))?;
        let text: JsString = JsFuture::from(reading)
            .await
            .map_err(|e| failed(js_message(&e)))?
            .dyn_into()
            .map_err(|_| ClientError::InvalidResponse("the body is not text".to_owned()))?;
        if (200..300).contains(&status) {
            return Ok(Reply { status, text });
        }
        Err(ClientError::Http(HttpFailure::from_response(
            status,
            &String::from(&text),
            retry_after.as_deref(),
        )))
    }
}

/// The request headers; values the Fetch standard refuses (a token with a
/// line break) are an `invalid_argument` error instead of a JS exception.
fn build_headers(
    fixed: &[(String, String)],
    token: Option<&str>,
    body: &Body,
) -> Result<web_sys::Headers, ClientError> {
    let raw = web_sys::Headers::new()
        .map_err(|_| ClientError::Runtime("Headers is not available".to_owned()))?;
    let set = |key: &str, value: &str| {
        raw.set(key, value)
            .map_err(|_| ClientError::InvalidArgument(format!("invalid value for header {key}")))
    };
    set("accept", "application/json")?;
    for (key, value) in fixed {
        set(key, value)?;
    }
    if let Some(token) = token {
        set("authorization", &format!("Bearer {token}"))?;
    }
    match body {
        Body::Empty => {}
        Body::Json(_) => set("content-type", "application/json")?,
        Body::Form(_) => set("content-type", "application/x-www-form-urlencoded")?,
    }
    Ok(raw)
}

/// The message of a thrown JS value.
/// The message of a thrown JS value, with its `cause`'s when it has one
/// (Node's `fetch failed` says why only there).
fn js_message(value: &JsValue) -> String {
    let text = |v: &JsValue, key: &str| {
        v.is_object()
            .then(|| js_sys::Reflect::get(v, &key.into()).ok())
            .flatten()
            .and_then(|m| m.as_string())
    };
    let Some(message) = text(value, "message").or_else(|| value.as_string()) else {
        return "unknown error".to_owned();
    };
    let cause = value
        .is_object()
        .then(|| js_sys::Reflect::get(value, &"cause".into()).ok())
        .flatten()
        .and_then(|c| text(&c, "message"));
    match cause {
        Some(cause) => format!("{message} ({cause})"),
        None => message,
    }
}

/// A thin client method for JS: `build` (run inside the promise, so bad
/// arguments reject instead of throwing) gives the call and its signal; the
/// promise resolves with the parsed JSON answer (`null` for an empty one).
pub fn json_call<F>(http: Rc<HttpClient>, build: F) -> js_sys::Promise
where
    F: FnOnce() -> Result<(Call, Option<AbortSignal>), ClientError> + 'static,
{
    let name = http.error_name;
    wasm_bindgen_futures::future_to_promise(async move {
        let result = async {
            let (call, signal) = build()?;
            http.send(&call, CallOptions::with_signal(signal.as_ref()))
                .await?
                .js()
        };
        result.await.map_err(|e| e.to_js(name))
    })
}

/// The `Authorization` value of HTTP Basic authentication.
pub fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}").as_bytes());
    format!("Basic {encoded}")
}

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const HTTP_TS: &'static str = r#"
/** Retry settings of a client (every member optional). */
export interface RetryOptions {
    /** Attempts in all, the first included (default 5; 1 = never retry). */
    maxAttempts?: number;
    /** Backoff before the first retry, before full jitter (default 250). */
    baseDelayMs?: number;
    /** Cap of the exponential backoff (default 20000). */
    maxDelayMs?: number;
    /** Longest Retry-After waited for; a longer one fails with `retryAfter` set (default 120000). */
    maxRetryAfterMs?: number;
    /** Time limit of one attempt (default 30000). */
    timeoutMs?: number;
}

/** Cancellation of one call. */
export interface CallOptions { signal?: AbortSignal; }

/** What every client error carries (`TriggerInboxError`, `HttpError`). */
export interface ClientError extends Error {
    /** The API's own code (`not_found`, `invalid-params`, `RecordInvalid`, ...), `http_<status>` when the body has none, or a client code (`network_error`, `request_timeout`, `aborted`, `invalid_argument`, `invalid_response`, ...). */
    code: string;
    /** HTTP status of a server error. */
    status?: number;
    /** Seconds the server asked to wait (Retry-After). */
    retryAfter?: number;
    /** The parsed error body. */
    body?: unknown;
    /** Attempts made. */
    attempts?: number;
    /** The AbortSignal's reason, for code `aborted`. */
    cause?: unknown;
}

/** The Error the thin clients (Rocket.Chat, Zendesk, Pocketflows, Composio) reject with. */
export interface HttpError extends ClientError { name: 'HttpError'; }
"#;
