//! Real-life loan events for `loansyncro/books` (issue 20 §3): loans entered mid-term
//! ([`LoanTerms::from_current`], [`LoanTerms::enter_mid_term`]), renewals
//! ([`loansyncro_core::app::timeline::renewed`]), a loan's timeline, balance corrections
//! ([`loansyncro_core::ledger::booked_adjustment`] / `adjusted_position` / the postings'
//! `adjusted_journal`) and the biweekly comparison
//! ([`loansyncro_core::schedule::biweekly::compare_biweekly`]).
//!
//! Field names are those of the Python binding (`enter_from_current`, `timeline`,
//! `corrected_position`, `compare_biweekly`, ...). Input crosses as JSON in the core's wire
//! forms (decimal strings, `YYYY-MM-DD`), terms in and out as their JSON wire form (with
//! `renewals` and `opening`), results as JSON text. Exported only in the `books` build, like
//! [`crate::books`].

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::app::timeline::renewed;
use loansyncro_core::ledger::postings::{adjusted_journal, default_adjustments_account};
use loansyncro_core::ledger::{adjusted_position, booked_adjustment, LedgerAdjustment};
use loansyncro_core::ledger::{LedgerPayment, Position};
use loansyncro_core::schedule::biweekly::{compare_biweekly, BiweeklyOption, PlanSummary};
use loansyncro_core::{
    Currency, CurrentState, DayCount, Error, Frequency, LoanTerms, Rate, Renewal, Result,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::books::{journal_setup, renamed_payments, JournalSetup};
use crate::error::js;
use crate::wire::{json, terms_builder, to_json};

fn terms(text: &str) -> Result<LoanTerms> {
    terms_builder("", text)?.build()
}

/// `value` or a validation error "is required" on `field`.
fn required<T>(value: Option<T>, field: &str) -> Result<T> {
    value.ok_or_else(|| Error::validation(field, "is required"))
}

/// A rate in percent, its errors on `annual_rate_percent` (the core names `annual_rate`).
fn percent(p: Decimal) -> Result<Rate> {
    Rate::from_percent(p).map_err(|e| rate_field(e.into()))
}

/// The core's `annual_rate` errors renamed to the input's `annual_rate_percent`.
fn rate_field(e: Error) -> Error {
    match e {
        Error::Validation { field, reason } if field == "annual_rate" => {
            Error::validation("annual_rate_percent", reason)
        }
        other => other,
    }
}

/// The terms in their wire form (every field, `renewals` and `opening` when set).
fn terms_json(t: &LoanTerms) -> Result<String> {
    to_json(&t.to_builder())
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CurrentInput {
    balance: Option<Decimal>,
    annual_rate_percent: Option<Decimal>,
    payment: Option<Decimal>,
    next_due: Option<NaiveDate>,
    currency: Option<Currency>,
    frequency: Option<String>,
    day_count: Option<String>,
}

/// A loan entered from what the borrower knows today (JSON `{balance, annual_rate_percent,
/// payment, next_due, currency?, frequency?, day_count?}`): it starts one period before
/// `next_due` from `balance` and keeps `payment` until repaid. The terms' JSON wire form.
///
/// ```
/// use loansyncro_wasm::events::enter_from_current_impl;
/// let t = enter_from_current_impl(
///     r#"{"balance":"182450.17","annual_rate_percent":"5.25","payment":"1325.00","next_due":"2026-03-01"}"#,
/// )?;
/// assert!(t.contains(r#""start":"2026-02-01""#));
/// let e = enter_from_current_impl(r#"{"balance":"1000","annual_rate_percent":"12","payment":"10","next_due":"2025-02-01"}"#)
///     .unwrap_err();
/// assert_eq!(e.field(), Some("payment"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn enter_from_current_impl(input: &str) -> Result<String> {
    let i: CurrentInput = json("current", input)?;
    let mut base = LoanTerms::builder();
    if let Some(c) = i.currency {
        base = base.currency(c);
    }
    if let Some(f) = &i.frequency {
        base = base.frequency(Frequency::from_str(f)?);
    }
    if let Some(d) = &i.day_count {
        base = base.day_count(DayCount::from_str(d)?);
    }
    let state = CurrentState {
        balance: required(i.balance, "balance")?,
        annual_rate: percent(required(i.annual_rate_percent, "annual_rate_percent")?)?,
        payment: required(i.payment, "payment")?,
        next_due: required(i.next_due, "next_due")?,
    };
    terms_json(&LoanTerms::from_current(base, &state).map_err(rate_field)?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct MidTermInput {
    date: Option<NaiveDate>,
    balance: Option<Decimal>,
}

/// `terms` (the original terms) entered mid-term with the lender's balance on a date (JSON
/// `{date, balance}`): the history before is summarized (see [`timeline_impl`]).
pub fn enter_mid_term_impl(terms: &LoanTerms, input: &str) -> Result<String> {
    let i: MidTermInput = json("entry", input)?;
    let on = required(i.date, "date")?;
    terms_json(&terms.enter_mid_term(on, required(i.balance, "balance")?)?)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RenewalInput {
    effective: Option<NaiveDate>,
    annual_rate_percent: Option<Decimal>,
    amortization_installments: Option<u32>,
    term_installments: Option<u32>,
}

/// `terms` renewed (or refinanced) under JSON `{effective, annual_rate_percent?,
/// amortization_installments?, term_installments?}`, in the same timeline.
///
/// ```
/// use loansyncro_wasm::events::{renew_impl, timeline_impl};
/// use loansyncro_wasm::wire::terms_builder;
/// let t = terms_builder(
///     "",
///     r#"{"principal":"400000","annual_rate_percent":"4.5","installments":300,"start":"2020-01-01"}"#,
/// )?
/// .build()?;
/// let renewed = renew_impl(&t, r#"{"effective":"2025-01-01","annual_rate_percent":"6","term_installments":60}"#)?;
/// assert!(renewed.contains(r#""renewals":[{"effective":"2025-01-01""#));
/// let e = renew_impl(&t, r#"{"effective":"2046-01-01"}"#).unwrap_err();
/// assert_eq!(e.field(), Some("effective"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn renew_impl(terms: &LoanTerms, input: &str) -> Result<String> {
    let i: RenewalInput = json("renewal", input)?;
    let mut r = Renewal::new(required(i.effective, "effective")?);
    if let Some(p) = i.annual_rate_percent {
        r = r.rate(percent(p)?);
    }
    r.amortization_installments = i.amortization_installments;
    r.term_installments = i.term_installments;
    terms_json(&renewed(terms, r).map_err(rate_field)?)
}

#[derive(Serialize)]
struct HistoryOut {
    original_start: NaiveDate,
    original_principal: Decimal,
    original_installments: u32,
    installments: u32,
    interest_paid: Decimal,
    principal_paid: Decimal,
    scheduled_balance: Decimal,
    difference: Decimal,
    payment: Decimal,
}

#[derive(Serialize)]
struct OpeningOut {
    date: NaiveDate,
    balance: Decimal,
    history: Option<HistoryOut>,
}

#[derive(Serialize)]
struct SegmentOut {
    index: u32,
    first_installment: u32,
    last_installment: u32,
    first_due: NaiveDate,
    last_due: NaiveDate,
    annual_rate_percent: Decimal,
    payment: Decimal,
    balance_before: Decimal,
    interest: Decimal,
    principal: Decimal,
    balance_after: Decimal,
}

#[derive(Serialize)]
struct RecastOut {
    payment_number: u32,
    annual_rate_percent: Decimal,
    balance_before: Decimal,
    remaining_installments: u32,
    payment: Decimal,
}

#[derive(Serialize)]
struct TimelineOut {
    history: &'static str,
    opening: Option<OpeningOut>,
    installments: usize,
    segments: Vec<SegmentOut>,
    recasts: Vec<RecastOut>,
}

/// A loan's timeline as JSON: `history` (`complete`, `summarized`, `unknown`), `opening`
/// (null, or its date, balance and summarized `history`), `installments`, `segments` (one
/// per term once renewed) and `recasts`. Rates in percent.
pub fn timeline_impl(t: &LoanTerms) -> Result<String> {
    let schedule = t.schedule()?;
    let (history, opening) = match t.opening() {
        None => ("complete", None),
        Some(o) => (
            if o.history.is_some() {
                "summarized"
            } else {
                "unknown"
            },
            Some(OpeningOut {
                date: o.date,
                balance: o.balance,
                history: o.history.map(|h| HistoryOut {
                    original_start: h.original_start,
                    original_principal: h.original_principal,
                    original_installments: h.original_installments,
                    installments: h.installments,
                    interest_paid: h.interest_paid,
                    principal_paid: h.principal_paid,
                    scheduled_balance: h.scheduled_balance,
                    difference: h.difference,
                    payment: h.payment,
                }),
            }),
        ),
    };
    let segments = t
        .segments(&schedule)
        .into_iter()
        .map(|s| SegmentOut {
            index: s.index,
            first_installment: s.first_installment,
            last_installment: s.last_installment,
            first_due: s.first_due,
            last_due: s.last_due,
            annual_rate_percent: s.annual_rate.percent(),
            payment: s.payment,
            balance_before: s.balance_before,
            interest: s.interest,
            principal: s.principal,
            balance_after: s.balance_after,
        })
        .collect();
    let recasts = schedule
        .adjustments()
        .iter()
        .map(|a| RecastOut {
            payment_number: a.payment_number,
            annual_rate_percent: a.annual_rate.percent(),
            balance_before: a.balance_before,
            remaining_installments: a.remaining_installments,
            payment: a.payment,
        })
        .collect();
    to_json(&TimelineOut {
        history,
        opening,
        installments: schedule.len(),
        segments,
        recasts,
    })
}

/// A stated balance: `{date, stated_balance}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementInput {
    date: NaiveDate,
    stated_balance: Decimal,
}

/// The stated balances (JSON list; not before the start, not negative), sorted by date
/// (stable).
fn statements(text: &str, start: NaiveDate) -> Result<Vec<(NaiveDate, Decimal)>> {
    let given: Vec<StatementInput> = json("statements", text)?;
    let mut out = Vec::with_capacity(given.len());
    for (i, s) in given.into_iter().enumerate() {
        if s.stated_balance < Decimal::ZERO {
            return Err(Error::validation(
                format!("statements[{i}].stated_balance"),
                "must not be negative",
            ));
        }
        if s.date < start {
            return Err(Error::validation(
                format!("statements[{i}].date"),
                format!("{} is before the loan start {start}", s.date),
            ));
        }
        out.push((s.date, s.stated_balance));
    }
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

/// Each stated balance booked in date order against the earlier ones.
fn booked(
    t: &LoanTerms,
    paid: &[LedgerPayment],
    stated: &[(NaiveDate, Decimal)],
) -> Result<Vec<LedgerAdjustment>> {
    let mut booked: Vec<LedgerAdjustment> = Vec::with_capacity(stated.len());
    for &(d, balance) in stated {
        let a = booked_adjustment(t, paid, &booked, d, balance)?;
        booked.push(a);
    }
    Ok(booked)
}

#[derive(Serialize)]
struct BookedOut {
    date: NaiveDate,
    stated_balance: Decimal,
    adjustment: Decimal,
}

#[derive(Serialize)]
struct CorrectedOut {
    position: Position,
    adjustments: Vec<BookedOut>,
    adjustments_total: Decimal,
}

/// The position on `as_of` after the repayments (JSON list of `{date, amount}`) and the
/// lender's stated balances (JSON list of `{date, stated_balance}`), each booked in date order
/// as `stated - engine balance`: JSON `{position, adjustments: [{date, stated_balance,
/// adjustment}], adjustments_total}`.
///
/// ```
/// use loansyncro_wasm::events::corrected_position_impl;
/// use loansyncro_wasm::wire::terms_builder;
/// let t = terms_builder("", r#"{"principal":"1200","installments":12,"start":"2025-01-01","annual_rate_percent":"0"}"#)?
///     .build()?;
/// let out = corrected_position_impl(
///     &t,
///     r#"[{"date":"2025-02-01","amount":"100"}]"#,
///     r#"[{"date":"2025-02-10","stated_balance":"1050"}]"#,
///     "2025-03-05",
/// )?;
/// assert!(out.contains(r#""adjustments_total":"-50.00""#));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn corrected_position_impl(
    t: &LoanTerms,
    repayments: &str,
    statements: &str,
    as_of: &str,
) -> Result<String> {
    let paid: Vec<LedgerPayment> = json("repayments", repayments)?;
    let on = crate::wire::date("as_of", as_of)?;
    let stated = self::statements(statements, t.start())?;
    let booked = booked(t, &paid, &stated)?;
    let position = adjusted_position(t, &paid, &booked, on)?;
    to_json(&CorrectedOut {
        position: position.position,
        adjustments: booked
            .iter()
            .zip(&stated)
            .map(|(a, (_, balance))| BookedOut {
                date: a.date,
                stated_balance: *balance,
                adjustment: a.amount,
            })
            .collect(),
        adjustments_total: position.adjustments,
    })
}

#[derive(Serialize)]
struct PlanOut {
    frequency: String,
    payment: Decimal,
    installments: u32,
    total_paid: Decimal,
    total_interest: Decimal,
    payoff_date: NaiveDate,
}

impl From<&PlanSummary> for PlanOut {
    fn from(p: &PlanSummary) -> PlanOut {
        PlanOut {
            frequency: p.frequency.to_string(),
            payment: p.payment,
            installments: p.installments,
            total_paid: p.total_paid,
            total_interest: p.total_interest,
            payoff_date: p.payoff_date,
        }
    }
}

#[derive(Serialize)]
struct OptionOut {
    plan: PlanOut,
    interest_saved: Decimal,
    days_saved: i64,
}

impl From<&BiweeklyOption> for OptionOut {
    fn from(o: &BiweeklyOption) -> OptionOut {
        OptionOut {
            plan: (&o.plan).into(),
            interest_saved: o.interest_saved,
            days_saved: o.days_saved,
        }
    }
}

#[derive(Serialize)]
struct BiweeklyOut {
    day_count: String,
    monthly: PlanOut,
    biweekly: OptionOut,
    accelerated: OptionOut,
}

/// Monthly vs biweekly (`monthly × 12 / 26` every 14 days) vs accelerated biweekly
/// (`monthly / 2`) for monthly level-installment terms, as JSON `{day_count, monthly,
/// biweekly, accelerated}` (Python's `compare_biweekly`); `day_count` of the biweekly periods
/// (default `actual/365F`).
pub fn compare_biweekly_impl(t: &LoanTerms, day_count: Option<&str>) -> Result<String> {
    let day_count = day_count.map(DayCount::from_str).transpose()?;
    let c = compare_biweekly(t, day_count)?;
    to_json(&BiweeklyOut {
        day_count: c.day_count.to_string(),
        monthly: (&c.monthly).into(),
        biweekly: (&c.biweekly).into(),
        accelerated: (&c.accelerated).into(),
    })
}

/// The loan's actual postings with the stated balances booked (as
/// [`corrected_position_impl`]) and each adjustment posted between the liability and
/// `options.adjustments_account` (default `Equity:Adjustments:<name>`): the rendered text.
/// `options` as the books' `postings` (`format`, `as_of`, `name`, `accounts`, `payee`; the
/// scope is the actual one).
pub fn corrected_postings_impl(
    t: &LoanTerms,
    repayments: &str,
    statements: &str,
    options: &str,
) -> Result<String> {
    let JournalSetup {
        payments,
        options,
        format,
        name,
        adjustments_account: account,
    } = journal_setup(repayments, options, true)?;
    if options.scope != loansyncro_core::ledger::postings::Scope::Actual {
        return Err(Error::validation(
            "scope",
            "corrected postings are the actual ones",
        ));
    }
    let stated = self::statements(statements, t.start())?;
    let ledger: Vec<LedgerPayment> = payments
        .iter()
        .map(|p| LedgerPayment {
            date: p.date,
            amount: p.amount,
        })
        .collect();
    let booked = booked(t, &ledger, &stated).map_err(renamed_payments)?;
    let account = account.unwrap_or_else(|| default_adjustments_account(&name));
    let j =
        adjusted_journal(t, &payments, &booked, &options, &account).map_err(renamed_payments)?;
    Ok(j.render(format))
}

/// See [`enter_from_current_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = enterFromCurrent))]
pub fn enter_from_current(input: &str) -> Result<String, JsValue> {
    js(enter_from_current_impl(input))
}

/// See [`enter_mid_term_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = enterMidTerm))]
pub fn enter_mid_term(terms_json: &str, input: &str) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| enter_mid_term_impl(&t, input)))
}

/// See [`renew_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = renewTerms))]
pub fn renew_terms(terms_json: &str, input: &str) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| renew_impl(&t, input)))
}

/// See [`timeline_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = timelineOf))]
pub fn timeline_of(terms_json: &str) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| timeline_impl(&t)))
}

/// See [`corrected_position_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = correctedPosition))]
pub fn corrected_position(
    terms_json: &str,
    repayments: &str,
    statements: &str,
    as_of: &str,
) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| corrected_position_impl(&t, repayments, statements, as_of)))
}

/// See [`compare_biweekly_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = compareBiweekly))]
pub fn compare_biweekly_of(terms_json: &str, day_count: Option<String>) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| compare_biweekly_impl(&t, day_count.as_deref())))
}

/// See [`corrected_postings_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = correctedPostings))]
pub fn corrected_postings(
    terms_json: &str,
    repayments: &str,
    statements: &str,
    options: &str,
) -> Result<String, JsValue> {
    js(
        terms(terms_json)
            .and_then(|t| corrected_postings_impl(&t, repayments, statements, options)),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const MORTGAGE: &str = r#"{"principal":"400000","annual_rate_percent":"4.5","installments":300,"start":"2020-01-01"}"#;

    #[test]
    fn a_canadian_renewal_in_one_timeline() {
        let t = terms(MORTGAGE).unwrap();
        let r = renew_impl(
            &t,
            r#"{"effective":"2025-01-01","annual_rate_percent":"6","term_installments":60}"#,
        )
        .unwrap();
        let renewed = terms(&r).unwrap();
        let v: serde_json::Value = serde_json::from_str(&timeline_impl(&renewed).unwrap()).unwrap();
        assert_eq!(v["history"], "complete");
        assert_eq!(v["installments"], 120);
        assert_eq!(v["recasts"][0]["payment_number"], 61);
        assert_eq!(v["recasts"][0]["payment"], "2517.77");
        assert_eq!(v["segments"][1]["interest"], "97998.26");
        let e = renew_impl(
            &t,
            r#"{"effective":"2025-01-01","annual_rate_percent":"101"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("annual_rate_percent"));
        let e = renew_impl(&t, r#"{"annual_rate_percent":"5"}"#).unwrap_err();
        assert_eq!(e.field(), Some("effective"));
        let e = enter_mid_term_impl(&t, r#"{"date":"2060-01-01","balance":"1"}"#).unwrap_err();
        assert_eq!(e.field(), Some("date"));
        let e = enter_mid_term_impl(&t, r#"{"date":"2022-01-01"}"#).unwrap_err();
        assert_eq!(e.field(), Some("balance"));
    }

    #[test]
    fn corrections_book_in_date_order_and_name_the_field() {
        let t = terms(
            r#"{"principal":"1200","annual_rate_percent":"0","installments":12,"start":"2025-01-01"}"#,
        )
        .unwrap();
        let paid = r#"[{"date":"2025-02-01","amount":"100"}]"#;
        let out: serde_json::Value = serde_json::from_str(
            &corrected_position_impl(
                &t,
                paid,
                r#"[{"date":"2025-03-05","stated_balance":"1000"},{"date":"2025-02-10","stated_balance":"1050"}]"#,
                "2025-03-05",
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(out["adjustments"][0]["date"], "2025-02-10");
        assert_eq!(out["adjustments"][0]["adjustment"], "-50.00");
        assert_eq!(out["adjustments"][1]["adjustment"], "-50.00");
        assert_eq!(out["position"]["principal_outstanding"], "1000.00");
        assert_eq!(out["adjustments_total"], "-100.00");
        let e = corrected_position_impl(
            &t,
            paid,
            r#"[{"date":"2025-03-05","stated_balance":"-1"}]"#,
            "2025-03-05",
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("statements[0].stated_balance"));
        let e = corrected_position_impl(
            &t,
            paid,
            r#"[{"date":"2024-12-01","stated_balance":"1"}]"#,
            "2025-03-05",
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("statements[0].date"));
        let text = corrected_postings_impl(
            &t,
            paid,
            r#"[{"date":"2025-02-10","stated_balance":"1050"}]"#,
            r#"{"name":"Car","format":"ledger"}"#,
        )
        .unwrap();
        assert!(text.contains("Equity:Adjustments:Car"), "{text}");
        let e = corrected_postings_impl(&t, r#"[{"date":"2025-02-01","amount":"-1"}]"#, "[]", "{}")
            .unwrap_err();
        assert_eq!(e.field(), Some("repayments[0].amount"));
        let e = compare_biweekly_impl(&t, Some("lunar")).unwrap_err();
        assert_eq!(e.field(), Some("day_count"));
    }
}
