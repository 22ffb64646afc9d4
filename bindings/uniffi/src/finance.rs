//! Spreadsheet finance functions (numpy-financial names and sign convention: money paid out is
//! negative). Mirrors `loansyncro_core::finance`.

use loansyncro_core::finance as core;
use rust_decimal::Decimal;

use crate::types::mirror_enum;
use crate::FfiResult;

/// When payments fall due within each period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum When {
    /// At the end of each period (spreadsheet `type` 0), the usual case.
    End,
    /// At the beginning of each period (`type` 1, an annuity due).
    Begin,
}
mirror_enum!(When <=> core::When { End, Begin });

/// The payment per period of a loan or annuity.
#[uniffi::export]
pub fn pmt(rate: Decimal, nper: u32, pv: Decimal, fv: Decimal, when: When) -> FfiResult<Decimal> {
    Ok(core::pmt(rate, nper, pv, fv, when.into())?)
}

/// The future value.
#[uniffi::export]
pub fn fv(rate: Decimal, nper: u32, pmt: Decimal, pv: Decimal, when: When) -> FfiResult<Decimal> {
    Ok(core::fv(rate, nper, pmt, pv, when.into())?)
}

/// The present value.
#[uniffi::export]
pub fn pv(rate: Decimal, nper: u32, pmt: Decimal, fv: Decimal, when: When) -> FfiResult<Decimal> {
    Ok(core::pv(rate, nper, pmt, fv, when.into())?)
}

/// The interest part of payment `per` (1-based).
#[uniffi::export]
pub fn ipmt(
    rate: Decimal,
    per: u32,
    nper: u32,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> FfiResult<Decimal> {
    Ok(core::ipmt(rate, per, nper, pv, fv, when.into())?)
}

/// The principal part of payment `per` (1-based).
#[uniffi::export]
pub fn ppmt(
    rate: Decimal,
    per: u32,
    nper: u32,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> FfiResult<Decimal> {
    Ok(core::ppmt(rate, per, nper, pv, fv, when.into())?)
}

/// The number of periods.
#[uniffi::export]
pub fn nper(
    rate: Decimal,
    pmt: Decimal,
    pv: Decimal,
    fv: Decimal,
    when: When,
) -> FfiResult<Decimal> {
    Ok(core::nper(rate, pmt, pv, fv, when.into())?)
}

/// The rate per period (an error, never NaN, when there is no solution).
#[uniffi::export]
pub fn rate(nper: u32, pmt: Decimal, pv: Decimal, fv: Decimal, when: When) -> FfiResult<Decimal> {
    Ok(core::rate(nper, pmt, pv, fv, when.into())?)
}

/// Cumulative interest of payments `start..=end` (1-based).
#[uniffi::export]
pub fn cumipmt(
    rate: Decimal,
    nper: u32,
    pv: Decimal,
    start: u32,
    end: u32,
    when: When,
) -> FfiResult<Decimal> {
    Ok(core::cumipmt(rate, nper, pv, start, end, when.into())?)
}

/// Cumulative principal of payments `start..=end` (1-based).
#[uniffi::export]
pub fn cumprinc(
    rate: Decimal,
    nper: u32,
    pv: Decimal,
    start: u32,
    end: u32,
    when: When,
) -> FfiResult<Decimal> {
    Ok(core::cumprinc(rate, nper, pv, start, end, when.into())?)
}
