//! Identifiers and secrets: random but unique (a counter is mixed in), from
//! a seeded generator so a run with `--seed` is reproducible.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/// Meteor's `Random.id()` alphabet (Rocket.Chat `_id`s).
const METEOR: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

/// Generator of ids and tokens.
#[derive(Debug)]
pub struct Ids {
    rng: StdRng,
    counter: u64,
}

impl Ids {
    /// A generator seeded with `seed`, or from the OS when `None`.
    pub fn new(seed: Option<u64>) -> Self {
        let rng = match seed {
            Some(s) => StdRng::seed_from_u64(s),
            None => StdRng::from_os_rng(),
        };
        Ids { rng, counter: 0 }
    }

    fn random(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len)
            .map(|_| {
                let i = self.rng.random_range(0..alphabet.len());
                alphabet.get(i).map_or('x', |b| char::from(*b))
            })
            .collect()
    }

    /// `prefix` + a unique counter + `len` random alphanumerics.
    pub fn token(&mut self, prefix: &str, len: usize) -> String {
        self.counter += 1;
        let tail = self.random(ALNUM, len);
        format!("{prefix}{:x}{tail}", self.counter)
    }

    /// A Meteor-style 17-character id.
    pub fn meteor(&mut self) -> String {
        self.random(METEOR, 17)
    }

    /// A UUID version 7 for emulator time `unix_ms`.
    pub fn uuid7(&mut self, unix_ms: u64) -> String {
        let bytes: [u8; 10] = self.rng.random();
        uuid::Builder::from_unix_timestamp_millis(unix_ms, &bytes)
            .into_uuid()
            .to_string()
    }

    /// A UUID version 4.
    pub fn uuid4(&mut self) -> String {
        let bytes: [u8; 16] = self.rng.random();
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}
