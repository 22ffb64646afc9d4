//! Benchmarks for LoanSyncro (see benches/).
