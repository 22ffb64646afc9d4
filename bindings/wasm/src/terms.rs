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
/// start; every other field at its default) without a JSON document: the JS wrapper's fast path
/// of `scheduleColumns(input)`. An empty array means an input did not parse (a typo, a
/// fractional installment count): the wrapper then takes the JSON path, whose error names the
/// field exactly as every other call does. Errors of the terms themselves (a principal of 0,
/// 2000 installments) are thrown as usual.
#[wasm_bindgen(js_name = scheduleColumnsDirect)]
pub fn schedule_columns_direct(
    currency: &str,
    principal: &str,
    annual_rate_percent: &str,
    installments: f64,
    start: &str,
) -> Result<Vec<f64>, JsValue> {
    match direct_builder(
        currency,
        principal,
        annual_rate_percent,
        installments,
        start,
    ) {
        Some(b) => js(b.build_with_schedule().map(|(_, s)| columns(&s, false))),
        None => Ok(Vec::new()),
    }
}

/// The builder of [`schedule_columns_direct`]'s fields, parsed as the wire form parses them
/// (exact decimals, `YYYY-MM-DD`); `None` when one does not parse. `currency` empty: USD.
fn direct_builder(
    currency: &str,
    principal: &str,
    annual_rate_percent: &str,
    installments: f64,
    start: &str,
) -> Option<LoanTermsBuilder> {
    use std::str::FromStr;
    let exact = |t: &str| rust_decimal::Decimal::from_str_exact(t.trim()).ok();
    let mut b = LoanTerms::builder()
        .principal(exact(principal)?)
        .annual_rate_percent(exact(annual_rate_percent)?)
        .installments(crate::wire::whole("installments", installments).ok()?)
        .start(chrono::NaiveDate::from_str(start).ok()?);
    if !currency.is_empty() {
        b = b.currency(loansyncro_core::Currency::from_code(currency).ok()?);
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
    fn direct_path_builds_the_wire_forms_terms_or_declines() {
        let wire = terms_builder("", QUICKSTART).unwrap();
        let direct = direct_builder("", "250000", "6.5", 360.0, "2025-01-01").unwrap();
        assert_eq!(direct, wire);
        let yen = direct_builder("JPY", " 1000000 ", "1.5", 12.0, "2025-01-31").unwrap();
        assert_eq!(yen.currency.code(), "JPY");
        assert_eq!(yen.principal, rust_decimal::Decimal::from(1_000_000));
        // Inputs that do not parse: the JSON path reports them (None, never a guess).
        assert!(direct_builder("", "abc", "6.5", 360.0, "2025-01-01").is_none());
        assert!(direct_builder("", "250000", "6.5%", 360.0, "2025-01-01").is_none());
        assert!(direct_builder("", "250000", "6.5", 360.5, "2025-01-01").is_none());
        assert!(direct_builder("", "250000", "6.5", 360.0, "2025-02-30").is_none());
        assert!(direct_builder("XYZ", "250000", "6.5", 360.0, "2025-01-01").is_none());
        // More digits than a Decimal holds: refused as the wire form refuses it, not rounded.
        assert!(direct_builder(
            "",
            "1.00000000000000000000000000001",
            "6.5",
            1.0,
            "2025-01-01"
        )
        .is_none());
        let cols = schedule_columns_direct("", "250000", "6.5", 360.0, "2025-01-01").unwrap();
        assert_eq!(
            cols,
            columns(
                &Terms::parse(QUICKSTART).unwrap().inner.schedule().unwrap(),
                false
            )
        );
        assert!(
            schedule_columns_direct("", "abc", "6.5", 360.0, "2025-01-01")
                .unwrap()
                .is_empty()
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
