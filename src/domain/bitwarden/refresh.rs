//! Refresh-token rotation with reuse detection (the OAuth 2.0 Security Best Current
//! Practice): every refresh consumes the token it was given and issues a successor in the
//! same family (the tokens descended from one login); a consumed token presented again is a
//! replay, or a stolen copy racing its owner, and revokes the whole family.

/// What the store holds for a presented refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshFacts {
    /// It was already used for a refresh.
    pub consumed: bool,
    /// When it (and its family) expires, ms.
    pub expires_at: i64,
}

/// What presenting a refresh token does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshUse {
    /// Unknown or expired: refused (`invalid_grant`), nothing changes.
    Invalid,
    /// Used before: refused (`invalid_grant`), and every token of its family is revoked.
    Replayed,
    /// Good: it is consumed now and a successor is issued in its family.
    Rotate,
}

/// The rule, in its order: an unknown token is invalid; a consumed one is a replay (even if
/// its family has since expired, revoking it then costs nothing); an expired one is invalid.
pub fn refresh_use(found: Option<RefreshFacts>, now_ms: i64) -> RefreshUse {
    match found {
        None => RefreshUse::Invalid,
        Some(f) if f.consumed => RefreshUse::Replayed,
        Some(f) if f.expires_at <= now_ms => RefreshUse::Invalid,
        Some(_) => RefreshUse::Rotate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_rotates_once_and_a_second_use_is_a_replay() {
        let fresh = RefreshFacts {
            consumed: false,
            expires_at: 100,
        };
        assert_eq!(refresh_use(Some(fresh), 99), RefreshUse::Rotate);
        assert_eq!(
            refresh_use(Some(fresh), 100),
            RefreshUse::Invalid,
            "expired"
        );
        let used = RefreshFacts {
            consumed: true,
            ..fresh
        };
        assert_eq!(refresh_use(Some(used), 99), RefreshUse::Replayed);
        assert_eq!(refresh_use(Some(used), 500), RefreshUse::Replayed);
        assert_eq!(refresh_use(None, 0), RefreshUse::Invalid);
    }
}
