//! Loan terms and the contractual schedule they produce, above [`crate::finance`]: validated
//! [`terms::LoanTerms`], amortization schedules ([`Schedule`], [`Installment`], what-if extra payments),
//! the spreadsheet carry variant, truth-in-lending disclosure and CSV export.
mod amortization;
pub mod disclosure;
pub mod export;
pub mod spreadsheet;
pub mod terms;

pub use amortization::*;
