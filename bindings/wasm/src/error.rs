//! The core's errors as they cross into JavaScript.
//!
//! Every fallible export returns `Result<_, JsValue>`; the error value is a JSON string: the
//! core's [`Error`] in its serde form (`{"code": "validation", "field": ..., "reason": ...}`)
//! plus `message` (its `Display`). The package's JS wrapper turns it into the matching
//! `LoanSyncroError` subclass. Input that does not even parse becomes a validation error naming
//! the path of the offending field.

use loansyncro_core::Error;
use wasm_bindgen::JsValue;

/// The JSON form of an error (what the JS wrapper parses).
pub fn error_json(e: &Error) -> String {
    // Written as text (the serde form, then `message` spliced in before the closing brace):
    // no `Value` serializer in the .wasm for this one type.
    let message = serde_json::to_string(&e.to_string()).unwrap_or_else(|_| "\"\"".into());
    match serde_json::to_string(e) {
        Ok(mut text) if text.len() > 2 && text.ends_with('}') => {
            text.pop();
            text.push_str(",\"message\":");
            text.push_str(&message);
            text.push('}');
            text
        }
        _ => format!("{{\"message\":{message}}}"),
    }
}

/// An error (the core's, or an arithmetic one, which becomes it) as the value thrown to
/// JavaScript.
pub fn to_js(e: impl Into<Error>) -> JsValue {
    JsValue::from_str(&error_json(&e.into()))
}

/// Maps a core (or arithmetic) result to the thrown form.
pub fn js<T, E: Into<Error>>(r: Result<T, E>) -> Result<T, JsValue> {
    r.map_err(to_js)
}

/// A deserialization failure as a validation error: `field` is the path inside the input
/// (`principal`, `rate_changes[0].effective`), prefixed by `root` when given.
pub fn from_serde(root: &str, path: &str, e: &crate::path::Error) -> Error {
    let inner = e.to_string();
    // serde_json appends " at line L column C": meaningless for an object built in JS.
    let reason = match inner.rfind(" at line ") {
        Some(i) => inner[..i].to_string(),
        None => inner,
    };
    let field = match (root.is_empty(), path) {
        (true, ".") => "input".to_string(),
        (true, p) => p.to_string(),
        (false, ".") => root.to_string(),
        (false, p) if p.starts_with('[') => format!("{root}{p}"),
        (false, p) => format!("{root}.{p}"),
    };
    Error::validation(field, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_error_has_code_field_reason_message() {
        use serde_json::Value;
        let v: Value =
            serde_json::from_str(&error_json(&Error::validation("principal", "must be > 0")))
                .unwrap_or_default();
        assert_eq!(v["code"], "validation");
        assert_eq!(v["field"], "principal");
        assert_eq!(v["reason"], "must be > 0");
        assert_eq!(v["message"], "invalid principal: must be > 0");
        let e = Error::overflow("a \"quoted\" operation");
        let v: Value = serde_json::from_str(&error_json(&e)).unwrap_or_default();
        assert_eq!(v["code"], "overflow");
        assert_eq!(v["operation"], "a \"quoted\" operation");
        assert_eq!(v["message"], e.to_string());
    }
}
