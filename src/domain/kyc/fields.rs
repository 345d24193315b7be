//! Checks a KYC submission or patch: the fields its kind requires are present, and each known
//! field looks as it must (the tables are in `forms.rs`). Errors name the field.

use chrono::{DateTime, Datelike, NaiveDate};
use serde_json::{Map, Value};

use super::forms::{kind_of, required_fields, Kind};
use super::Outcome;
use crate::domain::error::{Error, Result};

/// A create request that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    /// `institutionalIndividual` when the request named none (the US-individual form).
    pub transaction_type: String,
    /// The organization.
    pub organization_id: String,
    /// The child enterprise.
    pub enterprise_id: String,
    /// The enterprise's user being verified.
    pub user_id: String,
    /// Every field as sent (an empty `debugFailureReason`, as BitGo's own example sends, is
    /// dropped).
    pub fields: Map<String, Value>,
    /// How it will end.
    pub outcome: Outcome,
}

/// Checks a create request: the variant's required fields are present, and every known field
/// has the right type. Errors name the field.
pub fn validate_submission(body: &Value, now_ms: i64) -> Result<Submission> {
    let Some(fields) = body.as_object() else {
        return Err(Error::Invalid("the body must be a JSON object".into()));
    };
    let mut fields = fields.clone();
    drop_empty_failure_reason(&mut fields);
    let transaction_type = match fields.get("transactionType") {
        None => "institutionalIndividual".to_string(),
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err(Error::Invalid("transactionType must be a string".into())),
    };
    for field in required_fields(&transaction_type)? {
        if matches!(fields.get(*field), None | Some(Value::Null)) {
            return Err(Error::Invalid(format!("missing required field: {field}")));
        }
    }
    check_fields(&fields, now_ms)?;
    if transaction_type == "euIndividual" {
        check_recent_kyc(&fields, now_ms)?;
    }
    let text = |f: &str| {
        fields
            .get(f)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let outcome = Outcome::from_debug_status(fields.get("debugStatus").and_then(Value::as_str))?;
    let (organization_id, enterprise_id, user_id) =
        (text("organizationId"), text("enterpriseId"), text("userId"));
    fields.insert("transactionType".into(), transaction_type.clone().into());
    Ok(Submission {
        organization_id,
        enterprise_id,
        user_id,
        transaction_type,
        outcome,
        fields,
    })
}

/// Checks a patch: every known field it carries has the right type.
pub fn validate_patch(body: &Value, now_ms: i64) -> Result<Map<String, Value>> {
    let Some(fields) = body.as_object() else {
        return Err(Error::Invalid("the body must be a JSON object".into()));
    };
    let mut fields = fields.clone();
    drop_empty_failure_reason(&mut fields);
    check_fields(&fields, now_ms)?;
    Ok(fields)
}

fn drop_empty_failure_reason(fields: &mut Map<String, Value>) {
    if fields.get("debugFailureReason").and_then(Value::as_str) == Some("") {
        fields.remove("debugFailureReason");
    }
}

fn check_fields(fields: &Map<String, Value>, now_ms: i64) -> Result<()> {
    for (name, value) in fields {
        if let Some(kind) = kind_of(name) {
            check_value(name, kind, value, now_ms)?;
        }
    }
    Ok(())
}

fn check_value(field: &str, kind: Kind, value: &Value, now_ms: i64) -> Result<()> {
    let bad = |what: &str| Err(Error::Invalid(format!("invalid {field}: {what}")));
    match kind {
        Kind::Bool if !value.is_boolean() => bad("expected true or false"),
        Kind::Number if !value.is_number() => bad("expected a number"),
        Kind::Bool | Kind::Number => Ok(()),
        _ => {
            if let Kind::DayMonthYear = kind {
                return match day_month_year(value) {
                    Some(_) => Ok(()),
                    None => bad("expected {day, month, year} strings forming a real date"),
                };
            }
            let Some(text) = value.as_str().filter(|s| !s.trim().is_empty()) else {
                return bad("expected a non-empty string");
            };
            match kind {
                Kind::OneOf(allowed) if !allowed.contains(&text) => {
                    bad(&format!("{text:?} is not one of the allowed values"))
                }
                Kind::Name
                    if !text
                        .chars()
                        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '.' | '-')) =>
                {
                    bad("only letters, spaces, hyphens, apostrophes and periods")
                }
                Kind::TaxId if !is_tax_id(text) => bad("expected 123-45-6789 or nine digits"),
                Kind::Date => match parse_date(text) {
                    Some(d)
                        if d.and_hms_opt(0, 0, 0)
                            .is_some_and(|t| t.and_utc().timestamp_millis() <= now_ms) =>
                    {
                        Ok(())
                    }
                    Some(_) => bad("the date is in the future"),
                    None => bad("expected YYYY-MM-DD"),
                },
                _ => Ok(()),
            }
        }
    }
}

fn is_tax_id(s: &str) -> bool {
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    match parts[..] {
        [all] => digits(all, 9),
        [a, b, c] => digits(a, 3) && digits(b, 2) && digits(c, 4),
        _ => false,
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

fn day_month_year(value: &Value) -> Option<NaiveDate> {
    let part = |k: &str| value.get(k)?.as_str()?.trim().parse::<u32>().ok();
    let year = i32::try_from(part("year")?).ok()?;
    NaiveDate::from_ymd_opt(year, part("month")?, part("day")?)
}

/// BitGo's EU rule: the last KYC completion must be within two years.
fn check_recent_kyc(fields: &Map<String, Value>, now_ms: i64) -> Result<()> {
    let last = fields
        .get("lastKycCompletionDate")
        .and_then(day_month_year)
        .ok_or_else(|| Error::Invalid("invalid lastKycCompletionDate".into()))?;
    let today = DateTime::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .date_naive();
    let limit = today
        .with_year(today.year() - 2)
        .unwrap_or(today - chrono::Duration::days(730));
    if last < limit || last > today {
        return Err(Error::Invalid(
            "invalid lastKycCompletionDate: must be within the last two years".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kyc::forms::US_INDIVIDUAL;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000_000; // 2026-05-28

    fn us() -> Value {
        json!({
            "organizationId": "o", "enterpriseId": "e", "userId": "u",
            "nameFirst": "John", "nameLast": "Doe", "birthdate": "1990-03-13T00:00:00Z",
            "phoneNumber": "+442083661173", "occupation": "Other - Default",
            "countryOfCitizenship": "USA", "countryOfResidence": "USA",
            "govIdCountryOfIssuance": "USA", "politicallyExposedPerson": false,
            "addressStreet1": "Street 1", "addressCity": "San Jose", "addressSubdivision": "CA",
            "country": "USA", "debugFailureReason": ""
        })
    }

    #[test]
    fn a_us_individual_passes_and_defaults_its_type() {
        let s = validate_submission(&us(), NOW).unwrap();
        assert_eq!(s.transaction_type, "institutionalIndividual");
        assert_eq!(s.outcome, Outcome::Approved);
        assert_eq!((s.enterprise_id.as_str(), s.user_id.as_str()), ("e", "u"));
        assert!(!s.fields.contains_key("debugFailureReason"));
    }

    #[test]
    fn each_missing_field_is_named() {
        for field in US_INDIVIDUAL {
            let mut body = us();
            body.as_object_mut().unwrap().remove(*field);
            let err = validate_submission(&body, NOW).unwrap_err().to_string();
            assert!(err.contains(field), "{field}: {err}");
        }
    }

    #[test]
    fn wrong_types_are_named() {
        for (field, value) in [
            ("politicallyExposedPerson", json!("no")),
            ("occupation", json!("Astronaut")),
            ("birthdate", json!("13/03/1990")),
            ("nameFirst", json!("J0hn")),
            ("identificationNumber", json!("12-345")),
            ("debugStatus", json!("maybe")),
            ("country", json!("")),
        ] {
            let mut body = us();
            body[field] = value;
            let err = validate_submission(&body, NOW).unwrap_err().to_string();
            assert!(err.contains(field), "{field}: {err}");
        }
    }

    #[test]
    fn eu_individuals_need_their_own_fields_and_a_recent_kyc() {
        let mut body = us();
        body["transactionType"] = json!("euIndividual");
        let err = validate_submission(&body, NOW).unwrap_err().to_string();
        assert!(err.contains("dateOfBirth"), "{err}");
        let dmy = |d: &str, m: &str, y: &str| json!({"day": d, "month": m, "year": y});
        let eu = json!({
            "transactionType": "euIndividual", "organizationId": "o", "enterpriseId": "e",
            "userId": "u", "nameFirst": "Anna", "nameLast": "Schmidt",
            "dateOfBirth": dmy("25", "12", "1990"), "email": "anna@x.test",
            "addressStreet1": "Hauptstr. 1", "addressCity": "Berlin", "addressPostalCode": "10115",
            "cityOfBirth": "Bonn", "countryOfBirth": "DE", "countryOfCitizenship": "DE",
            "countryOfResidence": "DE", "countryOfTaxResidence": "DE",
            "employmentStatus": "Employee", "externalUserId": "x-1", "idvPerformed": true,
            "industry": "Software & IT Services",
            "initialKycCompletionDate": dmy("1", "1", "2026"),
            "lastKycCompletionDate": dmy("1", "1", "2026"), "politicallyExposedPerson": false,
            "sourceOfFunds": "Income from Employment", "taxId": "DE123", "govIdType": "pp"
        });
        assert!(validate_submission(&eu, NOW).is_ok());
        let mut stale = eu.clone();
        stale["lastKycCompletionDate"] = dmy("1", "1", "2020");
        let err = validate_submission(&stale, NOW).unwrap_err().to_string();
        assert!(err.contains("lastKycCompletionDate"), "{err}");
        let mut bad_id = eu;
        bad_id["govIdType"] = json!("licence");
        assert!(validate_submission(&bad_id, NOW)
            .unwrap_err()
            .to_string()
            .contains("govIdType"));
    }
}
