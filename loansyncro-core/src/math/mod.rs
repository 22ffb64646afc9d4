//! The bottom layer: exact arithmetic with no loan concepts. Money and currencies, interest
//! rates, the calendar (frequencies, day counts, due dates), the arithmetic [`kernel`] (period
//! rates, interest, level payments) and the fixed-point and exact-tie helpers it is computed
//! with. Imports nothing above it.
pub mod calendar;
pub(crate) mod exact;
pub(crate) mod fixed;
pub mod kernel;
pub mod money;
pub mod rate;
