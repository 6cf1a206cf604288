//! The built binary: URL on the first stdout line, serves, stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn wait_exit(child: &mut std::process::Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn prints_url_serves_and_stops_on_sigterm() {
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
    assert!(
        url.starts_with("http://127.0.0.1:") && url.len() > "http://127.0.0.1:".len(),
        "{url}"
    );

    let client = reqwest::Client::new();
    let r = client
        .get(format!("{url}/trigger-inbox/api/v1/triggers/?app=slack"))
        .header("authorization", "Bearer triggerkit-dev-token")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    // A keep-alive connection stays open across the shutdown signal.
    let kept = client
        .get(format!("{url}/_admin/health"))
        .send()
        .await
        .expect("health");
    assert!(kept.status().is_success());

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = wait_exit(&mut child, Duration::from_secs(5));
    if status.is_none() {
        let _ = child.kill();
    }
    let status = status.expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status:?}");
    assert!(client
        .get(format!("{url}/_admin/health"))
        .send()
        .await
        .is_err());
}
