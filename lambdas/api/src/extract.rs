//! Request parsing: JSON bodies (content type, size limit, unknown fields, the failing field
//! named), query strings, exact decimal amounts (strings or JSON numbers, never via `f64`) and
//! `If-Match` / `Idempotency-Key` headers.

use std::str::FromStr;

use axum::extract::{FromRequest, Request};
use http::{header, HeaderMap};
use rust_decimal::Decimal;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::ApiError;

/// Largest request body accepted (64 KiB); larger bodies get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Largest absolute amount accepted anywhere in a request (1e15): "absurd" amounts are 400.
const MAX_ABS_AMOUNT: Decimal = Decimal::from_parts(2_764_472_320, 232_830, 0, false, 0);

/// A JSON body parsed into `T`: 415 unless the content type is JSON, 413 over
/// [`MAX_BODY_BYTES`] (or `LIMIT`: the batch routes take more), 400 naming the field for
/// malformed JSON, wrong types, unknown fields.
#[derive(Debug)]
pub struct JsonBody<T, const LIMIT: usize = MAX_BODY_BYTES>(pub T);

impl<S: Send + Sync, T: DeserializeOwned, const LIMIT: usize> FromRequest<S>
    for JsonBody<T, LIMIT>
{
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(ApiError::unsupported_media_type());
        }
        if let Some(len) = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if len > LIMIT as u64 {
                return Err(ApiError::too_large(LIMIT));
            }
        }
        let bytes = axum::body::to_bytes(req.into_body(), LIMIT)
            .await
            .map_err(|e| body_error(e, LIMIT))?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// 413 when the body is over the limit; 408 when it could not be read (too slow: the local
/// server's body read timeout, or the client went away).
fn body_error(error: axum::Error, limit: usize) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(e) = source {
        if e.downcast_ref::<http_body_util::LengthLimitError>()
            .is_some()
        {
            return ApiError::too_large(limit);
        }
        source = e.source();
    }
    ApiError::request_timeout()
}

/// Whether the request says its body is JSON (`application/json`, optionally with parameters,
/// or any `+json` type).
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses a JSON document into `T`, mapping every failure to a 400 that names the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body of this API is an object (serde would also accept a struct as an array).
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        Some(b'[') | Some(b'"') | Some(b't') | Some(b'f') | Some(b'n') | Some(b'-')
        | Some(b'0'..=b'9') => return Err(ApiError::validation("body", "must be a JSON object")),
        _ => return Err(ApiError::malformed("malformed JSON: expected an object")),
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        json_error(&path, &inner)
    })?;
    de.end().map_err(|e| json_error(".", &e))?;
    Ok(value)
}

fn json_error(path: &str, error: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let message = strip_position(&error.to_string());
    match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            ApiError::malformed(format!("malformed JSON: {message}"))
        }
        Category::Data => {
            // Unknown or missing fields are reported at the parent's path: name the field itself.
            let named = backticked(&message);
            let field = match (path, named) {
                (_, Some(name))
                    if message.starts_with("unknown field")
                        || message.starts_with("missing field") =>
                {
                    if path == "." || path.is_empty() {
                        name
                    } else if path == name || path.ends_with(&format!(".{name}")) {
                        path.to_owned()
                    } else {
                        format!("{path}.{name}")
                    }
                }
                (".", _) | ("", _) => "body".to_owned(),
                (p, _) => p.to_owned(),
            };
            ApiError::validation(field, message)
        }
    }
}

/// The first `` `name` `` in a serde message.
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

/// Drops serde_json's " at line L column C" suffix.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// An exact decimal amount read from a JSON string (`"1000.50"`) or a JSON number (`1000.50`,
/// read from its literal text, never through `f64`). Non-finite values, exponents beyond the
/// decimal range and magnitudes above 1e15 are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw: Box<RawValue> = Deserialize::deserialize(deserializer)?;
        parse_amount_literal(raw.get())
            .map(Amount)
            .map_err(D::Error::custom)
    }
}

/// Parses the JSON text of an amount (a string or a number literal).
pub fn parse_amount_literal(raw: &str) -> Result<Decimal, String> {
    let raw = raw.trim();
    let text: String = if raw.starts_with('"') {
        serde_json::from_str::<String>(raw)
            .map_err(|_| "must be a decimal string or a number".to_owned())?
    } else if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        raw.to_owned()
    } else {
        return Err("must be a decimal string or a number".to_owned());
    };
    parse_decimal(&text)
}

/// Parses a plain decimal (`123`, `-1.50`, `1e3` when given as a JSON number).
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if !plain {
        return Err("must be a finite decimal number such as \"1250.00\"".to_owned());
    }
    let value = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text)
    } else {
        Decimal::from_str_exact(text)
    }
    .map_err(|_| "must be a finite decimal number within range".to_owned())?;
    if value.abs() > MAX_ABS_AMOUNT {
        return Err("is out of range (at most 1e15)".to_owned());
    }
    Ok(value)
}

/// The parameters of a query string, decoded; a malformed query is a 400 on `query`.
pub fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or(""))
        .map_err(|_| ApiError::validation("query", "is not a valid query string"))
}

/// The last value of parameter `name`, if present.
pub fn query_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Parses an `If-Match` header: `None` when absent or `*`; the version of `"3"`, `W/"3"` or
/// `3`; a 400 naming `If-Match` otherwise.
pub fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let bad = || ApiError::validation("If-Match", "must be an ETag returned by this API");
    let text = value.to_str().map_err(|_| bad())?.trim();
    if text == "*" {
        return Ok(None);
    }
    let text = text.strip_prefix("W/").unwrap_or(text);
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    u64::from_str(text).map(Some).map_err(|_| bad())
}

/// The strong ETag of a loan version.
pub fn etag(version: u64) -> String {
    format!("\"{version}\"")
}

/// The `Idempotency-Key` header: 1..=200 visible characters.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let bad = || {
        ApiError::validation(
            "Idempotency-Key",
            "must be 1 to 200 visible ASCII characters",
        )
    };
    let text = value.to_str().map_err(|_| bad())?.trim();
    if text.is_empty() || text.len() > 200 {
        return Err(bad());
    }
    Ok(Some(text.to_owned()))
}
