//! A JSON value deserialized into a type with the path of the field that failed
//! (`rate_changes[0].effective`), for errors that name the field.
//!
//! The deserializer reads a [`serde_json::Value`] exactly as serde_json's own `Value`
//! deserializer does (same visits, same error messages) and notes, on the way out of a failure,
//! the path of the innermost value that failed. It replaces a generic path-tracking wrapper
//! around serde_json's deserializer, whose second layer of visitors around every deserialized
//! type was the largest single item of the .wasm (issue 16's bundle budget).
//!
//! Paths read like `serde_path_to_error`'s: keys joined by `.`, indices as `[i]`, an enum's
//! variant as a key, `.` for the root.

use std::cell::RefCell;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::{Map, Value};

/// A deserialization failure: serde_json's message for it, word for word.
///
/// The package's own error type rather than `serde_json::Error`: serde_json's "invalid type"
/// message formats the unexpected value through serde's `Unexpected` display, whose float arm
/// links the standard library's float formatting (Grisu + Dragon4, ~16 KB of the .wasm) although
/// a JSON float is always printed by serde_json's own shortest-float writer. [`Unexpected`]
/// below writes every value as serde_json does, floats through serde_json's `Number`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    #[cold]
    fn custom<T: std::fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }

    #[cold]
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error(format!("invalid type: {}, expected {exp}", Shown(unexp)))
    }

    #[cold]
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Error {
        Error(format!("invalid value: {}, expected {exp}", Shown(unexp)))
    }
}

/// An unexpected value as serde_json's errors write it (`null`, ``floating point `1.5` ``,
/// ``integer `7` ``, `string "x"`, ...).
struct Shown<'a>(Unexpected<'a>);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Float(v) => match serde_json::Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None => f.write_str("floating point"),
            },
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(i) => write!(f, "integer `{i}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// serde_json's visit of a number (without `arbitrary_precision`).
#[inline(never)]
fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        visitor.visit_u64(u)
    } else if let Some(i) = n.as_i64() {
        visitor.visit_i64(i)
    } else {
        visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Where a value sits in the document.
enum Chain<'a> {
    Root,
    Key(&'a Chain<'a>, &'a str),
    Index(&'a Chain<'a>, usize),
}

impl Chain<'_> {
    fn render(&self) -> String {
        let mut parts: Vec<&Chain<'_>> = Vec::new();
        let mut at = self;
        loop {
            match at {
                Chain::Root => break,
                Chain::Key(parent, _) | Chain::Index(parent, _) => {
                    parts.push(at);
                    at = parent;
                }
            }
        }
        if parts.is_empty() {
            return ".".to_string();
        }
        let mut out = String::new();
        for part in parts.iter().rev() {
            match part {
                Chain::Key(_, key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Chain::Index(_, i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Chain::Root => {}
            }
        }
        out
    }
}

/// The path of the first (innermost) failure.
type Track = RefCell<Option<String>>;

/// `T` from `value`; on failure, the path of the failing field (`.` for the whole value) and
/// serde_json's error.
pub fn deserialize<T: DeserializeOwned>(value: Value) -> Result<T, (String, Error)> {
    let track = Track::new(None);
    T::deserialize(De {
        value,
        chain: &Chain::Root,
        track: &track,
    })
    .map_err(|e| (track.into_inner().unwrap_or_else(|| ".".to_string()), e))
}

// The non-generic steps are kept out of line (`inline(never)`): every deserialized type
// instantiates the generic ones, and the .wasm has a size budget.

#[inline(never)]
fn noted(chain: &Chain<'_>, track: &Track, e: Error) -> Error {
    let mut t = track.borrow_mut();
    if t.is_none() {
        *t = Some(chain.render());
    }
    e
}

#[inline(never)]
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

struct De<'a> {
    value: Value,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de> Deserializer<'de> for De<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => visit_number(&n, visitor),
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => visit_array(a, visitor, chain, track),
            Value::Object(o) => visit_object(o, visitor, chain, track),
        }
        .map_err(|e| noted(chain, track, e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e| noted(chain, track, e))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        visitor
            .visit_newtype_struct(self)
            .map_err(|e| noted(chain, track, e))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        match enum_parts(self.value) {
            Ok((variant, value)) => visitor.visit_enum(Enum {
                variant,
                value,
                chain,
                track,
            }),
            Err(e) => Err(e),
        }
        .map_err(|e| noted(chain, track, e))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // The typed requests read only the JSON types they accept, as serde_json's `Value` does:
    // the same errors, and no sequence or map code for the visitors of plain values.
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.expect(visitor, |value, visitor| match value {
            Value::Bool(b) => Ok(visitor.visit_bool(b)),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.expect(visitor, |value, visitor| match value {
            Value::String(s) => Ok(visitor.visit_string(s)),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.expect(visitor, |value, visitor| match value {
            Value::Null => Ok(visitor.visit_unit()),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        self.expect(visitor, |value, visitor| match value {
            Value::Array(a) => Ok(visit_array(a, visitor, chain, track)),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        self.expect(visitor, |value, visitor| match value {
            Value::Object(o) => Ok(visit_object(o, visitor, chain, track)),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        self.expect(visitor, |value, visitor| match value {
            Value::Array(a) => Ok(visit_array(a, visitor, chain, track)),
            Value::Object(o) => Ok(visit_object(o, visitor, chain, track)),
            other => Err((other, visitor)),
        })
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }
    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.number(visitor)
    }

    serde::forward_to_deserialize_any! { bytes byte_buf }
}

impl De<'_> {
    /// `read` the value if it is of a JSON type the request accepts, else serde_json's
    /// "invalid type" error for it.
    fn expect<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        read: impl FnOnce(Value, V) -> Result<Result<V::Value, Error>, (Value, V)>,
    ) -> Result<V::Value, Error> {
        let (chain, track) = (self.chain, self.track);
        match read(self.value, visitor) {
            Ok(result) => result,
            Err((other, visitor)) => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
        .map_err(|e| noted(chain, track, e))
    }

    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.expect(visitor, |value, visitor| match value {
            Value::Number(n) => Ok(visit_number(&n, visitor)),
            other => Err((other, visitor)),
        })
    }
}

/// An enum's variant and content: `"variant"` or `{"variant": content}`.
#[inline(never)]
fn enum_parts(value: Value) -> Result<(String, Option<Value>), Error> {
    match value {
        Value::Object(map) => {
            let mut entries = map.into_iter();
            match (entries.next(), entries.next()) {
                (Some((variant, value)), None) => Ok((variant, Some(value))),
                _ => Err(de::Error::invalid_value(
                    Unexpected::Map,
                    &"map with a single key",
                )),
            }
        }
        Value::String(variant) => Ok((variant, None)),
        other => Err(de::Error::invalid_type(
            unexpected(&other),
            &"string or map",
        )),
    }
}

/// serde_json's check that a visitor read every element.
#[inline(never)]
fn all_read(left: usize, len: usize, what: &'static str) -> Result<(), Error> {
    if left == 0 {
        Ok(())
    } else {
        Err(de::Error::invalid_length(len, &what))
    }
}

fn visit_array<'de, V: Visitor<'de>>(
    array: Vec<Value>,
    visitor: V,
    chain: &Chain<'_>,
    track: &Track,
) -> Result<V::Value, Error> {
    let len = array.len();
    let mut seq = Seq {
        items: array.into_iter(),
        index: 0,
        chain,
        track,
    };
    let out = visitor.visit_seq(&mut seq)?;
    all_read(seq.items.len(), len, "fewer elements in array").map(|()| out)
}

fn visit_object<'de, V: Visitor<'de>>(
    object: Map<String, Value>,
    visitor: V,
    chain: &Chain<'_>,
    track: &Track,
) -> Result<V::Value, Error> {
    let len = object.len();
    let mut map = Entries {
        entries: object.into_iter(),
        pending: None,
        chain,
        track,
    };
    let out = visitor.visit_map(&mut map)?;
    all_read(map.entries.len(), len, "fewer elements in map").map(|()| out)
}

struct Seq<'a> {
    items: std::vec::IntoIter<Value>,
    index: usize,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl Seq<'_> {
    #[inline(never)]
    fn next_item(&mut self) -> Option<(Value, usize)> {
        let value = self.items.next()?;
        self.index += 1;
        Some((value, self.index - 1))
    }
}

impl<'de> SeqAccess<'de> for Seq<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((value, index)) = self.next_item() else {
            return Ok(None);
        };
        let chain = Chain::Index(self.chain, index);
        seed.deserialize(De {
            value,
            chain: &chain,
            track: self.track,
        })
        .map(Some)
        // (An error raised by the element's type after reading it is the element's too.)
        .map_err(|e| noted(&chain, self.track, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries<'a> {
    entries: serde_json::map::IntoIter,
    pending: Option<(String, Value)>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl Entries<'_> {
    /// Moves to the next entry; its key.
    #[inline(never)]
    fn advance(&mut self) -> Option<&str> {
        self.pending = self.entries.next();
        self.pending.as_ref().map(|(key, _)| key.as_str())
    }

    #[inline(never)]
    fn take_value(&mut self) -> Result<(String, Value), Error> {
        self.pending
            .take()
            .ok_or_else(|| de::Error::custom("value is missing"))
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.advance() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self.take_value()?;
        let chain = Chain::Key(self.chain, &key);
        seed.deserialize(De {
            value,
            chain: &chain,
            track: self.track,
        })
        .map_err(|e| noted(&chain, self.track, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

struct Enum<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'de, 'a> EnumAccess<'de> for Enum<'a> {
    type Error = Error;
    type Variant = Variant<'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Variant<'a>), Error> {
        let out = seed.deserialize(self.variant.as_str().into_deserializer())?;
        Ok((
            out,
            Variant {
                variant: self.variant,
                value: self.value,
                chain: self.chain,
                track: self.track,
            },
        ))
    }
}

struct Variant<'a> {
    variant: String,
    value: Option<Value>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl Variant<'_> {
    /// The variant's content under its own path segment.
    fn inner<R>(
        self,
        f: impl FnOnce(De<'_>) -> Result<R, Error>,
        missing: &'static str,
    ) -> Result<R, Error> {
        let chain = Chain::Key(self.chain, &self.variant);
        match self.value {
            Some(value) => f(De {
                value,
                chain: &chain,
                track: self.track,
            })
            .map_err(|e| noted(&chain, self.track, e)),
            None => Err(noted(
                &chain,
                self.track,
                de::Error::invalid_type(Unexpected::UnitVariant, &missing),
            )),
        }
    }
}

impl<'de> VariantAccess<'de> for Variant<'_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(_) => self.inner(|d| de::Deserialize::deserialize(d), "unit variant"),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        self.inner(|d| seed.deserialize(d), "newtype variant")
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.inner(
            |d| {
                let (chain, track) = (d.chain, d.track);
                match d.value {
                    Value::Array(a) if a.is_empty() => visitor.visit_unit(),
                    Value::Array(a) => visit_array(a, visitor, chain, track),
                    other => Err(de::Error::invalid_type(
                        unexpected(&other),
                        &"tuple variant",
                    )),
                }
                .map_err(|e| noted(chain, track, e))
            },
            "tuple variant",
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.inner(
            |d| {
                let (chain, track) = (d.chain, d.track);
                match d.value {
                    Value::Object(o) => visit_object(o, visitor, chain, track),
                    other => Err(de::Error::invalid_type(
                        unexpected(&other),
                        &"struct variant",
                    )),
                }
                .map_err(|e| noted(chain, track, e))
            },
            "struct variant",
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use loansyncro_core::ledger::planner::PlanInput;
    use loansyncro_core::ledger::LedgerPayment;
    use loansyncro_core::{ExtraPayments, LoanTermsBuilder};

    /// Path and message of `serde_path_to_error` over serde_json's `Value` deserializer, the
    /// behaviour this module keeps.
    fn reference<T: DeserializeOwned>(v: Value) -> Result<T, (String, String)> {
        serde_path_to_error::deserialize(v)
            .map_err(|e| (e.path().to_string(), e.inner().to_string()))
    }

    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
        let v: Value = serde_json::from_str(text).unwrap();
        let ours = deserialize::<T>(v.clone()).map_err(|(p, e)| (p, e.to_string()));
        assert_eq!(ours, reference::<T>(v), "{text}");
    }

    #[test]
    fn paths_and_messages_are_serde_path_to_errors() {
        let terms = [
            r#"{"principal":"250000","annual_rate_percent":"6.5","installments":360,"start":"2025-01-01"}"#,
            r#"{"principal":"abc","installments":4}"#,
            r#"{"principal":"1","start":"2025-13-01"}"#,
            r#"{"principal":"1","installments":1.5}"#,
            r#"{"principal":"1","installments":-1}"#,
            r#"{"principal":"1","installments":"4"}"#,
            r#"{"principal":"1","rate_changes":[{"effective":"2025-01-01","annual_rate":"0.1"},{"effective":"x","annual_rate":"0.1"}]}"#,
            r#"{"principal":"1","rate_changes":[{"annual_rate":"0.1"}]}"#,
            r#"{"principal":"1","rate_changes":{"a":1}}"#,
            r#"{"principal":"1","method":{"fixed_installment":{"amount":"x"}}}"#,
            r#"{"principal":"1","method":{"fixed_installment":{"amount":"1"},"other":{}}}"#,
            r#"{"principal":"1","method":{"fixed_installment":3}}"#,
            r#"{"principal":"1","method":"fixed_installment"}"#,
            r#"{"principal":"1","method":{"equal_principal":null}}"#,
            r#"{"principal":"1","method":{"equal_principal":1}}"#,
            r#"{"principal":"1","method":7}"#,
            r#"{"principal":"1","payment_rounding":"nearest"}"#,
            r#"{"principal":"1","frequency":{"every_n_days":"x"}}"#,
            r#"{"principal":"1","frequency":{"semi_monthly":{"first_day":1}}}"#,
            r#"{"principal":"1","grace":{"principal_periods":true}}"#,
            r#"{"principal":"1","first_due":null,"balloon":null}"#,
            r#"{"principal":null}"#,
            r#"{"principal":"1","currency":""}"#,
            r#"{"principal":"1","installments":true}"#,
            r#"{"principal":"1","installments":{"a":1}}"#,
            r#"{"principal":"1","installments":[1]}"#,
            r#"{"principal":"1","start":20250101}"#,
            r#"{"principal":"1","start":["2025-01-01"]}"#,
            r#"{"principal":"1","grace":[1,2]}"#,
            r#"{"principal":"1","grace":[1,2,3]}"#,
            r#"{"principal":"1","grace":"x"}"#,
            r#"{"principal":"1","rate_changes":"x"}"#,
            r#"{"principal":"1","currency":7}"#,
            r#"{"principal":"1","currency":"XYZ"}"#,
            r#"{"principal":"1","currency":"usd "}"#,
            r#"{"principal":"1","day_count":"30/365"}"#,
            r#"{"principal":"1","rate_changes":[{"effective":"2025-01-01","annual_rate":"-5"}]}"#,
            r#"[1,2]"#,
            r#""terms""#,
            r#"null"#,
        ];
        for t in terms {
            same::<LoanTermsBuilder>(t);
        }
        for t in [
            r#"[{"date":"2025-01-01","amount":"1"}]"#,
            r#"[{"date":"2025-01-01","amount":"1"},{"date":"2025-01-01","amount":[]}]"#,
            r#"[{"date":"2025-01-01"}]"#,
            r#"{"date":"2025-01-01","amount":"1"}"#,
        ] {
            same::<Vec<LedgerPayment>>(t);
        }
        for t in [
            r#"{"recurring":"200","lump_sums":[{"date":"2025-01-01","amount":"x"}]}"#,
            r#"{"policy":"shorter"}"#,
        ] {
            same::<ExtraPayments>(t);
        }
        for t in [
            r#"{"currency":"USD","monthly_budget":"300","strategy":{"custom":["a",1]},"start":"2025-01-31","debts":[]}"#,
            r#"{"currency":"USD","monthly_budget":"300","strategy":"avalanche","start":"2025-01-31","debts":[{"id":"a"}]}"#,
        ] {
            same::<PlanInput>(t);
        }
    }
}
