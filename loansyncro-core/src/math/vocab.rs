//! One vocabulary: every named enum of the core spells each variant's name once, in a
//! `(Variant, "name")` table given to the crate-internal `vocabulary!` macro, which generates
//! the names list, the name of a value, the parser (aliases declared in the same table) and,
//! for enums whose variants are all units, `Display`, `FromStr` and serde from the same table.
//!
//! Parsing is forgiving in case and separators: ASCII case, surrounding whitespace and the
//! separators `_`, `-` and space are ignored, so `half_up`, `Half-Up` and `half up` are the
//! same name. An unknown name is a validation error naming the field and listing the valid
//! names:
//!
//! ```
//! use loansyncro_core::RoundingMode;
//! assert_eq!("Half-Even".parse::<RoundingMode>()?, RoundingMode::HalfEven);
//! assert_eq!("bankers".parse::<RoundingMode>()?, RoundingMode::HalfEven);
//! assert_eq!(RoundingMode::HalfEven.to_string(), "half_even");
//! assert_eq!(RoundingMode::NAMES, ["half_up", "half_even", "up", "down"]);
//! let err = "nearest".parse::<RoundingMode>().unwrap_err();
//! assert_eq!(err.field(), Some("rounding"));
//! assert_eq!(
//!     err.to_string(),
//!     "invalid rounding: unknown rounding mode \"nearest\"; expected one of: half_up, half_even, up, down"
//! );
//! // The same parser under another field name (e.g. `payment_rounding`).
//! let err = RoundingMode::parse_field("nearest", "payment_rounding").unwrap_err();
//! assert_eq!(err.field(), Some("payment_rounding"));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use crate::math::error::MathError as Error;

/// Whether `text` spells `name`, ignoring ASCII case, whitespace, `_` and `-`.
///
/// ```
/// use loansyncro_core::math::vocab::same_name;
/// assert!(same_name(" Semi-Annual ", "semi_annual"));
/// assert!(same_name("30/360 US", "30/360us"));
/// assert!(!same_name("semi", "semi_annual"));
/// ```
pub fn same_name(text: &str, name: &str) -> bool {
    fn folded(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(|b| !matches!(b, b'_' | b'-' | b' ' | b'\t' | b'\n' | b'\r'))
            .map(|b| b.to_ascii_lowercase())
    }
    folded(text).eq(folded(name))
}

/// The error of an unknown name: a validation error on `field` listing the valid names.
///
/// ```
/// use loansyncro_core::math::vocab::unknown_name;
/// let e = unknown_name("accrual", "accrual method", "hourly", &["scheduled", "daily"]);
/// assert_eq!(e.field(), Some("accrual"));
/// assert_eq!(
///     e.to_string(),
///     "invalid accrual: unknown accrual method \"hourly\"; expected one of: scheduled, daily"
/// );
/// ```
pub fn unknown_name(field: &str, noun: &str, text: &str, names: &[&str]) -> Error {
    Error::validation(
        field,
        format!(
            "unknown {noun} {text:?}; expected one of: {}",
            names.join(", ")
        ),
    )
}

/// Generates a vocabulary from one `(Variant, "name")` table (see the [module docs](self)).
///
/// `unit` form, for enums whose variants are all units: `ALL`, `NAMES`, `FIELD`, `as_str`,
/// `parse_field`, `Display`, `FromStr`, `Serialize` and `Deserialize` (a string; an unknown one
/// is serde's "unknown variant" error listing the names).
///
/// `mixed` form, for enums with data-carrying variants: `NAMES`, `FIELD`, `name`, `lookup` and
/// `parse_field`; a data variant either names its `default` value or what it `needs` (the
/// parse error). The enum writes its own `Display`/`FromStr`/serde from these.
macro_rules! vocabulary {
    (
        unit $ty:ident, field: $field:literal, noun: $noun:literal;
        $( $var:ident => $name:literal $(| $alias:literal)* ),+ $(,)?
    ) => {
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: [$ty; [$($name),+].len()] = [$($ty::$var),+];
            /// The canonical name of every variant, in declaration order.
            pub const NAMES: [&'static str; [$($name),+].len()] = [$($name),+];
            /// The field an unknown name is reported on by [`FromStr`](std::str::FromStr).
            pub const FIELD: &'static str = $field;

            /// The canonical name (also the `Display` and serde form).
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$var => $name),+
                }
            }

            /// Parses a name or an alias (case, whitespace, `_` and `-` ignored); an unknown
            /// name is a validation error on `field` listing the valid names.
            pub fn parse_field(text: &str, field: &str) -> ::std::result::Result<$ty, $crate::math::error::MathError> {
                $(
                    if $crate::math::vocab::same_name(text, $name)
                        $(|| $crate::math::vocab::same_name(text, $alias))*
                    {
                        return Ok($ty::$var);
                    }
                )+
                Err($crate::math::vocab::unknown_name(field, $noun, text, &$ty::NAMES))
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::math::error::MathError;
            fn from_str(text: &str) -> ::std::result::Result<$ty, $crate::math::error::MathError> {
                $ty::parse_field(text, $field)
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                struct Names;
                impl ::serde::de::Visitor<'_> for Names {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "one of {}", $ty::NAMES.join(", "))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> Result<$ty, E> {
                        $ty::parse_field(text, $field)
                            .map_err(|_| E::unknown_variant(text, &$ty::NAMES))
                    }
                }
                deserializer.deserialize_str(Names)
            }
        }
    };
    (
        mixed $ty:ident, field: $field:literal, noun: $noun:literal;
        $(
            $var:ident $({ $($brace:tt)* })? $(( $($paren:tt)* ))?
                => $name:literal $(| $alias:literal)*
                $(needs $needs:literal)? $(default $default:expr)?
        ),+ $(,)?
    ) => {
        impl $ty {
            /// The canonical name of every variant, in declaration order.
            pub const NAMES: [&'static str; [$($name),+].len()] = [$($name),+];
            /// The field an unknown name is reported on by [`FromStr`](std::str::FromStr).
            pub const FIELD: &'static str = $field;

            /// The canonical name of the variant (without its data).
            pub fn name(&self) -> &'static str {
                match self {
                    $($ty::$var $({ $($brace)* })? $(( $($paren)* ))? => $name),+
                }
            }

            /// The value a name or an alias stands for (case, whitespace, `_` and `-`
            /// ignored): `Some(Ok(value))`, `Some(Err(needs))` for a variant that needs data
            /// the name does not give (`needs` says what), `None` for an unknown name.
            pub fn lookup(text: &str) -> Option<Result<$ty, &'static str>> {
                $(
                    if $crate::math::vocab::same_name(text, $name)
                        $(|| $crate::math::vocab::same_name(text, $alias))*
                    {
                        return Some($crate::math::vocab::vocabulary!(
                            @make $ty::$var $(needs $needs)? $(default $default)?
                        ));
                    }
                )+
                None
            }

            /// Parses a name or an alias; an unknown name is a validation error on `field`
            /// listing the valid names, a variant that needs data says what it needs.
            pub fn parse_field(text: &str, field: &str) -> ::std::result::Result<$ty, $crate::math::error::MathError> {
                match $ty::lookup(text) {
                    Some(Ok(value)) => Ok(value),
                    Some(Err(needs)) => Err($crate::math::error::MathError::validation(
                        field,
                        format!("{text:?} needs {needs}"),
                    )),
                    None => Err($crate::math::vocab::unknown_name(field, $noun, text, &$ty::NAMES)),
                }
            }
        }
    };
    (@make $ty:ident :: $var:ident) => { Ok($ty::$var) };
    (@make $ty:ident :: $var:ident needs $needs:literal) => { Err($needs) };
    (@make $ty:ident :: $var:ident default $default:expr) => { Ok($default) };
}
pub(crate) use vocabulary;
