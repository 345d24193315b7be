//! The virtual clock of the addressed sandbox: `GET /sandbox/clock` reads it, `POST
//! /sandbox/clock` moves it: `{reset?, set?, advanceMs?, advanceSeconds?, freeze?}`, applied
//! in that order. Token expiry, unlock windows, approvals and KYC follow it; signed-request
//! freshness keeps the real clock.

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use serde::Deserialize;
use serde_json::{json, Value};

use chrono::DateTime;

use crate::control::body;
use crate::control::{Admin, ControlError};
use crate::domain::error::Error;
use crate::domain::time::{iso, Precision};
use crate::sandbox::Clock;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct MoveClock {
    #[serde(default)]
    reset: bool,
    /// Milliseconds since the epoch, or an RFC 3339 time.
    set: Option<Value>,
    advance_ms: Option<i64>,
    advance_seconds: Option<i64>,
    freeze: Option<bool>,
}

/// The clock as JSON: `{now, nowMs, frozen, offsetMs}`.
pub fn clock_view(clock: &Clock) -> Value {
    let now = clock.now_ms();
    json!({
        "now": iso(now, Precision::Millis),
        "nowMs": now,
        "frozen": clock.is_frozen(),
        "offsetMs": clock.offset_ms(),
    })
}

/// `GET /sandbox/clock`.
pub async fn get_clock(admin: Admin) -> HttpResponse {
    HttpResponse::Ok().json(clock_view(&admin.sandbox.clock))
}

fn parse_time(value: &Value) -> Result<i64, Error> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| Error::Invalid("set: milliseconds must be an integer".into())),
        Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
            .map(|t| t.timestamp_millis())
            .map_err(|e| Error::Invalid(format!("set: {s:?} is not an RFC 3339 time ({e})"))),
        _ => Err(Error::Invalid(
            "set: give milliseconds since the epoch or an RFC 3339 time".into(),
        )),
    }
}

/// `POST /sandbox/clock`: moves the clock; answers with it.
pub async fn move_clock(admin: Admin, body: Bytes) -> Result<HttpResponse, ControlError> {
    let request: MoveClock = body::json(&body)?;
    let set = request.set.as_ref().map(parse_time).transpose()?;
    let advance = match (request.advance_ms, request.advance_seconds) {
        (Some(ms), None) => Some(ms),
        (None, Some(s)) => Some(
            s.checked_mul(1000)
                .ok_or_else(|| Error::Invalid("advanceSeconds is too large".into()))?,
        ),
        (None, None) => None,
        (Some(_), Some(_)) => {
            return Err(Error::Invalid("give advanceMs or advanceSeconds, not both".into()).into())
        }
    };
    // Keep the clock within years 1970..9999 so every reading formats as a date.
    const LATEST: i64 = 253_402_300_799_000;
    let target = set.unwrap_or_else(|| admin.sandbox.clock.now_ms());
    if let Some(t) = advance.map_or(Some(target), |a| target.checked_add(a)) {
        if !(0..=LATEST).contains(&t) {
            return Err(Error::Invalid("the clock must stay between 1970 and 9999".into()).into());
        }
    } else {
        return Err(Error::Invalid("the clock must stay between 1970 and 9999".into()).into());
    }
    let clock = &admin.sandbox.clock;
    if request.reset {
        clock.reset();
    }
    if let Some(at) = set {
        clock.set(at);
    }
    if let Some(ms) = advance {
        clock.advance(ms);
    }
    match request.freeze {
        Some(true) => clock.freeze(),
        Some(false) => clock.unfreeze(),
        None => {}
    }
    Ok(HttpResponse::Ok().json(clock_view(clock)))
}
