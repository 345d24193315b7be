//! Reading request bodies as the real server does: JSON field names case-insensitively
//! (`MasterPasswordHash` = `masterPasswordHash`), type errors as model-state 400s, and an
//! empty body as `Body is empty.`.

use serde_json::{Map, Value};

use crate::bitwarden::error::BwError;

/// A parsed JSON object body with case-insensitive accessors.
#[derive(Debug, Clone, Default)]
pub struct Body {
    fields: Map<String, Value>,
}

fn pascal(name: &str) -> String {
    let mut c = name.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

impl Body {
    /// Parses a JSON object; an empty body is `Body is empty.` when `required`.
    pub fn parse(bytes: &[u8], required: bool) -> Result<Body, BwError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return if required {
                Err(BwError::field("", "Body is empty."))
            } else {
                Ok(Body::default())
            };
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(fields)) => Ok(Body { fields }),
            Ok(_) => Err(BwError::field(
                "$",
                "The JSON value could not be converted to the request model.",
            )),
            Err(e) => Err(BwError::field(
                "$",
                &format!("The request body is not valid JSON: {e}"),
            )),
        }
    }

    /// Wraps an already parsed object.
    pub fn from_map(fields: Map<String, Value>) -> Body {
        Body { fields }
    }

    /// The raw value of a field (case-insensitive name), `None` when absent or null.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }

    fn type_error(name: &str, what: &str) -> BwError {
        BwError::field(
            &format!("$.{name}"),
            &format!("The JSON value could not be converted to {what}."),
        )
    }

    /// A string field.
    pub fn str(&self, name: &str) -> Result<Option<String>, BwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Body::type_error(name, "System.String")),
        }
    }

    /// `externalId`, a string of at most 300 characters (`[StringLength(300)]`).
    pub fn external_id(&self) -> Result<Option<String>, BwError> {
        let external_id = self.str("externalId")?;
        if external_id
            .as_ref()
            .is_some_and(|e| e.chars().count() > 300)
        {
            return Err(BwError::field(
                "ExternalId",
                "The field ExternalId must be a string with a maximum length of 300.",
            ));
        }
        Ok(external_id)
    }

    /// A required, non-empty string field (`The X field is required.`).
    pub fn required_str(&self, name: &str) -> Result<String, BwError> {
        match self.str(name)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(BwError::field(
                &pascal(name),
                &format!("The {} field is required.", pascal(name)),
            )),
        }
    }

    /// An integer field (numbers, or numeric strings as System.Text.Json does not accept).
    pub fn i64(&self, name: &str) -> Result<Option<i64>, BwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| Body::type_error(name, "System.Int32")),
            Some(_) => Err(Body::type_error(name, "System.Int32")),
        }
    }

    /// A boolean field.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, BwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Body::type_error(name, "System.Boolean")),
        }
    }

    /// A nested object field.
    pub fn object(&self, name: &str) -> Result<Option<Body>, BwError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(Body::from_map(m.clone()))),
            Some(_) => Err(Body::type_error(name, "an object")),
        }
    }

    /// The object itself.
    pub fn map(&self) -> &Map<String, Value> {
        &self.fields
    }
}

/// `SecretVerificationRequestModel`: `masterPasswordHash` or `otp` (or the seed's `secret`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Secret {
    /// A master password hash.
    MasterPasswordHash(String),
    /// A one-time password.
    Otp(String),
}

/// Reads the secret of a verification body; neither present is the server's model-state error.
pub fn secret(body: &Body) -> Result<Secret, BwError> {
    let hash = body
        .str("masterPasswordHash")?
        .or(body.str("secret")?)
        .filter(|s| !s.is_empty());
    if let Some(h) = &hash {
        if h.len() > 300 {
            return Err(BwError::field(
                "MasterPasswordHash",
                "The field MasterPasswordHash must be a string with a maximum length of 300.",
            ));
        }
    }
    match (hash, body.str("otp")?.filter(|s| !s.is_empty())) {
        (Some(h), _) => Ok(Secret::MasterPasswordHash(h)),
        (None, Some(o)) => Ok(Secret::Otp(o)),
        (None, None) => Err(BwError::field(
            "",
            "MasterPasswordHash, OTP, or AccessCode must be supplied.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_case_insensitive() {
        let b = Body::parse(br#"{"MasterPasswordHash":"h","PLANTYPE":3}"#, true).unwrap();
        assert_eq!(b.str("masterPasswordHash").unwrap().as_deref(), Some("h"));
        assert_eq!(b.i64("planType").unwrap(), Some(3));
        assert_eq!(secret(&b).unwrap(), Secret::MasterPasswordHash("h".into()));
    }

    #[test]
    fn empty_and_mistyped_bodies_are_model_state_errors() {
        assert!(
            matches!(Body::parse(b"", true), Err(BwError::ModelState(e)) if e[0].1 == "Body is empty.")
        );
        let b = Body::parse(br#"{"planType":"x"}"#, true).unwrap();
        assert!(b.i64("planType").is_err());
        let none = Body::parse(b"{}", true).unwrap();
        assert!(matches!(secret(&none), Err(BwError::ModelState(e)) if e[0].0.is_empty()));
        let seed = Body::parse(br#"{"secret":"s"}"#, true).unwrap();
        assert_eq!(
            secret(&seed).unwrap(),
            Secret::MasterPasswordHash("s".into())
        );
    }
}
