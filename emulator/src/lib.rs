//! triggerkit-emulator: an in-memory server for the five trigger APIs
//! triggerkit talks to (Zapier Trigger Inbox, Rocket.Chat livechat,
//! Zendesk triggers, Pocketflows, Composio), on loopback, with an admin API
//! that publishes test events, injects faults and reports counters.
//!
//! The binary (`src/main.rs`) only parses flags and calls [`serve`]; tests
//! start the same server in-process with [`start`].
#![deny(missing_docs)]

mod admin;
mod auth;
mod clock;
mod composio;
mod faults;
mod http;
mod ids;
mod notify;
mod pocketflows;
mod rocketchat;
mod routes;
mod server;
mod state;
mod zapier;
mod zendesk;

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The token every API accepts unless `--token` says otherwise.
pub const DEV_TOKEN: &str = "triggerkit-dev-token";
/// The OAuth client id POST /oauth/token accepts by default.
pub const DEV_CLIENT_ID: &str = "triggerkit-dev-client";
/// The OAuth client secret POST /oauth/token accepts by default.
pub const DEV_CLIENT_SECRET: &str = "triggerkit-dev-secret";

/// How the emulator behaves; every field has a development default.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long a new inbox stays `initializing` before it turns `active`.
    pub initializing: Duration,
    /// How long a deleted inbox stays listed as `deleting` before it is gone.
    pub deleting: Duration,
    /// Static credentials every API accepts (bearer token, X-Auth-Token,
    /// x-api-key, basic-auth password). Never expire.
    pub tokens: Vec<String>,
    /// OAuth client id accepted by POST /oauth/token.
    pub client_id: String,
    /// OAuth client secret accepted by POST /oauth/token.
    pub client_secret: String,
    /// Lifetime of tokens issued by POST /oauth/token.
    pub token_ttl: Duration,
    /// Seed of the random generator behind ids, tokens and faults; `None`
    /// seeds from the operating system.
    pub seed: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            initializing: Duration::from_millis(300),
            deleting: Duration::ZERO,
            tokens: vec![DEV_TOKEN.to_owned()],
            client_id: DEV_CLIENT_ID.to_owned(),
            client_secret: DEV_CLIENT_SECRET.to_owned(),
            token_ttl: Duration::from_secs(3600),
            seed: None,
        }
    }
}

/// Serves the emulator on `listener` until `shutdown` resolves, then stops
/// accepting, lets in-flight requests finish (at most 5 s) and returns.
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let state = state::AppState::new(config, format!("http://{addr}"));
    server::run(listener, routes::router(state), shutdown).await
}

/// A running in-process emulator (see [`start`]).
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server gracefully and waits for it to finish.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds 127.0.0.1 on a free port and serves in a background task.
pub async fn start(config: Config) -> std::io::Result<Server> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, config, async move {
        let _ = stopped.await;
    }));
    Ok(Server {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}
