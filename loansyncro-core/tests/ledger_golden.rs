//! Golden ledger tests: the Apache Fineract progressive-loan cases in
//! `tests/data/vectors/ledger.json` (payoff "till pre-close" vs "till period end", and the
//! payable amounts of an early installment) must match to the cent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::ledger::{payable, payoff_quote, position, LedgerPayment, PayoffRule};
use loansyncro_core::{Accrual, AmortizationMethod, DayCount, Frequency, LoanTerms, RoundingMode};
use rust_decimal::Decimal;
use serde_json::Value;

fn load() -> Value {
    let path = format!(
        "{}/tests/data/vectors/ledger.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("decimal string")).expect("decimal")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("date"), "%Y-%m-%d").expect("date")
}

fn terms_from(t: &Value) -> LoanTerms {
    let rounding = match t["rounding"].as_str().unwrap() {
        "half_even_to_cents" => RoundingMode::HalfEven,
        "half_up_to_cents" => RoundingMode::HalfUp,
        other => panic!("unknown rounding {other}"),
    };
    let accrual = match t["accrual"].as_str().unwrap() {
        "daily" => Accrual::Daily,
        "scheduled" => Accrual::Scheduled,
        other => panic!("unknown accrual {other}"),
    };
    assert_eq!(t["method"].as_str(), Some("equal_installments"));
    LoanTerms::builder()
        .currency(t["currency"].as_str().unwrap().parse().unwrap())
        .principal(dec(&t["principal"]))
        .annual_rate_percent(dec(&t["annual_rate_percent"]))
        .installments(u32::try_from(t["installments"].as_u64().unwrap()).unwrap())
        .frequency(Frequency::from_str(t["frequency"].as_str().unwrap()).unwrap())
        .day_count(DayCount::from_str(t["day_count"].as_str().unwrap()).unwrap())
        .method(AmortizationMethod::EqualInstallments)
        .payment_rounding(rounding)
        .interest_rounding(rounding)
        .accrual(accrual)
        .start(date(&t["start"]))
        .first_due(date(&t["first_due"]))
        .build()
        .unwrap()
}

fn payments(case: &Value) -> Vec<LedgerPayment> {
    case["repayments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| LedgerPayment {
            date: date(&p["date"]),
            amount: dec(&p["amount"]),
        })
        .collect()
}

#[test]
fn every_fineract_case_matches() {
    let doc = load();
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    let mut checked = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let terms = terms_from(&case["terms"]);
        assert_eq!(
            terms.schedule().unwrap().regular_payment(),
            dec(&case["schedule_payment"]),
            "{id}: schedule payment"
        );
        let paid = payments(case);
        if let Some(on) = case.get("payoff_on") {
            let rule = match case.get("payoff_rule").and_then(Value::as_str) {
                None | Some("till_pre_close") => PayoffRule::TillPreClose,
                Some("till_period_end") => PayoffRule::TillPeriodEnd,
                Some(other) => panic!("{id}: unknown payoff rule {other}"),
            };
            let q = payoff_quote(&terms, &paid, date(on), rule).unwrap();
            assert_eq!(q.date, date(on), "{id}");
            assert_eq!(
                q.principal,
                dec(&case["expected_principal"]),
                "{id}: principal"
            );
            assert_eq!(
                q.interest,
                dec(&case["expected_interest"]),
                "{id}: interest"
            );
            assert_eq!(q.total, dec(&case["expected_payoff"]), "{id}: payoff");
            if rule == PayoffRule::TillPreClose {
                // The position's payoff is the pre-close quote.
                let pos = position(&terms, &paid, date(on)).unwrap();
                assert_eq!(pos.payoff_amount, dec(&case["expected_payoff"]), "{id}");
                assert_eq!(
                    pos.interest_accrued,
                    dec(&case["expected_interest"]),
                    "{id}"
                );
                assert_eq!(
                    pos.principal_outstanding,
                    dec(&case["expected_principal"]),
                    "{id}"
                );
            }
            checked += 1;
        }
        if let Some(on) = case.get("payable_on") {
            let p = payable(&terms, &paid, date(on), date(&case["for_due"])).unwrap();
            assert_eq!(p.outstanding, dec(&case["expected_outstanding"]), "{id}");
            assert_eq!(
                p.principal_due,
                dec(&case["expected_principal_due"]),
                "{id}"
            );
            assert_eq!(p.interest_due, dec(&case["expected_interest_due"]), "{id}");
            checked += 1;
        }
    }
    assert_eq!(checked, 3);
}

#[test]
fn paying_the_fineract_payoff_closes_the_loan() {
    let doc = load();
    let case = &doc["cases"][0];
    let terms = terms_from(&case["terms"]);
    let mut paid = payments(case);
    let on = date(&case["payoff_on"]);
    paid.push(LedgerPayment {
        date: on,
        amount: dec(&case["expected_payoff"]),
    });
    let pos = position(&terms, &paid, on).unwrap();
    assert!(pos.closed);
    assert_eq!(pos.principal_outstanding, Decimal::ZERO);
    assert_eq!(pos.paid_total, Decimal::from_str("100.82").unwrap());
    assert_eq!(pos.paid_interest, Decimal::from_str("0.82").unwrap());
    assert!(pos.projected.is_empty());
    // And it stays closed later.
    let later = position(&terms, &paid, NaiveDate::from_ymd_opt(2024, 12, 1).unwrap()).unwrap();
    assert!(later.closed);
    assert_eq!(later.payoff_amount, Decimal::ZERO);
}

// ---------------------------------------------------------------------------------------------
// Worked cases (hand-computed).

mod worked {
    use super::*;
    use loansyncro_core::ledger::check_payment;
    use loansyncro_core::{Error, PrepaymentPolicy, Rate};
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pay(date: NaiveDate, amount: Decimal) -> LedgerPayment {
        LedgerPayment { date, amount }
    }

    /// 1200 at 12%, 12 monthly installments of 106.62 from 2025-02-01.
    fn twelve_percent(policy: PrepaymentPolicy) -> LoanTerms {
        LoanTerms::builder()
            .principal(dec!(1200))
            .annual_rate(Rate::from_percent(dec!(12)).unwrap())
            .installments(12)
            .start(d(2025, 1, 1))
            .prepayment_policy(policy)
            .build()
            .unwrap()
    }

    /// 1200 at 0%, 12 monthly installments of 100 from 2025-02-01.
    fn zero_rate(policy: PrepaymentPolicy) -> LoanTerms {
        LoanTerms::builder()
            .principal(dec!(1200))
            .installments(12)
            .start(d(2025, 1, 1))
            .prepayment_policy(policy)
            .build()
            .unwrap()
    }

    #[test]
    fn on_time_payments_follow_the_schedule() {
        let terms = twelve_percent(PrepaymentPolicy::ReduceTerm);
        let schedule = terms.schedule().unwrap();
        assert_eq!(schedule.regular_payment(), dec!(106.62));
        let paid: Vec<_> = (2..=4).map(|m| pay(d(2025, m, 1), dec!(106.62))).collect();
        let pos = position(&terms, &paid, d(2025, 4, 1)).unwrap();
        assert_eq!(pos.principal_outstanding, dec!(913.29));
        assert_eq!(pos.paid_interest, dec!(33.15));
        assert_eq!(pos.paid_principal, dec!(286.71));
        assert_eq!(pos.paid_total, dec!(319.86));
        assert_eq!(pos.amount_due, dec!(0));
        assert_eq!(pos.days_past_due, 0);
        assert_eq!(pos.interest_accrued, dec!(0));
        assert_eq!(pos.payoff_amount, dec!(913.29));
        assert_eq!(pos.installments_paid, 3);
        assert_eq!(pos.next_due_date, Some(d(2025, 5, 1)));
        assert_eq!(pos.next_due_amount, dec!(106.62));
        assert_eq!(pos.progress, dec!(0.2389));
        assert!(!pos.closed);
        // The projection is exactly the rest of the contractual schedule.
        assert_eq!(pos.projected, schedule.records()[3..].to_vec());
        let rest: Decimal = schedule.records()[3..].iter().map(|r| r.payment).sum();
        assert_eq!(pos.remaining_scheduled, rest);
        // Mid-period: the period's interest (9.13) pro rata 15/30 days.
        let pos = position(&terms, &paid, d(2025, 4, 16)).unwrap();
        assert_eq!(pos.interest_accrued, dec!(4.57));
        assert_eq!(pos.payoff_amount, dec!(917.86));
    }

    #[test]
    fn partial_payment_leaves_arrears_and_days_past_due() {
        let terms = zero_rate(PrepaymentPolicy::ReduceTerm);
        let mut paid = vec![pay(d(2025, 2, 1), dec!(100)), pay(d(2025, 3, 1), dec!(40))];
        let pos = position(&terms, &paid, d(2025, 3, 11)).unwrap();
        assert_eq!(pos.amount_due, dec!(60));
        assert_eq!(pos.days_past_due, 10);
        assert_eq!(pos.installments_paid, 1);
        assert_eq!(pos.projected[0].due_date, d(2025, 3, 1));
        assert_eq!(pos.projected[0].payment, dec!(60));
        let pos = position(&terms, &paid, d(2025, 4, 15)).unwrap();
        assert_eq!(pos.amount_due, dec!(160));
        assert_eq!(pos.days_past_due, 45);
        assert_eq!(pos.next_due_date, Some(d(2025, 5, 1)));
        assert_eq!(pos.principal_outstanding, dec!(1060));
        paid.push(pay(d(2025, 4, 20), dec!(160)));
        let pos = position(&terms, &paid, d(2025, 4, 20)).unwrap();
        assert_eq!(pos.amount_due, dec!(0));
        assert_eq!(pos.days_past_due, 0);
        assert_eq!(pos.installments_paid, 3);
        assert_eq!(pos.principal_outstanding, dec!(900));
        assert_eq!(pos.remaining_scheduled, dec!(900));
    }

    #[test]
    fn prepayment_reduce_term_shortens_the_schedule() {
        let terms = twelve_percent(PrepaymentPolicy::ReduceTerm);
        let paid = [pay(d(2025, 2, 1), dec!(606.62))];
        let pos = position(&terms, &paid, d(2025, 2, 1)).unwrap();
        assert_eq!(pos.principal_outstanding, dec!(605.38));
        assert_eq!(pos.paid_principal, dec!(594.62));
        assert_eq!(pos.paid_interest, dec!(12.00));
        let p = &pos.projected;
        assert_eq!(p.len(), 6);
        assert_eq!(
            (p[0].interest, p[0].principal, p[0].balance),
            (dec!(6.05), dec!(100.57), dec!(504.81))
        );
        assert_eq!(p[5].due_date, d(2025, 8, 1));
        assert_eq!(
            (p[5].interest, p[5].principal, p[5].payment),
            (dec!(0.92), dec!(92.39), dec!(93.31))
        );
        assert_eq!(p[5].balance, dec!(0));
        assert_eq!(pos.remaining_scheduled, dec!(626.41));
        assert_eq!(pos.next_due_amount, dec!(106.62));

        let terms = zero_rate(PrepaymentPolicy::ReduceTerm);
        let pos = position(&terms, &[pay(d(2025, 2, 1), dec!(400))], d(2025, 2, 1)).unwrap();
        assert_eq!(pos.projected.len(), 8);
        assert_eq!(pos.projected[7].due_date, d(2025, 10, 1));
        assert!(pos.projected.iter().all(|r| r.payment == dec!(100)));
        assert_eq!(pos.remaining_scheduled, dec!(800));
    }

    #[test]
    fn prepayment_reduce_payment_reamortizes() {
        let terms = zero_rate(PrepaymentPolicy::ReducePayment);
        let pos = position(&terms, &[pay(d(2025, 2, 1), dec!(400))], d(2025, 2, 1)).unwrap();
        let p = &pos.projected;
        assert_eq!(p.len(), 11);
        assert_eq!(p[10].due_date, d(2026, 1, 1));
        assert!(p[..10].iter().all(|r| r.payment == dec!(72.73)));
        assert_eq!(p[10].payment, dec!(72.70));
        assert_eq!(pos.next_due_amount, dec!(72.73));
        assert_eq!(pos.remaining_scheduled, dec!(800));

        let terms = twelve_percent(PrepaymentPolicy::ReducePayment);
        let pos = position(&terms, &[pay(d(2025, 2, 1), dec!(606.62))], d(2025, 2, 1)).unwrap();
        // 605.38 over 11 installments at 1% a month: 58.39.
        assert_eq!(pos.projected.len(), 11);
        assert_eq!(pos.next_due_amount, dec!(58.39));
        assert_eq!(pos.projected[0].interest, dec!(6.05));
        assert!(pos.projected[..10].iter().all(|r| r.payment == dec!(58.39)));
        assert_eq!(pos.projected.last().unwrap().balance, dec!(0));
    }

    #[test]
    fn paying_the_payoff_closes_and_overpaying_states_the_payoff() {
        let terms = twelve_percent(PrepaymentPolicy::ReduceTerm);
        let q = payoff_quote(&terms, &[], d(2025, 1, 16), PayoffRule::TillPreClose).unwrap();
        assert_eq!(q.total, dec!(1205.81));
        let pos = position(&terms, &[pay(d(2025, 1, 16), q.total)], d(2025, 1, 16)).unwrap();
        assert!(pos.closed);
        assert_eq!(pos.principal_outstanding, dec!(0));
        assert_eq!(pos.paid_interest, dec!(5.81));
        assert_eq!(pos.progress, dec!(1));
        let later = position(&terms, &[pay(d(2025, 1, 16), q.total)], d(2025, 6, 1)).unwrap();
        assert!(later.closed);
        assert_eq!(later.amount_due, dec!(0));
        assert_eq!(later.next_due_date, None);

        let err = check_payment(&terms, &[], &pay(d(2025, 1, 16), dec!(1205.82))).unwrap_err();
        assert_eq!(
            err,
            Error::Overpayment {
                payoff: dec!(1205.81),
                attempted: dec!(1205.82),
                date: d(2025, 1, 16)
            }
        );
        assert!(err.to_string().contains("1205.81"));
        // Position refuses an overpaying ledger too.
        assert!(matches!(
            position(&terms, &[pay(d(2025, 1, 16), dec!(1300))], d(2025, 2, 1)),
            Err(Error::Overpayment { .. })
        ));
        // Anything after closing is an overpayment of a zero payoff.
        let err = check_payment(
            &terms,
            &[pay(d(2025, 1, 16), q.total)],
            &pay(d(2025, 3, 1), dec!(0.01)),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Overpayment { payoff, .. } if payoff == dec!(0)));
    }

    #[test]
    fn check_payment_validates() {
        let terms = zero_rate(PrepaymentPolicy::ReduceTerm);
        for (p, field) in [
            (pay(d(2025, 2, 1), dec!(0)), "amount"),
            (pay(d(2025, 2, 1), dec!(-5)), "amount"),
            (pay(d(2025, 2, 1), dec!(1.001)), "amount"),
            (pay(d(2024, 12, 31), dec!(1)), "date"),
        ] {
            assert_eq!(
                check_payment(&terms, &[], &p).unwrap_err().field(),
                Some(field)
            );
        }
        assert!(check_payment(&terms, &[], &pay(d(2025, 1, 1), dec!(1200))).is_ok());
        let err = position(&terms, &[pay(d(2025, 2, 1), dec!(0))], d(2025, 3, 1)).unwrap_err();
        assert_eq!(err.field(), Some("payments[0].amount"));
        let err = position(&terms, &[], d(2024, 12, 31)).unwrap_err();
        assert_eq!(err.field(), Some("as_of"));
        // A backdated payment that makes a later one overpay is caught.
        let paid = [pay(d(2025, 3, 1), dec!(1200))];
        let err = check_payment(&terms, &paid, &pay(d(2025, 2, 1), dec!(100))).unwrap_err();
        assert!(matches!(err, Error::Overpayment { attempted, .. } if attempted == dec!(1200)));
    }

    #[test]
    fn zero_rate_loan() {
        let terms = zero_rate(PrepaymentPolicy::ReduceTerm);
        let pos = position(&terms, &[], d(2025, 1, 1)).unwrap();
        assert_eq!(pos.payoff_amount, dec!(1200));
        assert_eq!(pos.remaining_scheduled, dec!(1200));
        assert_eq!(pos.projected.len(), 12);
        assert_eq!(pos.next_due_date, Some(d(2025, 2, 1)));
        let paid: Vec<_> = (0..12)
            .map(|i| pay(d(2025, 2, 1) + chrono::Months::new(i), dec!(100)))
            .collect();
        let pos = position(&terms, &paid, d(2026, 1, 1)).unwrap();
        assert!(pos.closed);
        assert_eq!(pos.paid_interest, dec!(0));
        assert_eq!(pos.installments_paid, 12);
        // Nothing paid at all, a year after maturity: everything is overdue.
        let pos = position(&terms, &[], d(2026, 2, 1)).unwrap();
        assert_eq!(pos.amount_due, dec!(1200));
        assert_eq!(pos.days_past_due, 365);
        assert_eq!(pos.next_due_date, None);
        assert_eq!(pos.interest_accrued, dec!(0));
    }

    #[test]
    fn daily_accrual_charges_late_days() {
        let terms = LoanTerms::builder()
            .principal(dec!(100))
            .annual_rate(Rate::from_percent(dec!(7)).unwrap())
            .installments(6)
            .start(d(2024, 1, 1))
            .payment_rounding(RoundingMode::HalfEven)
            .interest_rounding(RoundingMode::HalfEven)
            .accrual(Accrual::Daily)
            .build()
            .unwrap();
        let pos = position(&terms, &[], d(2024, 2, 10)).unwrap();
        assert_eq!(pos.amount_due, dec!(17.01));
        assert_eq!(pos.days_past_due, 9);
        // Paid 10 days late: period 2 accrues 10 days on 100 and 19 on 83.57 = 0.52.
        let paid = [pay(d(2024, 2, 11), dec!(17.01))];
        let pos = position(&terms, &paid, d(2024, 3, 1)).unwrap();
        assert_eq!(pos.amount_due, dec!(17.01));
        assert_eq!(pos.projected[0].interest, dec!(0.52));
        assert_eq!(pos.projected[0].principal, dec!(16.49));
        // Scheduled accrual: being late costs nothing extra.
        let scheduled = terms
            .to_builder()
            .accrual(Accrual::Scheduled)
            .build()
            .unwrap();
        let pos = position(&scheduled, &paid, d(2024, 3, 1)).unwrap();
        assert_eq!(pos.projected[0].interest, dec!(0.49));
    }
}
