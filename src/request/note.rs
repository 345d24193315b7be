//! What a dialect's extractor leaves for the journal about who made a request.

/// Who a request authenticated as, left by the dialect's extractor in the request's extensions
/// for the journal (or, by a login, in the response's): the user, and the token's id where the
/// dialect has one (never the token).
#[derive(Clone, Debug)]
pub struct PrincipalNote {
    /// The user's id.
    pub user_id: String,
    /// The id of the token used (BitGo), if any.
    pub token_id: Option<String>,
}
