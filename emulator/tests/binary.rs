//! The built binary: URL on the first stdout line, serves, stops cleanly on
//! SIGTERM and SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn wait_exit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Starts the binary; returns it and the URL from its first stdout line.
fn spawn() -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_triggerkit-emulator"))
        .args(["--port", "0", "--initializing-ms", "10", "--seed", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).expect("read");
    let url = first.trim().to_owned();
    let prefix = "http://127.0.0.1:";
    assert!(
        url.starts_with(prefix) && url[prefix.len()..].parse::<u16>().is_ok_and(|p| p > 0),
        "{url}"
    );
    (child, url)
}

/// Sends `signal` and expects a clean exit within 10 s (the emulator gives
/// open connections up to 5 s to finish; the rest is slack for a loaded machine).
fn stop_with(child: &mut Child, signal: &str) {
    let pid = child.id().to_string();
    let sent = Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = wait_exit(child, Duration::from_secs(10));
    if status.is_none() {
        let _ = child.kill();
    }
    let status = status.expect("exits within 10 s of the signal");
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn prints_url_serves_and_stops_on_sigterm() {
    let (mut child, url) = spawn();
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{url}/trigger-inbox/api/v1/triggers/?app=slack"))
        .header("authorization", "Bearer triggerkit-dev-token")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    // A keep-alive connection is open when the signal comes.
    let kept = client
        .get(format!("{url}/_admin/health"))
        .send()
        .await
        .expect("health");
    assert!(kept.status().is_success());
    stop_with(&mut child, "-TERM");
    assert!(client
        .get(format!("{url}/_admin/health"))
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn stops_on_sigint() {
    let (mut child, url) = spawn();
    let r = reqwest::get(format!("{url}/_admin/health"))
        .await
        .expect("health");
    assert!(r.status().is_success());
    stop_with(&mut child, "-INT");
}
