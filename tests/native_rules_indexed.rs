//! Native tests of the index form of batch results: rebuilt from the index
//! (UTF-16 offsets into the input or the output text, per-trigger effects),
//! every result must equal the eager JSON of `evaluate_many_json`, byte for
//! byte, on random updates with non-ASCII and astral text; and updates cut
//! down to what `reads()` names must give the same results (patch form).
#![cfg(feature = "zendesk")]

use serde_json::{json, Map, Value};
use triggerkit::rules::{
    diff_trigger_sets, Indexed, Reads, RuleSet, TicketForm, IN_INPUT, IN_TEXT,
};

#[path = "support/trace.rs"]
mod trace;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const WORDS: &[&str] = &[
    "refund",
    "Refund",
    "urgent",
    "ärger",
    "日本",
    "größe",
    "🎉",
    "party🎉",
    "naïve",
    "x",
    "\u{10348}",
    "help",
    "é",
    "\"quoted\"",
    "back\\slash",
    "line\nbreak",
    "tab\t",
];
const TAGS: &[&str] = &[
    "vip", "VIP", "größe", "日本", "🎉tag", "billing", "seen", "x",
];
const STATUS: &[&str] = &["new", "open", "pending", "hold", "solved", "closed", "odd"];

fn text(rng: &mut Rng, words: usize) -> String {
    (0..words)
        .map(|_| *rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

fn ticket(rng: &mut Rng) -> Value {
    let mut t = Map::new();
    // Unread members with non-ASCII text before and after the read ones,
    // so offsets depend on counting UTF-16 units right.
    if rng.chance(70) {
        t.insert("description".into(), json!(text(rng, 6)));
    }
    t.insert("status".into(), json!(rng.pick(STATUS)));
    if rng.chance(60) {
        t.insert(
            "priority".into(),
            json!(rng.pick(&["low", "normal", "high", "urgent"])),
        );
    }
    let tags: Vec<&str> = (0..rng.below(4)).map(|_| *rng.pick(TAGS)).collect();
    if rng.chance(85) {
        t.insert("tags".into(), json!(tags));
    }
    t.insert("subject".into(), json!(text(rng, 4)));
    if rng.chance(70) {
        let plan = *rng.pick(&["gold", "Gold", "silver", "日本"]);
        t.insert(
            "custom_fields".into(),
            json!([{"id": 100, "value": plan}, {"id": 101, "value": rng.chance(50)}]),
        );
    }
    if rng.chance(20) {
        t.insert("fields".into(), json!([{"id": 100, "value": "gold"}]));
    }
    if rng.chance(30) {
        t.insert(
            "satisfaction_rating".into(),
            json!({"score": rng.pick(&["unoffered", "good", "bad"]), "id": 5}),
        );
    }
    t.insert("via".into(), json!({"channel": rng.pick(&["email", "web", "api"]), "source": {"from": {"name": "Zoë 🎉"}}}));
    if rng.chance(50) {
        t.insert("group_id".into(), json!(rng.below(3) + 1));
    }
    t.insert("zz_after".into(), json!(text(rng, 3)));
    Value::Object(t)
}

fn update(rng: &mut Rng) -> Value {
    let t = ticket(rng);
    let mut u = Map::new();
    if rng.chance(30) {
        u.insert("note".into(), json!(text(rng, 3)));
    }
    if rng.chance(60) {
        let mut previous = t.clone();
        previous["status"] = json!(rng.pick(STATUS));
        u.insert("previous".into(), previous);
    }
    u.insert("ticket".into(), t);
    if rng.chance(70) {
        u.insert(
            "comment".into(),
            json!({"body": text(rng, 5), "public": rng.chance(80)}),
        );
    }
    if rng.chance(30) {
        u.insert(
            "requester".into(),
            json!({"user_fields": {"plan": rng.pick(&["premium", "free"]), "other": "🎉"}, "locale_id": 1}),
        );
    }
    Value::Object(u)
}

fn trigger(id: u64, all: Value, any: Value, actions: Value) -> Value {
    json!({"id": id, "title": format!("t{id}"), "position": id,
           "conditions": {"all": all, "any": any}, "actions": actions})
}

fn c(field: &str, operator: &str, value: Value) -> Value {
    json!({"field": field, "operator": operator, "value": value})
}

/// Triggers with every kind of action, some only recording effects.
fn triggers() -> Value {
    json!([
        trigger(
            1,
            json!([c("status", "less_than", json!("solved"))]),
            json!([
                c("current_tags", "includes", json!("vip 🎉tag")),
                c("subject_includes_word", "includes", json!("refund 日本"))
            ]),
            json!([{"field": "current_tags", "value": "seen größe"},
                   {"field": "notification_webhook", "value": ["1", "{\"t\": \"🎉\"}"]}])
        ),
        trigger(
            2,
            json!([c("current_tags", "includes", json!("seen"))]),
            json!([]),
            json!([{"field": "notification_user", "value": ["requester_id", "Subj ärger", "Body"]}])
        ),
        trigger(
            3,
            json!([c("status", "changed", Value::Null)]),
            json!([]),
            json!([{"field": "priority", "value": "high"}, {"field": "custom_fields_100", "value": "platinum"}])
        ),
        trigger(
            4,
            json!([c("comment_includes_word", "includes", json!("urgent 🎉"))]),
            json!([]),
            json!([{"field": "status", "value": "open"}, {"field": "remove_tags", "value": "vip"},
                   {"field": "satisfaction_score", "value": "offered_to_requester"}])
        ),
        trigger(
            5,
            json!([c("requester.custom_fields.plan", "is", json!("premium"))]),
            json!([]),
            json!([{"field": "set_tags", "value": "premium 日本"}, {"field": "group_id", "value": "7"}])
        ),
        trigger(
            6,
            json!([c("custom_fields_101", "is", json!(true))]),
            json!([]),
            json!([{"field": "notification_group", "value": ["7", "s", "b"]}])
        ),
    ])
}

fn rules() -> RuleSet {
    let rules = RuleSet::compile_json(&triggers()).expect("triggers compile");
    assert!(rules.problems().is_empty(), "{:?}", rules.problems());
    rules
}

/// The UTF-16 slice `start..end` of `text`.
fn utf16_slice(text: &str, start: u32, end: u32) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).expect("a whole slice")
}

/// One entry of the index, and the position of the next.
struct Entry {
    place: u32,
    start: u32,
    end: u32,
    fired: Vec<u32>,
}

fn entries(indexed: &Indexed) -> Vec<Entry> {
    let mut out = Vec::new();
    let index = &indexed.index;
    let mut p = 0;
    while p < index.len() {
        let n = index[p + 3] as usize;
        out.push(Entry {
            place: index[p],
            start: index[p + 1],
            end: index[p + 2],
            fired: index[p + 4..p + 4 + n].to_vec(),
        });
        p += 4 + n;
    }
    out
}

/// The eager JSON of each result, rebuilt from the index form of a batch
/// given as `input` text.
fn rebuilt(rules: &RuleSet, input: &str, indexed: &Indexed) -> Vec<String> {
    let ids = rules.trigger_ids();
    let effects = rules.effects_json();
    entries(indexed)
        .iter()
        .map(|e| {
            let ticket = match e.place {
                IN_INPUT => utf16_slice(input, e.start, e.end),
                IN_TEXT => utf16_slice(&indexed.text, e.start, e.end),
                other => panic!("unknown place {other}"),
            };
            let fired: Vec<u64> = e.fired.iter().map(|&p| ids[p as usize]).collect();
            let effects: Vec<&str> = e
                .fired
                .iter()
                .map(|&p| effects[p as usize].as_str())
                .filter(|s| !s.is_empty())
                .collect();
            format!(
                "{{\"fired\":{},\"ticket\":{ticket},\"effects\":[{}]}}",
                serde_json::to_string(&fired).unwrap(),
                effects.join(",")
            )
        })
        .collect()
}

/// The elements of the eager JSON array text, each as its exact text.
fn eager(rules: &RuleSet, input: &str) -> Vec<String> {
    let text = rules.evaluate_many_json(input).expect("evaluates");
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(&text).unwrap();
    items.iter().map(|r| r.get().to_owned()).collect()
}

fn random_updates(seed: u64, n: usize) -> Vec<Value> {
    let mut rng = Rng(seed);
    (0..n).map(|_| update(&mut rng)).collect()
}

#[test]
fn lint_never_says_a_trigger_that_fires_never_fires() {
    use triggerkit::rules::lint_zendesk_triggers;
    let triggers = triggers();
    let rules = rules();
    let findings = lint_zendesk_triggers(&triggers, None).expect("lint runs");
    let never: Vec<&str> = findings
        .iter()
        .filter(|f| f.code == "never_fires")
        .map(|f| f.path.as_str())
        .collect();
    let mut fired = 0;
    for update in random_updates(0x11e7, 500) {
        for id in rules.evaluate(&update).expect("evaluates").fired {
            fired += 1;
            assert!(
                !never
                    .iter()
                    .any(|p| p.starts_with(&format!("/{}/", id - 1))),
                "{id}: {never:?}"
            );
        }
    }
    assert!(fired > 100, "only {fired} firings");
}

#[test]
fn index_form_rebuilds_the_eager_json_exactly() {
    let rules = rules();
    for seed in [1, 2, 3, 0x5eed] {
        let updates = random_updates(seed, 150);
        // Both compact and pretty text: offsets must hold for any layout.
        for input in [
            Value::Array(updates.clone()).to_string(),
            serde_json::to_string_pretty(&updates).unwrap(),
        ] {
            let indexed = rules
                .evaluate_many_indexed(&input, TicketForm::Whole)
                .expect("evaluates");
            let got = rebuilt(&rules, &input, &indexed);
            let want = eager(&rules, &input);
            assert_eq!(got.len(), updates.len());
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g, w, "seed {seed}, update {i}");
            }
            let kinds = entries(&indexed);
            assert!(kinds.iter().any(|e| e.place == IN_INPUT), "some unchanged");
            assert!(kinds.iter().any(|e| e.place == IN_TEXT), "some changed");
            // Only changed tickets are written out, one after another.
            let written: u32 = kinds
                .iter()
                .filter(|e| e.place == IN_TEXT)
                .map(|e| e.end - e.start)
                .sum();
            assert_eq!(written as usize, indexed.text.encode_utf16().count());
        }
    }
}

#[test]
fn single_updates_index_like_batches() {
    let rules = rules();
    for (i, u) in random_updates(7, 60).iter().enumerate() {
        let input = u.to_string();
        let one = rules
            .evaluate_indexed(&input, TicketForm::Whole)
            .expect("evaluates");
        let got = rebuilt(&rules, &input, &one);
        let want = rules.evaluate_json(&input).expect("evaluates");
        assert_eq!(got, vec![want], "update {i}");
    }
    let e = rules
        .evaluate_indexed("{\"ticket\": 5}", TicketForm::Whole)
        .unwrap_err();
    assert_eq!(e.code(), "invalid_update");
    let e = rules
        .evaluate_many_indexed("[{\"ticket\": {}}, 1]", TicketForm::Patch)
        .unwrap_err();
    assert_eq!(e.code(), "invalid_update");
    assert_eq!(
        rules
            .evaluate_many_indexed("[]", TicketForm::Whole)
            .unwrap(),
        Indexed::default()
    );
}

#[test]
fn repaired_tickets_are_written_out() {
    let rules = rules();
    // An escaped lone surrogate reads as U+FFFD: that ticket's input text
    // is not what is read, so it is written out; the others stay in place.
    let input = r#"[{"ticket": {"subject": "a \ud83c 🎉"}}, {"ticket": {"subject": "b 🎉"}}]"#;
    let indexed = rules
        .evaluate_many_indexed(input, TicketForm::Whole)
        .unwrap();
    let e = entries(&indexed);
    assert_eq!((e[0].place, e[1].place), (IN_TEXT, IN_INPUT));
    assert_eq!(
        utf16_slice(&indexed.text, e[0].start, e[0].end),
        "{\"subject\": \"a \\ufffd 🎉\"}"
    );
    assert_eq!(
        utf16_slice(input, e[1].start, e[1].end),
        "{\"subject\": \"b 🎉\"}"
    );
    assert_eq!(rebuilt(&rules, input, &indexed), eager(&rules, input));
}

/// `value` cut down to what `reads` names, as the JS binding sends it.
fn project(value: &Value, reads: &Reads) -> Value {
    match (reads, value) {
        (Reads::Keys(keys), Value::Object(map)) => Value::Object(
            keys.iter()
                .filter_map(|(k, r)| Some((k.clone(), project(map.get(k)?, r))))
                .collect(),
        ),
        _ => value.clone(),
    }
}

#[test]
fn patches_of_projected_updates_give_the_eager_results() {
    let rules = rules();
    let reads = rules.reads();
    let updates = random_updates(11, 200);
    let projected: Vec<Value> = updates.iter().map(|u| project(u, &reads)).collect();
    let projected_text = Value::Array(projected).to_string();
    let full_text = Value::Array(updates.clone()).to_string();
    assert!(projected_text.len() < full_text.len() * 3 / 4);
    let indexed = rules
        .evaluate_many_indexed(&projected_text, TicketForm::Patch)
        .unwrap();
    let want: Vec<Value> = eager(&rules, &full_text)
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
    let ids = rules.trigger_ids();
    let mut patched = 0;
    for (i, e) in entries(&indexed).iter().enumerate() {
        let mut ticket = updates[i]["ticket"].clone();
        if e.place == IN_TEXT {
            let patch: Map<String, Value> =
                serde_json::from_str(&utf16_slice(&indexed.text, e.start, e.end)).unwrap();
            assert!(!patch.is_empty(), "update {i}");
            for (k, v) in patch {
                ticket[k] = v;
            }
            patched += 1;
        }
        let fired: Vec<u64> = e.fired.iter().map(|&p| ids[p as usize]).collect();
        assert_eq!(json!(fired), want[i]["fired"], "update {i}");
        assert_eq!(ticket, want[i]["ticket"], "update {i}");
    }
    assert!(patched > 20, "{patched} patched");
    // Match-only results agree too.
    let mut full = Vec::new();
    rules
        .match_many_json(&full_text, |h| full.push(h.to_vec()))
        .unwrap();
    let mut cut = Vec::new();
    rules
        .match_many_json(&projected_text, |h| cut.push(h.to_vec()))
        .unwrap();
    assert_eq!(full, cut);
}

#[test]
fn reads_name_what_the_rules_read() {
    let rules = rules();
    let Reads::Keys(top) = rules.reads() else {
        panic!("an update is read by keys")
    };
    let get = |keys: &[(String, Reads)], k: &str| {
        keys.iter()
            .find(|(key, _)| key == k)
            .map(|(_, r)| r.clone())
    };
    let Some(Reads::Keys(ticket)) = get(&top, "ticket") else {
        panic!("ticket by keys")
    };
    for key in [
        "status",
        "tags",
        "subject",
        "custom_fields",
        "fields",
        "satisfaction_rating",
    ] {
        assert_eq!(get(&ticket, key), Some(Reads::Whole), "{key}");
    }
    assert_eq!(get(&ticket, "description"), None);
    assert_eq!(get(&ticket, "recipient"), None);
    let Some(Reads::Keys(previous)) = get(&top, "previous") else {
        panic!("previous by keys")
    };
    assert_eq!(previous, vec![("status".to_owned(), Reads::Whole)]);
    let Some(Reads::Keys(requester)) = get(&top, "requester") else {
        panic!("requester by keys")
    };
    assert_eq!(
        get(&requester, "user_fields"),
        Some(Reads::Keys(vec![("plan".to_owned(), Reads::Whole)]))
    );
    // Nothing read from the ticket before: only whether there is one.
    let plain = RuleSet::compile_json(&json!([trigger(
        1,
        json!([c("type", "is", json!("task"))]),
        json!([]),
        json!([])
    )]))
    .unwrap();
    let Reads::Keys(top) = plain.reads() else {
        panic!("keys")
    };
    assert_eq!(get(&top, "previous"), Some(Reads::Keys(Vec::new())));
    assert_eq!(
        get(&top, "ticket"),
        Some(Reads::Keys(vec![("type".to_owned(), Reads::Whole)]))
    );
}

#[test]
fn effects_are_given_per_trigger() {
    let rules = rules();
    let effects = rules.effects_json();
    assert_eq!(effects.len(), 6);
    assert_eq!(
        effects[0],
        r#"{"trigger_id":1,"field":"notification_webhook","value":["1","{\"t\": \"🎉\"}"]}"#
    );
    assert_eq!(effects[2], "");
}

#[test]
fn key_order_never_matters() {
    // The JS binding sends the keys it reads in its own order: reading must
    // not depend on it. `fields` (the API's alias) counts only without
    // `custom_fields`.
    let rules = rules();
    let fired = |ticket: &str| {
        let text = format!("[{{\"ticket\": {ticket}}}]");
        let mut hits = Vec::new();
        rules
            .match_many_json(&text, |h| hits.push(h.to_vec()))
            .unwrap();
        hits.remove(0)
    };
    let on = r#"[{"id": 101, "value": true}]"#;
    let off = r#"[{"id": 101, "value": false}]"#;
    let six = vec![5];
    assert_eq!(fired(&format!(r#"{{"fields": {on}}}"#)), six);
    assert_eq!(
        fired(&format!(r#"{{"custom_fields": {on}, "fields": {off}}}"#)),
        six
    );
    assert_eq!(
        fired(&format!(r#"{{"fields": {off}, "custom_fields": {on}}}"#)),
        six
    );
    assert!(fired(&format!(r#"{{"fields": {on}, "custom_fields": {off}}}"#)).is_empty());
    assert!(fired(&format!(r#"{{"fields": {on}, "custom_fields": []}}"#)).is_empty());
    // Shape errors too, whichever comes first.
    for ticket in [
        r#"{"fields": 5, "custom_fields": []}"#,
        r#"{"custom_fields": [], "fields": 5}"#,
    ] {
        let text = format!("[{{\"ticket\": {ticket}}}]");
        assert!(rules.match_many_json(&text, |_| {}).is_err(), "{ticket}");
    }
}

#[test]
fn traces_agree_with_evaluation_on_random_updates() {
    let rules = rules();
    for seed in [1, 2, 3, 0x5eed] {
        let updates = random_updates(seed, 150);
        for u in &updates {
            trace::evaluate_checked(&rules, u).expect("update evaluates");
        }
        // A set compared with itself changes nothing.
        let diff = diff_trigger_sets(&rules, &rules, &Value::Array(updates).to_string())
            .expect("diff runs");
        assert!(
            diff.changes.is_empty(),
            "seed {seed}: {:?}",
            diff.changes.first()
        );
        assert_eq!((diff.summary.updates, diff.summary.changed), (150, 0));
    }
}
