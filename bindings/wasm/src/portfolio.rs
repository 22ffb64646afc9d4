//! `Portfolio`: the whole LoanSyncro service in memory (the synchronous facade
//! `loansyncro_memory::embedded::Tracker`) for one local user: loans, repayments, positions,
//! the per-currency summary, repayments grouped by loan and the payoff planner. Commands and
//! results cross as JSON in the core's serde forms. There is no clock in
//! `wasm32-unknown-unknown`: "today" comes from JavaScript.

use loansyncro_core::app::ports::LoanQuery;
use loansyncro_core::app::service::{PlanRequest, RepaymentFilter};
use loansyncro_core::domain::loan::{LoanId, NewLoan};
use loansyncro_core::domain::repayment::{NewRepayment, RepaymentId};
use loansyncro_core::domain::user::UserId;
use loansyncro_core::{Error, LoanTermsBuilder, Result};
use loansyncro_memory::embedded::Tracker;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::wire::{date, from_value, json, normalize_terms, to_json};

/// An in-memory portfolio of one user.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Portfolio {
    tracker: Tracker,
    user: UserId,
}

/// A loan command (`{title, description, terms}`); `terms` accepts the same spellings as
/// `LoanTerms` (free-form frequency and day count).
fn new_loan(text: &str) -> Result<NewLoan> {
    let mut v: Value = json("loan", text)?;
    if let Some(terms) = v.get_mut("terms") {
        normalize_terms(terms)?;
        // Build the terms first so that their errors name `terms.<field>`.
        let builder: LoanTermsBuilder = from_value("terms", terms.clone())?;
        builder.build().map_err(|e| match e {
            Error::Validation { field, reason } => {
                Error::validation(format!("terms.{field}"), reason)
            }
            other => other,
        })?;
    }
    from_value("", v)
}

impl Portfolio {
    /// A portfolio whose clock stands at midnight UTC of `today`, for user `user`.
    pub fn open(user: &str, today: &str) -> Result<Portfolio> {
        let tracker = Tracker::at_date(date("today", today)?);
        let user = UserId::new(user)?;
        let name = user.as_str().to_string();
        tracker.sync_user(&user, &format!("{name}@localhost"), &name)?;
        Ok(Portfolio { tracker, user })
    }

    /// Adds a loan; returns the loan view (JSON).
    pub fn add_loan_impl(&self, command: &str) -> Result<String> {
        to_json(&self.tracker.create_loan(&self.user, new_loan(command)?)?)
    }

    /// Records a repayment on a loan; returns the outcome (JSON).
    pub fn record_impl(&self, loan: &str, command: &str) -> Result<String> {
        let command: NewRepayment = json("repayment", command)?;
        to_json(
            &self
                .tracker
                .record_repayment(&self.user, &LoanId::new(loan)?, command)?,
        )
    }

    /// The per-currency summary (JSON), on today or on `as_of`.
    pub fn summary_impl(&self, as_of: Option<String>) -> Result<String> {
        match as_of {
            Some(d) => to_json(&self.tracker.summary_as_of(&self.user, date("as_of", &d)?)?),
            None => to_json(&self.tracker.summary(&self.user)?),
        }
    }

    /// The payoff plan over the user's loans (JSON of `PlanRequest` in, `PlanResult` out).
    pub fn plan_impl(&self, request: &str) -> Result<String> {
        let request: PlanRequest = json("", request)?;
        to_json(&self.tracker.plan(&self.user, &request)?)
    }
}

#[wasm_bindgen]
impl Portfolio {
    /// An empty portfolio for `user` with today's date `today` (ISO).
    #[wasm_bindgen(constructor)]
    pub fn new(user: &str, today: &str) -> Result<Portfolio, JsValue> {
        js(Self::open(user, today))
    }

    /// Moves the clock to midnight UTC of `today`.
    #[wasm_bindgen(js_name = setToday)]
    pub fn set_today(&self, today: &str) -> Result<(), JsValue> {
        js(date("today", today).map(|d| self.tracker.set_today(d)))
    }

    /// Today's date (ISO).
    pub fn today(&self) -> String {
        self.tracker.today().to_string()
    }

    /// Adds a loan: `{title, description?, terms}`.
    #[wasm_bindgen(js_name = addLoan)]
    pub fn add_loan(&self, command: &str) -> Result<String, JsValue> {
        js(self.add_loan_impl(command))
    }

    /// One loan (JSON of the loan view).
    #[wasm_bindgen(js_name = getLoan)]
    pub fn get_loan(&self, id: &str) -> Result<String, JsValue> {
        js((|| {
            to_json(&self.tracker.get_loan(&self.user, &LoanId::new(id)?)?)
        })())
    }

    /// A page of loans (`{search?, limit?, cursor?}`).
    #[wasm_bindgen(js_name = listLoans)]
    pub fn list_loans(&self, query: &str) -> Result<String, JsValue> {
        js((|| {
            let q: LoanQuery = json("query", query)?;
            to_json(&self.tracker.list_loans(&self.user, &q)?)
        })())
    }

    /// Replaces a loan's command at `expected_version` (optimistic concurrency).
    #[wasm_bindgen(js_name = updateLoan)]
    pub fn update_loan(
        &self,
        id: &str,
        command: &str,
        expected_version: f64,
    ) -> Result<String, JsValue> {
        js((|| {
            let version = crate::wire::whole("expected_version", expected_version)?;
            to_json(&self.tracker.update_loan(
                &self.user,
                &LoanId::new(id)?,
                new_loan(command)?,
                u64::from(version),
            )?)
        })())
    }

    /// Deletes a loan and its repayments.
    #[wasm_bindgen(js_name = deleteLoan)]
    pub fn delete_loan(&self, id: &str) -> Result<(), JsValue> {
        js((|| self.tracker.delete_loan(&self.user, &LoanId::new(id)?))())
    }

    /// Marks a loan defaulted.
    #[wasm_bindgen(js_name = setDefaulted)]
    pub fn set_defaulted(&self, id: &str) -> Result<String, JsValue> {
        js((|| {
            to_json(&self.tracker.set_defaulted(&self.user, &LoanId::new(id)?)?)
        })())
    }

    /// Cures a defaulted loan.
    pub fn cure(&self, id: &str) -> Result<String, JsValue> {
        js((|| {
            to_json(&self.tracker.cure(&self.user, &LoanId::new(id)?)?)
        })())
    }

    /// Records a repayment `{amount, date, notes?, idempotency_key?}` on a loan.
    #[wasm_bindgen(js_name = recordRepayment)]
    pub fn record_repayment(&self, loan: &str, command: &str) -> Result<String, JsValue> {
        js(self.record_impl(loan, command))
    }

    /// Replaces a repayment.
    #[wasm_bindgen(js_name = updateRepayment)]
    pub fn update_repayment(&self, id: &str, command: &str) -> Result<String, JsValue> {
        js((|| {
            let command: NewRepayment = json("repayment", command)?;
            to_json(
                &self
                    .tracker
                    .update_repayment(&self.user, &RepaymentId::new(id)?, command)?,
            )
        })())
    }

    /// Deletes a repayment.
    #[wasm_bindgen(js_name = deleteRepayment)]
    pub fn delete_repayment(&self, id: &str) -> Result<String, JsValue> {
        js((|| {
            to_json(
                &self
                    .tracker
                    .delete_repayment(&self.user, &RepaymentId::new(id)?)?,
            )
        })())
    }

    /// The repayments of one loan, or of every loan when `loan` is empty.
    #[wasm_bindgen(js_name = listRepayments)]
    pub fn list_repayments(&self, loan: &str) -> Result<String, JsValue> {
        js((|| {
            let filter = if loan.is_empty() {
                RepaymentFilter::All
            } else {
                RepaymentFilter::Loan(LoanId::new(loan)?)
            };
            to_json(&self.tracker.list_repayments(&self.user, &filter)?)
        })())
    }

    /// Repayments grouped by loan, optionally filtered by a title search.
    #[wasm_bindgen(js_name = groupedRepayments)]
    pub fn grouped_repayments(&self, search: Option<String>) -> Result<String, JsValue> {
        js((|| {
            to_json(
                &self
                    .tracker
                    .grouped_repayments(&self.user, search.as_deref())?,
            )
        })())
    }

    /// A loan's position on `as_of` (default today).
    pub fn position(&self, loan: &str, as_of: Option<String>) -> Result<String, JsValue> {
        js((|| {
            let as_of = as_of.map(|d| date("as_of", &d)).transpose()?;
            to_json(
                &self
                    .tracker
                    .position(&self.user, &LoanId::new(loan)?, as_of)?,
            )
        })())
    }

    /// The per-currency summary, on today or on `as_of`.
    pub fn summary(&self, as_of: Option<String>) -> Result<String, JsValue> {
        js(self.summary_impl(as_of))
    }

    /// The payoff plan over the user's unpaid loans in a currency.
    pub fn plan(&self, request: &str) -> Result<String, JsValue> {
        js(self.plan_impl(request))
    }

    /// Notifications recorded since the last call (JSON list).
    #[wasm_bindgen(js_name = takeNotifications)]
    pub fn take_notifications(&self) -> Result<String, JsValue> {
        js(to_json(&self.tracker.take_notifications()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn loans_repayments_summary_plan() {
        let p = Portfolio::open("me", "2025-01-01").unwrap();
        let loan: Value = serde_json::from_str(
            &p.add_loan_impl(
                r#"{"title":"Car","terms":{"principal":"1200","annual_rate_percent":"12","installments":12,"start":"2025-01-01"}}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(loan["installment"], "106.62");
        let id = loan["loan"]["id"].as_str().unwrap().to_string();
        p.tracker
            .set_today(chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
        let out = p
            .record_impl(&id, r#"{"amount":"106.62","date":"2025-02-01"}"#)
            .unwrap();
        assert!(out.contains(r#""paid_interest":"12.00""#));
        let s = p.summary_impl(None).unwrap();
        assert!(s.contains("USD"));
        let plan = p
            .plan_impl(r#"{"currency":"USD","monthly_budget":"500","strategy":"avalanche"}"#)
            .unwrap();
        assert!(plan.contains("months_to_debt_free"));
        let e = p
            .add_loan_impl(r#"{"title":"","terms":{"principal":"1","annual_rate_percent":"1","installments":1,"start":"2025-01-01"}}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("title"));
        let e = p
            .add_loan_impl(r#"{"title":"x","terms":{"principal":"-1","annual_rate_percent":"1","installments":1,"start":"2025-01-01"}}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("terms.principal"));
    }
}
