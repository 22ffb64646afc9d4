//! Read-only figures of one loan: `GET /loans/{loan_id}/payoff` (the payoff quote on a date)
//! and `POST /loans/{loan_id}/what-if` (extra payments and rate changes against the contractual
//! schedule). Nothing is stored; another user's loan is 404.

use std::borrow::Cow;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::NaiveDate;
use loansyncro_core::app::quotes::{Payoff, Scenario, ScheduleSummary, WhatIfResult};
use loansyncro_core::ledger::PayoffRule;
use loansyncro_core::math::money::Currency;
use loansyncro_core::schedule::terms::{PrepaymentPolicy, RateChange};
use loansyncro_core::schedule::{ExtraPayments, InstallmentRecord, LumpSum};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::dto::InstallmentDto;
use crate::error::{ApiError, ApiResult};
use crate::extract::{query_pairs, query_param, Amount, JsonBody};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::{date_param, loan_id, AuthUser};
use crate::schema::{CurrencyCode, DecimalString, PrepaymentPolicyName, RateChangeSchema};
use crate::{App, Notify, Store};

/// The `rule` query parameter: the core's payoff rule names.
#[derive(Debug, Clone, Copy)]
pub struct PayoffRuleName;

impl PartialSchema for PayoffRuleName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "till_pre_close: interest accrued to the date (default); till_period_end: the \
                 whole current period's interest",
            ))
            .enum_values(Some(PayoffRule::NAMES))
            .into()
    }
}

impl ToSchema for PayoffRuleName {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PayoffRule")
    }
}

/// The query parameters of `GET /loans/{loan_id}/payoff`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct PayoffParams {
    /// The payoff date YYYY-MM-DD (default today).
    as_of: Option<NaiveDate>,
    /// The interest rule (default till_pre_close).
    #[param(inline)]
    rule: Option<PayoffRuleName>,
}

/// A payoff quote.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PayoffQuote)]
pub struct PayoffDto {
    /// The loan.
    pub loan_id: String,
    /// ISO 4217 code of every amount.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// The date the quote is for.
    pub as_of: NaiveDate,
    /// The interest rule.
    #[schema(value_type = PayoffRuleName)]
    pub rule: PayoffRule,
    /// Principal outstanding (arrears included).
    #[schema(value_type = DecimalString)]
    pub principal: Decimal,
    /// Interest owed under `rule`.
    #[schema(value_type = DecimalString)]
    pub accrued_interest: Decimal,
    /// Fees owed (loans carry no fee terms: always zero).
    #[schema(value_type = DecimalString)]
    pub fees: Decimal,
    /// `principal + accrued_interest + fees`: what closes the loan.
    #[schema(value_type = DecimalString)]
    pub total: Decimal,
    /// The last day `total` still closes the loan.
    pub good_through: NaiveDate,
}

impl PayoffDto {
    fn new(loan_id: String, p: Payoff) -> PayoffDto {
        let Payoff {
            currency,
            as_of,
            rule,
            principal,
            interest,
            fees,
            total,
            good_through,
        } = p;
        PayoffDto {
            loan_id,
            currency,
            as_of,
            rule,
            principal,
            accrued_interest: interest,
            fees,
            total,
            good_through,
        }
    }
}

#[utoipa::path(get, path = "/loans/{loan_id}/payoff", tag = "loans", operation_id = "getPayoff",
    summary = "The payoff quote on a date: principal, accrued interest, fees, total, good-through date",
    params(LoanIdParam, PayoffParams),
    responses((status = 200, description = "the quote", body = PayoffDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn payoff<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<PayoffDto>> {
    let id = loan_id(path)?;
    let pairs = query_pairs(query.as_deref())?;
    let as_of = date_param(&pairs, "as_of")?;
    let rule = match query_param(&pairs, "rule") {
        Some(text) => {
            PayoffRule::parse_field(text, "rule").map_err(loansyncro_core::Error::from)?
        }
        None => PayoffRule::default(),
    };
    let quote = app.service.payoff(&user, &id, as_of, rule).await?;
    Ok(Json(PayoffDto::new(id.into_string(), quote)))
}

/// A one-off extra payment.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LumpSumInput {
    /// Paid with the first installment due on or after this date (after the loan's start).
    #[serde(deserialize_with = "loansyncro_core::math::calendar::deserialize_iso_date")]
    pub date: NaiveDate,
    /// Amount (> 0).
    pub amount: Amount,
}

/// Body of `POST /loans/{loan_id}/what-if`: every field optional.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfInput {
    /// Extra principal paid with every installment (default 0).
    #[serde(default)]
    pub recurring: Option<Amount>,
    /// The first installment carrying `recurring` (default 1).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub recurring_from: Option<u32>,
    /// One-off extra payments.
    #[serde(default)]
    pub lump_sums: Vec<LumpSumInput>,
    /// What the extra payments do: reduce_term (default) or reduce_payment.
    #[serde(default)]
    #[schema(value_type = Option<PrepaymentPolicyName>)]
    pub policy: Option<PrepaymentPolicy>,
    /// Rate changes added to the loan's own (the same date replaces the loan's).
    #[serde(default)]
    #[schema(value_type = Option<Vec<RateChangeSchema>>)]
    pub rate_changes: Option<Vec<RateChange>>,
    /// Also answer the scenario's installments.
    #[serde(default)]
    pub include_schedule: bool,
}

impl WhatIfInput {
    fn scenario(&self) -> Scenario {
        Scenario {
            extra: ExtraPayments {
                recurring: self.recurring.map_or(Decimal::ZERO, |a| a.0),
                recurring_from: self.recurring_from.unwrap_or(1),
                lump_sums: self
                    .lump_sums
                    .iter()
                    .map(|l| LumpSum {
                        date: l.date,
                        amount: l.amount.0,
                    })
                    .collect(),
                policy: self.policy.unwrap_or_default(),
            },
            rate_changes: self.rate_changes.clone().unwrap_or_default(),
        }
    }
}

/// The figures of one schedule of a what-if.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ScheduleSummary)]
pub struct ScheduleSummaryDto {
    /// Number of installments.
    pub installments: u32,
    /// The regular installment (before any recast).
    #[schema(value_type = DecimalString)]
    pub regular_payment: Decimal,
    /// Σ interest.
    #[schema(value_type = DecimalString)]
    pub total_interest: Decimal,
    /// Σ payments (extra principal included).
    #[schema(value_type = DecimalString)]
    pub total_paid: Decimal,
    /// Σ extra principal.
    #[schema(value_type = DecimalString)]
    pub extra_principal: Decimal,
    /// Due date of the last installment.
    pub payoff_date: NaiveDate,
}

impl From<ScheduleSummary> for ScheduleSummaryDto {
    fn from(s: ScheduleSummary) -> ScheduleSummaryDto {
        let ScheduleSummary {
            installments,
            regular_payment,
            total_interest,
            total_paid,
            extra_principal,
            payoff_date,
        } = s;
        ScheduleSummaryDto {
            installments,
            regular_payment,
            total_interest,
            total_paid,
            extra_principal,
            payoff_date,
        }
    }
}

/// Answer of `POST /loans/{loan_id}/what-if`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WhatIf)]
pub struct WhatIfDto {
    /// The loan.
    pub loan_id: String,
    /// ISO 4217 code of every amount.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// The loan's contractual schedule.
    pub base: ScheduleSummaryDto,
    /// The schedule of the scenario.
    pub scenario: ScheduleSummaryDto,
    /// Base interest − scenario interest.
    #[schema(value_type = DecimalString)]
    pub interest_saved: Decimal,
    /// Base installments − scenario installments.
    pub installments_saved: i64,
    /// Calendar months between the payoff dates (base − scenario).
    pub months_saved: i64,
    /// The scenario's installments (only with `include_schedule`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installments: Option<Vec<InstallmentDto>>,
}

impl WhatIfDto {
    fn new(loan_id: String, w: WhatIfResult, include_schedule: bool) -> WhatIfDto {
        let WhatIfResult {
            currency,
            base,
            scenario,
            interest_saved,
            installments_saved,
            months_saved,
            schedule,
        } = w;
        WhatIfDto {
            loan_id,
            currency,
            base: base.into(),
            scenario: scenario.into(),
            interest_saved,
            installments_saved,
            months_saved,
            installments: include_schedule.then(|| {
                schedule
                    .installments()
                    .iter()
                    .map(|row| InstallmentRecord::from(row).into())
                    .collect()
            }),
        }
    }
}

#[utoipa::path(post, path = "/loans/{loan_id}/what-if", tag = "loans", operation_id = "whatIf",
    summary = "Extra payments and rate changes against the contractual schedule: the new summary and the savings (nothing stored)",
    params(LoanIdParam), request_body = WhatIfInput,
    responses((status = 200, description = "the scenario and its savings", body = WhatIfDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn what_if<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    JsonBody(input): JsonBody<WhatIfInput>,
) -> ApiResult<Json<WhatIfDto>> {
    let id = loan_id(path)?;
    if input.recurring_from == Some(0) {
        return Err(ApiError::validation("recurring_from", "must be at least 1"));
    }
    let result = app.service.what_if(&user, &id, &input.scenario()).await?;
    Ok(Json(WhatIfDto::new(
        id.into_string(),
        result,
        input.include_schedule,
    )))
}
