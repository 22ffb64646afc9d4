#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::ledger::position;
use crate::math::rate::Rate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// 1000 at 12%, 12 monthly installments of 88.85 from 2025-01-01 (30/360: 1% a month).
fn car() -> LoanTerms {
    LoanTerms::builder()
        .principal(dec!(1000))
        .annual_rate(Rate::from_percent(dec!(12)).unwrap())
        .installments(12)
        .start(d(2025, 1, 1))
        .build()
        .unwrap()
}

fn legs(t: &Transaction) -> Vec<(&str, Decimal)> {
    t.postings
        .iter()
        .map(|p| (p.account.as_str(), p.amount))
        .collect()
}

#[test]
fn repayments_split_into_principal_and_interest_with_fee_and_escrow_legs() {
    let paid = [
        Payment::new(d(2025, 3, 1), dec!(88.85))
            .with_fees(dec!(5))
            .with_memo("March"),
        Payment::new(d(2025, 2, 1), dec!(88.85)).with_escrow(dec!(25.50)),
    ];
    let j = journal(
        &car(),
        &paid,
        &JournalOptions::new(Accounts::for_loan("Car")),
    )
    .unwrap();
    assert_eq!(j.currency, "USD");
    assert_eq!(j.transactions.len(), 3);
    let t = &j.transactions;
    assert_eq!((t[0].date, t[0].kind), (d(2025, 1, 1), Kind::Disbursement));
    assert_eq!(
        legs(&t[0]),
        [
            ("Assets:Checking", dec!(1000.00)),
            ("Liabilities:Loans:Car", dec!(-1000.00))
        ]
    );
    assert_eq!(
        (t[1].date, t[1].narration.as_str()),
        (d(2025, 2, 1), "Repayment")
    );
    assert_eq!(
        legs(&t[1]),
        [
            ("Liabilities:Loans:Car", dec!(78.85)),
            ("Expenses:Interest:Car", dec!(10.00)),
            ("Assets:Escrow:Car", dec!(25.50)),
            ("Assets:Checking", dec!(-114.35)),
        ]
    );
    assert_eq!(t[2].narration, "Repayment: March");
    assert_eq!(
        legs(&t[2]),
        [
            ("Liabilities:Loans:Car", dec!(79.64)),
            ("Expenses:Interest:Car", dec!(9.21)),
            ("Expenses:Fees:Car", dec!(5.00)),
            ("Assets:Checking", dec!(-93.85)),
        ]
    );
    assert_eq!(
        (j.closing_date, j.closing_balance),
        (d(2025, 3, 2), dec!(-841.51))
    );
    let pos = position(&car(), &[], d(2025, 1, 1)).unwrap();
    assert_eq!(pos.principal_outstanding, dec!(1000.00));
}

#[test]
fn beancount_output_is_exact() {
    let paid = [Payment::new(d(2025, 2, 1), dec!(88.85)).with_escrow(dec!(25.50))];
    let j = journal(
        &car(),
        &paid,
        &JournalOptions::new(Accounts::for_loan("Car")),
    )
    .unwrap();
    let expected = "\
option \"operating_currency\" \"USD\"

2025-01-01 open Liabilities:Loans:Car USD
2025-01-01 open Assets:Checking USD
2025-01-01 open Expenses:Interest:Car USD
2025-01-01 open Assets:Escrow:Car USD

2025-01-01 * \"Car\" \"Loan disbursement\"
  Assets:Checking           1000.00 USD
  Liabilities:Loans:Car    -1000.00 USD

2025-02-01 * \"Car\" \"Repayment\"
  Liabilities:Loans:Car       78.85 USD
  Expenses:Interest:Car       10.00 USD
  Assets:Escrow:Car           25.50 USD
  Assets:Checking           -114.35 USD

2025-02-02 balance Liabilities:Loans:Car -921.15 ~ 0.00 USD
";
    assert_eq!(j.to_beancount(), expected);
}

#[test]
fn ledger_and_csv_output_are_exact() {
    let paid = [Payment::new(d(2025, 2, 1), dec!(88.85)).with_memo("a, \"b\"; c")];
    let j = journal(
        &car(),
        &paid,
        &JournalOptions::new(Accounts::for_loan("Car")),
    )
    .unwrap();
    let expected = "\
commodity 1000.00 USD
account Liabilities:Loans:Car
account Assets:Checking
account Expenses:Interest:Car

2025-01-01 * Car | Loan disbursement
    Assets:Checking           1000.00 USD
    Liabilities:Loans:Car    -1000.00 USD

2025-02-01 * Car | Repayment: a, \"b\", c
    Liabilities:Loans:Car       78.85 USD
    Expenses:Interest:Car       10.00 USD
    Assets:Checking            -88.85 USD

2025-02-02 * Car | Closing balance
    Liabilities:Loans:Car        0.00 USD = -921.15 USD
";
    assert_eq!(j.to_ledger(), expected);
    let expected = "\
date,transaction,status,account,amount,currency,payee,narration
2025-01-01,1,cleared,Assets:Checking,1000.00,USD,Car,Loan disbursement
2025-01-01,1,cleared,Liabilities:Loans:Car,-1000.00,USD,Car,Loan disbursement
2025-02-01,2,cleared,Liabilities:Loans:Car,78.85,USD,Car,\"Repayment: a, \"\"b\"\"; c\"
2025-02-01,2,cleared,Expenses:Interest:Car,10.00,USD,Car,\"Repayment: a, \"\"b\"\"; c\"
2025-02-01,2,cleared,Assets:Checking,-88.85,USD,Car,\"Repayment: a, \"\"b\"\"; c\"
";
    assert_eq!(j.to_csv(), expected);
    assert_eq!(j.render(Format::Csv), j.to_csv());
}

#[test]
fn planned_scope_posts_the_schedule_and_ends_at_zero() {
    let mut o = JournalOptions::new(Accounts::for_loan("Car"));
    o.scope = Scope::Planned;
    let j = journal(&car(), &[], &o).unwrap();
    assert_eq!(j.transactions.len(), 13);
    let last = &j.transactions[12];
    assert!(last.pending);
    assert_eq!(
        (last.date, last.narration.as_str()),
        (d(2026, 1, 1), "Installment 12")
    );
    assert_eq!(
        legs(last),
        [
            ("Liabilities:Loans:Car", dec!(87.96)),
            ("Expenses:Interest:Car", dec!(0.88)),
            ("Assets:Checking", dec!(-88.84)),
        ]
    );
    assert_eq!(
        (j.closing_date, j.closing_balance),
        (d(2026, 1, 2), dec!(0.00))
    );
    assert!(j
        .to_beancount()
        .contains("2026-01-01 ! \"Car\" \"Installment 12\""));
}

#[test]
fn projected_scope_continues_after_the_repayments() {
    let mut o = JournalOptions::new(Accounts::for_loan("Car"));
    o.scope = Scope::Projected;
    o.as_of = Some(d(2025, 2, 10));
    let paid = [
        Payment::new(d(2025, 2, 1), dec!(88.85)),
        Payment::new(d(2025, 3, 1), dec!(88.85)),
    ];
    let j = journal(&car(), &paid, &o).unwrap();
    // The disbursement, the one repayment up to as_of, the 11 remaining installments.
    assert_eq!(j.transactions.len(), 13);
    assert!(!j.transactions[1].pending && j.transactions[2].pending);
    assert_eq!(j.transactions[2].date, d(2025, 3, 1));
    assert_eq!(j.closing_balance, dec!(0.00));
}

#[test]
fn bad_input_names_the_field() {
    let o = JournalOptions::new(Accounts::for_loan("Car"));
    let bad = |p: Vec<Payment>| journal(&car(), &p, &o).unwrap_err();
    let e = bad(vec![
        Payment::new(d(2025, 2, 1), dec!(10)),
        Payment::new(d(2025, 3, 1), dec!(-1)),
    ]);
    assert_eq!(e.field(), Some("payments[1].amount"));
    let e = bad(vec![
        Payment::new(d(2025, 2, 1), dec!(10)).with_fees(dec!(-1))
    ]);
    assert_eq!(e.field(), Some("payments[0].fees"));
    let e = bad(vec![
        Payment::new(d(2025, 2, 1), dec!(10)).with_escrow(dec!(0.001))
    ]);
    assert_eq!(e.field(), Some("payments[0].escrow"));
    let e = bad(vec![Payment::new(d(2024, 2, 1), dec!(10))]);
    assert_eq!(e.field(), Some("payments[0].date"));
    let e = bad(vec![Payment::new(d(2025, 2, 1), dec!(5000))]);
    assert!(matches!(e, Error::Overpayment { .. }), "{e:?}");
    let mut o = JournalOptions::new(Accounts::for_loan("Car"));
    o.as_of = Some(d(2024, 12, 31));
    assert_eq!(journal(&car(), &[], &o).unwrap_err().field(), Some("as_of"));
    o.as_of = None;
    o.accounts.cash = "Checking".to_owned();
    assert_eq!(
        journal(&car(), &[], &o).unwrap_err().field(),
        Some("accounts.cash")
    );
}

#[test]
fn scope_names_parse() {
    assert_eq!(
        Scope::parse_field("schedule", "scope").ok(),
        Some(Scope::Planned)
    );
    assert_eq!(
        Scope::parse_field("bogus", "scope").unwrap_err().field(),
        Some("scope")
    );
}

fn check_invariants(terms: &LoanTerms, paid: &[Payment], j: &Journal, as_of: NaiveDate) {
    let liability = &j.accounts.liability;
    let mut balance = Decimal::ZERO;
    for t in &j.transactions {
        let sum: Decimal = t.postings.iter().map(|p| p.amount).sum();
        assert_eq!(sum, Decimal::ZERO, "{t:?}");
        for p in &t.postings {
            assert_eq!(p.amount.scale(), j.scale);
            assert!(!p.amount.is_zero());
        }
        balance += t.amount_of(liability);
    }
    assert_eq!(balance, j.closing_balance);
    let ledger: Vec<_> = paid
        .iter()
        .map(|p| crate::ledger::LedgerPayment {
            date: p.date,
            amount: p.amount,
        })
        .collect();
    let pos = position(terms, &ledger, as_of).unwrap();
    assert_eq!(j.closing_balance, -pos.principal_outstanding);
    let repayments: Vec<_> = j
        .transactions
        .iter()
        .filter(|t| t.kind == Kind::Repayment)
        .collect();
    assert_eq!(repayments.len(), paid.len());
    let cash: Decimal = repayments
        .iter()
        .map(|t| t.amount_of(&j.accounts.cash))
        .sum();
    let paid_total: Decimal = paid.iter().map(|p| p.amount + p.fees + p.escrow).sum();
    assert_eq!(cash, -paid_total);
    let interest: Decimal = repayments
        .iter()
        .map(|t| t.amount_of(&j.accounts.interest))
        .sum();
    assert_eq!(interest, pos.paid_interest);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Every transaction sums to zero; the liability ends at minus the principal outstanding;
    /// the cash legs are the payments and the interest legs the interest the replay applied.
    #[test]
    fn journals_balance_and_end_at_the_outstanding_principal(
        principal in 100i64..5_000_000,
        rate in 0u32..2500,
        n in 1u32..60,
        daily in any::<bool>(),
        pays in prop::collection::vec((1u64..400, 1u32..150, 0i64..500, 0i64..500), 0..12),
    ) {
        let terms = LoanTerms::builder()
            .principal(Decimal::new(principal, 2))
            .annual_rate(Rate::from_percent(Decimal::new(i64::from(rate), 2)).unwrap())
            .installments(n)
            .start(d(2024, 1, 31))
            .accrual(if daily { crate::Accrual::Daily } else { crate::Accrual::Scheduled })
            .build()
            .unwrap();
        let installment = terms.schedule().unwrap().installments()[0].payment();
        let mut paid = Vec::new();
        for (days, pct, fee, escrow) in pays {
            let amount = (installment * Decimal::from(pct) / dec!(100)).round_dp(2).max(dec!(0.01));
            let p = Payment::new(d(2024, 1, 31) + chrono::Days::new(days * 3), amount)
                .with_fees(Decimal::new(fee, 2))
                .with_escrow(Decimal::new(escrow, 2));
            let mut with = paid.clone();
            with.push(p);
            if journal(&terms, &with, &JournalOptions::new(Accounts::for_loan("P"))).is_ok() {
                paid = with;
            }
        }
        let j = journal(&terms, &paid, &JournalOptions::new(Accounts::for_loan("P"))).unwrap();
        let as_of = paid.iter().map(|p| p.date).max().unwrap_or(terms.start());
        check_invariants(&terms, &paid, &j, as_of);
        for scope in [Scope::Planned, Scope::Projected] {
            let mut o = JournalOptions::new(Accounts::for_loan("P"));
            o.scope = scope;
            let j = journal(&terms, &paid, &o).unwrap();
            prop_assert_eq!(j.closing_balance, Decimal::ZERO);
            for t in &j.transactions {
                prop_assert_eq!(t.postings.iter().map(|p| p.amount).sum::<Decimal>(), Decimal::ZERO);
            }
        }
    }
}

#[test]
fn capitalized_interest_is_booked_on_the_liability() {
    // A 1/1 ARM whose capped payment does not cover the interest from installment 13.
    let terms = LoanTerms::builder()
        .principal(dec!(96400))
        .annual_rate(Rate::from_percent(dec!(4.75)).unwrap())
        .installments(360)
        .start(d(2024, 1, 1))
        .adjust_every(13, 12)
        .rate_changes(vec![crate::RateChange {
            effective: d(2025, 1, 1),
            annual_rate: Rate::from_percent(dec!(7.75)).unwrap(),
        }])
        .payment_cap_percent(dec!(7.5))
        .build()
        .unwrap();
    let schedule = terms.schedule().unwrap();
    assert!(schedule.installments()[12].negative_amortization());
    let paid: Vec<Payment> = schedule.installments()[..14]
        .iter()
        .map(|r| Payment::new(r.due_date(), r.payment()))
        .collect();
    let j = journal(
        &terms,
        &paid,
        &JournalOptions::new(Accounts::for_loan("Home")),
    )
    .unwrap();
    let caps: Vec<_> = j
        .transactions
        .iter()
        .filter(|t| t.kind == Kind::Capitalization)
        .collect();
    assert!(!caps.is_empty());
    let row = InstallmentRecord::from(&schedule.installments()[12]);
    assert!(row.principal < Decimal::ZERO);
    assert_eq!(caps[0].date, row.due_date);
    assert_eq!(caps[0].amount_of("Liabilities:Loans:Home"), row.principal);
    assert_eq!(caps[0].amount_of("Expenses:Interest:Home"), -row.principal);
    check_invariants(&terms, &paid, &j, paid[13].date);
    let mut o = JournalOptions::new(Accounts::for_loan("Home"));
    o.scope = Scope::Planned;
    assert_eq!(
        journal(&terms, &[], &o).unwrap().closing_balance,
        dec!(0.00)
    );
}
