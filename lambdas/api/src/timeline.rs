//! Real-life events in a loan's timeline:
//! - `POST /loans/mid-term`: create a loan entered mid-term, from what the borrower knows
//!   today (`current`: balance, rate, payment, next due date) or from the original terms plus
//!   the lender's balance on a date (`original` + `opening`: the history before is summarized).
//! - `POST /loans/{loan_id}/renewals`: a renewal or refinance at a date (new rate and/or
//!   amortization and term), kept in the loan's own timeline; `If-Match` like `PUT` (412 on
//!   another version; absent, the latest version). The ledger is replayed under the renewed
//!   terms; the answer has the recast and the segments (terms) of the timeline.
//! - `GET /loans/{loan_id}/timeline`: the opening, the segments and the recasts of a loan.
//!
//! Another user's loan is 404.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use http::HeaderMap;
use loansyncro_core::domain::loan::NewLoan;
use loansyncro_core::math::calendar::{DayCount, Frequency};
use loansyncro_core::math::money::Currency;
use loansyncro_core::schedule::terms::{LoanTerms, Opening, Renewal, Segment};
use loansyncro_core::schedule::Adjustment;
use loansyncro_core::{CurrentState, Error, Rate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dto::{LoanDto, LoanInput, TermsInput};
use crate::error::{ApiError, ApiResult};
use crate::extract::{if_match, Amount, JsonBody};
use crate::openapi::{ErrorBody, IfMatchParam, LoanIdParam, ERROR_RESPONSE};
use crate::routes::{loan_id, with_etag, AuthUser};
use crate::schema::{CurrencyCode, DayCountName, DecimalString, FrequencySchema};
use crate::{App, Notify, Store};

/// A renewal as the terms hold it (`annual_rate` a fraction: 0.06 = 6 %).
#[derive(Debug, Clone, ToSchema)]
#[allow(dead_code)]
pub struct RenewalTerms {
    /// The renewal date.
    pub effective: NaiveDate,
    /// The new annual rate, a fraction (absent: unchanged).
    #[schema(value_type = Option<DecimalString>)]
    pub annual_rate: Option<Decimal>,
    /// The new amortization in installments from the renewal on (absent: unchanged).
    pub amortization_installments: Option<u32>,
    /// The new term in installments from the renewal on (absent: to the end of the
    /// amortization).
    pub term_installments: Option<u32>,
}

/// Where a loan entered mid-term starts (see `POST /loans/mid-term`).
#[derive(Debug, Clone, ToSchema)]
#[allow(dead_code)]
pub struct OpeningTerms {
    /// The entry date: repayments before it are refused (the stated balance counts them).
    pub date: NaiveDate,
    /// The stated balance (the loan's principal from the entry on).
    #[schema(value_type = DecimalString)]
    pub balance: Decimal,
    /// The history by the original terms (absent: unknown).
    pub history: Option<HistoryTerms>,
}

/// The history of a loan entered mid-term, summarized from its original schedule.
#[derive(Debug, Clone, ToSchema)]
#[allow(dead_code)]
pub struct HistoryTerms {
    /// The original start date.
    pub original_start: NaiveDate,
    /// The original principal.
    #[schema(value_type = DecimalString)]
    pub original_principal: Decimal,
    /// The original number of installments.
    pub original_installments: u32,
    /// Installments of the original schedule due on or before the entry date.
    pub installments: u32,
    /// Their interest, by the original schedule.
    #[schema(value_type = DecimalString)]
    pub interest_paid: Decimal,
    /// Their principal, by the original schedule.
    #[schema(value_type = DecimalString)]
    pub principal_paid: Decimal,
    /// The original schedule's balance after them.
    #[schema(value_type = DecimalString)]
    pub scheduled_balance: Decimal,
    /// Stated balance − scheduled balance.
    #[schema(value_type = DecimalString)]
    pub difference: Decimal,
    /// The payment kept from the entry on.
    #[schema(value_type = DecimalString)]
    pub payment: Decimal,
}

/// What the borrower knows today (original terms unknown).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CurrentInput {
    /// The balance now (after the last installment paid).
    pub balance: Amount,
    /// Annual nominal rate in percent.
    pub interest_rate: Amount,
    /// The installment paid every period.
    pub payment: Amount,
    /// The next due date.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub next_due_date: NaiveDate,
    /// ISO 4217 code (default USD).
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<Currency>,
    /// Payment frequency (default monthly; month- or day-based).
    #[schema(value_type = Option<FrequencySchema>)]
    pub frequency: Option<Frequency>,
    /// Day-count convention (default 30/360).
    #[schema(value_type = Option<DayCountName>)]
    pub day_count: Option<DayCount>,
}

/// The original terms of a loan entered mid-term (the fields of `POST /loans` but the title).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalInput {
    /// The original principal.
    pub amount: Amount,
    /// Annual nominal rate in percent.
    pub interest_rate: Amount,
    /// The original number of installments.
    #[schema(minimum = 1, maximum = 1200)]
    pub term_months: u32,
    /// The original disbursement date.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub start_date: NaiveDate,
    /// The richer terms (as in `POST /loans`).
    #[serde(default)]
    pub terms: Option<TermsInput>,
}

/// The lender's balance on a date.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningInput {
    /// The date of the stated balance (the entry date).
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// The stated balance.
    pub balance: Amount,
}

/// Body of `POST /loans/mid-term`: `current`, or `original` with `opening`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MidTermInput {
    /// 1..=200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Free text.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// What the borrower knows today (instead of `original` + `opening`).
    pub current: Option<CurrentInput>,
    /// The original terms (with `opening`).
    pub original: Option<OriginalInput>,
    /// The lender's balance on a date (with `original`).
    pub opening: Option<OpeningInput>,
}

/// A validation error's field under `prefix` (`balance` -> `current.balance`).
fn prefixed(prefix: &str, error: Error) -> Error {
    match error {
        Error::Validation { field, reason } => Error::Validation {
            field: format!("{prefix}.{field}"),
            reason,
        },
        other => other,
    }
}

/// A validation error moved to `field` (the input the value came from).
fn at(field: &str, error: Error) -> Error {
    match error {
        Error::Validation { reason, .. } => Error::validation(field, reason),
        other => other,
    }
}

impl MidTermInput {
    /// The core command: the continuing terms (errors name the wire field).
    pub fn into_command(self) -> Result<NewLoan, Error> {
        let terms = match (self.current, self.original, self.opening) {
            (Some(c), None, None) => {
                let mut base = LoanTerms::builder();
                if let Some(v) = c.currency {
                    base = base.currency(v);
                }
                if let Some(v) = c.frequency {
                    base = base.frequency(v);
                }
                if let Some(v) = c.day_count {
                    base = base.day_count(v);
                }
                let annual_rate = Rate::from_percent(c.interest_rate.0)
                    .map_err(|e| at("current.interest_rate", e.into()))?;
                let state = CurrentState {
                    balance: c.balance.0,
                    annual_rate,
                    payment: c.payment.0,
                    next_due: c.next_due_date,
                };
                LoanTerms::from_current(base, &state).map_err(|e| match e {
                    Error::Validation { field, reason } => {
                        let wire = match field.as_str() {
                            "next_due" => "next_due_date",
                            "annual_rate" => "interest_rate",
                            other => other,
                        };
                        Error::validation(format!("current.{wire}"), reason)
                    }
                    other => other,
                })?
            }
            (None, Some(o), Some(opening)) => {
                let original = LoanInput {
                    title: self.title.clone(),
                    amount: o.amount,
                    interest_rate: o.interest_rate,
                    term_months: o.term_months,
                    start_date: o.start_date,
                    description: None,
                    terms: o.terms,
                }
                .into_command()
                .map_err(|e| prefixed("original", e))?
                .terms;
                original
                    .enter_mid_term(opening.date, opening.balance.0)
                    .map_err(|e| match e {
                        Error::Validation { field, reason }
                            if field == "date" || field == "balance" =>
                        {
                            Error::validation(format!("opening.{field}"), reason)
                        }
                        other => prefixed("original", other),
                    })?
            }
            _ => {
                return Err(Error::validation(
                    "current",
                    "give either current, or original with opening",
                ))
            }
        };
        let command =
            NewLoan::new(self.title, terms).with_description(self.description.unwrap_or_default());
        command.validate()?;
        Ok(command)
    }
}

/// Body of `POST /loans/{loan_id}/renewals`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalInput {
    /// The renewal date: the first installment whose period starts on or after it begins the
    /// new term. After the loan's latest renewal.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub effective_date: NaiveDate,
    /// The new annual rate in percent (absent: unchanged).
    pub interest_rate: Option<Amount>,
    /// The new amortization in installments from the renewal on (a US refinance to 30 years:
    /// 360; absent: the current amortization continues).
    #[schema(minimum = 1, maximum = 1200)]
    pub amortization_months: Option<u32>,
    /// The new term in installments (a Canadian 5-year term: 60; absent: to the end of the
    /// amortization). A term shorter than the amortization leaves the balance due at its end.
    #[schema(minimum = 1, maximum = 1200)]
    pub term_months: Option<u32>,
}

impl RenewalInput {
    fn renewal(&self) -> ApiResult<Renewal> {
        let mut r = Renewal::new(self.effective_date);
        if let Some(rate) = self.interest_rate {
            r = r.rate(Rate::from_percent(rate.0).map_err(|e| at("interest_rate", e.into()))?);
        }
        r.amortization_installments = self.amortization_months;
        r.term_installments = self.term_months;
        Ok(r)
    }
}

/// The renewal's core field names as the wire's.
fn renewal_wire_field(error: Error) -> ApiError {
    match error {
        Error::Validation { field, reason } => {
            let wire = match field.as_str() {
                "effective" => "effective_date",
                "annual_rate" => "interest_rate",
                "amortization_installments" => "amortization_months",
                "term_installments" => "term_months",
                other => other,
            };
            ApiError::validation(wire, reason)
        }
        other => ApiError::from_if_match(other),
    }
}

/// A recast of the level payment (a renewal's, or a rate change's).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Recast)]
pub struct RecastDto {
    /// The first installment paying the new payment.
    pub payment_number: u32,
    /// The annual rate from it on, in percent.
    #[schema(value_type = DecimalString)]
    pub interest_rate: Decimal,
    /// The balance recast.
    #[schema(value_type = DecimalString)]
    pub balance_before: Decimal,
    /// Installments left in the term, this one included.
    pub remaining_installments: u32,
    /// The new payment.
    #[schema(value_type = DecimalString)]
    pub payment: Decimal,
}

impl From<&Adjustment> for RecastDto {
    fn from(a: &Adjustment) -> RecastDto {
        RecastDto {
            payment_number: a.payment_number,
            interest_rate: a.annual_rate.percent(),
            balance_before: a.balance_before,
            remaining_installments: a.remaining_installments,
            payment: a.payment,
        }
    }
}

/// One segment (term) of a loan's timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = TimelineSegment)]
pub struct SegmentDto {
    /// 0: the original terms; then one per renewal.
    pub index: u32,
    /// Its first installment number.
    pub first_installment: u32,
    /// Its last installment number.
    pub last_installment: u32,
    /// Due date of its first installment.
    pub first_due_date: NaiveDate,
    /// Due date of its last installment.
    pub last_due_date: NaiveDate,
    /// The annual rate at its start, in percent.
    #[schema(value_type = DecimalString)]
    pub interest_rate: Decimal,
    /// Its first installment.
    #[schema(value_type = DecimalString)]
    pub payment: Decimal,
    /// The balance before it.
    #[schema(value_type = DecimalString)]
    pub balance_before: Decimal,
    /// Σ interest.
    #[schema(value_type = DecimalString)]
    pub interest: Decimal,
    /// Σ principal.
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// The balance after its last installment.
    #[schema(value_type = DecimalString)]
    pub balance_after: Decimal,
}

impl From<&Segment> for SegmentDto {
    fn from(s: &Segment) -> SegmentDto {
        SegmentDto {
            index: s.index,
            first_installment: s.first_installment,
            last_installment: s.last_installment,
            first_due_date: s.first_due,
            last_due_date: s.last_due,
            interest_rate: s.annual_rate.percent(),
            payment: s.payment,
            balance_before: s.balance_before,
            interest: s.interest,
            principal: s.principal,
            balance_after: s.balance_after,
        }
    }
}

/// A loan's timeline: where it was entered, its segments and its recasts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Timeline {
    /// The loan.
    pub loan_id: String,
    /// ISO 4217 code of every amount.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// `unknown` (entered from its current state), `summarized` (entered from its original
    /// terms: see `opening.history`) or `complete` (entered from its start).
    pub history: String,
    /// Where a loan entered mid-term starts (absent: entered from its start).
    #[schema(value_type = Option<OpeningTerms>)]
    pub opening: Option<Opening>,
    /// The number of installments from the start (or the entry) on.
    pub installments: u32,
    /// Due date of the last installment.
    pub payoff_date: Option<NaiveDate>,
    /// One per term: the original, then one per renewal (empty without renewals).
    pub segments: Vec<SegmentDto>,
    /// The recasts of the level payment (renewals and rate changes).
    pub recasts: Vec<RecastDto>,
}

impl Timeline {
    fn of(loan_id: String, terms: &LoanTerms) -> Result<Timeline, Error> {
        let schedule = terms.schedule()?;
        let history = match terms.opening() {
            None => "complete",
            Some(o) if o.history.is_some() => "summarized",
            Some(_) => "unknown",
        };
        Ok(Timeline {
            loan_id,
            currency: terms.currency(),
            history: history.to_owned(),
            opening: terms.opening().copied(),
            installments: u32::try_from(schedule.len()).unwrap_or(u32::MAX),
            payoff_date: schedule.last().map(|r| r.due_date()),
            segments: terms
                .segments(&schedule)
                .iter()
                .map(SegmentDto::from)
                .collect(),
            recasts: schedule.adjustments().iter().map(RecastDto::from).collect(),
        })
    }
}

/// A loan with its timeline (the answer of the timeline writes).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoanTimeline {
    /// The loan as stored.
    pub loan: LoanDto,
    /// Its timeline.
    pub timeline: Timeline,
}

fn loan_timeline(loan: LoanDto, terms: &LoanTerms) -> ApiResult<LoanTimeline> {
    let timeline = Timeline::of(loan.id.clone(), terms)?;
    Ok(LoanTimeline { loan, timeline })
}

#[utoipa::path(post, path = "/loans/mid-term", tag = "loans", operation_id = "createMidTermLoan",
    summary = "Create a loan entered mid-term: from its current state, or its original terms plus the lender's balance on a date",
    request_body = MidTermInput,
    responses((status = 201, description = "created (ETag, Location)", body = LoanTimeline), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn create_mid_term<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    JsonBody(input): JsonBody<MidTermInput>,
) -> ApiResult<Response> {
    let command = input.into_command()?;
    let terms = command.terms.clone();
    let view = app.service.create_loan(&user, command).await?;
    let body = loan_timeline(LoanDto::from(view), &terms)?;
    let mut response = with_etag(body.loan.version, (StatusCode::CREATED, Json(&body)));
    if let Ok(location) = HeaderValue::from_str(&format!("/loans/{}", body.loan.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(post, path = "/loans/{loan_id}/renewals", tag = "loans", operation_id = "renewLoan",
    summary = "Renew or refinance a loan at a date: new rate and/or amortization and term, in the same timeline (If-Match = ETag; mismatch 412)",
    params(LoanIdParam, IfMatchParam), request_body = RenewalInput,
    responses((status = 200, description = "renewed (new ETag)", body = LoanTimeline), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn renew<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<RenewalInput>,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let expected = if_match(&headers)?;
    let outcome = app
        .service
        .renew_loan(&user, &id, input.renewal()?, expected)
        .await
        .map_err(renewal_wire_field)?;
    let terms = outcome.loan.terms().clone();
    let body = loan_timeline(LoanDto::from_loan(outcome.loan)?, &terms)?;
    Ok(with_etag(body.loan.version, Json(&body)).into_response())
}

#[utoipa::path(get, path = "/loans/{loan_id}/timeline", tag = "loans", operation_id = "getTimeline",
    summary = "A loan's timeline: where it was entered (history summarized or unknown), its terms (segments) and recasts",
    params(LoanIdParam),
    responses((status = 200, description = "the timeline", body = Timeline), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn timeline<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Timeline>> {
    let id = loan_id(path)?;
    let view = app.service.get_loan(&user, &id).await?;
    Ok(Json(Timeline::of(id.to_string(), view.loan.terms())?))
}
