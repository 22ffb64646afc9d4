//! Biweekly and accelerated biweekly against monthly: `POST /compare/biweekly` (terms in the
//! body, nothing stored) and `GET /loans/{loan_id}/biweekly` (a stored loan's terms; another
//! user's loan is 404).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::NaiveDate;
use loansyncro_core::math::calendar::{DayCount, Frequency};
use loansyncro_core::math::money::Currency;
use loansyncro_core::schedule::biweekly::{
    compare_biweekly, BiweeklyComparison, BiweeklyOption, PlanSummary,
};
use loansyncro_core::LoanTerms;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::extract::{query_pairs, query_param, Amount, JsonBody};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::{loan_id, AuthUser};
use crate::schema::{CurrencyCode, DayCountName, DecimalString, FrequencySchema};
use crate::{App, Notify, Store};

/// Body of `POST /compare/biweekly`: monthly level-installment terms.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BiweeklyInput {
    /// The amount borrowed (> 0).
    pub principal: Amount,
    /// The nominal annual rate in percent (e.g. "6" for 6%).
    pub annual_rate_percent: Amount,
    /// Number of monthly installments.
    #[schema(minimum = 1, maximum = 1200)]
    pub installments: u32,
    /// The start date; the first monthly payment is due a month later, the first biweekly
    /// one 14 days later.
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub start: NaiveDate,
    /// ISO 4217 code (default USD).
    #[serde(default)]
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<Currency>,
    /// Day count of the biweekly periods (default actual/365F: annual × 14/365 a period).
    #[serde(default)]
    #[schema(value_type = Option<DayCountName>)]
    pub day_count: Option<DayCount>,
}

/// One way of paying the loan off.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PaymentPlanSummary)]
pub struct PlanDto {
    /// How often it pays.
    #[schema(value_type = FrequencySchema)]
    pub frequency: Frequency,
    /// The regular payment.
    #[schema(value_type = DecimalString)]
    pub payment: Decimal,
    /// How many payments (the last may be smaller).
    pub installments: u32,
    /// Sum of the payments.
    #[schema(value_type = DecimalString)]
    pub total_paid: Decimal,
    /// Sum of the interest.
    #[schema(value_type = DecimalString)]
    pub total_interest: Decimal,
    /// The date of the last payment.
    pub payoff_date: NaiveDate,
}

impl From<PlanSummary> for PlanDto {
    fn from(p: PlanSummary) -> Self {
        PlanDto {
            frequency: p.frequency,
            payment: p.payment,
            installments: p.installments,
            total_paid: p.total_paid,
            total_interest: p.total_interest,
            payoff_date: p.payoff_date,
        }
    }
}

/// A biweekly plan and what it saves against monthly.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BiweeklyOptionDto {
    /// The plan.
    pub plan: PlanDto,
    /// Monthly total interest minus this plan's (negative: it costs more).
    #[schema(value_type = DecimalString)]
    pub interest_saved: Decimal,
    /// Days from this plan's payoff to the monthly payoff (negative: it ends later).
    pub days_saved: i64,
}

impl From<BiweeklyOption> for BiweeklyOptionDto {
    fn from(o: BiweeklyOption) -> Self {
        BiweeklyOptionDto {
            plan: o.plan.into(),
            interest_saved: o.interest_saved,
            days_saved: o.days_saved,
        }
    }
}

/// Monthly, biweekly (monthly × 12 / 26 every 14 days) and accelerated biweekly (monthly / 2
/// every 14 days).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BiweeklyComparisonDto {
    /// ISO 4217 code of every amount.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// Day count of the biweekly periods.
    #[schema(value_type = DayCountName)]
    pub day_count: DayCount,
    /// The monthly schedule.
    pub monthly: PlanDto,
    /// Biweekly.
    pub biweekly: BiweeklyOptionDto,
    /// Accelerated biweekly.
    pub accelerated: BiweeklyOptionDto,
}

impl BiweeklyComparisonDto {
    fn new(currency: Currency, c: BiweeklyComparison) -> Self {
        BiweeklyComparisonDto {
            currency,
            day_count: c.day_count,
            monthly: c.monthly.into(),
            biweekly: c.biweekly.into(),
            accelerated: c.accelerated.into(),
        }
    }
}

#[utoipa::path(post, path = "/compare/biweekly", tag = "loans", operation_id = "compareBiweekly",
    summary = "Monthly vs biweekly vs accelerated biweekly for monthly terms (nothing stored)",
    request_body = BiweeklyInput,
    responses((status = 200, description = "the comparison", body = BiweeklyComparisonDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn compare<S: Store, N: Notify>(
    AuthUser(_user): AuthUser,
    State(_app): State<App<S, N>>,
    JsonBody(input): JsonBody<BiweeklyInput>,
) -> ApiResult<Json<BiweeklyComparisonDto>> {
    let currency = input.currency.unwrap_or(Currency::USD);
    let terms = LoanTerms::builder()
        .currency(currency)
        .principal(input.principal.0)
        .annual_rate_percent(input.annual_rate_percent.0)
        .installments(input.installments)
        .start(input.start)
        .build()?;
    let comparison = compare_biweekly(&terms, input.day_count)?;
    Ok(Json(BiweeklyComparisonDto::new(currency, comparison)))
}

#[utoipa::path(get, path = "/loans/{loan_id}/biweekly", tag = "loans", operation_id = "getBiweeklyComparison",
    summary = "Monthly vs biweekly vs accelerated biweekly for a stored monthly loan",
    params(LoanIdParam, ("day_count" = Option<String>, Query, description = "day count of the biweekly periods (default actual/365F)")),
    responses((status = 200, description = "the comparison", body = BiweeklyComparisonDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn for_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<BiweeklyComparisonDto>> {
    let id = loan_id(path)?;
    let pairs = query_pairs(query.as_deref())?;
    let day_count = query_param(&pairs, "day_count")
        .map(|text| DayCount::parse_field(text, "day_count"))
        .transpose()
        .map_err(loansyncro_core::Error::from)?;
    let loan = app.service.get_loan(&user, &id).await?;
    let currency = loan.loan.terms().currency();
    let comparison = app
        .service
        .biweekly_comparison(&user, &id, day_count)
        .await?;
    Ok(Json(BiweeklyComparisonDto::new(currency, comparison)))
}
