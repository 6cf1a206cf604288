//! Credentials: the static tokens every API accepts (from `--token`) and the
//! bearer tokens POST /oauth/token issued, with their scope and expiry.

use crate::Config;
use std::collections::HashMap;

/// The audience the Trigger Inbox API requires of issued tokens.
pub const INBOX_SCOPE: &str = "external";

#[derive(Debug, Clone)]
struct Issued {
    scopes: Vec<String>,
    expires_at: u64,
}

/// Verdict on a bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerCheck {
    /// Accepted.
    Valid,
    /// Never issued.
    Unknown,
    /// Issued but past its lifetime.
    Expired,
    /// Issued without the scope the API needs.
    WrongAudience,
}

/// Accepted and issued credentials.
#[derive(Debug, Clone)]
pub struct Credentials {
    static_tokens: Vec<String>,
    issued: HashMap<String, Issued>,
}

impl Credentials {
    /// The static tokens of `config`, nothing issued yet.
    pub fn new(config: &Config) -> Self {
        Credentials {
            static_tokens: config.tokens.clone(),
            issued: HashMap::new(),
        }
    }

    /// Whether `secret` is one of the static tokens.
    pub fn is_static(&self, secret: &str) -> bool {
        self.static_tokens.iter().any(|t| t == secret)
    }

    /// Checks a bearer token at emulator time `now`; `scope` is the scope
    /// an issued token must carry, if any.
    pub fn check_bearer(&self, token: &str, now: u64, scope: Option<&str>) -> BearerCheck {
        if self.is_static(token) {
            return BearerCheck::Valid;
        }
        match self.issued.get(token) {
            None => BearerCheck::Unknown,
            Some(i) if now >= i.expires_at => BearerCheck::Expired,
            Some(i) if scope.is_some_and(|s| !i.scopes.iter().any(|x| x == s)) => {
                BearerCheck::WrongAudience
            }
            Some(_) => BearerCheck::Valid,
        }
    }

    /// Records an issued token.
    pub fn issue(&mut self, token: String, scope: &str, now: u64, ttl_ms: u64) {
        let scopes = scope.split_whitespace().map(str::to_owned).collect();
        self.issued.insert(
            token,
            Issued {
                scopes,
                expires_at: now.saturating_add(ttl_ms),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_expire_and_need_scope() {
        let mut c = Credentials::new(&Config::default());
        assert_eq!(
            c.check_bearer(crate::DEV_TOKEN, 0, Some(INBOX_SCOPE)),
            BearerCheck::Valid
        );
        assert_eq!(c.check_bearer("x", 0, None), BearerCheck::Unknown);
        c.issue("a".into(), "external", 0, 1000);
        c.issue("b".into(), "zap:write", 0, 1000);
        assert_eq!(
            c.check_bearer("a", 999, Some(INBOX_SCOPE)),
            BearerCheck::Valid
        );
        assert_eq!(
            c.check_bearer("a", 1000, Some(INBOX_SCOPE)),
            BearerCheck::Expired
        );
        assert_eq!(
            c.check_bearer("b", 0, Some(INBOX_SCOPE)),
            BearerCheck::WrongAudience
        );
        assert_eq!(c.check_bearer("b", 0, None), BearerCheck::Valid);
    }
}
