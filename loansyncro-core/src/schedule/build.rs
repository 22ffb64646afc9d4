//! Building terms: the fields are validated in [`crate::schedule::terms`]; what follows from
//! the schedule (the installment count of a fixed installment amount, and that the terms
//! produce a schedule at all) is settled here, above both, so that terms never call the
//! generator.

use crate::error::{Error, Result};
use crate::schedule::amortization::Schedule;
use crate::schedule::generate::generate;
use crate::schedule::terms::{AmortizationMethod, LoanTerms, LoanTermsBuilder, MAX_INSTALLMENTS};

impl LoanTermsBuilder {
    /// Validates everything and builds the terms. Every problem is an
    /// [`Error::Validation`] naming the field.
    ///
    /// ```
    /// use loansyncro_core::{AmortizationMethod, LoanTerms};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let terms = LoanTerms::builder()
    ///     .principal(dec!(1000))
    ///     .method(AmortizationMethod::FixedInstallment { amount: dec!(300) })
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build()?;
    /// assert_eq!(terms.installments(), 4); // 300 + 300 + 300 + 100
    /// let err = LoanTerms::builder().principal(dec!(-1)).build().unwrap_err();
    /// assert_eq!(err.field(), Some("principal"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn build(self) -> Result<LoanTerms> {
        self.build_with_schedule().map(|(terms, _)| terms)
    }

    /// Validates everything like [`build`](Self::build) and returns the terms together with
    /// their contractual schedule: the schedule that proves the terms valid is the one
    /// returned, so terms and schedule cost one generation (`build()?.schedule()?` costs two).
    ///
    /// ```
    /// use loansyncro_core::LoanTerms;
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    /// let (terms, schedule) = LoanTerms::builder()
    ///     .principal(dec!(250000))
    ///     .annual_rate_percent(dec!(6.5))
    ///     .installments(360)
    ///     .start(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())
    ///     .build_with_schedule()?;
    /// assert_eq!(schedule, terms.schedule()?);
    /// assert_eq!(schedule.regular_payment(), dec!(1580.17));
    /// let err = LoanTerms::builder().principal(dec!(0)).build_with_schedule().unwrap_err();
    /// assert_eq!(err.field(), Some("principal"));
    /// # Ok::<(), loansyncro_core::Error>(())
    /// ```
    pub fn build_with_schedule(self) -> Result<(LoanTerms, Schedule)> {
        let mut terms = self.validated()?;
        if let AmortizationMethod::FixedInstallment { .. } = terms.method() {
            let n = fixed_installment_count(&terms)?;
            terms = terms.with_installments(n);
        }
        // Generating proves the terms produce a schedule (dates in range, no overflow).
        let schedule = terms.schedule()?;
        Ok((terms, schedule))
    }
}

impl TryFrom<LoanTermsBuilder> for LoanTerms {
    type Error = Error;
    fn try_from(b: LoanTermsBuilder) -> Result<Self> {
        b.build()
    }
}

/// Number of installments a fixed installment amount needs (the terms carry
/// [`MAX_INSTALLMENTS`] until then).
fn fixed_installment_count(terms: &LoanTerms) -> Result<u32> {
    let s = generate(terms, None)?;
    let amount = match terms.method() {
        AmortizationMethod::FixedInstallment { amount } => amount,
        _ => return u32::try_from(s.len()).map_err(|_| Error::overflow("installments")),
    };
    let last = s
        .last()
        .ok_or_else(|| Error::validation("method.amount", "produced no installments"))?;
    if s.len() >= MAX_INSTALLMENTS as usize && last.payment() > amount {
        return Err(Error::validation(
            "method.amount",
            format!("{amount} does not repay the loan within {MAX_INSTALLMENTS} installments"),
        ));
    }
    u32::try_from(s.len()).map_err(|_| Error::overflow("installments"))
}
