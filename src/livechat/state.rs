//! The livechat state that outlives a page: the current visit (start and
//! last activity, as epoch milliseconds) and the run-once triggers that have
//! fired for this visitor. It is JSON with a schema version; anything else
//! found in storage is discarded with a reason, never trusted and never a
//! crash. Tabs of one site share it, so two copies can be merged.

use crate::json::{self, Map, Value};
use serde::{Deserialize, Serialize};

/// The schema version written by this code.
pub const STATE_VERSION: u32 = 1;
/// A visit ends after this long without activity (30 minutes).
pub const VISIT_TIMEOUT_MS: u64 = 30 * 60 * 1000;
/// Run-once records kept; beyond this the oldest are forgotten.
pub const MAX_FIRED_RECORDS: usize = 4096;
/// Longest stored state read back, in bytes.
pub const MAX_STATE_BYTES: usize = 1 << 20;

/// Persisted livechat state (what `LivechatEngine.state()` returns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    all(target_arch = "wasm32", feature = "livechat"),
    derive(tsify::Tsify)
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LivechatState {
    /// Schema version; always [`STATE_VERSION`].
    pub version: u32,
    /// The current visit, or null.
    #[cfg_attr(
        all(target_arch = "wasm32", feature = "livechat"),
        tsify(type = "Visit | null")
    )]
    pub visit: Option<Visit>,
    /// Keys of run-once triggers that fired for this visitor (trigger `_id`,
    /// or a content hash for a trigger without one), oldest first.
    pub fired_run_once: Vec<String>,
}

/// A visit: a stretch of activity with no gap longer than [`VISIT_TIMEOUT_MS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    all(target_arch = "wasm32", feature = "livechat"),
    derive(tsify::Tsify)
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Visit {
    /// When the visit began (epoch ms).
    pub start: u64,
    /// The last moment the visitor was known to be present (epoch ms).
    pub last_activity: u64,
}

impl Default for LivechatState {
    fn default() -> Self {
        LivechatState {
            version: STATE_VERSION,
            visit: None,
            fired_run_once: Vec::new(),
        }
    }
}

impl Visit {
    /// Whether the visit is still going at `now`. A clock that went
    /// backwards counts as no gap, so it can delay but never crash anything.
    pub fn alive_at(&self, now: u64) -> bool {
        now.saturating_sub(self.last_activity) <= VISIT_TIMEOUT_MS
    }

    /// Whether two records describe one visit (seen from two tabs or loads).
    fn overlaps(&self, other: &Visit) -> bool {
        self.start <= other.last_activity.saturating_add(VISIT_TIMEOUT_MS)
            && other.start <= self.last_activity.saturating_add(VISIT_TIMEOUT_MS)
    }
}

/// Reads the members of a stored state object as a serde derive would
/// (unknown members refused, `visit` optional).
fn read_state(object: &Map) -> Result<LivechatState, String> {
    only_fields(object, &["version", "visit", "firedRunOnce"])?;
    let visit = match object.get("visit") {
        None | Some(Value::Null) => None,
        Some(Value::Object(visit)) => {
            only_fields(visit, &["start", "lastActivity"])?;
            Some(Visit {
                start: read_u64(visit, "start")?,
                last_activity: read_u64(visit, "lastActivity")?,
            })
        }
        Some(_) => return Err("visit must be an object or null".to_owned()),
    };
    let fired = object
        .get("firedRunOnce")
        .ok_or_else(|| "missing field `firedRunOnce`".to_owned())?;
    let fired_run_once = fired
        .as_array()
        .and_then(|keys| {
            keys.iter()
                .map(|k| k.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
        })
        .ok_or_else(|| "firedRunOnce must be an array of strings".to_owned())?;
    Ok(LivechatState {
        version: STATE_VERSION,
        visit,
        fired_run_once,
    })
}

fn only_fields(object: &Map, known: &[&str]) -> Result<(), String> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(format!("unknown field `{unknown}`")),
        None => Ok(()),
    }
}

fn read_u64(object: &Map, name: &str) -> Result<u64, String> {
    match object.get(name) {
        None => Err(format!("missing field `{name}`")),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| format!("`{name}` must be a whole number of milliseconds")),
    }
}

impl LivechatState {
    /// Reads stored state; `Err` says why it was discarded.
    pub fn from_json(value: &Value) -> Result<LivechatState, String> {
        let Some(object) = value.as_object() else {
            return Err("stored livechat state is not an object".to_owned());
        };
        match object.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(STATE_VERSION) => {}
            Some(v) => {
                return Err(format!(
                    "stored livechat state has unknown version {}",
                    super::decimal(v)
                ))
            }
            None => return Err("stored livechat state has no version".to_owned()),
        }
        let mut state =
            read_state(object).map_err(|e| format!("stored livechat state is corrupt: {e}"))?;
        if let Some(visit) = state.visit {
            if visit.start > visit.last_activity {
                return Err("stored livechat state is corrupt: visit ends before it starts".into());
            }
        }
        state.trim();
        // Duplicates only come from a tampered store; drop them, oldest kept.
        let mut seen: Vec<&str> = Vec::with_capacity(state.fired_run_once.len());
        let mut keep = Vec::with_capacity(state.fired_run_once.len());
        for key in &state.fired_run_once {
            if let Err(slot) = seen.binary_search(&key.as_str()) {
                seen.insert(slot, key);
                keep.push(key.clone());
            }
        }
        state.fired_run_once = keep;
        Ok(state)
    }

    /// Reads stored state from its JSON text; `Err` says why it was discarded.
    pub fn from_json_str(text: &str) -> Result<LivechatState, String> {
        if text.len() > MAX_STATE_BYTES {
            return Err("stored livechat state is too large".to_owned());
        }
        let value = super::parse_json(text)
            .map_err(|e| format!("stored livechat state is not JSON: {e}"))?;
        Self::from_json(&value)
    }

    /// The state as JSON text.
    pub fn to_json_string(&self) -> String {
        super::write_json(&json::ToJson::to_json(self))
    }

    /// Whether the run-once trigger with `key` has fired.
    pub fn has_fired(&self, key: &str) -> bool {
        self.fired_run_once.iter().any(|k| k == key)
    }

    /// Remembers that the run-once trigger with `key` fired.
    pub fn record_fired(&mut self, key: &str) {
        if !self.has_fired(key) {
            self.fired_run_once.push(key.to_owned());
            self.trim();
        }
    }

    fn trim(&mut self) {
        let excess = self.fired_run_once.len().saturating_sub(MAX_FIRED_RECORDS);
        self.fired_run_once.drain(..excess);
    }

    /// Folds in a copy written by another tab or page: run-once records are
    /// united; two records of one visit become one spanning both, otherwise
    /// the more recent visit wins.
    pub fn merge(&mut self, other: &LivechatState) {
        for key in &other.fired_run_once {
            self.record_fired(key);
        }
        self.visit = match (self.visit, other.visit) {
            (None, theirs) => theirs,
            (mine, None) => mine,
            (Some(a), Some(b)) if a.overlaps(&b) => Some(Visit {
                start: a.start.min(b.start),
                last_activity: a.last_activity.max(b.last_activity),
            }),
            (Some(a), Some(b)) => Some(if b.last_activity > a.last_activity {
                b
            } else {
                a
            }),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_json(text: &str) -> Result<LivechatState, String> {
        LivechatState::from_json(&json::parse(text).expect("JSON"))
    }

    #[test]
    fn round_trips_through_json() {
        let mut state = LivechatState {
            visit: Some(Visit {
                start: 5,
                last_activity: 9,
            }),
            ..LivechatState::default()
        };
        state.record_fired("a");
        let text = state.to_json_string();
        assert_eq!(
            text,
            r#"{"version":1,"visit":{"start":5,"lastActivity":9},"firedRunOnce":["a"]}"#
        );
        assert_eq!(LivechatState::from_json_str(&text), Ok(state));
    }

    #[test]
    fn discards_anything_unexpected_with_a_reason() {
        for (bad, reason) in [
            ("not json", "not JSON"),
            ("[]", "not an object"),
            ("{}", "no version"),
            (
                r#"{"version":2,"visit":null,"firedRunOnce":[]}"#,
                "unknown version 2",
            ),
            (
                r#"{"version":1,"visit":null,"firedRunOnce":[1]}"#,
                "corrupt",
            ),
            (
                r#"{"version":1,"visit":null,"firedRunOnce":[],"x":1}"#,
                "corrupt",
            ),
            (
                r#"{"version":1,"visit":{"start":-1,"lastActivity":0},"firedRunOnce":[]}"#,
                "corrupt",
            ),
            (
                r#"{"version":1,"visit":{"start":9,"lastActivity":1},"firedRunOnce":[]}"#,
                "ends before",
            ),
            (
                r#"{"version":1,"visit":null}"#,
                "missing field `firedRunOnce`",
            ),
            (
                r#"{"version":1,"visit":{"start":1},"firedRunOnce":[]}"#,
                "missing field `lastActivity`",
            ),
            (
                r#"{"version":1,"visit":{"start":1.5,"lastActivity":2},"firedRunOnce":[]}"#,
                "corrupt",
            ),
            (
                r#"{"version":1,"visit":{"start":1,"lastActivity":2,"x":0},"firedRunOnce":[]}"#,
                "unknown field `x`",
            ),
            (r#"{"version":1,"visit":[],"firedRunOnce":[]}"#, "corrupt"),
            (r#"{"version":1,"visit":null,"firedRunOnce":{}}"#, "corrupt"),
            (&"[".repeat(100_000), "not JSON"),
        ] {
            let err = LivechatState::from_json_str(bad).expect_err(bad);
            assert!(err.contains(reason), "{bad}: {err}");
        }
        let huge = format!("\"{}\"", "x".repeat(MAX_STATE_BYTES));
        assert!(LivechatState::from_json_str(&huge).is_err());
    }

    #[test]
    fn run_once_records_are_bounded_and_deduplicated() {
        let many: Vec<String> = (0..MAX_FIRED_RECORDS + 10).map(|i| i.to_string()).collect();
        let keys = json::to_string(&json::to_value(&many).expect("keys"));
        let text = format!(r#"{{"version": 1, "visit": null, "firedRunOnce": {keys}}}"#);
        let state = from_json(&text).expect("valid");
        assert_eq!(state.fired_run_once.len(), MAX_FIRED_RECORDS);
        assert_eq!(state.fired_run_once[0], "10", "the oldest are forgotten");
        let dup = r#"{"version": 1, "visit": null, "firedRunOnce": ["a", "a", "b"]}"#;
        assert_eq!(from_json(dup).expect("valid").fired_run_once, ["a", "b"]);
    }

    #[test]
    fn merging_unites_records_and_spans_one_visit() {
        let visit = |start, last_activity| {
            Some(Visit {
                start,
                last_activity,
            })
        };
        let mut a = LivechatState {
            visit: visit(1_000, 5_000),
            fired_run_once: vec!["x".into()],
            ..LivechatState::default()
        };
        let b = LivechatState {
            visit: visit(500, 9_000),
            fired_run_once: vec!["y".into(), "x".into()],
            ..LivechatState::default()
        };
        a.merge(&b);
        assert_eq!(a.visit, visit(500, 9_000));
        assert_eq!(a.fired_run_once, ["x", "y"]);

        // An older, separate visit loses to the current one, in either order.
        let old = LivechatState {
            visit: visit(0, 10),
            ..LivechatState::default()
        };
        let late = 10 + VISIT_TIMEOUT_MS + 1;
        let mut current = LivechatState {
            visit: visit(late, late + 5),
            ..LivechatState::default()
        };
        current.merge(&old);
        assert_eq!(current.visit, visit(late, late + 5));
        let mut stale = old.clone();
        stale.merge(&current);
        assert_eq!(stale.visit, visit(late, late + 5));
    }
}
