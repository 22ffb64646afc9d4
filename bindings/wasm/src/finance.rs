//! The spreadsheet functions of `loansyncro_core::finance`, argument for argument. Amounts and
//! rates arrive as decimal strings, periods as JS numbers (checked to be whole), `when` as
//! `"end"`/`"begin"` (or `0`/`1`); results leave as decimal strings.

use std::str::FromStr;

use loansyncro_core::finance::{self, When};
use loansyncro_core::math::error::Result;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::wire::{decimal, whole};

/// A result as the decimal string JS receives, or the thrown error (one copy of the
/// formatting for every function: the .wasm has a size budget).
#[inline(never)]
fn out(r: Result<rust_decimal::Decimal>) -> Result<String, JsValue> {
    js(r.map(|d| d.to_string()))
}

fn when(text: &str) -> Result<When> {
    When::from_str(text)
}

/// `pmt(rate, nper, pv, fv, when)`.
pub fn pmt_impl(rate: &str, nper: f64, pv: &str, fv: &str, w: &str) -> Result<String> {
    finance::pmt(
        decimal("rate", rate)?,
        whole("nper", nper)?,
        decimal("pv", pv)?,
        decimal("fv", fv)?,
        when(w)?,
    )
    .map(|d| d.to_string())
}

/// Payment per period (see `loansyncro_core::finance::pmt`).
#[wasm_bindgen]
pub fn pmt(rate: &str, nper: f64, pv: &str, fv: &str, when: &str) -> Result<String, JsValue> {
    js(pmt_impl(rate, nper, pv, fv, when))
}

/// Future value (see `loansyncro_core::finance::fv`).
#[wasm_bindgen]
pub fn fv(rate: &str, nper: f64, pmt: &str, pv: &str, w: &str) -> Result<String, JsValue> {
    out((|| {
        finance::fv(
            decimal("rate", rate)?,
            whole("nper", nper)?,
            decimal("pmt", pmt)?,
            decimal("pv", pv)?,
            when(w)?,
        )
    })())
}

/// Present value (see `loansyncro_core::finance::pv`).
#[wasm_bindgen]
pub fn pv(rate: &str, nper: f64, pmt: &str, fv: &str, w: &str) -> Result<String, JsValue> {
    out((|| {
        finance::pv(
            decimal("rate", rate)?,
            whole("nper", nper)?,
            decimal("pmt", pmt)?,
            decimal("fv", fv)?,
            when(w)?,
        )
    })())
}

/// Number of periods (see `loansyncro_core::finance::nper`).
#[wasm_bindgen]
pub fn nper(rate: &str, pmt: &str, pv: &str, fv: &str, w: &str) -> Result<String, JsValue> {
    out((|| {
        finance::nper(
            decimal("rate", rate)?,
            decimal("pmt", pmt)?,
            decimal("pv", pv)?,
            decimal("fv", fv)?,
            when(w)?,
        )
    })())
}

/// Rate per period (see `loansyncro_core::finance::rate`).
#[wasm_bindgen]
pub fn rate(nper: f64, pmt: &str, pv: &str, fv: &str, w: &str) -> Result<String, JsValue> {
    out((|| {
        finance::rate(
            whole("nper", nper)?,
            decimal("pmt", pmt)?,
            decimal("pv", pv)?,
            decimal("fv", fv)?,
            when(w)?,
        )
    })())
}

/// Interest part of payment `per` (see `loansyncro_core::finance::ipmt`).
#[wasm_bindgen]
pub fn ipmt(
    rate: &str,
    per: f64,
    nper: f64,
    pv: &str,
    fv: &str,
    w: &str,
) -> Result<String, JsValue> {
    out((|| {
        finance::ipmt(
            decimal("rate", rate)?,
            whole("per", per)?,
            whole("nper", nper)?,
            decimal("pv", pv)?,
            decimal("fv", fv)?,
            when(w)?,
        )
    })())
}

/// Principal part of payment `per` (see `loansyncro_core::finance::ppmt`).
#[wasm_bindgen]
pub fn ppmt(
    rate: &str,
    per: f64,
    nper: f64,
    pv: &str,
    fv: &str,
    w: &str,
) -> Result<String, JsValue> {
    out((|| {
        finance::ppmt(
            decimal("rate", rate)?,
            whole("per", per)?,
            whole("nper", nper)?,
            decimal("pv", pv)?,
            decimal("fv", fv)?,
            when(w)?,
        )
    })())
}

/// Cumulative interest of payments `start..=end` (see `loansyncro_core::finance::cumipmt`).
#[wasm_bindgen]
pub fn cumipmt(
    rate: &str,
    nper: f64,
    pv: &str,
    start: f64,
    end: f64,
    w: &str,
) -> Result<String, JsValue> {
    out((|| {
        finance::cumipmt(
            decimal("rate", rate)?,
            whole("nper", nper)?,
            decimal("pv", pv)?,
            whole("start", start)?,
            whole("end", end)?,
            when(w)?,
        )
    })())
}

/// Cumulative principal of payments `start..=end` (see `loansyncro_core::finance::cumprinc`).
#[wasm_bindgen]
pub fn cumprinc(
    rate: &str,
    nper: f64,
    pv: &str,
    start: f64,
    end: f64,
    w: &str,
) -> Result<String, JsValue> {
    out((|| {
        finance::cumprinc(
            decimal("rate", rate)?,
            whole("nper", nper)?,
            decimal("pv", pv)?,
            whole("start", start)?,
            whole("end", end)?,
            when(w)?,
        )
    })())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pmt_documented_example() {
        let p = pmt_impl("0.00625", 180.0, "200000", "0", "end").unwrap();
        assert!(p.starts_with("-1854.024720005"), "{p}");
        assert_eq!(
            pmt_impl("0.1", 10.0, "1", "0", "sometimes")
                .unwrap_err()
                .field(),
            Some("when")
        );
    }
}
