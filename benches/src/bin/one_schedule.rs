//! Builds the 360-installment reference schedule `N` times (first argument, default 1), for
//! instruction counts: `scripts/instructions` runs it under callgrind with N = 1 and N = 101 and
//! reports the difference / 100 (start-up cost cancels out).

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let terms = loansyncro_benches::mortgage();
    let mut total = rust_decimal::Decimal::ZERO;
    for _ in 0..n {
        if let Ok(s) = std::hint::black_box(&terms).schedule() {
            total += s.totals().interest;
        }
    }
    println!("{total}");
}
