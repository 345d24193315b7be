//! Times as the vendors write them: milliseconds since the epoch in, ISO-8601 UTC out.

use chrono::{DateTime, SecondsFormat};

/// How many digits of a second an ISO time carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// `2025-10-24T16:44:39Z` (Bitwarden licenses).
    Seconds,
    /// `2025-10-24T16:44:39.108Z` (BitGo, the control plane).
    Millis,
    /// `2025-10-24T16:44:39.108000Z` (Bitwarden's API dates).
    Micros,
}

/// `ms` as ISO-8601 UTC with `precision`; a time out of range reads as the epoch.
pub fn iso(ms: i64, precision: Precision) -> String {
    let format = match precision {
        Precision::Seconds => SecondsFormat::Secs,
        Precision::Millis => SecondsFormat::Millis,
        Precision::Micros => SecondsFormat::Micros,
    };
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(format, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_precision_writes_its_digits() {
        let ms = 1_761_324_279_108;
        assert_eq!(iso(ms, Precision::Seconds), "2025-10-24T16:44:39Z");
        assert_eq!(iso(ms, Precision::Millis), "2025-10-24T16:44:39.108Z");
        assert_eq!(iso(ms, Precision::Micros), "2025-10-24T16:44:39.108000Z");
    }
}
