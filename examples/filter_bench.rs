//! Native filter benchmark: nanoseconds per evaluation of a few realistic
//! filters over generated events, plus the cost of parsing the events' JSON.
//! Usage: `cargo run --release --example filter_bench [events]`.

#[cfg(not(feature = "validators"))]
fn main() {
    eprintln!("filter_bench needs the `filter` feature");
}

#[cfg(feature = "validators")]
fn main() {
    use serde_json::{json, Value};
    use std::time::Instant;
    use triggerkit::filter::Filter;

    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    // Deterministic xorshift generator: the same data on every run.
    let mut seed: u32 = 0x2545_f491;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let events: Vec<Value> = (0..count)
        .map(|i| {
            let r = next();
            let name = ["purchase", "signup", "refund"][(r % 3) as usize];
            let plan = ["free", "pro", "team", "enterprise"][(r / 3 % 4) as usize];
            let currency = ["EUR", "USD"][(r / 12 % 2) as usize];
            let coupon = if r % 5 == 0 { json!("SPRING") } else { Value::Null };
            let domain = ["example.com", "corp.io"][(r / 120 % 2) as usize];
            let country = ["FR", "DE", "US"][(r / 240 % 3) as usize];
            json!({
                "event": {
                    "name": name,
                    "properties": {
                        "plan": plan, "amount": next() % 500, "currency": currency,
                        "items": r / 24 % 5, "coupon": coupon,
                    }
                },
                "customer": {"id": format!("cus_{i}"), "email": format!("user{i}@{domain}"), "country": country},
                "customer_id": format!("cus_{i}"),
            })
        })
        .collect();
    let text = serde_json::to_string(&events).unwrap_or_default();

    let t0 = Instant::now();
    let parsed = match triggerkit::json::parse(&text) {
        Ok(triggerkit::json::Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let parse_ns = t0.elapsed().as_nanos() as f64 / count as f64;
    println!(
        "{count} events, {:.1} MB JSON; json::parse: {parse_ns:.0} ns/event",
        text.len() as f64 / 1e6
    );

    let filters = [
        r#"event.properties.plan == "pro" && event.properties.amount > 100"#,
        r#"event.name == "purchase" && event.properties.plan in ["pro", "team"] && customer.country != "US""#,
        r#"has(event.properties.coupon) && event.properties.coupon != null && customer.email.endsWith("@corp.io")"#,
        r#"customer.email.matches("^user[0-9]+@example\\.com$") || event.properties.amount >= 450"#,
    ];
    for expr in filters {
        let Ok(filter) = Filter::compile(expr) else {
            eprintln!("does not compile: {expr}");
            continue;
        };
        let mut best = f64::INFINITY;
        let mut hits = 0;
        for _ in 0..5 {
            let t0 = Instant::now();
            hits = parsed.iter().filter(|e| filter.matches(e)).count();
            best = best.min(t0.elapsed().as_nanos() as f64 / count as f64);
        }
        let mut best_text = f64::INFINITY;
        for _ in 0..3 {
            let t0 = Instant::now();
            let outcomes = filter.evaluate_json_array(&text).unwrap_or_default();
            best_text = best_text.min(t0.elapsed().as_nanos() as f64 / count as f64);
            let text_hits = outcomes.iter().filter(|r| matches!(r, Ok(true))).count();
            assert_eq!(text_hits, hits, "JSON text and parsed values agree");
        }
        println!(
            "{best:>7.1} ns/eval parsed ({:>5.1} M/s) | {best_text:>7.1} ns/eval from JSON text ({:>5.1} M/s) | {hits:>6} matches | {expr}",
            1e3 / best,
            1e3 / best_text
        );
    }
}
