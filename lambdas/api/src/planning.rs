//! `POST /plan`: the debt planner over the caller's unpaid loans (avalanche, snowball or a
//! custom order, one monthly budget): payoff dates, interest, and the month-by-month series.
//! A budget that never pays a loan off is a 400 on `monthly_budget` naming the loan.

use std::borrow::Cow;

use axum::extract::State;
use axum::Json;
use chrono::NaiveDate;
use loansyncro_core::app::planning::PlanOptions;
use loansyncro_core::ledger::planner::{Baseline, DebtOutcome, MonthRow, PlanResult, Strategy};
use loansyncro_core::math::money::Currency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Amount, JsonBody};
use crate::openapi::{ErrorBody, ERROR_RESPONSE};
use crate::routes::AuthUser;
use crate::schema::{CurrencyCode, DecimalString};
use crate::{App, Notify, Store};

/// The planner's strategy names (the core's spelling).
#[derive(Debug, Clone, Copy)]
pub struct StrategyName;

impl PartialSchema for StrategyName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "avalanche: highest rate first; snowball: smallest balance first; custom: the \
                 order given in `order`",
            ))
            .enum_values(Some(Strategy::NAMES))
            .into()
    }
}

impl ToSchema for StrategyName {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Strategy")
    }
}

/// Body of `POST /plan`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// Money available every month, at least the sum of the loans' installments.
    pub monthly_budget: Amount,
    /// avalanche (default), snowball or custom.
    #[serde(default)]
    #[schema(value_type = Option<StrategyName>)]
    pub strategy: Option<String>,
    /// With `custom`: every unpaid loan id of the currency, in the order to pay them off.
    #[serde(default)]
    pub order: Option<Vec<String>>,
    /// The currency planned (default: the one currency of the caller's unpaid loans).
    #[serde(default)]
    #[schema(value_type = Option<CurrencyCode>)]
    pub currency: Option<Currency>,
    /// Date of the first month's payment (default today).
    #[serde(
        default,
        deserialize_with = "loansyncro_core::math::calendar::deserialize_opt_iso_date"
    )]
    pub start: Option<NaiveDate>,
}

impl PlanInput {
    fn options(self) -> ApiResult<PlanOptions> {
        let name = self
            .strategy
            .as_deref()
            .unwrap_or(Strategy::Avalanche.name());
        let strategy = match (Strategy::lookup(name), self.order) {
            (Some(Ok(s)), None) => s,
            (Some(Ok(_)), Some(_)) => {
                return Err(ApiError::validation(
                    "order",
                    "is only for the custom strategy",
                ))
            }
            (Some(Err(_)), Some(order)) => Strategy::Custom(order),
            (Some(Err(needs)), None) => {
                return Err(ApiError::validation(
                    "order",
                    format!("the custom strategy needs {needs}"),
                ))
            }
            (None, _) => {
                return Err(ApiError::validation(
                    "strategy",
                    format!(
                        "must be one of {}, got {name:?}",
                        Strategy::NAMES.join(", ")
                    ),
                ))
            }
        };
        Ok(PlanOptions {
            currency: self.currency,
            monthly_budget: self.monthly_budget.0,
            strategy,
            start: self.start,
        })
    }
}

/// How one loan ends under the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PlanLoan)]
pub struct PlanLoanDto {
    /// The loan.
    pub loan_id: String,
    /// Its title.
    pub title: String,
    /// 1-based month of its last payment.
    pub payoff_month: u32,
    /// Date of that month.
    pub payoff_date: NaiveDate,
    /// Interest it accrues under the plan.
    #[schema(value_type = DecimalString)]
    pub total_interest: Decimal,
    /// Everything paid to it.
    #[schema(value_type = DecimalString)]
    pub total_paid: Decimal,
}

/// One month of the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PlanMonth)]
pub struct PlanMonthDto {
    /// 1-based month.
    pub month: u32,
    /// Payment date.
    pub date: NaiveDate,
    /// Total balance after the month's payments.
    #[schema(value_type = DecimalString)]
    pub balance: Decimal,
    /// Interest accrued this month.
    #[schema(value_type = DecimalString)]
    pub interest: Decimal,
    /// Paid this month.
    #[schema(value_type = DecimalString)]
    pub paid: Decimal,
    /// Interest up to and including this month.
    #[schema(value_type = DecimalString)]
    pub cumulative_interest: Decimal,
    /// Each loan's balance after the month, in the order of `loans`.
    #[schema(value_type = Vec<DecimalString>)]
    pub balances: Vec<Decimal>,
}

/// Paying the installments only (no extra money), for comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = PlanBaseline)]
pub struct BaselineDto {
    /// Whether the installments alone ever pay every loan off.
    pub paid_off: bool,
    /// Months until then (null when never).
    #[schema(required = true)]
    pub months: Option<u32>,
    /// Date of that month (null when never).
    #[schema(required = true)]
    pub debt_free_date: Option<NaiveDate>,
    /// Interest over all loans (null when never).
    #[schema(required = true, value_type = Option<DecimalString>)]
    pub total_interest: Option<Decimal>,
    /// The loans the installments alone never pay off.
    pub never_paid_off: Vec<String>,
}

/// Answer of `POST /plan`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Plan)]
pub struct PlanDto {
    /// The strategy simulated.
    #[schema(value_type = StrategyName)]
    pub strategy: &'static str,
    /// With `custom`: the order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Vec<String>>,
    /// ISO 4217 code of every amount.
    #[schema(value_type = CurrencyCode)]
    pub currency: Currency,
    /// Months until every loan is paid off.
    pub months_to_debt_free: u32,
    /// Date of the last month.
    pub debt_free_date: NaiveDate,
    /// Interest over all loans.
    #[schema(value_type = DecimalString)]
    pub total_interest: Decimal,
    /// Everything paid.
    #[schema(value_type = DecimalString)]
    pub total_paid: Decimal,
    /// Each loan's outcome.
    pub loans: Vec<PlanLoanDto>,
    /// Paying the installments only.
    pub baseline: BaselineDto,
    /// Baseline interest − plan interest (null when the baseline never ends).
    #[schema(required = true, value_type = Option<DecimalString>)]
    pub interest_saved: Option<Decimal>,
    /// Baseline months − plan months (null when the baseline never ends).
    #[schema(required = true)]
    pub months_saved: Option<i64>,
    /// The month-by-month series.
    pub months: Vec<PlanMonthDto>,
}

impl From<PlanResult> for PlanDto {
    fn from(r: PlanResult) -> PlanDto {
        let PlanResult {
            strategy,
            currency,
            months_to_debt_free,
            debt_free_date,
            total_interest,
            total_paid,
            debts,
            baseline,
            interest_saved,
            months_saved,
            months,
        } = r;
        let baseline = match baseline {
            Baseline::PaidOff {
                months,
                debt_free_date,
                total_interest,
                ..
            } => BaselineDto {
                paid_off: true,
                months: Some(months),
                debt_free_date: Some(debt_free_date),
                total_interest: Some(total_interest),
                never_paid_off: Vec::new(),
            },
            Baseline::Unbounded { debt_ids } => BaselineDto {
                paid_off: false,
                months: None,
                debt_free_date: None,
                total_interest: None,
                never_paid_off: debt_ids,
            },
        };
        PlanDto {
            strategy: strategy.name(),
            order: match strategy {
                Strategy::Custom(order) => Some(order),
                _ => None,
            },
            currency,
            months_to_debt_free,
            debt_free_date,
            total_interest,
            total_paid,
            loans: debts
                .into_iter()
                .map(|d| {
                    let DebtOutcome {
                        id,
                        name,
                        payoff_month,
                        payoff_date,
                        total_interest,
                        total_paid,
                    } = d;
                    PlanLoanDto {
                        loan_id: id,
                        title: name,
                        payoff_month,
                        payoff_date,
                        total_interest,
                        total_paid,
                    }
                })
                .collect(),
            baseline,
            interest_saved,
            months_saved,
            months: months
                .into_iter()
                .map(|m| {
                    let MonthRow {
                        month,
                        date,
                        balance,
                        interest,
                        paid,
                        cumulative_interest,
                        balances,
                    } = m;
                    PlanMonthDto {
                        month,
                        date,
                        balance,
                        interest,
                        paid,
                        cumulative_interest,
                        balances,
                    }
                })
                .collect(),
        }
    }
}

#[utoipa::path(post, path = "/plan", tag = "loans", operation_id = "plan",
    summary = "Payoff plan over the caller's unpaid loans (avalanche, snowball, custom order; one monthly budget)",
    request_body = PlanInput,
    responses((status = 200, description = "the plan and its month-by-month series", body = PlanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn plan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    JsonBody(input): JsonBody<PlanInput>,
) -> ApiResult<Json<PlanDto>> {
    let options = input.options()?;
    let result = app.service.plan_loans(&user, &options).await?;
    Ok(Json(PlanDto::from(result)))
}
