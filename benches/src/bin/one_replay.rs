//! Replays the 360-installment reference loan with its 360 on-time repayments `N` times (first
//! argument, default 1), for instruction counts: `scripts/instructions` runs it under callgrind
//! with N = 1 and N = 101 and reports the difference / 100 (start-up cost cancels out).

use loansyncro_core::ledger::{position, LedgerPayment};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let terms = loansyncro_benches::mortgage();
    let Ok(schedule) = terms.schedule() else {
        return;
    };
    let paid: Vec<LedgerPayment> = schedule
        .installments()
        .iter()
        .map(|i| LedgerPayment {
            date: i.due_date(),
            amount: i.payment(),
        })
        .collect();
    let as_of = paid.last().map_or(terms.start(), |p| p.date);
    let mut closed = 0;
    for _ in 0..n {
        if let Ok(p) = position(
            std::hint::black_box(&terms),
            std::hint::black_box(&paid),
            as_of,
        ) {
            closed += usize::from(p.closed);
        }
    }
    println!("{closed}");
}
