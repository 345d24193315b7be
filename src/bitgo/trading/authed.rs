//! The trading API's authentication: BitGo's [`Authed`], whose refusal (no token, a revoked
//! one, a bad signature) answers in the trading API's own body, as BitGo's file documents
//! for every trading route's 401 (`{error, errorName, reqId, context: {errorName}}`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::error::TradingError;
use crate::bitgo::call::Authed;

/// An authenticated trading call (see [`Authed`]).
pub struct TradingAuthed(pub Authed);

impl FromRequest for TradingAuthed {
    type Error = TradingError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let inner = Authed::from_request(req, payload);
        Box::pin(async move { inner.await.map(TradingAuthed).map_err(TradingError::from) })
    }
}
