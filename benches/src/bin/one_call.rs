//! Runs one solver of the reference mortgage (250,000 at 6.5% over 360 months) `N` times, for
//! instruction counts under callgrind: `one_call pmt|rate|apr N` (subtract a run with N = 1 to
//! cancel start-up; `scripts/instructions` does this).

use loansyncro_core::finance::apr::{apr_with_prepaid_finance_charge, CashFlow, UnitPeriod};
use loansyncro_core::finance::{self, When};
use rust_decimal::Decimal;
use std::hint::black_box;

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let rate = Decimal::new(65, 3) / Decimal::from(12);
    let principal = Decimal::from(250_000);
    let payment = Decimal::new(-158_017, 2);
    let terms = loansyncro_benches::mortgage();
    let advances = [CashFlow {
        date: terms.start(),
        amount: terms.principal(),
    }];
    let payments: Vec<CashFlow> = terms
        .schedule()
        .map(|s| {
            s.installments()
                .iter()
                .map(|i| CashFlow {
                    date: i.due_date(),
                    amount: i.payment(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut last = Decimal::ZERO;
    for _ in 0..n {
        let got = match which.as_str() {
            "pmt" => finance::pmt(black_box(rate), 360, principal, Decimal::ZERO, When::End),
            "rate" => finance::rate(360, black_box(payment), principal, Decimal::ZERO, When::End),
            "apr" => apr_with_prepaid_finance_charge(
                black_box(&advances),
                &payments,
                UnitPeriod::Months(1),
                Decimal::from(3000),
            ),
            _ => Ok(Decimal::ZERO),
        };
        last = got.unwrap_or_default();
    }
    println!("{which}: {last}");
}
