//! repayment (in progress)
