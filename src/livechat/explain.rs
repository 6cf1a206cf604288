//! Why each livechat trigger did or did not fire: a read-only look at the
//! engine at a given time ([`LivechatEngine::explain`]). It reads what the
//! engine already keeps (the page view, the visit, the run-once records and
//! what loading found) and never changes it, so asking never alters what
//! fires next.

use super::engine::{Listed, LivechatEngine};
use serde::{Serialize, Serializer};

/// One trigger of the list given, in the same order. Serializes as
/// `{status, index, id, ...}` with the variant's fields in camelCase
/// (`status` is the variant's name in kebab-case); the TypeScript type is
/// the union `LivechatExplanation` (src/wasm/livechat.rs).
#[derive(Debug, Clone, PartialEq)]
pub enum LivechatExplanation {
    /// Fired in the current page view; it cannot fire again before the next
    /// one (a run-once trigger never again for this visitor).
    Fired {
        /// Position in the list given.
        index: usize,
        /// The trigger's `_id`, or null.
        id: Option<String>,
        /// When it fired (epoch ms).
        fired_at: u64,
        /// Whether it is a run-once trigger.
        run_once: bool,
    },
    /// Can still fire in this page view: `waiting` lists the conditions that
    /// do not hold yet. Empty when all hold and it fires at the engine's next
    /// event or tick (a time-on-site threshold reached since the last one).
    Pending {
        /// Position in the list given.
        index: usize,
        /// The trigger's `_id`, or null.
        id: Option<String>,
        /// The conditions that do not hold yet.
        waiting: Vec<LivechatWaiting>,
    },
    /// A run-once trigger that fired for this visitor before this page view
    /// (in an earlier page, or in another tab): it never fires again.
    Spent {
        /// Position in the list given.
        index: usize,
        /// The trigger's `_id`, or null.
        id: Option<String>,
    },
    /// Valid but disabled (`enabled: false`): it never fires.
    Disabled {
        /// Position in the list given.
        index: usize,
        /// The trigger's `_id`, or null.
        id: Option<String>,
    },
    /// Rejected when loading; `code` is its first error's (the whole list
    /// is in the engine's `invalid`).
    Invalid {
        /// Position in the list given.
        index: usize,
        /// The trigger's `_id` (if it had a string one), or null.
        id: Option<String>,
        /// The code of its first error, e.g. `pattern_unsupported`.
        code: String,
    },
}

/// A condition of a pending trigger that does not hold yet. Serializes as
/// `{condition, ...}` (`condition` is the variant's name in kebab-case, the
/// fields in camelCase); the TypeScript type is the union `LivechatWaiting`.
#[derive(Debug, Clone, PartialEq)]
pub enum LivechatWaiting {
    /// No page view yet: `start(url)` has not been called.
    Start,
    /// The visit is not old enough (the largest threshold of the trigger).
    TimeOnSite {
        /// The threshold, in ms.
        threshold_ms: u64,
        /// How long until it is reached, in ms (the whole threshold when no
        /// visit is going: the next activity starts one).
        remaining_ms: u64,
        /// When it is reached (epoch ms), or null when no visit is going.
        due_at: Option<u64>,
    },
    /// The pattern does not match the current URL.
    PageUrl {
        /// The pattern (JavaScript regular-expression source).
        pattern: String,
        /// The current page URL, or null before `start(url)`.
        url: Option<String>,
    },
    /// The visitor has not opened the chat in this page view.
    ChatOpenedByVisitor,
    /// The visitor has not registered as a guest in this page view.
    AfterGuestRegistration,
}

/// The JSON form of a [`LivechatExplanation`]: one struct whose absent
/// members are skipped. One flat serializer costs the livechat wasm about
/// half of what a derived internally tagged enum does (every variant
/// repeats the shared members there).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplanationJson<'a> {
    status: &'static str,
    index: usize,
    id: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fired_at: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_once: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiting: Option<&'a [LivechatWaiting]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

impl LivechatExplanation {
    /// The members every variant has: `status` (the variant's name in
    /// kebab-case), `index` and `id`.
    pub(crate) fn head(&self) -> (&'static str, usize, &Option<String>) {
        use LivechatExplanation as X;
        match self {
            X::Fired { index, id, .. } => ("fired", *index, id),
            X::Pending { index, id, .. } => ("pending", *index, id),
            X::Spent { index, id } => ("spent", *index, id),
            X::Disabled { index, id } => ("disabled", *index, id),
            X::Invalid { index, id, .. } => ("invalid", *index, id),
        }
    }
}

impl Serialize for LivechatExplanation {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use LivechatExplanation as X;
        let (status, index, id) = self.head();
        let mut json = ExplanationJson {
            status,
            index,
            id,
            fired_at: None,
            run_once: None,
            waiting: None,
            code: None,
        };
        match self {
            X::Fired {
                fired_at, run_once, ..
            } => {
                json.fired_at = Some(*fired_at);
                json.run_once = Some(*run_once);
            }
            X::Pending { waiting, .. } => json.waiting = Some(waiting),
            X::Invalid { code, .. } => json.code = Some(code),
            X::Spent { .. } | X::Disabled { .. } => {}
        }
        json.serialize(serializer)
    }
}

/// The JSON form of a [`LivechatWaiting`] (see [`ExplanationJson`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WaitingJson<'a> {
    condition: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remaining_ms: Option<u64>,
    /// `Some(None)` is written as null.
    #[serde(skip_serializing_if = "Option::is_none")]
    due_at: Option<Option<u64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'a str>,
    /// `Some(None)` is written as null.
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a Option<String>>,
}

impl Serialize for LivechatWaiting {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut json = WaitingJson {
            condition: "",
            threshold_ms: None,
            remaining_ms: None,
            due_at: None,
            pattern: None,
            url: None,
        };
        json.condition = match self {
            LivechatWaiting::Start => "start",
            LivechatWaiting::TimeOnSite {
                threshold_ms,
                remaining_ms,
                due_at,
            } => {
                json.threshold_ms = Some(*threshold_ms);
                json.remaining_ms = Some(*remaining_ms);
                json.due_at = Some(*due_at);
                "time-on-site"
            }
            LivechatWaiting::PageUrl { pattern, url } => {
                json.pattern = Some(pattern);
                json.url = Some(url);
                "page-url"
            }
            LivechatWaiting::ChatOpenedByVisitor => "chat-opened-by-visitor",
            LivechatWaiting::AfterGuestRegistration => "after-guest-registration",
        };
        json.serialize(serializer)
    }
}

impl LivechatEngine {
    /// Explains, at time `now` (epoch ms), every trigger given to the
    /// engine, in order: fired, pending (and what it waits for), spent,
    /// disabled or invalid. Read-only: the state and what fires next are
    /// the same whether or not this is called. Not inlined: the two JS
    /// bindings share one copy.
    #[inline(never)]
    pub fn explain(&self, now: u64) -> Vec<LivechatExplanation> {
        self.listed
            .iter()
            .enumerate()
            .map(|(index, (id, listed))| {
                let id = id.clone();
                match listed {
                    Listed::Disabled => LivechatExplanation::Disabled { index, id },
                    Listed::Invalid(code) => LivechatExplanation::Invalid {
                        index,
                        id,
                        code: code.clone(),
                    },
                    Listed::Compiled(t) => self.explain_compiled(*t, index, id, now),
                }
            })
            .collect()
    }

    fn explain_compiled(
        &self,
        t: usize,
        index: usize,
        id: Option<String>,
        now: u64,
    ) -> LivechatExplanation {
        let view = self.view.as_ref();
        let fired_at = view.and_then(|v| v.fired.get(t).copied().flatten());
        let Some(trigger) = self.triggers.get(t) else {
            return LivechatExplanation::Pending {
                index,
                id,
                waiting: Vec::new(),
            };
        };
        if let Some(fired_at) = fired_at {
            return LivechatExplanation::Fired {
                index,
                id,
                fired_at,
                run_once: trigger.run_once,
            };
        }
        if self.fired_once.get(t).copied().unwrap_or(false) {
            return LivechatExplanation::Spent { index, id };
        }
        let mut waiting = Vec::new();
        if view.is_none() {
            waiting.push(LivechatWaiting::Start);
        }
        if let Some(threshold_ms) = trigger.time_ms {
            let visit = self.state.visit.filter(|v| v.alive_at(now));
            let due_at = visit.map(|v| v.start.saturating_add(threshold_ms));
            let remaining_ms = due_at.map_or(threshold_ms, |due| due.saturating_sub(now));
            if remaining_ms > 0 || due_at.is_none() {
                waiting.push(LivechatWaiting::TimeOnSite {
                    threshold_ms,
                    remaining_ms,
                    due_at,
                });
            }
        }
        for (k, &p) in trigger.patterns.iter().enumerate() {
            let holds = view.is_some() && self.pattern_hits.get(p).copied().unwrap_or(false);
            // A pattern the trigger lists twice is reported once.
            let repeated = trigger
                .patterns
                .get(..k)
                .is_some_and(|seen| seen.contains(&p));
            if holds || repeated {
                continue;
            }
            waiting.push(LivechatWaiting::PageUrl {
                pattern: self
                    .pattern_sources
                    .iter()
                    .find(|(_, i)| *i == p)
                    .map(|(source, _)| source.clone())
                    .unwrap_or_default(),
                url: view.map(|v| v.url.clone()),
            });
        }
        if trigger.chat_opened && !view.is_some_and(|v| v.chat_opened) {
            waiting.push(LivechatWaiting::ChatOpenedByVisitor);
        }
        if trigger.guest_registered && !view.is_some_and(|v| v.guest_registered) {
            waiting.push(LivechatWaiting::AfterGuestRegistration);
        }
        LivechatExplanation::Pending { index, id, waiting }
    }
}
