//! `GET /loans/{loan_id}/postings`: the loan's repayments as balanced double-entry
//! transactions for accounting (beancount, hledger/ledger journal or CSV), built by the core's
//! [`loansyncro_core::ledger::postings`] from the stored loan and its repayments.
//!
//! Account names are query parameters, one per leg (`liability`, `interest`, `cash`,
//! `disbursement`, `fees`, `escrow`); each one not given defaults from `name` (default: the
//! loan's title reduced to one account component), e.g. `Liabilities:Loans:Car`. Stored
//! repayments carry no fee or escrow amounts, so the HTTP journals have no such legs (the Rust
//! and Python APIs take them per payment).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use http::{header, HeaderValue};
use loansyncro_core::app::ports::Clock;
use loansyncro_core::app::ports::CorrectionStore;
use loansyncro_core::app::service::RepaymentFilter;
use loansyncro_core::domain::loan::LoanId;
use loansyncro_core::ledger::postings::{
    adjusted_journal, check_account, default_adjustments_account, journal, Accounts, Format,
    JournalOptions, Payment, Scope,
};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};
use crate::extract::{query_pairs, query_param};
use crate::openapi::{ErrorBody, LoanIdParam, ERROR_RESPONSE};
use crate::routes::AuthUser;
use crate::{App, Notify, Store};

/// The query of `GET /loans/{loan_id}/postings`.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub(crate) struct PostingsQuery {
    /// `beancount` (default), `ledger` (hledger/ledger journal; alias `hledger`) or `csv`
    /// (`date,transaction,status,account,amount,currency,payee,narration`).
    format: Option<String>,
    /// `actual` (default: the disbursement and the repayments up to `as_of`), `planned` (the
    /// contractual schedule, pending) or `projected` (actual, then the remaining installments
    /// as projected on `as_of`, pending).
    scope: Option<String>,
    /// The journal's date (default today): later repayments are left out and the liability's
    /// balance (minus the principal outstanding) is asserted after it.
    as_of: Option<NaiveDate>,
    /// The last component of the default account names (default: the loan's title, e.g.
    /// `Car`).
    name: Option<String>,
    /// The loan's account (default `Liabilities:Loans:<name>`).
    liability: Option<String>,
    /// Interest paid (default `Expenses:Interest:<name>`).
    interest: Option<String>,
    /// The account repayments come from (default `Assets:Checking`).
    cash: Option<String>,
    /// The account the principal was paid into (default `Assets:Checking`).
    disbursement: Option<String>,
    /// Fees (default `Expenses:Fees:<name>`).
    fees: Option<String>,
    /// Escrow (default `Assets:Escrow:<name>`).
    escrow: Option<String>,
    /// Balance corrections, each its own transaction against the liability (default
    /// `Equity:Adjustments:<name>`; actual scope only, where the loan has corrections).
    adjustments: Option<String>,
}

#[utoipa::path(get, path = "/loans/{loan_id}/postings", tag = "loans", operation_id = "getPostings",
    summary = "The loan as double-entry transactions (beancount, hledger/ledger, CSV)",
    description = "Every transaction balances to the cent; the liability account ends at minus the \
principal outstanding on `as_of` (asserted in the file: `bean-check` and `hledger check` verify it).",
    params(LoanIdParam, PostingsQuery),
    responses((status = 200, description = "the journal", content(
        (String = "text/plain"),
        (String = "text/csv"))),
      (status = "default", description = ERROR_RESPONSE, body = ErrorBody)))]
pub(crate) async fn postings<S: Store, N: Notify>(
    AuthUser(user): AuthUser,
    State(app): State<App<S, N>>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    let Path(raw) = path.map_err(|_| ApiError::validation("loan_id", "is not a valid id"))?;
    let id = LoanId::new(raw)?;
    let pairs = query_pairs(query.as_deref())?;
    let format = match query_param(&pairs, "format") {
        Some(v) => Format::parse_field(v, "format")?,
        None => Format::Beancount,
    };
    let scope = match query_param(&pairs, "scope") {
        Some(v) => Scope::parse_field(v, "scope")?,
        None => Scope::Actual,
    };
    let as_of = query_param(&pairs, "as_of")
        .map(|v| {
            let date = NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| ApiError::validation("as_of", "must be a date YYYY-MM-DD"))?;
            loansyncro_core::math::calendar::check_supported_date("as_of", date)?;
            Ok::<_, ApiError>(date)
        })
        .transpose()?;
    let view = app.service.get_loan(&user, &id).await?;
    let title = view.loan.title().to_owned();
    let title_for_accounts = title.clone();
    let mut accounts = Accounts::for_loan(query_param(&pairs, "name").unwrap_or(&title));
    for (param, slot) in [
        ("liability", &mut accounts.liability),
        ("interest", &mut accounts.interest),
        ("cash", &mut accounts.cash),
        ("disbursement", &mut accounts.disbursement),
        ("fees", &mut accounts.fees),
        ("escrow", &mut accounts.escrow),
    ] {
        if let Some(name) = query_param(&pairs, param) {
            check_account(param, name)?;
            *slot = name.to_owned();
        }
    }
    let repayments = app
        .service
        .list_repayments(&user, &RepaymentFilter::Loan(id))
        .await?;
    let payments: Vec<Payment> = repayments
        .iter()
        .map(|r| Payment::new(r.date, r.amount).with_memo(r.notes.clone()))
        .collect();
    let terms = view.loan.terms();
    let options = JournalOptions {
        accounts,
        scope,
        as_of: Some(as_of.unwrap_or_else(|| app.service.clock().today().max(terms.start()))),
        payee: Some(title),
    };
    // Balance corrections (actual scope): each booked as its own transaction.
    let corrections = if scope == Scope::Actual {
        CorrectionStore::corrections_for_loan(app.service.store(), &user, view.loan.id()).await?
    } else {
        Vec::new()
    };
    let adjustments_account = match query_param(&pairs, "adjustments") {
        Some(name) => {
            check_account("adjustments", name)?;
            name.to_owned()
        }
        None => {
            default_adjustments_account(query_param(&pairs, "name").unwrap_or(&title_for_accounts))
        }
    };
    let text = if corrections.is_empty() {
        journal(terms, &payments, &options)?
    } else {
        let adjustments: Vec<_> = corrections.iter().map(|c| c.adjustment()).collect();
        adjusted_journal(
            terms,
            &payments,
            &adjustments,
            &options,
            &adjustments_account,
        )?
    }
    .render(format);
    let mut response = text.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    Ok(response)
}
