//! Finance functions over cash flows, above [`crate::math`]: the spreadsheet time-value-of-money
//! functions ([`pmt`], [`rate`], [`pv`], [`fv`], ...) and the Regulation Z APR ([`apr`]).
//! Knows nothing of loans or schedules.
pub mod apr;
mod functions;
mod newton;

pub use functions::*;
