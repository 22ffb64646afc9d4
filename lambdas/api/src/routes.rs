//! The routes: parse, call the service as the authenticated user, map.

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware as mw, Json, Router};
use chrono::NaiveDate;
use http::request::Parts;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use loansyncro_core::app::ports::{is_stale_version, LoanQuery, UserRepository};
use loansyncro_core::app::service::RepaymentFilter;
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::domain::repayment::RepaymentId;
use loansyncro_core::domain::status::LoanStatus;
use loansyncro_core::domain::user::UserId;
use tower_http::catch_panic::CatchPanicLayer;

use crate::auth::AuthError;
use crate::dto::{
    repayment_command, GroupDto, GroupedDto, LedgerOutcomeDto, LoanDto, LoanInput, LoanPage, MeDto,
    PositionDto, RepaymentDto, RepaymentInput, RepaymentListDto, RepaymentOutcomeDto,
    RepaymentUpdateInput, ScheduleDto, StatusChangeDto, StatusDto, StatusInput, SummaryDto,
    TotalsDto,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::{etag, idempotency_key, if_match, query_pairs, query_param, JsonBody};
use crate::openapi::{ErrorBody, IfMatchParam, LoanIdParam, RepaymentIdParam, ERROR_RESPONSE};
use crate::postings;
use crate::recurring::{create_plan, delete_plan, delete_plans, list_plans};
use crate::{middleware, openapi, App, Notify, Store};

/// Which routes a router serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routes {
    /// Everything (the local server, tests).
    All,
    /// `/loans/**` (the loans Lambda), plus `/me` and `/openapi.json`.
    Loans,
    /// `/repayments/**` (the repayments Lambda), plus `/me` and `/openapi.json`.
    Repayments,
}

pub(crate) fn router<S: Store, N: Notify>(app: App<S, N>, which: Routes) -> Router {
    let cors = middleware::cors(&app.config.cors);
    let timeout = app.config.request_timeout;
    let mut router = Router::new()
        .route("/me", get(me::<S, N>))
        .route("/openapi.json", get(openapi_json));
    if matches!(which, Routes::All | Routes::Loans) {
        router = router
            .route("/loans", get(list_loans::<S, N>).post(create_loan::<S, N>))
            .route(
                "/loans/{loan_id}",
                get(get_loan::<S, N>)
                    .put(update_loan::<S, N>)
                    .patch(crate::patch::patch_loan::<S, N>)
                    .delete(delete_loan::<S, N>),
            )
            .route(
                "/loans/{loan_id}/recurring",
                get(list_plans::<S, N>)
                    .post(create_plan::<S, N>)
                    .delete(delete_plans::<S, N>),
            )
            .route(
                "/loans/{loan_id}/recurring/{plan_id}",
                axum::routing::delete(delete_plan::<S, N>),
            )
            .route("/loans/{loan_id}/schedule", get(schedule::<S, N>))
            .route("/loans/{loan_id}/position", get(position::<S, N>))
            .route("/loans/{loan_id}/postings", get(postings::postings::<S, N>))
            .route("/loans/{loan_id}/status", post(set_status::<S, N>))
            .route(
                "/loans/{loan_id}/payoff",
                get(crate::quotes::payoff::<S, N>),
            )
            .route(
                "/loans/{loan_id}/what-if",
                post(crate::quotes::what_if::<S, N>),
            )
            .route("/plan", post(crate::planning::plan::<S, N>))
            .route(
                "/loans/{loan_id}/corrections",
                get(crate::corrections::list_corrections::<S, N>)
                    .post(crate::corrections::record_correction::<S, N>),
            )
            .route(
                "/loans/{loan_id}/corrections/{correction_id}",
                axum::routing::delete(crate::corrections::delete_correction::<S, N>),
            )
            .route(
                "/loans/{loan_id}/biweekly",
                get(crate::biweekly::for_loan::<S, N>),
            )
            .route("/compare/biweekly", post(crate::biweekly::compare::<S, N>))
            .route(
                "/batch/positions",
                post(crate::batch::batch_positions::<S, N>),
            )
            .route(
                "/batch/schedules",
                post(crate::batch::batch_schedules::<S, N>),
            )
            .route(
                "/loans/{loan_id}/reconcile",
                post(crate::reconcile::reconcile_statement::<S, N>),
            )
            .route(
                "/loans/mid-term",
                post(crate::timeline::create_mid_term::<S, N>),
            )
            .route(
                "/loans/{loan_id}/renewals",
                post(crate::timeline::renew::<S, N>),
            )
            .route(
                "/loans/{loan_id}/timeline",
                get(crate::timeline::timeline::<S, N>),
            );
    }
    if matches!(which, Routes::All | Routes::Repayments) {
        router = router
            .route(
                "/repayments",
                get(grouped_repayments::<S, N>).post(record_repayment::<S, N>),
            )
            .route("/repayments/summary", get(summary::<S, N>))
            .route("/repayments/loan/{loan_id}", get(loan_repayments::<S, N>))
            .route(
                "/repayments/{repayment_id}",
                axum::routing::put(update_repayment::<S, N>).delete(delete_repayment::<S, N>),
            );
    }
    router
        .fallback(|| async { ApiError::no_route() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(app)
        .layer(mw::from_fn_with_state(timeout, middleware::deadline))
        .layer(mw::from_fn(middleware::options))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(cors)
        .layer(mw::from_fn(middleware::request_id_and_log))
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

/// The authenticated caller; syncs the profile (e-mail, name) on first sight.
#[derive(Debug, Clone)]
pub(crate) struct AuthUser(pub UserId);

impl<S: Store, N: Notify> FromRequestParts<App<S, N>> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App<S, N>) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let identity = app
            .auth
            .authenticate_header(header)
            .await
            .map_err(|e| match e {
                AuthError::KeysUnavailable => ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "auth_unavailable",
                    "the identity provider's keys are unavailable, retry later",
                ),
                other => ApiError::unauthorized(other.to_string()),
            })?;
        if let Some(email) = identity.email.as_deref() {
            if app.first_sight(&identity.user_id) {
                let name = identity.name.as_deref().unwrap_or("");
                match app.service.sync_user(&identity.user_id, email, name).await {
                    Ok(_) => app.mark_seen(identity.user_id.clone()),
                    Err(e) => tracing::warn!(code = e.code(), "profile sync failed"),
                }
            }
        }
        Ok(AuthUser(identity.user_id))
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

pub(crate) fn loan_id(path: Result<Path<String>, PathRejection>) -> ApiResult<LoanId> {
    let Path(raw) = path.map_err(|_| ApiError::validation("loan_id", "is not a valid id"))?;
    Ok(LoanId::new(raw)?)
}

fn repayment_id(path: Result<Path<String>, PathRejection>) -> ApiResult<RepaymentId> {
    let Path(raw) = path.map_err(|_| ApiError::validation("repayment_id", "is not a valid id"))?;
    Ok(RepaymentId::new(raw)?)
}

pub(crate) fn date_param(
    pairs: &[(String, String)],
    name: &'static str,
) -> ApiResult<Option<NaiveDate>> {
    query_param(pairs, name)
        .map(|v| {
            let date = loansyncro_core::math::calendar::parse_iso_date(name, v)?;
            loansyncro_core::math::calendar::check_supported_date(name, date)?;
            Ok(date)
        })
        .transpose()
}

pub(crate) fn with_etag(version: u64, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

// ---------------------------------------------------------------------------------------------
// Loans
// ---------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/openapi.json", tag = "meta", operation_id = "openapi", summary = "This document",
    responses((status = 200, description = "this document", body = Object), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn openapi_json() -> Response {
    let mut response = Json(openapi::document()).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

#[utoipa::path(get, path = "/me", tag = "meta", operation_id = "me", summary = "The caller's synced profile",
    responses((status = 200, description = "the profile", body = MeDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn me<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
) -> ApiResult<Json<MeDto>> {
    let stored = UserRepository::get(app.service.store(), &user).await?;
    Ok(Json(match stored {
        Some(profile) => MeDto::from(profile),
        None => MeDto {
            id: user.into_string(),
            email: None,
            full_name: None,
            created_at: None,
        },
    }))
}

#[utoipa::path(get, path = "/loans", tag = "loans", operation_id = "listLoans",
    summary = "List the caller's loans (title search, pages)",
    params(
        ("search" = Option<String>, Query, max_length = 200, description = "case-insensitive title substring"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "page size (default 50)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses((status = 200, description = "a page of loans", body = LoanPage), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn list_loans<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<LoanPage>> {
    let pairs = query_pairs(query.as_deref())?;
    let mut q = LoanQuery::default();
    if let Some(search) = query_param(&pairs, "search") {
        q = q.with_search(search);
    }
    if let Some(limit) = query_param(&pairs, "limit") {
        let limit = limit
            .parse::<u32>()
            .map_err(|_| ApiError::validation("limit", "must be a whole number from 1 to 100"))?;
        q = q.with_limit(limit);
    }
    if let Some(cursor) = query_param(&pairs, "cursor").filter(|c| !c.is_empty()) {
        q = q.with_cursor(Some(cursor.to_owned()));
    }
    q.validate()?;
    let page = app.service.list_loans(&user, &q).await?;
    Ok(Json(LoanPage {
        items: page.items.into_iter().map(LoanDto::from).collect(),
        next_cursor: page.next_cursor,
    }))
}

#[utoipa::path(post, path = "/loans", tag = "loans", operation_id = "createLoan", summary = "Create a loan",
    request_body = LoanInput,
    responses((status = 201, description = "created (Location, ETag)", body = LoanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn create_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    JsonBody(input): JsonBody<LoanInput>,
) -> ApiResult<Response> {
    let command = input.into_command()?;
    let view = app.service.create_loan(&user, command).await?;
    let dto = LoanDto::from(view);
    let mut response = with_etag(dto.version, (StatusCode::CREATED, Json(&dto)));
    if let Ok(location) = HeaderValue::from_str(&format!("/loans/{}", dto.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/loans/{loan_id}", tag = "loans", operation_id = "getLoan",
    summary = "Get a loan (ETag = version)", params(LoanIdParam),
    responses((status = 200, description = "the loan (ETag)", body = LoanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn get_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let dto = LoanDto::from(app.service.get_loan(&user, &id).await?);
    Ok(with_etag(dto.version, Json(&dto)))
}

#[utoipa::path(put, path = "/loans/{loan_id}", tag = "loans", operation_id = "updateLoan",
    summary = "Replace a loan's terms (If-Match = ETag; mismatch 412)",
    params(LoanIdParam, IfMatchParam), request_body = LoanInput,
    responses((status = 200, description = "updated (new ETag)", body = LoanDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn update_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<LoanInput>,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let wanted = if_match(&headers)?;
    let command = input.into_command()?;
    let outcome = match wanted {
        Some(expected) => match app.service.update_loan(&user, &id, command, expected).await {
            Ok(outcome) => outcome,
            Err(e) if is_stale_version(&e) => {
                let current = app.service.get_loan(&user, &id).await?.loan.version();
                return Err(ApiError::precondition_failed(current));
            }
            Err(e) => return Err(e.into()),
        },
        None => update_latest(&app, &user, &id, command).await?,
    };
    let dto = LoanDto::from_loan(outcome.loan)?;
    Ok(with_etag(dto.version, Json(&dto)))
}

/// Attempts of a `PUT` without `If-Match` when concurrent writes keep moving the version.
const UNCONDITIONAL_PUT_ATTEMPTS: u32 = 20;

/// A `PUT` without `If-Match` applies to the latest version: a concurrent write between reading
/// the version and writing (an internal race, not the client's conflict) is retried.
async fn update_latest<S: Store, N: Notify>(
    app: &App<S, N>,
    user: &UserId,
    id: &LoanId,
    command: loansyncro_core::domain::loan::NewLoan,
) -> ApiResult<loansyncro_core::app::service::LedgerOutcome> {
    let mut last = None;
    for _ in 0..UNCONDITIONAL_PUT_ATTEMPTS {
        let expected = app.service.get_loan(user, id).await?.loan.version();
        match app
            .service
            .update_loan(user, id, command.clone(), expected)
            .await
        {
            Ok(outcome) => return Ok(outcome),
            Err(e) if is_stale_version(&e) => {
                last = Some(e);
                tokio::task::yield_now().await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Still racing after every attempt: busy, retry later (not the client's conflict).
    tracing::warn!(error = ?last, "PUT without If-Match kept losing to concurrent writes");
    Err(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        "the loan kept changing, retry later",
    ))
}

#[utoipa::path(delete, path = "/loans/{loan_id}", tag = "loans", operation_id = "deleteLoan",
    summary = "Delete a loan and its repayments", params(LoanIdParam, IfMatchParam),
    responses((status = 204, description = "deleted"), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn delete_loan<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let id = loan_id(path)?;
    // One conditional delete in the store; a stale version is 412 (see `error`).
    app.service
        .delete_loan(&user, &id, if_match(&headers)?)
        .await
        .map_err(ApiError::from_if_match)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/loans/{loan_id}/schedule", tag = "loans", operation_id = "getSchedule",
    summary = "The contractual schedule (JSON, or CSV with format=csv)",
    params(LoanIdParam, crate::exports::FormatParam),
    responses((status = 200, description = "the schedule (CSV: an attachment with a header row)",
        content((ScheduleDto = "application/json"), (String = "text/csv"))),
        (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn schedule<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let format = crate::exports::Format::of(&query_pairs(query.as_deref())?)?;
    let view = app.service.get_loan(&user, &id).await?;
    let schedule = view.loan.terms().schedule()?;
    if format == crate::exports::Format::Csv {
        let csv = crate::exports::schedule_response(id.as_str(), &schedule);
        return Ok(with_etag(view.loan.version(), csv));
    }
    let body = ScheduleDto {
        loan_id: id.into_string(),
        currency: view.loan.terms().currency(),
        installment: view.installment,
        totals: TotalsDto::from(schedule.totals()),
        installments: schedule
            .installments()
            .iter()
            .map(|row| loansyncro_core::InstallmentRecord::from(row).into())
            .collect(),
    };
    Ok(with_etag(view.loan.version(), Json(body)))
}

#[utoipa::path(get, path = "/loans/{loan_id}/position", tag = "loans", operation_id = "getPosition",
    summary = "Where the loan stands on a date (balance corrections applied)",
    params(LoanIdParam, ("as_of" = Option<NaiveDate>, Query, description = "date of the position (default today)")),
    responses((status = 200, description = "the position", body = PositionDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn position<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let pairs = query_pairs(query.as_deref())?;
    let as_of = date_param(&pairs, "as_of")?;
    let position = app.service.corrected_position(&user, &id, as_of).await?;
    let body = PositionDto::from(position);
    Ok(crate::wire::json_response(StatusCode::OK, body.to_json()))
}

#[utoipa::path(post, path = "/loans/{loan_id}/status", tag = "loans", operation_id = "setStatus",
    summary = "Mark defaulted, or cure (active)", params(LoanIdParam), request_body = StatusInput,
    responses((status = 200, description = "the status changed", body = StatusDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn set_status<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    JsonBody(input): JsonBody<StatusInput>,
) -> ApiResult<Response> {
    let id = loan_id(path)?;
    let update = match input.status {
        LoanStatus::Defaulted => app.service.set_defaulted(&user, &id).await?,
        LoanStatus::Active => app.service.cure(&user, &id).await?,
        LoanStatus::Paid => {
            return Err(ApiError::validation(
                "status",
                "a loan becomes paid by its repayments; use defaulted or active",
            ))
        }
    };
    let dto = StatusDto {
        loan: LoanDto::from_loan(update.loan)?,
        change: StatusChangeDto::from(update.change),
    };
    Ok(with_etag(dto.loan.version, Json(&dto)))
}

// ---------------------------------------------------------------------------------------------
// Repayments
// ---------------------------------------------------------------------------------------------

#[utoipa::path(get, path = "/repayments", tag = "repayments", operation_id = "groupedRepayments",
    summary = "Repayments grouped by loan, with totals and progress",
    params(("search" = Option<String>, Query, max_length = 200, description = "case-insensitive loan title substring"),
        crate::exports::FormatParam),
    responses((status = 200, description = "repayments grouped by loan (CSV: an attachment, one row per repayment)",
        content((GroupedDto = "application/json"), (String = "text/csv"))),
        (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn grouped_repayments<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let pairs = query_pairs(query.as_deref())?;
    let format = crate::exports::Format::of(&pairs)?;
    let search = query_param(&pairs, "search");
    if search.is_some_and(|s| s.chars().count() > loansyncro_core::app::ports::MAX_SEARCH_LEN) {
        return Err(ApiError::validation(
            "search",
            "must be at most 200 characters",
        ));
    }
    let groups = app.service.grouped_repayments(&user, search).await?;
    if format == crate::exports::Format::Csv {
        return Ok(crate::exports::repayments_response(&groups));
    }
    Ok(Json(GroupedDto {
        items: groups.into_iter().map(GroupDto::from).collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/repayments", tag = "repayments", operation_id = "recordRepayment",
    summary = "Record a repayment (Idempotency-Key honoured)",
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 200, pattern = "^[!-~]+$",
        description = "retries with the same key answer the first result")),
    request_body = RepaymentInput,
    responses(
        (status = 201, description = "recorded", body = RepaymentOutcomeDto),
        (status = 200, description = "an idempotent retry: the first result (Idempotent-Replayed: true)", body = RepaymentOutcomeDto),
        (status = "default", description = ERROR_RESPONSE, body = ErrorBody),
    ))]
pub(crate) async fn record_repayment<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<RepaymentInput>,
) -> ApiResult<Response> {
    let key = idempotency_key(&headers)?;
    let loan_id = LoanId::new(input.loan_id)?;
    let command = repayment_command(input.amount, input.date, input.notes, key);
    let outcome = app
        .service
        .record_repayment(&user, &loan_id, command)
        .await?;
    let replayed = outcome.replayed;
    let body = RepaymentOutcomeDto::new(outcome)?;
    let status = if replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let mut response = crate::wire::json_response(status, body.to_json());
    if replayed {
        response.headers_mut().insert(
            http::HeaderName::from_static("idempotent-replayed"),
            HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

#[utoipa::path(put, path = "/repayments/{repayment_id}", tag = "repayments", operation_id = "updateRepayment",
    summary = "Edit a repayment", params(RepaymentIdParam), request_body = RepaymentUpdateInput,
    responses((status = 200, description = "updated", body = RepaymentOutcomeDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn update_repayment<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    JsonBody(input): JsonBody<RepaymentUpdateInput>,
) -> ApiResult<Response> {
    let id = repayment_id(path)?;
    let command = repayment_command(input.amount, input.date, input.notes, None);
    let outcome = app.service.update_repayment(&user, &id, command).await?;
    let body = RepaymentOutcomeDto::new(outcome)?;
    Ok(crate::wire::json_response(StatusCode::OK, body.to_json()))
}

#[utoipa::path(delete, path = "/repayments/{repayment_id}", tag = "repayments", operation_id = "deleteRepayment",
    summary = "Delete a repayment", params(RepaymentIdParam),
    responses((status = 200, description = "deleted; the loan's new state", body = LedgerOutcomeDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn delete_repayment<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let id = repayment_id(path)?;
    let outcome = app.service.delete_repayment(&user, &id).await?;
    let body = LedgerOutcomeDto {
        loan: LoanDto::from_loan(outcome.loan)?,
        position: PositionDto::from(outcome.position),
        transition: outcome.transition.map(StatusChangeDto::from),
    };
    Ok(crate::wire::json_response(StatusCode::OK, body.to_json()))
}

#[utoipa::path(get, path = "/repayments/summary", tag = "repayments", operation_id = "dashboard",
    summary = "The dashboard: portfolio summary per currency",
    params(("as_of" = Option<NaiveDate>, Query, description = "replay every loan on this date instead of the stored aggregates")),
    responses((status = 200, description = "the dashboard", body = SummaryDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn summary<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let pairs = query_pairs(query.as_deref())?;
    let summary = match date_param(&pairs, "as_of")? {
        Some(as_of) => app.service.dashboard_as_of(&user, as_of).await?,
        None => app.service.dashboard(&user).await?,
    };
    Ok(Json(SummaryDto::from(summary)).into_response())
}

#[utoipa::path(get, path = "/repayments/loan/{loan_id}", tag = "repayments", operation_id = "loanRepayments",
    summary = "The repayments of one loan", params(LoanIdParam),
    responses((status = 200, description = "the loan's repayments", body = RepaymentListDto), (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn loan_repayments<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<RepaymentListDto>> {
    let id = loan_id(path)?;
    let list = app
        .service
        .list_repayments(&user, &RepaymentFilter::Loan(id))
        .await?;
    Ok(Json(RepaymentListDto {
        items: list.into_iter().map(RepaymentDto::from).collect(),
    }))
}
