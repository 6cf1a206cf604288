//! The emulator's clock: real time plus an offset the admin API can move
//! forward, so tests can expire leases or finish initialization without
//! waiting.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Milliseconds since the server started, including the admin offset.
#[derive(Debug)]
pub struct Clock {
    start: Instant,
    start_wall: SystemTime,
    offset_ms: AtomicU64,
}

impl Clock {
    /// A clock starting now.
    pub fn new() -> Self {
        Clock {
            start: Instant::now(),
            start_wall: SystemTime::now(),
            offset_ms: AtomicU64::new(0),
        }
    }

    /// Current emulator time in milliseconds.
    pub fn now_ms(&self) -> u64 {
        let real = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        real.saturating_add(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward; returns the total offset.
    pub fn advance(&self, by: Duration) -> u64 {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.offset_ms
            .fetch_add(by, Ordering::Relaxed)
            .saturating_add(by)
    }

    /// The admin offset in milliseconds.
    pub fn offset_ms(&self) -> u64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Wall-clock time of emulator time `ms`.
    pub fn wall(&self, ms: u64) -> SystemTime {
        self.start_wall + Duration::from_millis(ms)
    }

    /// `2026-05-21T12:00:00.000000Z` (Zapier's form) for emulator time `ms`.
    pub fn iso_micros(&self, ms: u64) -> String {
        humantime::format_rfc3339_micros(self.wall(ms)).to_string()
    }

    /// `2026-05-21T12:00:00.000Z` (Rocket.Chat's form).
    pub fn iso_millis(&self, ms: u64) -> String {
        humantime::format_rfc3339_millis(self.wall(ms)).to_string()
    }

    /// `2026-05-21T12:00:00Z` (Zendesk's and Pocketflows' form).
    pub fn iso_seconds(&self, ms: u64) -> String {
        humantime::format_rfc3339_seconds(self.wall(ms)).to_string()
    }
}
