//! APR by the actuarial method (Regulation Z Appendix J) from dated cash flows, and the
//! effective annual rate (`loansyncro_core::finance::apr`).

use std::str::FromStr;

use loansyncro_core::finance::apr::{self, CashFlow, UnitPeriod};
use loansyncro_core::{Error, Result};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::wire::{decimal, json, whole};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AprInput {
    advances: Vec<CashFlow>,
    payments: Vec<CashFlow>,
    unit_period: Value,
    #[serde(default)]
    prepaid_finance_charge: Option<rust_decimal::Decimal>,
}

/// The unit period: its serde form (`"semi_month"`, `{"months": 1}`), the spellings the core
/// parses (`"month"`, `"2 weeks"`, `"quarter"`), or `"term"` for a single advance repaid by a
/// single payment (Appendix J (b)(5)(iv), [`UnitPeriod::term`]).
fn unit_period(v: Value, input: &AprInput) -> Result<UnitPeriod> {
    if let Value::String(s) = &v {
        if s == "term" {
            let (Some(a), Some(p)) = (input.advances.first(), input.payments.first()) else {
                return Err(Error::validation(
                    "unit_period",
                    "\"term\" needs one advance and one payment",
                ));
            };
            return Ok(UnitPeriod::term(a.date, p.date)?);
        }
        if let Ok(u) = UnitPeriod::from_str(s) {
            return Ok(u);
        }
    }
    crate::path::deserialize(v).map_err(|(_, e)| Error::validation("unit_period", e.to_string()))
}

/// The APR (a fraction: 0.0969 is 9.69%) of the flows in `input` (JSON).
pub fn apr_impl(input: &str) -> Result<String> {
    let mut parsed: AprInput = json("", input)?;
    let v = std::mem::take(&mut parsed.unit_period);
    let unit = unit_period(v, &parsed)?;
    apr::apr_with_prepaid_finance_charge(
        &parsed.advances,
        &parsed.payments,
        unit,
        parsed.prepaid_finance_charge.unwrap_or_default(),
    )
    .map(|d| d.to_string())
    .map_err(Error::from)
}

/// APR of cash flows (see `loansyncro_core::finance::apr::apr_with_prepaid_finance_charge`).
#[wasm_bindgen(js_name = aprOfFlows)]
pub fn apr_of_flows(input: &str) -> Result<String, JsValue> {
    js(apr_impl(input))
}

/// `(1 + nominal/m)^m - 1` (see `loansyncro_core::finance::apr::effective_annual_rate`).
#[wasm_bindgen(js_name = effectiveAnnualRate)]
pub fn effective_annual_rate(nominal: &str, m: f64) -> Result<String, JsValue> {
    js(
        (|| apr::effective_annual_rate(decimal("nominal", nominal)?, whole("m", m)?))()
            .map(|d| d.to_string()),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn single_advance_single_payment_term() {
        let r = apr_impl(
            r#"{"advances":[{"date":"2025-01-01","amount":"1000"}],
                "payments":[{"date":"2025-07-01","amount":"1050"}],"unit_period":"term"}"#,
        )
        .unwrap();
        assert!(r.starts_with("0.10"));
        let e = apr_impl(r#"{"advances":[],"payments":[],"unit_period":"fortnight"}"#).unwrap_err();
        assert_eq!(e.field(), Some("unit_period"));
    }
}
