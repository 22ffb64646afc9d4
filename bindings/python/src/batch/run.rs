//! Running over the loans: threads over contiguous runs of rows.

use loansyncro_core::{Error, LoanTerms};

use super::input::TermsTable;

/// `threads`, by default every core (at least one).
pub(super) fn threads_or_default(threads: Option<usize>) -> usize {
    threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Runs `f` over `0..n` split into `threads` contiguous runs (each run gets `(first, count, part)`
/// where `part` is what `split` cut off `state` for it) and returns the runs' results in order.
pub(super) fn parallel<S, R, F>(
    n: usize,
    threads: usize,
    state: S,
    split: impl Fn(S, usize) -> (S, S),
    f: F,
) -> Vec<R>
where
    S: Send,
    R: Send,
    F: Fn(usize, usize, S) -> R + Sync,
{
    if threads <= 1 || n < 64 {
        return vec![f(0, n, state)];
    }
    let share = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let mut handles = Vec::with_capacity(threads);
        let (mut rest, mut first) = (state, 0);
        let f = &f;
        while first < n {
            let count = share.min(n - first);
            let (run, tail) = split(rest, count);
            rest = tail;
            let start = first;
            handles.push(scope.spawn(move || f(start, count, run)));
            first += count;
        }
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    })
}

/// Validated terms of every row, on `threads` threads.
pub(super) fn all_terms(table: &TermsTable<'_>, threads: usize) -> Vec<Result<LoanTerms, Error>> {
    parallel(
        table.rows,
        threads,
        (),
        |(), _| ((), ()),
        |first, count, ()| {
            (first..first + count)
                .map(|r| table.terms(r))
                .collect::<Vec<_>>()
        },
    )
    .into_iter()
    .flatten()
    .collect()
}
