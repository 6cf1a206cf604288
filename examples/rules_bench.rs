//! Native timing of the Zendesk rule engine on the benchmark's data:
//!
//! ```sh
//! node bench/rules.mjs --write-data target/bench-data
//! cargo run --release --example rules_bench -- target/bench-data
//! ```
//!
//! Prints nanoseconds per ticket for match-only over JSON text (the path of
//! `matchMany`), the firing cycle over JSON text with results in index form
//! (the path of `evaluateMany`) and as one JSON text, and one update at a
//! time from parsed JSON.

#[cfg(feature = "zendesk")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::time::Instant;
    use triggerkit::rules::{RuleSet, TicketForm};

    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: rules_bench DIR (written by `node bench/rules.mjs --write-data DIR`)")?;
    let read = |name: &str| std::fs::read_to_string(std::path::Path::new(&dir).join(name));
    let triggers: serde_json::Value = serde_json::from_str(&read("triggers.json")?)?;
    let updates_json = read("updates.json")?;
    let updates: Vec<serde_json::Value> = serde_json::from_str(&updates_json)?;
    let n = updates.len();

    let started = Instant::now();
    let rules = RuleSet::compile_json(&triggers)?;
    let compile = started.elapsed();
    if !rules.problems().is_empty() {
        return Err(format!("problems: {:?}", rules.problems()).into());
    }

    // Best of several passes, after one warm-up pass.
    let best = |pass: &mut dyn FnMut() -> usize| {
        let mut result = pass();
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let t = Instant::now();
            result = pass();
            best = best.min(t.elapsed().as_nanos() as f64);
        }
        (best / n as f64, result)
    };

    let (match_ns, matches) = best(&mut || {
        let mut total = 0;
        let counted = rules.match_many_json(&updates_json, |hits| total += hits.len());
        counted.map_or(0, |_| total)
    });
    let (indexed_ns, index_len) = best(&mut || {
        rules
            .evaluate_many_indexed(&updates_json, TicketForm::Whole)
            .map_or(0, |r| r.index.len())
    });
    let (evaluate_many_ns, out_len) = best(&mut || {
        rules
            .evaluate_many_json(&updates_json)
            .map_or(0, |s| s.len())
    });
    let (evaluate_ns, fired) = best(&mut || {
        updates
            .iter()
            .filter_map(|u| rules.evaluate(u).ok())
            .map(|r| r.fired.len())
            .sum()
    });
    if matches != fired || out_len == 0 || index_len != 4 * n + matches {
        return Err(format!("match-only found {matches} matches, the firing cycle {fired}").into());
    }

    println!(
        "{} triggers compiled in {:.1} us; {n} updates, {:.2} matches per update",
        rules.trigger_ids().len(),
        compile.as_secs_f64() * 1e6,
        matches as f64 / n as f64
    );
    println!("match_many_json (JSON text, match only): {match_ns:>8.0} ns per ticket");
    println!("evaluate_many_indexed (JSON text, cycle): {indexed_ns:>7.0} ns per ticket");
    println!("evaluate_many_json (JSON text, cycle):   {evaluate_many_ns:>8.0} ns per ticket");
    println!("evaluate (parsed Value, one at a time):  {evaluate_ns:>8.0} ns per ticket");
    Ok(())
}

#[cfg(not(feature = "zendesk"))]
fn main() {
    eprintln!("rules_bench needs the `zendesk` feature");
}
