//! Livechat trigger engine: a deterministic state machine fed with events
//! (DESIGN.md section 6). It never reads a clock, storage or the DOM; the
//! browser runtime (`wasm::livechat`) does that and feeds it.
//!
//! # Rules
//!
//! A trigger fires when it is enabled, valid, has not fired in this page view
//! (nor ever, for `runOnce`), and **all** its conditions hold; then **all** its
//! actions are returned, in order. Triggers are checked in the order given.
//!
//! - **time-on-site `n`**: the current visit began at least `n` seconds ago.
//!   A visit is measured from timestamps and persisted, so it spans page
//!   loads; it ends after 30 minutes without activity. Activity is any event
//!   while the page is visible (start, navigate, chat opened, guest
//!   registered, becoming visible or hidden, and ticks; while visible and some
//!   trigger waits on time, the engine asks for a tick at least every 10
//!   minutes). Time spent in a hidden tab counts while the visit lasts, so a
//!   background tab whose timer was throttled fires as soon as it wakes. If it
//!   wakes after the visit has ended, it fires nothing; the next activity
//!   starts a new visit. A value of `null` is 0 seconds (as in the widget).
//! - **page-url `p`**: `p`, a JavaScript regular expression, matches the
//!   current full URL anywhere (unanchored, case-sensitive), like the
//!   widget's `new RegExp(p).test(url)`, but on a linear-time engine; checked
//!   at start and at every navigation (see [`pattern`]).
//! - **chat-opened-by-visitor** and **after-guest-registration** are events.
//!   Each holds from the moment it happens until the end of that page view.
//!   Why the page view: it is what makes a lone event condition behave as in
//!   the Rocket.Chat widget (one message per event, in the page where it
//!   happened, never repeated on later pages), while still letting it combine
//!   with the other conditions in any order (open the chat, then 60 seconds
//!   on the site: the message comes at 60 seconds). Latching for the whole
//!   visit would instead resend the message on every later page view.
//!
//! A page view is a load (`start`) or a navigation to a different URL (a
//! navigation to the same URL, e.g. `replaceState` with the current URL, is
//! not a new page view). A trigger fires at most once per page view, however
//! long its conditions keep holding; a `runOnce` trigger at most once per
//! visitor (remembered in [`state::LivechatState`]).
//!
//! Where this differs from the Rocket.Chat widget, on purpose: the widget
//! only reads the first condition and first action; counts time-on-site with
//! a `setTimeout` restarted on every page load (so it never spans pages and
//! drifts in throttled tabs); tests page-url with a backtracking engine; and
//! stops scheduling triggers once the visitor is registered. Here conditions
//! combine, time spans the visit, patterns cannot hang the page, and whether
//! triggers run during a conversation is the embedder's call (`stop()`).
//!
//! [`LivechatEngine::explain`] says, without changing anything, why each
//! trigger fired or not: fired, pending (and which conditions still wait),
//! spent (run-once), disabled or invalid (see [`explain`]).

pub mod engine;
pub mod explain;
pub mod pattern;
pub mod service;
pub mod state;

use crate::json;

pub use engine::{
    check_triggers, InvalidTrigger, LivechatAction, LivechatEngine, LivechatError, LivechatEvent,
    LivechatStep, LoadReport, HEARTBEAT_MS,
};
pub use explain::{LivechatExplanation, LivechatWaiting};
pub use pattern::{check_pattern, Pattern, PatternError};
pub use state::{LivechatState, Visit, VISIT_TIMEOUT_MS};

/// Parses JSON text (stored state, HTTP answers, number conditions); `Err`
/// says why it is not JSON. Natively and in the full build this is
/// [`json::parse`].
#[cfg(not(all(target_arch = "wasm32", not(feature = "validators"))))]
pub(crate) fn parse_json(text: &str) -> Result<json::Value, String> {
    json::parse(text).map_err(|e| e.to_string())
}

/// Parses JSON text (stored state, HTTP answers, number conditions); `Err`
/// says why it is not JSON. The livechat-only wasm build has the JS engine's
/// `JSON.parse` do it (`wasm::convert::parse_json_text`): the same results,
/// and the crate's parser (about 1.5 KB gzip) stays out of that build.
#[cfg(all(target_arch = "wasm32", not(feature = "validators")))]
pub(crate) fn parse_json(text: &str) -> Result<json::Value, String> {
    crate::wasm::convert::parse_json_text(text)
}

/// The compact JSON text of `value` (stored state, the external-service
/// request, the content key of a trigger without `_id`). Natively and in the
/// full build this is [`json::to_string`].
#[cfg(not(all(target_arch = "wasm32", not(feature = "validators"))))]
pub(crate) fn write_json(value: &json::Value) -> String {
    json::to_string(value)
}

/// The compact JSON text of `value` (stored state, the external-service
/// request, the content key of a trigger without `_id`). The livechat-only
/// wasm build has the JS engine's `JSON.stringify` write it
/// (`wasm::convert::write_json_text`): the same text, since none of these
/// objects has a key that is an array index (which JS would list first) or
/// `__proto__`.
#[cfg(all(target_arch = "wasm32", not(feature = "validators")))]
pub(crate) fn write_json(value: &json::Value) -> String {
    crate::wasm::convert::write_json_text(value)
}

/// `n.to_string()` without `u64`'s `Display`, which only these messages
/// would link into the livechat build (0.3 KB of wasm); the panic hook's
/// `u32` printer stays either way.
pub(crate) fn decimal(n: u64) -> String {
    let mut unit = 1;
    while unit <= n / 10 {
        unit *= 10;
    }
    let mut text = String::new();
    loop {
        text.push(char::from(b'0' + (n / unit % 10) as u8));
        if unit == 1 {
            return text;
        }
        unit /= 10;
    }
}

/// The lowercase (`b"0123456789abcdef"`) or uppercase hex digit of the low
/// four bits of `nibble`, without the `LowerHex`/`UpperHex` printers.
pub(crate) fn hex_digit(nibble: u64, alphabet: &[u8; 16]) -> char {
    char::from(alphabet[(nibble & 15) as usize])
}

#[cfg(test)]
mod digit_tests {
    use super::{decimal, hex_digit};

    #[test]
    fn decimal_prints_like_display() {
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            4_294_967_296,
            10_u64.pow(19),
            u64::MAX,
        ] {
            assert_eq!(decimal(n), n.to_string());
        }
    }

    #[test]
    fn hex_digit_reads_the_low_nibble() {
        assert_eq!(hex_digit(0x1f, b"0123456789ABCDEF"), 'F');
        assert_eq!(hex_digit(0xa, b"0123456789abcdef"), 'a');
        assert_eq!(hex_digit(0x30, b"0123456789abcdef"), '0');
    }
}
