//! Shared server state: configuration, clock, id generator, credentials,
//! faults and each API's in-memory data, behind short-lived locks (no lock
//! is held across an await).

use crate::auth::Credentials;
use crate::clock::Clock;
use crate::faults::Faults;
use crate::ids::Ids;
use crate::Config;
use std::sync::{Arc, Mutex, MutexGuard};

/// Locks a mutex; a poisoned lock still yields its data (a panicking
/// request must not take the whole emulator down).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState(pub Arc<Shared>);

/// The state behind [`AppState`].
pub struct Shared {
    /// Startup configuration.
    pub config: Config,
    /// Base URL clients reach the server at (`http://127.0.0.1:PORT`).
    pub base_url: String,
    /// Emulator time.
    pub clock: Clock,
    /// Id and token generator.
    pub ids: Mutex<Ids>,
    /// Accepted and issued credentials.
    pub credentials: Mutex<Credentials>,
    /// Fault injection.
    pub faults: Mutex<Faults>,
    /// Zapier Trigger Inbox.
    pub inboxes: Mutex<crate::zapier::inbox::Store>,
    /// Rocket.Chat livechat triggers and canned external services.
    pub rocketchat: Mutex<crate::rocketchat::RcState>,
    /// Zendesk triggers and revisions.
    pub zendesk: Mutex<crate::zendesk::ZdState>,
    /// Pocketflows triggers.
    pub pocketflows: Mutex<crate::pocketflows::PfState>,
    /// Composio trigger instances.
    pub composio: Mutex<crate::composio::CpState>,
}

impl AppState {
    /// Fresh state for `config`, served at `base_url`.
    pub fn new(config: Config, base_url: String) -> Self {
        AppState(Arc::new(Shared {
            ids: Mutex::new(Ids::new(config.seed)),
            credentials: Mutex::new(Credentials::new(&config)),
            faults: Mutex::new(Faults::new(config.seed)),
            inboxes: Mutex::new(new_store(&config)),
            rocketchat: Mutex::new(Default::default()),
            zendesk: Mutex::new(Default::default()),
            pocketflows: Mutex::new(Default::default()),
            composio: Mutex::new(Default::default()),
            clock: Clock::new(),
            base_url,
            config,
        }))
    }

    /// Forgets every inbox, trigger, issued token and fault.
    pub fn reset(&self) {
        let s = &self.0;
        *lock(&s.credentials) = Credentials::new(&s.config);
        *lock(&s.faults) = Faults::new(s.config.seed);
        *lock(&s.inboxes) = new_store(&s.config);
        *lock(&s.rocketchat) = Default::default();
        *lock(&s.zendesk) = Default::default();
        *lock(&s.pocketflows) = Default::default();
        *lock(&s.composio) = Default::default();
    }

    /// Current emulator time in milliseconds.
    pub fn now(&self) -> u64 {
        self.0.clock.now_ms()
    }
}

fn new_store(config: &Config) -> crate::zapier::inbox::Store {
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    crate::zapier::inbox::Store::new(ms(config.initializing), ms(config.deleting))
}
