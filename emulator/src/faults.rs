//! Fault injection on the public APIs (never on the admin API or CORS
//! preflights): latency, error responses (a 5xx, or a 4xx such as a 422 the
//! client must not retry), 429 with Retry-After, and dropped
//! connections (closed without a response, before or after the request was
//! handled). Random draws come from a seeded generator, and a script of
//! forced outcomes (`next`) makes single faults exactly reproducible.

use crate::http::{with_retry_after, Api};
use crate::server::ConnKill;
use crate::state::{lock, AppState};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// An outcome forced on the next matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forced {
    /// Handle normally.
    Ok,
    /// Answer with `error_status`.
    Error,
    /// Answer 429 with Retry-After.
    RateLimit,
    /// Close the connection without handling the request.
    Drop,
    /// Handle the request, then close the connection without answering.
    DropAfter,
}

/// Fault settings (PUT /_admin/faults); every field is optional.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultConfig {
    /// Smallest added latency in milliseconds.
    pub latency_min_ms: u64,
    /// Largest added latency in milliseconds (uniform between min and max).
    pub latency_max_ms: u64,
    /// Share of requests answered with `error_status` (0 to 1).
    pub error_rate: f64,
    /// Status of injected errors (400 to 599, not 429: `rate_limit_rate`
    /// injects those, with Retry-After).
    pub error_status: u16,
    /// Share of requests answered 429.
    pub rate_limit_rate: f64,
    /// Retry-After of injected 429s, in seconds.
    pub retry_after_seconds: u64,
    /// Send Retry-After as an HTTP date instead of seconds.
    pub retry_after_http_date: bool,
    /// Share of requests whose connection is closed before handling.
    pub drop_rate: f64,
    /// Share of requests handled and then closed without a response.
    pub drop_after_rate: f64,
    /// Only requests whose path starts with this are affected.
    pub path_prefix: Option<String>,
    /// Reseeds the fault generator (reproducible runs).
    pub seed: Option<u64>,
    /// Outcomes forced on the next matching requests, in order, before any
    /// random draw.
    pub next: VecDeque<Forced>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        FaultConfig {
            latency_min_ms: 0,
            latency_max_ms: 0,
            error_rate: 0.0,
            error_status: 500,
            rate_limit_rate: 0.0,
            retry_after_seconds: 1,
            retry_after_http_date: false,
            drop_rate: 0.0,
            drop_after_rate: 0.0,
            path_prefix: None,
            seed: None,
            next: VecDeque::new(),
        }
    }
}

impl FaultConfig {
    /// Problems that make the settings unusable.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let rates = [
            ("error_rate", self.error_rate),
            ("rate_limit_rate", self.rate_limit_rate),
            ("drop_rate", self.drop_rate),
            ("drop_after_rate", self.drop_after_rate),
        ];
        for (name, r) in rates {
            if !(0.0..=1.0).contains(&r) {
                out.push(format!("{name} must be between 0 and 1"));
            }
        }
        if rates.iter().map(|(_, r)| r).sum::<f64>() > 1.0 {
            out.push("the rates must add up to 1 or less".into());
        }
        if self.latency_min_ms > self.latency_max_ms && self.latency_max_ms != 0 {
            out.push("latency_min_ms must not exceed latency_max_ms".into());
        }
        if self.latency_max_ms.max(self.latency_min_ms) > 60_000 {
            out.push("latency must be at most 60000 ms".into());
        }
        if !(400..=599).contains(&self.error_status) || self.error_status == 429 {
            out.push("error_status must be a 4xx or 5xx status other than 429".into());
        }
        out
    }
}

/// How many requests each fault hit.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FaultStats {
    /// Public requests seen by the fault layer (after the path filter).
    pub requests: u64,
    /// Requests delayed.
    pub delayed: u64,
    /// Requests answered with an injected error status.
    pub errors: u64,
    /// Requests answered with an injected 429.
    pub rate_limited: u64,
    /// Connections closed before handling.
    pub dropped: u64,
    /// Connections closed after handling.
    pub dropped_after: u64,
}

/// Fault settings, their generator and statistics.
#[derive(Debug)]
pub struct Faults {
    config: FaultConfig,
    rng: StdRng,
    stats: FaultStats,
}

/// What to do with one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    delay: Option<Duration>,
    action: Forced,
}

fn rng(seed: Option<u64>) -> StdRng {
    match seed {
        Some(s) => StdRng::seed_from_u64(s),
        None => StdRng::from_os_rng(),
    }
}

impl Faults {
    /// No faults; the generator seeded with `seed` (or the OS).
    pub fn new(seed: Option<u64>) -> Self {
        Faults {
            config: FaultConfig::default(),
            rng: rng(seed),
            stats: FaultStats::default(),
        }
    }

    /// Replaces the settings (already checked with [`FaultConfig::problems`]).
    pub fn set(&mut self, config: FaultConfig) {
        if let Some(seed) = config.seed {
            self.rng = rng(Some(seed));
        }
        self.config = config;
    }

    /// Current settings and statistics.
    pub fn view(&self) -> serde_json::Value {
        serde_json::json!({ "config": self.config, "stats": self.stats })
    }

    /// Statistics so far.
    pub fn stats(&self) -> &FaultStats {
        &self.stats
    }

    /// Decides the fate of a request to `path`.
    pub fn decide(&mut self, path: &str) -> Decision {
        let c = &self.config;
        if c.path_prefix
            .as_deref()
            .is_some_and(|p| !path.starts_with(p))
        {
            return Decision {
                delay: None,
                action: Forced::Ok,
            };
        }
        self.stats.requests += 1;
        let max = c.latency_max_ms.max(c.latency_min_ms);
        let delay =
            (max > 0).then(|| Duration::from_millis(self.rng.random_range(c.latency_min_ms..=max)));
        let action = match self.config.next.pop_front() {
            Some(forced) => forced,
            None => {
                let c = &self.config;
                let draw: f64 = self.rng.random();
                let mut edge = 0.0;
                let mut pick = Forced::Ok;
                for (rate, outcome) in [
                    (c.error_rate, Forced::Error),
                    (c.rate_limit_rate, Forced::RateLimit),
                    (c.drop_rate, Forced::Drop),
                    (c.drop_after_rate, Forced::DropAfter),
                ] {
                    edge += rate;
                    if draw < edge {
                        pick = outcome;
                        break;
                    }
                }
                pick
            }
        };
        if delay.is_some() {
            self.stats.delayed += 1;
        }
        match action {
            Forced::Ok => {}
            Forced::Error => self.stats.errors += 1,
            Forced::RateLimit => self.stats.rate_limited += 1,
            Forced::Drop => self.stats.dropped += 1,
            Forced::DropAfter => self.stats.dropped_after += 1,
        }
        Decision { delay, action }
    }

    fn retry_after(&self) -> HeaderValue {
        let secs = self.config.retry_after_seconds;
        let text = if self.config.retry_after_http_date {
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs))
        } else {
            secs.to_string()
        };
        HeaderValue::from_str(&text).unwrap_or(HeaderValue::from_static("1"))
    }

    fn error_status(&self) -> StatusCode {
        StatusCode::from_u16(self.config.error_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

/// Middleware applying the configured faults to public requests.
pub async fn inject(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let api = Api::of(&path);
    if api == Api::Admin || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let (decision, status, retry_after) = {
        let mut faults = lock(&state.0.faults);
        let d = faults.decide(&path);
        (d, faults.error_status(), faults.retry_after())
    };
    if let Some(delay) = decision.delay {
        tokio::time::sleep(delay).await;
    }
    let kill = req.extensions().get::<ConnKill>().cloned();
    match decision.action {
        Forced::Ok => next.run(req).await,
        Forced::Error if status.is_client_error() => {
            api.error(status, "Injected fault: the server refused the request.")
        }
        Forced::Error => api.error(
            status,
            "Injected fault: the server failed to handle the request.",
        ),
        Forced::RateLimit => with_retry_after(
            api.error(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests: back off and retry.",
            ),
            retry_after,
        ),
        Forced::Drop | Forced::DropAfter => {
            if decision.action == Forced::DropAfter {
                drop(next.run(req).await);
            }
            match kill {
                Some(kill) => kill.kill().await,
                None => api.error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Injected fault: connection dropped.",
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_decisions() {
        let config = FaultConfig {
            error_rate: 0.3,
            rate_limit_rate: 0.2,
            drop_rate: 0.1,
            latency_min_ms: 5,
            latency_max_ms: 10,
            seed: Some(9),
            ..FaultConfig::default()
        };
        let run = || {
            let mut f = Faults::new(None);
            f.set(config.clone());
            (0..200).map(|_| f.decide("/x")).collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let errors = a.iter().filter(|d| d.action == Forced::Error).count();
        assert!((30..=90).contains(&errors), "{errors}");
        assert!(a
            .iter()
            .all(|d| d.delay.is_some_and(|x| x.as_millis() >= 5)));
    }

    #[test]
    fn scripted_outcomes_come_first_and_prefix_filters() {
        let mut f = Faults::new(Some(1));
        let mut next = VecDeque::new();
        next.push_back(Forced::RateLimit);
        next.push_back(Forced::Drop);
        f.set(FaultConfig {
            next,
            path_prefix: Some("/trigger-inbox/".into()),
            ..FaultConfig::default()
        });
        assert_eq!(f.decide("/api/v2/triggers").action, Forced::Ok);
        assert_eq!(f.decide("/trigger-inbox/x").action, Forced::RateLimit);
        assert_eq!(f.decide("/trigger-inbox/x").action, Forced::Drop);
        assert_eq!(f.decide("/trigger-inbox/x").action, Forced::Ok);
        assert_eq!(f.stats().requests, 3);
    }

    #[test]
    fn rejects_bad_settings() {
        let bad = FaultConfig {
            error_rate: 0.8,
            drop_rate: 0.5,
            error_status: 302,
            ..FaultConfig::default()
        };
        assert_eq!(bad.problems().len(), 2);
        assert!(FaultConfig::default().problems().is_empty());
    }
}
