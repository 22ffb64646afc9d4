//! Loan terms and the contractual schedule they produce, above [`crate::finance`]: validated
//! [`LoanTerms`](terms::LoanTerms), amortization schedules ([`Schedule`], [`Installment`],
//! what-if extra payments), the spreadsheet carry variant, truth-in-lending disclosure and CSV
//! export.
//!
//! Inside, one job a file: `terms` (the fields, validated), `build` (what the builder settles
//! by generating), `amortization` (the schedule's types), `generate` (which generator runs),
//! `engine` (the terms in integer units, level installments), `general` (the period loop in
//! named steps), `fast` (plain annuities in 64-bit integers) and `spreadsheet` (the textbook
//! table). The arithmetic itself is [`crate::math::kernel`]'s.
mod amortization;
pub mod biweekly;
mod build;
pub mod disclosure;
mod engine;
pub mod entry;
pub mod events;
pub mod export;
mod fast;
mod general;
mod generate;
pub mod spreadsheet;
pub mod terms;

pub use amortization::*;
pub use fast::fast_path;
pub use general::general_loop;
