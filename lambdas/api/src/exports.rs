//! CSV answers (`?format=csv`) of `GET /loans/{loan_id}/schedule` and `GET /repayments`:
//! RFC 4180 with a header row and CRLF line ends, written by the core's CSV export (its one
//! quoting rule, [`csv_field`]), served as `text/csv; charset=utf-8` with a
//! `Content-Disposition: attachment` file name. JSON stays the default.

use std::fmt::Write;

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue};
use loansyncro_core::domain::portfolio::LoanRepayments;
use loansyncro_core::schedule::export::{csv_field, schedule_csv};
use loansyncro_core::schedule::Schedule;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::query_param;

/// The `format` query parameter of the routes that can answer CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// JSON (the default).
    #[default]
    Json,
    /// CSV with a header row (`text/csv; charset=utf-8`, an attachment).
    Csv,
}

/// The `format` query parameter.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct FormatParam {
    /// json (default) or csv (a `text/csv` attachment with a header row).
    #[param(inline)]
    format: Option<Format>,
}

impl Format {
    /// The `format` parameter of a query (absent: JSON); anything but `json` or `csv` is a
    /// 400 naming `format`.
    pub fn of(pairs: &[(String, String)]) -> ApiResult<Format> {
        match query_param(pairs, "format") {
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv),
            Some(other) => Err(ApiError::validation(
                "format",
                format!("must be json or csv, got {other:?}"),
            )),
        }
    }
}

/// The header of [`repayments_csv`].
pub const REPAYMENTS_CSV_HEADER: &str =
    "id,loan_id,loan_title,currency,date,amount,notes,idempotency_key";

/// The repayments of `groups` as CSV, one row per repayment, loan by loan in ledger order.
pub fn repayments_csv(groups: &[LoanRepayments]) -> String {
    let mut out = String::from(REPAYMENTS_CSV_HEADER);
    out.push_str("\r\n");
    for g in groups {
        let title = csv_field(&g.title);
        for r in &g.repayments {
            let _ = write!(
                out,
                "{},{},{},{},{},{},{},{}\r\n",
                csv_field(r.id.as_str()),
                csv_field(g.loan_id.as_str()),
                title,
                g.currency.code(),
                r.date,
                r.amount,
                csv_field(&r.notes),
                csv_field(r.idempotency_key.as_deref().unwrap_or("")),
            );
        }
    }
    out
}

/// The CSV answer of a loan's schedule (`schedule-<loan id>.csv`).
pub fn schedule_response(loan_id: &str, schedule: &Schedule) -> Response {
    csv_response(&format!("schedule-{loan_id}.csv"), schedule_csv(schedule))
}

/// The CSV answer of the user's repayments (`repayments.csv`).
pub fn repayments_response(groups: &[LoanRepayments]) -> Response {
    csv_response("repayments.csv", repayments_csv(groups))
}

/// `body` as a `text/csv` attachment named `filename` (ids are `[A-Za-z0-9_-]`, so the name
/// needs no escaping; anything else is replaced by `_`).
fn csv_response(filename: &str, body: String) -> Response {
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
