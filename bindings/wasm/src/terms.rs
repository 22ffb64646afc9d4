//! `LoanTerms`: validated terms held on the Rust side, and everything computed from them
//! (schedule, what-if, APR, CSV, chart series, ledger position, payoff quote).

use loansyncro_core::ledger::series::schedule_series;
use loansyncro_core::ledger::{self, LedgerPayment, PayoffRule};
use loansyncro_core::{Error, ExtraPayments, LoanTerms, LoanTermsBuilder, Result};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::schedule::columns;
use crate::wire::{date, decimal, from_value, json, normalize_terms, terms_builder, to_json};

/// Validated loan terms (the core's `LoanTerms`).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Terms {
    inner: LoanTerms,
}

/// Deferred interest comes only from an interest grace.
fn deferred_possible(terms: &LoanTerms) -> bool {
    terms.grace().interest_periods > 0
}

/// What a what-if returns: the savings summary (JSON) and the new schedule's columns.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WhatIfOutput {
    summary: String,
    columns: Vec<f64>,
}

#[wasm_bindgen]
impl WhatIfOutput {
    /// `{base_totals, base_installments, interest_saved, installments_saved}` as JSON.
    pub fn summary(&self) -> String {
        self.summary.clone()
    }
    /// The new schedule in the columnar layout (moves the data out).
    #[wasm_bindgen(js_name = takeColumns)]
    pub fn take_columns(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.columns)
    }
}

#[derive(Serialize)]
struct WhatIfSummary<'a> {
    base_totals: &'a loansyncro_core::Totals,
    base_installments: u32,
    interest_saved: rust_decimal::Decimal,
    installments_saved: u32,
}

impl Terms {
    /// Terms from their wire form (JSON of the core's `LoanTermsBuilder`).
    pub fn parse(text: &str) -> Result<Terms> {
        Ok(Terms {
            inner: terms_builder("", text)?.build()?,
        })
    }

    /// The validated terms.
    pub fn terms(&self) -> &LoanTerms {
        &self.inner
    }

    fn payments(text: &str) -> Result<Vec<LedgerPayment>> {
        json("payments", text)
    }

    /// The what-if of `extra` (JSON of the core's `ExtraPayments`).
    pub fn what_if_impl(&self, extra: &str) -> Result<WhatIfOutput> {
        let extra: ExtraPayments = json("extra", extra)?;
        let w = self.inner.what_if(&extra)?;
        let summary = to_json(&WhatIfSummary {
            base_totals: &w.base_totals,
            base_installments: w.base_installments,
            interest_saved: w.interest_saved,
            installments_saved: w.installments_saved,
        })?;
        Ok(WhatIfOutput {
            summary,
            columns: columns(&w.schedule, deferred_possible(&self.inner)),
        })
    }

    /// The payoff quote on `on` under `rule`, a name of the core's `PayoffRule` (an unknown
    /// name is a validation error on `rule` listing the valid ones).
    pub fn payoff_quote_impl(&self, payments: &str, on: &str, rule: &str) -> Result<String> {
        let rule: PayoffRule = rule.parse()?;
        to_json(&ledger::payoff_quote(
            &self.inner,
            &Self::payments(payments)?,
            date("on", on)?,
            rule,
        )?)
    }

    /// The position on `as_of` given `payments` (JSON list of `{date, amount}`).
    pub fn position_impl(&self, payments: &str, as_of: &str) -> Result<String> {
        let payments = Self::payments(payments)?;
        to_json(&ledger::position(
            &self.inner,
            &payments,
            date("as_of", as_of)?,
        )?)
    }
}

#[wasm_bindgen]
impl Terms {
    /// Validates terms given as JSON of the core's wire form.
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<Terms, JsValue> {
        js(Self::parse(text))
    }

    /// The terms in their canonical wire form (every field, defaults filled in).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<String, JsValue> {
        js(to_json(&self.inner.to_builder()))
    }

    /// The contractual schedule in the columnar layout.
    pub fn columns(&self) -> Result<Vec<f64>, JsValue> {
        js(self
            .inner
            .schedule()
            .map(|s| columns(&s, deferred_possible(&self.inner))))
    }

    /// The contractual schedule in its serde form (JSON: currency, regular payment, rows,
    /// totals), for amounts beyond 2^53 minor units.
    pub fn records(&self) -> Result<String, JsValue> {
        js(self.inner.schedule().and_then(|s| to_json(&s)))
    }

    /// The schedule as CSV (RFC 4180).
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(&self) -> Result<String, JsValue> {
        js(self.inner.schedule().map(|s| s.to_csv()))
    }

    /// The chart series of the schedule (JSON list of `{date, balance, cumulative_interest,
    /// cumulative_principal}`).
    pub fn series(&self) -> Result<String, JsValue> {
        js(self.inner.schedule().and_then(|s| {
            to_json(&schedule_series(
                &s,
                self.inner.start(),
                self.inner.principal(),
            ))
        }))
    }

    /// The schedule with extra payments and what they save.
    #[wasm_bindgen(js_name = whatIf)]
    pub fn what_if(&self, extra: &str) -> Result<WhatIfOutput, JsValue> {
        js(self.what_if_impl(extra))
    }

    /// The APR in percent with a prepaid finance charge (decimal string).
    pub fn apr(&self, prepaid_finance_charge: &str) -> Result<String, JsValue> {
        js((|| {
            self.inner
                .apr(decimal("prepaid_finance_charge", prepaid_finance_charge)?)
        })()
        .map(|d| d.to_string()))
    }

    /// The effective annual rate in percent.
    #[wasm_bindgen(js_name = effectiveAnnualRate)]
    pub fn effective_annual_rate(&self) -> Result<String, JsValue> {
        js(self.inner.effective_annual_rate().map(|d| d.to_string()))
    }

    /// Where the loan stands on `as_of` (JSON of the core's `Position`).
    pub fn position(&self, payments: &str, as_of: &str) -> Result<String, JsValue> {
        js(self.position_impl(payments, as_of))
    }

    /// The payoff quote on `on` under `rule` (`till_pre_close` or `till_period_end`).
    #[wasm_bindgen(js_name = payoffQuote)]
    pub fn payoff_quote(&self, payments: &str, on: &str, rule: &str) -> Result<String, JsValue> {
        js(self.payoff_quote_impl(payments, on, rule))
    }

    /// What is payable on `on` for the installment due `for_due`.
    pub fn payable(&self, payments: &str, on: &str, for_due: &str) -> Result<String, JsValue> {
        js((|| {
            to_json(&ledger::payable(
                &self.inner,
                &Self::payments(payments)?,
                date("on", on)?,
                date("for_due", for_due)?,
            )?)
        })())
    }

    /// Checks that a new repayment is acceptable (not an overpayment, valid amount and date).
    #[wasm_bindgen(js_name = checkPayment)]
    pub fn check_payment(&self, payments: &str, new: &str) -> Result<(), JsValue> {
        js((|| {
            let new: LedgerPayment = json("payment", new)?;
            ledger::check_payment(&self.inner, &Self::payments(payments)?, &new)
        })())
    }
}

/// The contractual schedule of terms given as JSON, in the columnar layout, without keeping a
/// `Terms` handle (the one-shot path of `scheduleColumns(input)`).
#[wasm_bindgen(js_name = scheduleColumnsOf)]
pub fn schedule_columns_of(text: &str) -> Result<Vec<f64>, JsValue> {
    js(terms_builder("", text)
        .and_then(LoanTermsBuilder::build_with_schedule)
        .map(|(t, s)| columns(&s, deferred_possible(&t))))
}

/// The one-shot columns of the common terms (currency, principal, rate, installments and
/// start; every other field at its default) without a JSON document or a string: the JS
/// wrapper's fast path of `scheduleColumns(input)`. Amounts come as an integer mantissa and a
/// scale (`"6.5"` is `65, 1`: the decimal the wire form parses from that text), the start as
/// year, month and day, the currency as its three character codes packed in base 128 (0: USD).
///
/// Returns the address in the module's memory of the columns (the layout of
/// [`crate::schedule`]; its header gives the length), written into a buffer the module keeps
/// and reuses: they are valid until the next call into the module, which may overwrite them or
/// grow the memory (the wrapper copies them out at once). 0 when an input does not make a
/// value (an unknown currency, a day that does not exist, a fractional installment count): the
/// wrapper then takes the JSON path, whose error names the field exactly as every other call
/// does. Errors of the terms themselves (a principal of 0, 2000 installments) are thrown as
/// usual.
#[wasm_bindgen(js_name = scheduleColumnsNumeric)]
#[allow(clippy::too_many_arguments)]
pub fn schedule_columns_numeric(
    principal: f64,
    principal_scale: u32,
    rate: f64,
    rate_scale: u32,
    installments: f64,
    year: i32,
    month: u32,
    day: u32,
    currency: u32,
) -> Result<usize, JsValue> {
    let Some(b) = numeric_builder(
        (principal, principal_scale),
        (rate, rate_scale),
        installments,
        (year, month, day),
        currency,
    ) else {
        return Ok(0);
    };
    let (_, s) = js(b.build_with_schedule())?;
    Ok(OUT.with(|cell| {
        let mut out = cell.borrow_mut();
        crate::schedule::columns_into(&mut out, &s, false);
        out.as_ptr() as usize
    }))
}

thread_local! {
    /// The columns of [`schedule_columns_numeric`], reused from call to call.
    static OUT: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The exact decimal `mantissa × 10^-scale`; `None` unless the mantissa is a whole number
/// below 2^53 (so the float holds it exactly) and the scale at most 28.
fn exact_decimal((mantissa, scale): (f64, u32)) -> Option<rust_decimal::Decimal> {
    let whole = mantissa.fract() == 0.0 && mantissa.abs() < 9_007_199_254_740_992.0;
    // In range and integral, so the cast is exact.
    whole.then_some(())?;
    rust_decimal::Decimal::try_from_i128_with_scale(mantissa as i128, scale).ok()
}

/// The builder of [`schedule_columns_numeric`]'s fields; `None` when one does not make a value.
fn numeric_builder(
    principal: (f64, u32),
    rate: (f64, u32),
    installments: f64,
    (year, month, day): (i32, u32, u32),
    currency: u32,
) -> Option<LoanTermsBuilder> {
    let mut b = LoanTerms::builder()
        .principal(exact_decimal(principal)?)
        .annual_rate_percent(exact_decimal(rate)?)
        .installments(crate::wire::whole("installments", installments).ok()?)
        .start(chrono::NaiveDate::from_ymd_opt(year, month, day)?);
    if currency != 0 {
        let code = [currency >> 14, (currency >> 7) & 127, currency & 127];
        let text: String = code.iter().filter_map(|&c| char::from_u32(c)).collect();
        b = b.currency(loansyncro_core::Currency::from_code(&text).ok()?);
    }
    Some(b)
}

/// Schedules of many loans in one call: for each terms object of the JSON array, the number
/// of installments, the scale, the regular payment, Σ interest and Σ paid (minor units), five
/// values per loan. A failure names the loan (`[i].principal`).
pub fn summaries_impl(list: &str) -> Result<Vec<f64>> {
    // Through `Value` (the one JSON route of the package, see `wire::terms_builder`): free-form
    // frequency / day count spellings, and an error names the loan.
    let values: Vec<serde_json::Value> = json("", list)?;
    let mut builders: Vec<LoanTermsBuilder> = Vec::with_capacity(values.len());
    for (i, mut v) in values.into_iter().enumerate() {
        normalize_terms(&mut v)?;
        builders.push(from_value(&format!("[{i}]"), v)?);
    }
    let mut out = Vec::with_capacity(builders.len() * 5);
    for (i, b) in builders.into_iter().enumerate() {
        let prefix = |e: Error| match e {
            Error::Validation { field, reason } => {
                Error::validation(format!("[{i}].{field}"), reason)
            }
            other => other,
        };
        let (_, s) = b.build_with_schedule().map_err(prefix)?;
        out.extend_from_slice(&crate::schedule::summary(&s)?);
    }
    Ok(out)
}

/// See [`summaries_impl`].
#[wasm_bindgen(js_name = scheduleSummaries)]
pub fn schedule_summaries(list: &str) -> Result<Vec<f64>, JsValue> {
    js(summaries_impl(list))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const QUICKSTART: &str = r#"{"principal":"250000","annual_rate_percent":"6.5","installments":360,"start":"2025-01-01"}"#;

    #[test]
    fn what_if_and_position() {
        let t = Terms::parse(QUICKSTART).unwrap();
        let w = t.what_if_impl(r#"{"recurring":"200"}"#).unwrap();
        assert!(w.summary.contains(r#""installments_saved":95"#));
        assert!(w.summary.contains(r#""interest_saved":"97618.44""#));
        let p = t
            .position_impl(
                r#"[{"date":"2025-02-01","amount":"1580.17"}]"#,
                "2025-02-15",
            )
            .unwrap();
        assert!(p.contains(r#""installments_paid":1"#));
        let e = Terms::parse(r#"{"principal":"-1","installments":1,"start":"2025-01-01"}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("principal"));
    }

    #[test]
    fn numeric_path_builds_the_wire_forms_terms_or_declines() {
        let wire = terms_builder("", QUICKSTART).unwrap();
        let start = (2025, 1, 1);
        let numeric = numeric_builder((250_000.0, 0), (65.0, 1), 360.0, start, 0).unwrap();
        assert_eq!(numeric, wire);
        // "250000.00" and "6.50": the scale is kept as the wire form keeps it.
        let scaled = numeric_builder((25_000_000.0, 2), (650.0, 2), 360.0, start, 0).unwrap();
        assert_eq!(
            scaled,
            terms_builder(
                "",
                r#"{"principal":"250000.00","annual_rate_percent":"6.50","installments":360,"start":"2025-01-01"}"#
            )
            .unwrap()
        );
        assert_eq!(scaled.principal.scale(), 2);
        let jpy = ((u32::from(b'J') << 14) | (u32::from(b'P') << 7)) | u32::from(b'Y');
        let yen = numeric_builder((1_000_000.0, 0), (15.0, 1), 12.0, (2025, 1, 31), jpy).unwrap();
        assert_eq!(yen.currency.code(), "JPY");
        // Inputs that make no value: the JSON path reports them (None, never a guess).
        let xyz = ((u32::from(b'X') << 14) | (u32::from(b'Y') << 7)) | u32::from(b'Z');
        assert!(numeric_builder((1.0, 0), (65.0, 1), 360.0, start, xyz).is_none());
        assert!(numeric_builder((1.0, 0), (65.0, 1), 360.5, start, 0).is_none());
        assert!(numeric_builder((1.0, 0), (65.0, 1), 360.0, (2025, 2, 30), 0).is_none());
        assert!(numeric_builder((1.5, 0), (65.0, 1), 360.0, start, 0).is_none());
        assert!(numeric_builder((9_007_199_254_740_992.0, 0), (65.0, 1), 1.0, start, 0).is_none());
        // More decimals than a Decimal holds: refused as the wire form refuses it.
        assert!(numeric_builder((1.0, 29), (65.0, 1), 1.0, start, 0).is_none());
        let expected = columns(
            &Terms::parse(QUICKSTART).unwrap().inner.schedule().unwrap(),
            false,
        );
        let address =
            schedule_columns_numeric(250_000.0, 0, 65.0, 1, 360.0, 2025, 1, 1, 0).unwrap();
        OUT.with(|out| {
            assert_eq!(*out.borrow(), expected);
            assert_eq!(out.borrow().as_ptr() as usize, address);
        });
        assert_eq!(
            schedule_columns_numeric(250_000.0, 0, 65.0, 1, 360.5, 2025, 1, 1, 0).unwrap(),
            0
        );
    }

    #[test]
    fn names_parse_through_the_core_vocabulary() {
        let t = Terms::parse(QUICKSTART).unwrap();
        let q = t
            .payoff_quote_impl("[]", "2025-01-15", "till_period_end")
            .unwrap();
        assert!(q.contains(r#""date":"2025-01-15""#), "{q}");
        let e = t
            .payoff_quote_impl("[]", "2025-01-15", "till_the_end")
            .unwrap_err();
        assert_eq!(e.field(), Some("rule"));
        assert!(
            e.to_string()
                .ends_with("expected one of: till_pre_close, till_period_end"),
            "{e}"
        );
        // Terms: a bad name is reported on its field, with the valid names.
        let e = Terms::parse(
            r#"{"principal":"100","installments":4,"start":"2025-01-01","payment_rounding":"nearest"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("payment_rounding"));
        assert!(e.to_string().contains("`half_even`"), "{e}");
        let e = Terms::parse(
            r#"{"principal":"100","installments":4,"start":"2025-01-01","day_count":"30/365"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("day_count"));
        assert!(e.to_string().contains("actual/365F"), "{e}");
    }

    #[test]
    fn summaries_name_the_loan() {
        let ok = summaries_impl(&format!("[{QUICKSTART}]")).unwrap();
        assert_eq!(&ok[..3], &[360.0, 2.0, 158_017.0]);
        let e = summaries_impl(r#"[{"principal":"1","installments":0,"start":"2025-01-01"}]"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("[0].installments"));
    }
}
