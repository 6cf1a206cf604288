//! The `triggerkit-emulator` binary: parses flags, binds 127.0.0.1, prints
//! the URL as the first line of stdout and serves until SIGINT or SIGTERM.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;
use triggerkit_emulator::{serve, Config, DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_TOKEN};

/// Local emulator of the Zapier Trigger Inbox, Rocket.Chat livechat,
/// Zendesk triggers, Pocketflows and Composio APIs, in memory on
/// 127.0.0.1. Prints its URL (http://127.0.0.1:PORT) as the first line of
/// stdout. Admin API under /_admin/ (publish events, faults, counters).
#[derive(Debug, Parser)]
#[command(name = "triggerkit-emulator", version)]
struct Cli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Milliseconds a new inbox stays `initializing` before it turns `active`.
    #[arg(long, default_value_t = 300)]
    initializing_ms: u64,
    /// Milliseconds a deleted inbox stays listed as `deleting`.
    #[arg(long, default_value_t = 0)]
    deleting_ms: u64,
    /// Accepted credential (bearer token, X-Auth-Token, x-api-key, basic-auth
    /// password); repeat for several. Default: the dev token.
    #[arg(long = "token", value_name = "T", default_value = DEV_TOKEN)]
    tokens: Vec<String>,
    /// OAuth client id accepted by POST /oauth/token.
    #[arg(long, default_value = DEV_CLIENT_ID)]
    client_id: String,
    /// OAuth client secret accepted by POST /oauth/token.
    #[arg(long, default_value = DEV_CLIENT_SECRET)]
    client_secret: String,
    /// Lifetime in seconds of tokens issued by POST /oauth/token.
    #[arg(long, default_value_t = 3600)]
    token_ttl_seconds: u64,
    /// Seed for ids, tokens and faults (reproducible runs).
    #[arg(long)]
    seed: Option<u64>,
}

/// Resolves on SIGINT or SIGTERM. The handlers are registered when this is
/// called, not when the future is first polled: main calls it before printing
/// the URL, so a signal sent as soon as the URL is read stops the server
/// cleanly instead of killing the process.
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, Signal, SignalKind};
    async fn received(listener: std::io::Result<Signal>) {
        match listener {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        tokio::select! {
            () = received(interrupt) => {}
            () = received(terminate) => {}
        }
    }
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", cli.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "triggerkit-emulator: cannot listen on 127.0.0.1:{}: {e}",
                cli.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(cli.port);
    let shutdown = shutdown_signal();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "http://127.0.0.1:{port}");
    let _ = out.flush();
    eprintln!(
        "triggerkit-emulator: token {:?}, OAuth client {} / {}, admin API at /_admin/",
        cli.tokens, cli.client_id, cli.client_secret
    );
    let config = Config {
        initializing: Duration::from_millis(cli.initializing_ms),
        deleting: Duration::from_millis(cli.deleting_ms),
        tokens: cli.tokens,
        client_id: cli.client_id,
        client_secret: cli.client_secret,
        token_ttl: Duration::from_secs(cli.token_ttl_seconds),
        seed: cli.seed,
    };
    match serve(listener, config, shutdown).await {
        Ok(()) => {
            eprintln!("triggerkit-emulator: stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("triggerkit-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
