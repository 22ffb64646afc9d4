//! Which generator runs: [`super::fast_path`] for plain annuities, else
//! [`super::general_loop`] (both in integer units over the arithmetic [`crate::math::kernel`]).

use crate::error::Result;
use crate::schedule::amortization::{ExtraPayments, Schedule, WhatIf};
use crate::schedule::fast::fast_path;
use crate::schedule::general::general_loop;
use crate::schedule::terms::LoanTerms;

impl LoanTerms {
    /// The contractual schedule.
    pub fn schedule(&self) -> Result<Schedule> {
        generate(self, None)
    }

    /// The schedule with extra payments, and the interest and installments saved.
    ///
    /// ```
    /// use loansyncro_core::{ExtraPayments, LoanTerms, Rate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate(Rate::from_percent(dec!(6.5)).unwrap())
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build().unwrap();
    /// let w = terms.what_if(&ExtraPayments::recurring(dec!(200))).unwrap();
    /// assert_eq!(w.installments_saved, 95);
    /// assert_eq!(w.interest_saved, dec!(97618.44));
    /// ```
    pub fn what_if(&self, extra: &ExtraPayments) -> Result<WhatIf> {
        extra.validate(self)?;
        let base = generate(self, None)?;
        let schedule = generate(self, Some(extra))?;
        let base_n = u32::try_from(base.len()).unwrap_or(u32::MAX);
        let new_n = u32::try_from(schedule.len()).unwrap_or(u32::MAX);
        Ok(WhatIf {
            base_totals: base.totals,
            base_installments: base_n,
            interest_saved: base.totals.interest - schedule.totals.interest,
            installments_saved: base_n.saturating_sub(new_n),
            schedule,
        })
    }
}

/// Generates a schedule, optionally with extra payments: by the fast path when it applies,
/// else by the general loop (they give identical schedules).
pub(super) fn generate(terms: &LoanTerms, extra: Option<&ExtraPayments>) -> Result<Schedule> {
    if extra.is_none() {
        if let Some(fast) = fast_path(terms)? {
            return Ok(fast);
        }
    }
    general_loop(terms, extra)
}
