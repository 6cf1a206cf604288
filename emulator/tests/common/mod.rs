//! Test harness: an in-process emulator on a free port and a small JSON client.
#![allow(dead_code)]

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::time::Duration;
use triggerkit_emulator::{start, Config, Server, DEV_TOKEN};

/// A running emulator and a client for it.
pub struct Emu {
    pub server: Server,
    pub http: reqwest::Client,
}

/// A response: status, headers and JSON body (`Null` when empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Emu {
    pub async fn start() -> Emu {
        Emu::start_with(Config {
            initializing: Duration::from_millis(50),
            seed: Some(7),
            ..Config::default()
        })
        .await
    }

    pub async fn start_with(config: Config) -> Emu {
        let server = start(config).await.expect("start emulator");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("client");
        Emu { server, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// Sends a request with the given headers and optional JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        let mut req = self.http.request(method, self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
        }
    }

    /// A Zapier call with the dev bearer token.
    pub async fn zap(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let auth = format!("Bearer {DEV_TOKEN}");
        self.send(method, path, &[("authorization", &auth)], body)
            .await
    }

    /// An admin call.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        self.send(method, path, &[], body).await
    }

    /// Creates an active Slack inbox named `name`.
    pub async fn active_inbox(&self, name: &str) -> Value {
        let r = self
            .zap(
                Method::PUT,
                &format!("/trigger-inbox/api/v1/inboxes/{name}/"),
                Some(serde_json::json!({
                    "app": "slack", "action": "channel_message",
                    "connection": "slack-conn-1", "inputs": {"channel": "C0123ABC456"},
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        self.advance_ms(1000).await;
        let r = self
            .zap(
                Method::GET,
                &format!("/trigger-inbox/api/v1/inboxes/{name}/"),
                None,
            )
            .await;
        assert_eq!(r.body["status"], "active");
        r.body
    }

    pub async fn advance_ms(&self, ms: u64) {
        let r = self
            .admin(
                Method::POST,
                "/_admin/clock/advance",
                Some(serde_json::json!({ "ms": ms })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }

    pub async fn publish(&self, name: &str, count: usize) -> Vec<String> {
        let r = self
            .admin(
                Method::POST,
                &format!("/_admin/inboxes/{name}/publish"),
                Some(serde_json::json!({ "count": count, "seed": 1 })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["ids"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub async fn lease(&self, name: &str, body: Value) -> Reply {
        self.zap(
            Method::POST,
            &format!("/trigger-inbox/api/v1/inboxes/{name}/messages/lease/"),
            Some(body),
        )
        .await
    }

    pub async fn settle(&self, name: &str, verb: &str, tokens: &[&str]) -> Reply {
        self.zap(
            Method::POST,
            &format!("/trigger-inbox/api/v1/inboxes/{name}/messages/{verb}/"),
            Some(serde_json::json!({ "lease_tokens": tokens })),
        )
        .await
    }

    pub async fn counters(&self) -> Value {
        self.admin(Method::GET, "/_admin/counters", None).await.body
    }
}

/// The lease tokens of a lease reply.
pub fn tokens(reply: &Reply) -> Vec<String> {
    reply.body["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m["lease_token"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `errors[0].code` of a Zapier error reply.
pub fn code(reply: &Reply) -> &str {
    reply.body["errors"][0]["code"].as_str().unwrap_or_default()
}
