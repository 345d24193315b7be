//! How the store's own failures become the engine error: a constraint violation is a
//! conflict; anything else from SQLite, the pool or the blocking pool is internal.

use crate::domain::error::Error;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(f, msg) if f.code == ErrorCode::ConstraintViolation => {
                Error::Conflict(format!(
                    "conflict with existing data ({})",
                    msg.as_deref().unwrap_or("constraint violation")
                ))
            }
            _ => Error::Internal(format!("sqlite: {e}")),
        }
    }
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Self {
        Error::Internal(format!("connection pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for Error {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Error::Internal(format!("blocking pool: {e}"))
    }
}
