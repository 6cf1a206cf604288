//! Several consumers on one inbox: a message is never leased to two of
//! them at once, every message is acked exactly once, the counters agree.

mod common;

use common::{tokens, Emu};
use reqwest::Method;
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

const MESSAGES: usize = 2000;
const CONSUMERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_consumers_never_share_a_lease() {
    let emu = Arc::new(Emu::start().await);
    emu.active_inbox("load").await;
    let published: HashSet<String> = emu.publish("load", MESSAGES).await.into_iter().collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONSUMERS {
        let emu = emu.clone();
        tasks.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let lease = emu
                    .lease("load", json!({"lease_seconds": 60, "max_messages": 25}))
                    .await;
                let batch = lease.body["results"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if batch.is_empty() {
                    break;
                }
                mine.extend(
                    batch
                        .iter()
                        .filter_map(|m| m["id"].as_str().map(str::to_owned)),
                );
                let t = tokens(&lease);
                let refs: Vec<&str> = t.iter().map(String::as_str).collect();
                let acked = emu.settle("load", "ack", &refs).await;
                assert_eq!(
                    acked.body["results"].as_array().map(Vec::len),
                    Some(t.len())
                );
            }
            mine
        }));
    }
    let mut seen = Vec::new();
    for t in tasks {
        seen.extend(t.await.expect("consumer"));
    }
    let elapsed = started.elapsed();
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(seen.len(), MESSAGES, "no message leased twice");
    assert_eq!(unique, published);
    let c = emu.counters().await;
    assert_eq!(c["published"], MESSAGES);
    assert_eq!(c["acked"], MESSAGES);
    assert_eq!(c["leased"], MESSAGES);
    assert_eq!(c["acked_twice"], 0);
    assert_eq!(c["expired"], 0);
    let left = emu
        .zap(
            Method::GET,
            "/trigger-inbox/api/v1/inboxes/load/messages/",
            None,
        )
        .await;
    assert_eq!(left.body["results"], json!([]));
    println!(
        "{MESSAGES} messages drained by {CONSUMERS} consumers in {:?} ({:.0} messages/s)",
        elapsed,
        MESSAGES as f64 / elapsed.as_secs_f64()
    );
}
