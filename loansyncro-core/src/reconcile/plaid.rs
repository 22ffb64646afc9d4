//! Statement lines from the JSON of Plaid's `/transactions/get` response, with the loan from
//! its `/liabilities/get` response (the shapes of Plaid's published API reference; no network).
//!
//! Plaid reports money leaving an account as a positive `amount`, so a payment into a loan
//! account is negative: it becomes a line paying `-amount`. A positive amount on the loan
//! account (a charge: a fee, interest posted) becomes a line without a payment whose principal
//! is minus the charge, so it raises the balance and the reconciliation flags it. Pending
//! transactions are skipped; lines come out in date order (Plaid lists newest first). Plaid
//! does not split a payment into principal and interest, so the lines carry the amount only;
//! the liability gives the loan's terms as Plaid knows them ([`PlaidLoan`]).
//!
//! Amounts are JSON numbers in Plaid's responses: each is read from its shortest decimal form
//! (`2307.21`), exactly, and more decimals than the currency is an error.
//!
//! ```
//! use loansyncro_core::reconcile::plaid;
//! use rust_decimal_macros::dec;
//! let transactions = r#"{"accounts": [], "total_transactions": 2, "transactions": [
//!   {"account_id": "loan-1", "amount": -1027.29, "date": "2025-03-01", "pending": false,
//!    "name": "MORTGAGE PAYMENT", "transaction_id": "t2", "iso_currency_code": "USD"},
//!   {"account_id": "loan-1", "amount": -1027.29, "date": "2025-02-01", "pending": false,
//!    "name": "MORTGAGE PAYMENT", "transaction_id": "t1", "iso_currency_code": "USD"}]}"#;
//! let statement = plaid::parse(transactions, None, None)?;
//! assert_eq!(statement.account_id, "loan-1");
//! assert_eq!(statement.lines.len(), 2);
//! assert_eq!(statement.lines[0].date.to_string(), "2025-02-01");
//! assert_eq!(statement.lines[0].amount, dec!(1027.29));
//! # Ok::<(), loansyncro_core::Error>(())
//! ```

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use super::fields;
use super::StatementLine;
use crate::error::{Error, Result};

/// A loan account's lines and what the liability says about the loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaidStatement {
    /// The loan account the lines are from.
    pub account_id: String,
    /// Its posted transactions as statement lines, in date order.
    pub lines: Vec<StatementLine>,
    /// The liability of that account, when a `/liabilities/get` response was given.
    pub loan: Option<PlaidLoan>,
}

/// The loan as Plaid's liabilities response describes it (mortgage or student loan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaidLoan {
    /// `mortgage` or `student`.
    pub kind: String,
    /// `origination_principal_amount`.
    pub origination_principal: Option<Decimal>,
    /// The interest rate in percent (`interest_rate.percentage` of a mortgage,
    /// `interest_rate_percentage` of a student loan).
    pub rate_percent: Option<Decimal>,
    /// `origination_date`.
    #[serde(
        default,
        deserialize_with = "crate::math::calendar::deserialize_opt_iso_date"
    )]
    pub origination_date: Option<NaiveDate>,
    /// The account's current balance (`accounts[].balances.current`).
    pub current_balance: Option<Decimal>,
    /// `next_monthly_payment` (mortgage) or `minimum_payment_amount` (student).
    pub payment: Option<Decimal>,
}

/// The lines of one loan account from a `/transactions/get` response, and its liability from
/// a `/liabilities/get` response if given. `account_id` picks the account; without it, the
/// only liability's account, else the only account the transactions are on.
///
/// Errors: [`Error::Validation`] on `plaid transactions` / `plaid liabilities` for text that is
/// not JSON of that shape (with the JSON line and column), on `plaid transactions[i].FIELD` for
/// a bad value, on `account_id` when the account is ambiguous or has no posted transactions.
pub fn parse(
    transactions: &str,
    liabilities: Option<&str>,
    account_id: Option<&str>,
) -> Result<PlaidStatement> {
    let tx: Value = json(transactions, "plaid transactions")?;
    let Some(list) = tx.get("transactions").and_then(Value::as_array) else {
        return Err(Error::validation(
            "plaid transactions",
            "has no \"transactions\" array (a /transactions/get response)",
        ));
    };
    let loans = match liabilities {
        Some(text) => loans_of(&json(text, "plaid liabilities")?)?,
        None => Vec::new(),
    };
    let account = match account_id {
        Some(id) => id.to_string(),
        None => pick_account(list, &loans)?,
    };
    let mut lines = Vec::new();
    for (i, t) in list.iter().enumerate() {
        if t.get("account_id").and_then(Value::as_str) != Some(account.as_str()) {
            continue;
        }
        if t.get("pending").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let field = |name: &str| format!("plaid transactions[{i}].{name}");
        let date_text = t
            .get("date")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::validation(field("date"), "is missing (a YYYY-MM-DD string)"))?;
        let date = fields::date(date_text, "%Y-%m-%d", &field("date"))?;
        let amount = t
            .get("amount")
            .ok_or_else(|| Error::validation(field("amount"), "is missing"))
            .and_then(|v| number(v, &field("amount")))?;
        lines.push(if amount <= Decimal::ZERO {
            StatementLine {
                date,
                amount: -amount,
                interest: None,
                principal: None,
                balance: None,
            }
        } else {
            StatementLine {
                date,
                amount: Decimal::ZERO,
                interest: None,
                principal: Some(-amount),
                balance: None,
            }
        });
    }
    if lines.is_empty() {
        return Err(Error::validation(
            "account_id",
            format!("account {account:?} has no posted transactions in the response"),
        ));
    }
    lines.sort_by_key(|l| l.date);
    let loan = loans
        .into_iter()
        .find(|(id, _)| *id == account)
        .map(|(_, l)| l);
    let loan = match loan {
        Some(mut l) => {
            l.current_balance = current_balance(&tx, &account)?;
            Some(l)
        }
        None => None,
    };
    Ok(PlaidStatement {
        account_id: account,
        lines,
        loan,
    })
}

fn json(text: &str, field: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::validation(
            field,
            format!(
                "is not JSON (line {}, column {}: {e})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// An amount: a JSON number read from its shortest decimal form, or a decimal string.
fn number(v: &Value, field: &str) -> Result<Decimal> {
    match v {
        Value::Number(n) => fields::amount(&n.to_string(), field),
        Value::String(s) => fields::amount(s, field),
        _ => Err(Error::validation(field, "is not a number")),
    }
}

fn optional_number(v: &Value, key: &str, field: &str) -> Result<Option<Decimal>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => number(x, &format!("{field}.{key}")).map(Some),
    }
}

/// The account ids and loans of a liabilities response's mortgages and student loans.
fn loans_of(v: &Value) -> Result<Vec<(String, PlaidLoan)>> {
    let Some(liabilities) = v.get("liabilities") else {
        return Err(Error::validation(
            "plaid liabilities",
            "has no \"liabilities\" object (a /liabilities/get response)",
        ));
    };
    let mut out = Vec::new();
    for kind in ["mortgage", "student"] {
        let Some(list) = liabilities.get(kind).and_then(Value::as_array) else {
            continue;
        };
        for (i, l) in list.iter().enumerate() {
            let field = format!("plaid liabilities.{kind}[{i}]");
            let Some(id) = l.get("account_id").and_then(Value::as_str) else {
                return Err(Error::validation(
                    format!("{field}.account_id"),
                    "is missing",
                ));
            };
            let rate_percent = match kind {
                "mortgage" => match l.get("interest_rate") {
                    Some(r) => optional_number(r, "percentage", &format!("{field}.interest_rate"))?,
                    None => None,
                },
                _ => optional_number(l, "interest_rate_percentage", &field)?,
            };
            let origination_date = match l.get("origination_date").and_then(Value::as_str) {
                Some(d) => Some(fields::date(
                    d,
                    "%Y-%m-%d",
                    &format!("{field}.origination_date"),
                )?),
                None => None,
            };
            let payment_key = if kind == "mortgage" {
                "next_monthly_payment"
            } else {
                "minimum_payment_amount"
            };
            out.push((
                id.to_string(),
                PlaidLoan {
                    kind: kind.to_string(),
                    origination_principal: optional_number(
                        l,
                        "origination_principal_amount",
                        &field,
                    )?,
                    rate_percent,
                    origination_date,
                    current_balance: None,
                    payment: optional_number(l, payment_key, &field)?,
                },
            ));
        }
    }
    Ok(out)
}

/// The only liability's account, else the only account the transactions are on.
fn pick_account(list: &[Value], loans: &[(String, PlaidLoan)]) -> Result<String> {
    if let [(id, _)] = loans {
        return Ok(id.clone());
    }
    let mut ids: Vec<&str> = list
        .iter()
        .filter_map(|t| t.get("account_id").and_then(Value::as_str))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [one] => Ok((*one).to_string()),
        [] => Err(Error::validation(
            "account_id",
            "the transactions name no account",
        )),
        many => Err(Error::validation(
            "account_id",
            format!("the response has {} accounts: name the loan's", many.len()),
        )),
    }
}

/// `balances.current` of the account in the response's `accounts`, if present.
fn current_balance(tx: &Value, account: &str) -> Result<Option<Decimal>> {
    let Some(accounts) = tx.get("accounts").and_then(Value::as_array) else {
        return Ok(None);
    };
    for (i, a) in accounts.iter().enumerate() {
        if a.get("account_id").and_then(Value::as_str) == Some(account) {
            if let Some(b) = a.get("balances") {
                return optional_number(b, "current", &format!("plaid accounts[{i}].balances"));
            }
        }
    }
    Ok(None)
}
