//! The lender's statement and the books: statement reconciliation (the core's
//! [`loansyncro_core::reconcile`]: per-line expected vs stated amounts, the lender's
//! convention, the first unexplained line), the statement importers (CSV with a column
//! mapping, OFX/QFX, Plaid's `/transactions/get` + `/liabilities/get` responses) and the
//! double-entry postings of a loan's repayments (the core's
//! [`loansyncro_core::ledger::postings`]: beancount, hledger/ledger, CSV, or the transactions
//! as JSON).
//!
//! Field names are those of the Python binding and the HTTP API (`lines[i].amount`,
//! `convention.day_count`, `first_unexplained_line`, `postings[].account`, ...). Input crosses
//! as JSON in the core's wire forms (decimal strings, `YYYY-MM-DD`; the terms too, since this
//! is its own module: `loansyncro/books`), results as JSON text. The exports exist only in the
//! `books` build (see the crate docs); the functions are compiled and tested in every build.

use chrono::NaiveDate;
use loansyncro_core::ledger::postings::{journal, Accounts, Format, Journal, JournalOptions};
use loansyncro_core::ledger::postings::{Payment, Scope};
use loansyncro_core::reconcile::{self, csv::CsvMapping, StatementLine};
use loansyncro_core::{Error, LoanTerms, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::wire::{json, terms_builder, to_json};

/// The terms of a call, from their wire form (errors name the field as `LoanTerms` does).
fn terms(text: &str) -> Result<LoanTerms> {
    terms_builder("", text)?.build()
}

/// The reconciliation as JSON: the core's `Reconciliation` (`convention`, `lines`,
/// `lines_matched`, `explained`, `first_unexplained_line`, `equally_good`,
/// `conventions_tried`, `summary`) plus `lines_total`.
///
/// ```
/// use loansyncro_wasm::books::reconcile_impl;
/// use loansyncro_wasm::wire::terms_builder;
/// let terms = terms_builder(
///     "",
///     r#"{"principal":"10000","annual_rate_percent":"6","installments":12,"start":"2025-01-01"}"#,
/// )?
/// .build()?;
/// let report = reconcile_impl(
///     &terms,
///     r#"[{"date":"2025-02-01","amount":"860.55","interest":"50.00","balance":"9189.45"}]"#,
/// )?;
/// assert!(report.contains(r#""day_count":"30/360""#));
/// assert!(report.contains(r#""lines_total":1"#));
/// let err = reconcile_impl(&terms, r#"[{"date":"2025-02-01"}]"#).unwrap_err();
/// assert_eq!(err.field(), Some("lines[0]"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn reconcile_impl(terms: &LoanTerms, lines: &str) -> Result<String> {
    let lines: Vec<StatementLine> = json("lines", lines)?;
    let report = reconcile::reconcile(terms, &lines)?;
    #[derive(Serialize)]
    struct Out<'a> {
        #[serde(flatten)]
        report: &'a reconcile::Reconciliation,
        lines_total: usize,
    }
    to_json(&Out {
        report: &report,
        lines_total: lines.len(),
    })
}

/// Statement lines from CSV text with a column mapping (JSON of the core's `CsvMapping`:
/// `date` required; `amount`, `interest`, `principal`, `balance`, `date_format` (chrono's
/// syntax, default `%Y-%m-%d`), `delimiter` (default `,`)).
pub fn csv_impl(text: &str, mapping: &str) -> Result<String> {
    let mapping: CsvMapping = json("mapping", mapping)?;
    to_json(&reconcile::csv::parse(text, &mapping)?)
}

/// Statement lines of an OFX or QFX loan statement (SGML or XML).
pub fn ofx_impl(text: &str) -> Result<String> {
    to_json(&reconcile::ofx::parse(text)?)
}

/// Statement lines of a loan account from Plaid responses (text of `/transactions/get`, and
/// optionally of `/liabilities/get`); `account_id` picks the account.
pub fn plaid_impl(
    transactions: &str,
    liabilities: Option<&str>,
    account_id: Option<&str>,
) -> Result<String> {
    to_json(&reconcile::plaid::parse(transactions, liabilities, account_id)?.lines)
}

/// A repayment to post: `{date, amount, fees?, escrow?, memo?}` (`notes` is read as `memo`,
/// as a stored repayment has it).
#[derive(Deserialize)]
struct RepaymentInput {
    date: NaiveDate,
    amount: Decimal,
    #[serde(default)]
    fees: Decimal,
    #[serde(default)]
    escrow: Decimal,
    #[serde(default)]
    memo: Option<String>,
    #[serde(default)]
    notes: Option<String>,
}

/// The account of each leg; one not given defaults from `name`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AccountsInput {
    liability: Option<String>,
    interest: Option<String>,
    cash: Option<String>,
    disbursement: Option<String>,
    fees: Option<String>,
    escrow: Option<String>,
}

/// The options of [`postings_impl`].
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PostingsOptions {
    format: Option<String>,
    scope: Option<String>,
    as_of: Option<NaiveDate>,
    name: Option<String>,
    accounts: Option<AccountsInput>,
    payee: Option<String>,
    /// `correctedPostings` only: the account of the balance adjustments.
    adjustments_account: Option<String>,
}

/// The journal of `terms` and `repayments` (JSON list) under `options` (JSON object:
/// `format`, `scope`, `as_of`, `name` (default `Loan`), `accounts`, `payee`): the rendered text
/// when `text`, else the transactions as JSON.
///
/// ```
/// use loansyncro_wasm::books::postings_impl;
/// use loansyncro_wasm::wire::terms_builder;
/// let terms = terms_builder(
///     "",
///     r#"{"principal":"1000","annual_rate_percent":"12","installments":12,"start":"2025-01-01"}"#,
/// )?
/// .build()?;
/// let paid = r#"[{"date":"2025-02-01","amount":"88.85"}]"#;
/// let csv = postings_impl(&terms, paid, r#"{"format":"csv","name":"Car"}"#, true)?;
/// assert!(csv.contains("2025-02-01,2,cleared,Expenses:Interest:Car,10.00,USD,Car,Repayment"));
/// let err = postings_impl(&terms, paid, r#"{"scope":"someday"}"#, true).unwrap_err();
/// assert_eq!(err.field(), Some("scope"));
/// # Ok::<(), loansyncro_core::Error>(())
/// ```
pub fn postings_impl(
    terms: &LoanTerms,
    repayments: &str,
    options: &str,
    text: bool,
) -> Result<String> {
    let JournalSetup {
        payments,
        options,
        format,
        adjustments_account,
        ..
    } = journal_setup(repayments, options, text)?;
    if adjustments_account.is_some() {
        return Err(Error::validation(
            "adjustments_account",
            "is an option of correctedPostings",
        ));
    }
    let j: Journal = journal(terms, &payments, &options).map_err(renamed_payments)?;
    if text {
        Ok(j.render(format))
    } else {
        to_json(&j.transactions)
    }
}

/// The core names the list `payments`; here it is the argument `repayments`.
pub(crate) fn renamed_payments(e: Error) -> Error {
    match e {
        Error::Validation { field, reason } => match field.strip_prefix("payments[") {
            Some(rest) => Error::validation(format!("repayments[{rest}"), reason),
            None => Error::Validation { field, reason },
        },
        other => other,
    }
}

/// What a postings call's arguments give.
pub(crate) struct JournalSetup {
    pub(crate) payments: Vec<Payment>,
    pub(crate) options: JournalOptions,
    /// Beancount unless rendering text in a given format.
    pub(crate) format: Format,
    /// The loan's name (default `Loan`).
    pub(crate) name: String,
    /// `correctedPostings`' option.
    pub(crate) adjustments_account: Option<String>,
}

/// The repayments, journal options, format (beancount unless `text` and given), the loan's
/// name and the `adjustments_account` option of a postings call.
pub(crate) fn journal_setup(repayments: &str, options: &str, text: bool) -> Result<JournalSetup> {
    let given: Vec<RepaymentInput> = json("repayments", repayments)?;
    let o: PostingsOptions = json("options", options)?;
    let format = match &o.format {
        Some(f) if text => Format::parse_field(f, "format")?,
        _ => Format::Beancount,
    };
    let name = o.name.as_deref().unwrap_or("Loan").to_owned();
    let mut accounts = Accounts::for_loan(&name);
    let a = o.accounts.unwrap_or_default();
    for (slot, value) in [
        (&mut accounts.liability, a.liability),
        (&mut accounts.interest, a.interest),
        (&mut accounts.cash, a.cash),
        (&mut accounts.disbursement, a.disbursement),
        (&mut accounts.fees, a.fees),
        (&mut accounts.escrow, a.escrow),
    ] {
        if let Some(v) = value {
            *slot = v;
        }
    }
    let options = JournalOptions {
        accounts,
        scope: match &o.scope {
            Some(s) => Scope::parse_field(s, "scope")?,
            None => Scope::Actual,
        },
        as_of: o.as_of,
        payee: Some(o.payee.unwrap_or_else(|| name.clone())),
    };
    let payments: Vec<Payment> = given
        .into_iter()
        .map(|r| {
            let mut p = Payment::new(r.date, r.amount)
                .with_fees(r.fees)
                .with_escrow(r.escrow);
            if let Some(m) = r.memo.or(r.notes) {
                p = p.with_memo(m);
            }
            p
        })
        .collect();
    Ok(JournalSetup {
        payments,
        options,
        format,
        name,
        adjustments_account: o.adjustments_account,
    })
}

/// Reconciles a lender's statement (`lines`: JSON list of `{date, amount, interest?,
/// principal?, balance?}`) with the terms (JSON wire form).
#[cfg_attr(feature = "books", wasm_bindgen(js_name = reconcileStatement))]
pub fn reconcile_statement(terms_json: &str, lines: &str) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| reconcile_impl(&t, lines)))
}

/// See [`csv_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = statementFromCsv))]
pub fn statement_from_csv(text: &str, mapping: &str) -> Result<String, JsValue> {
    js(csv_impl(text, mapping))
}

/// See [`ofx_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = statementFromOfx))]
pub fn statement_from_ofx(text: &str) -> Result<String, JsValue> {
    js(ofx_impl(text))
}

/// See [`plaid_impl`].
#[cfg_attr(feature = "books", wasm_bindgen(js_name = statementFromPlaid))]
pub fn statement_from_plaid(
    transactions: &str,
    liabilities: Option<String>,
    account_id: Option<String>,
) -> Result<String, JsValue> {
    js(plaid_impl(
        transactions,
        liabilities.as_deref(),
        account_id.as_deref(),
    ))
}

/// See [`postings_impl`] (the terms as their JSON wire form).
#[cfg_attr(feature = "books", wasm_bindgen(js_name = postingsOf))]
pub fn postings_of(
    terms_json: &str,
    repayments: &str,
    options: &str,
    text: bool,
) -> Result<String, JsValue> {
    js(terms(terms_json).and_then(|t| postings_impl(&t, repayments, options, text)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn terms(text: &str) -> LoanTerms {
        super::terms(text).unwrap()
    }

    const TEN_K: &str =
        r#"{"principal":"10000","annual_rate_percent":"6","installments":12,"start":"2025-01-01"}"#;

    #[test]
    fn reconcile_finds_the_lenders_day_count() {
        let t = terms(TEN_K);
        let lines = r#"[
          {"date":"2025-02-01","amount":"860.55","interest":"50.96","principal":"809.59","balance":"9190.41"},
          {"date":"2025-03-01","amount":"860.55","interest":"42.30","principal":"818.25","balance":"8372.16"},
          {"date":"2025-04-01","amount":"860.55","interest":"42.66","principal":"817.89","balance":"7554.27"}]"#;
        let out: serde_json::Value =
            serde_json::from_str(&reconcile_impl(&t, lines).unwrap()).unwrap();
        assert_eq!(out["explained"], true);
        assert_eq!(out["convention"]["day_count"], "actual/365F");
        assert_eq!(out["lines_matched"], 3);
        assert_eq!(out["lines_total"], 3);
        assert_eq!(out["first_unexplained_line"], serde_json::Value::Null);
        assert_eq!(out["lines"][1]["interest"]["expected"], "42.30");
        assert_eq!(out["lines"][1]["line"], 2);
        assert_eq!(out["lines"][1]["date"], "2025-03-01");
        let e = reconcile_impl(&t, r#"[{"date":"2025-02-01","amount":"x"}]"#).unwrap_err();
        assert_eq!(e.field(), Some("lines[0].amount"));
        let e = reconcile_impl(&t, r#"[{"date":"2024-02-01","amount":"1"}]"#).unwrap_err();
        assert_eq!(e.field(), Some("lines[0].date"));
    }

    #[test]
    fn importers_name_the_bad_place() {
        let lines = csv_impl(
            "Posted,Payment,Interest\n02/01/2025,\"$1,027.29\",50.00\n",
            r#"{"date":"Posted","amount":"Payment","interest":"Interest","date_format":"%m/%d/%Y"}"#,
        )
        .unwrap();
        assert_eq!(
            lines,
            r#"[{"date":"2025-02-01","amount":"1027.29","interest":"50.00","principal":null,"balance":null}]"#
        );
        let e = csv_impl("Posted\n2025-13-01\n", r#"{"date":"Posted"}"#).unwrap_err();
        assert_eq!(e.field(), Some("csv line 2: Posted"));
        let e = csv_impl("a\n", r#"{"date":"a","colour":"x"}"#).unwrap_err();
        assert_eq!(e.field(), Some("mapping"));
        assert_eq!(ofx_impl("nothing").unwrap_err().field(), Some("ofx"));
        assert_eq!(
            plaid_impl("{}", None, None).unwrap_err().field(),
            Some("plaid transactions")
        );
    }

    #[test]
    fn postings_balance_and_name_the_repayment() {
        let t = terms(
            r#"{"principal":"1000","annual_rate_percent":"12","installments":12,"start":"2025-01-01"}"#,
        );
        let paid = r#"[{"date":"2025-02-01","amount":"88.85","escrow":"25"}]"#;
        let j: serde_json::Value =
            serde_json::from_str(&postings_impl(&t, paid, r#"{"name":"Car"}"#, false).unwrap())
                .unwrap();
        let legs = &j[1]["postings"];
        assert_eq!(j[1]["kind"], "repayment");
        assert_eq!(legs[0]["account"], "Liabilities:Loans:Car");
        assert_eq!(legs[0]["amount"], "78.85");
        assert_eq!(legs[1]["amount"], "10.00");
        assert_eq!(legs[2]["account"], "Assets:Escrow:Car");
        assert_eq!(legs[3]["amount"], "-113.85");
        let text = postings_impl(&t, paid, r#"{"name":"Car","format":"ledger"}"#, true).unwrap();
        assert!(text.contains("2025-02-01 * Car | Repayment"), "{text}");
        let e = postings_impl(
            &t,
            r#"[{"date":"2025-02-01","amount":"88.85","fees":"-1"}]"#,
            "{}",
            true,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("repayments[0].fees"));
        let e = postings_impl(&t, "[]", r#"{"accounts":{"cash":"Checking"}}"#, true).unwrap_err();
        assert_eq!(e.field(), Some("accounts.cash"));
        let e = postings_impl(&t, "[]", r#"{"format":"xls"}"#, true).unwrap_err();
        assert_eq!(e.field(), Some("format"));
    }
}
