//! Recurring repayment plans of a loan: `POST|GET|DELETE /loans/{loan_id}/recurring` and
//! `DELETE /loans/{loan_id}/recurring/{plan_id}`. Plans are materialized by the scheduled job
//! (the `loansyncro-recurring` Lambda, or the local server's timer or command), never by these
//! routes.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use http::{header, HeaderValue, StatusCode};
use loansyncro_core::app::ports::StoredPlan;
use loansyncro_core::app::recurring::{MaterializeReport, NewRecurringPlan};
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::PlanId;
use loansyncro_core::math::calendar::Frequency;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Amount, JsonBody};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::AuthUser;
use crate::schema::{DecimalString, FrequencySchema};
use crate::{App, Notify, Store};

/// Body of `POST /loans/{loan_id}/recurring`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecurringPlanInput {
    /// Amount of every payment (> 0, at most the currency's minor unit).
    pub amount: Amount,
    /// How often it pays (month-based frequencies keep the first date's day and clamp).
    #[schema(value_type = FrequencySchema)]
    pub frequency: Frequency,
    /// Date of the first payment (on or after the loan's start).
    pub first_date: NaiveDate,
    /// Last day a payment may fall on (inclusive); absent: no end.
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

/// A recurring plan as answered.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = RecurringPlan)]
pub struct RecurringPlanDto {
    /// Id (part of the idempotency key `plan:{id}:{date}` of every repayment it records).
    pub id: String,
    /// The loan it pays.
    pub loan_id: String,
    /// Amount of every payment.
    #[schema(value_type = DecimalString)]
    pub amount: Decimal,
    /// How often it pays.
    #[schema(value_type = FrequencySchema)]
    pub frequency: Frequency,
    /// Date of the first payment.
    pub first_date: NaiveDate,
    /// Last day a payment may fall on, or null.
    #[schema(required = true)]
    pub end: Option<NaiveDate>,
    /// The earliest occurrence not recorded yet (null once the plan has ended). A date in the
    /// past after the daily run means that occurrence was refused (e.g. an overpayment).
    #[schema(required = true)]
    pub next_due: Option<NaiveDate>,
    /// When the plan was created.
    pub created_at: DateTime<Utc>,
}

impl From<StoredPlan> for RecurringPlanDto {
    fn from(stored: StoredPlan) -> Self {
        let plan = stored.plan;
        RecurringPlanDto {
            id: plan.id.into_string(),
            loan_id: plan.loan_id.into_string(),
            amount: plan.amount,
            frequency: plan.frequency,
            first_date: plan.first_date,
            end: plan.end,
            next_due: stored.next_due,
            created_at: stored.created_at,
        }
    }
}

/// The recurring plans of a loan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecurringPlanListDto {
    /// Oldest first.
    pub items: Vec<RecurringPlanDto>,
}

/// The `{plan_id}` path parameter.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct PlanIdParam {
    /// The plan's id.
    #[param(min_length = 1, max_length = 128)]
    plan_id: String,
}

fn loan_id(path: Result<Path<String>, PathRejection>) -> ApiResult<LoanId> {
    let Path(raw) = path.map_err(|_| ApiError::validation("loan_id", "is not a valid id"))?;
    Ok(LoanId::new(raw)?)
}

fn loan_and_plan(
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<(LoanId, PlanId)> {
    let Path((loan, plan)) =
        path.map_err(|_| ApiError::validation("plan_id", "is not a valid id"))?;
    Ok((LoanId::new(loan)?, PlanId::new(plan)?))
}

#[utoipa::path(post, path = "/loans/{loan_id}/recurring", tag = "recurring", operation_id = "createRecurringPlan",
    summary = "Create a recurring repayment plan on a loan (materialized daily)",
    params(LoanIdParam), request_body = RecurringPlanInput,
    responses((status = 201, description = "created (Location)", body = RecurringPlanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn create_plan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    JsonBody(input): JsonBody<RecurringPlanInput>,
) -> ApiResult<Response> {
    let loan = loan_id(path)?;
    let command = NewRecurringPlan {
        amount: input.amount.0,
        frequency: input.frequency,
        first_date: input.first_date,
        end: input.end,
    };
    let stored = app
        .service
        .create_recurring_plan(&user, &loan, command)
        .await?;
    let dto = RecurringPlanDto::from(stored);
    let location = format!("/loans/{}/recurring/{}", dto.loan_id, dto.id);
    let mut response = (StatusCode::CREATED, Json(dto)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/loans/{loan_id}/recurring", tag = "recurring", operation_id = "listRecurringPlans",
    summary = "The recurring repayment plans of a loan", params(LoanIdParam),
    responses((status = 200, description = "the plans, oldest first", body = RecurringPlanListDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn list_plans<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<RecurringPlanListDto>> {
    let loan = loan_id(path)?;
    let plans = app.service.list_recurring_plans(&user, &loan).await?;
    Ok(Json(RecurringPlanListDto {
        items: plans.into_iter().map(RecurringPlanDto::from).collect(),
    }))
}

#[utoipa::path(delete, path = "/loans/{loan_id}/recurring", tag = "recurring", operation_id = "deleteRecurringPlans",
    summary = "Delete every recurring plan of a loan (recorded repayments stay)", params(LoanIdParam),
    responses((status = 204, description = "deleted"), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn delete_plans<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<StatusCode> {
    let loan = loan_id(path)?;
    app.service.delete_recurring_plans(&user, &loan).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/loans/{loan_id}/recurring/{plan_id}", tag = "recurring", operation_id = "deleteRecurringPlan",
    summary = "Delete one recurring plan (recorded repayments stay)", params(LoanIdParam, PlanIdParam),
    responses((status = 204, description = "deleted"), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn delete_plan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult<StatusCode> {
    let (loan, plan) = loan_and_plan(path)?;
    app.service
        .delete_recurring_plan(&user, &loan, &plan)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Logs a materialization run: one warning per occurrence not recorded, then the counts (the
/// recurring Lambda and the local server's job share it).
pub fn log_report(report: &MaterializeReport) {
    for failure in &report.failures {
        tracing::warn!(
            plan_id = %failure.plan_id,
            loan_id = %failure.loan_id,
            date = %failure.date,
            code = failure.error.code(),
            error = %failure.error,
            "recurring occurrence not recorded"
        );
    }
    tracing::info!(
        as_of = %report.as_of,
        plans = report.plans,
        recorded = report.recorded,
        already_recorded = report.already_recorded,
        removed_plans = report.removed_plans,
        failures = report.failures.len(),
        "recurring repayments materialized"
    );
}
