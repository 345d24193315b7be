//! Reading a license upload: a multipart/form-data body (the `license` file and the owner's
//! `key`), as the clients send it, or for convenience a JSON body.

use actix_web::HttpRequest;
use serde_json::{Map, Value};

use crate::bitwarden::body::Body;
use crate::bitwarden::error::{BwError, BwResult};

/// The fields of a multipart/form-data body: (name, content).
fn multipart_fields(req: &HttpRequest, body: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
    let ct = req.headers().get("content-type")?.to_str().ok()?;
    let boundary = ct
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut out = Vec::new();
    let positions: Vec<usize> = find_all(text, delimiter.as_bytes());
    for w in positions.windows(2) {
        let part = &text[w[0] + delimiter.len()..w[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let split = find_all(part, b"\r\n\r\n").into_iter().next()?;
        let headers = String::from_utf8_lossy(&part[..split]);
        let mut content = &part[split + 4..];
        content = content.strip_suffix(b"\r\n").unwrap_or(content);
        let name = headers.lines().find_map(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("content-disposition").then(|| {
                l.split(';').find_map(|p| {
                    p.trim()
                        .strip_prefix("name=")
                        .map(|n| n.trim_matches('"').to_string())
                })
            })?
        })?;
        out.push((name, content.to_vec()));
    }
    Some(out)
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .collect()
}

/// Reads the upload: multipart (`license` file, `key`, ...) or, for convenience, JSON
/// `{"license": {...}, "key": "..."}`.
pub fn read_upload(
    req: &HttpRequest,
    body: &[u8],
) -> BwResult<(Map<String, Value>, Option<String>)> {
    let (license_bytes, key) = match multipart_fields(req, body) {
        Some(fields) => {
            let get = |n: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(n))
                    .map(|(_, v)| v.clone())
            };
            let license = get("license")
                .ok_or_else(|| BwError::field("License", "The License field is required."))?;
            (
                license,
                get("key").map(|k| String::from_utf8_lossy(&k).to_string()),
            )
        }
        None => {
            let b = Body::parse(body, true)?;
            let license = b
                .get("license")
                .cloned()
                .ok_or_else(|| BwError::field("License", "The License field is required."))?;
            (license.to_string().into_bytes(), b.str("key")?)
        }
    };
    match serde_json::from_slice::<Value>(&license_bytes) {
        Ok(Value::Object(m)) => Ok((m, key)),
        _ => Err(BwError::BadRequest("Invalid license".into())),
    }
}
