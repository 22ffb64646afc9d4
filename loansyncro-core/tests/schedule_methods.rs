//! Worked cases for each amortization method and option. Expected figures were computed
//! independently with Python's `decimal` module (60 digits, half-up to cents); the arithmetic is
//! given in the comments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{
    AmortizationMethod, BalancePrecision, Currency, DayCount, ExtraPayments, Frequency, Grace,
    LoanTerms, LoanTermsBuilder, LumpSum, PrepaymentPolicy, Rate, RateChange, Schedule,
};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn base(principal: &str, rate_percent: &str, n: u32) -> LoanTermsBuilder {
    LoanTerms::builder()
        .principal(d(principal))
        .annual_rate_percent(d(rate_percent))
        .installments(n)
        .start(date("2024-01-01"))
}

/// (payment, interest, principal, balance) of every row.
fn rows(s: &Schedule) -> Vec<(Decimal, Decimal, Decimal, Decimal)> {
    s.installments()
        .iter()
        .map(|r| (r.payment(), r.interest(), r.principal(), r.balance()))
        .collect()
}

fn row(p: &str, i: &str, pr: &str, b: &str) -> (Decimal, Decimal, Decimal, Decimal) {
    (d(p), d(i), d(pr), d(b))
}

#[test]
fn equal_principal() {
    // 1000 at 12%/12 = 1% a month; principal part 250.00; interest 10.00, 7.50, 5.00, 2.50.
    let s = base("1000", "12", 4)
        .method(AmortizationMethod::EqualPrincipal)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(
        rows(&s),
        vec![
            row("260.00", "10.00", "250.00", "750.00"),
            row("257.50", "7.50", "250.00", "500.00"),
            row("255.00", "5.00", "250.00", "250.00"),
            row("252.50", "2.50", "250.00", "0.00"),
        ]
    );
}

#[test]
fn flat_interest() {
    // 1200 at 10% flat over 12 months: interest 1200 x 0.10 x 1 = 120.00, 10.00 a month.
    let s = base("1200", "10", 12)
        .method(AmortizationMethod::FlatInterest)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.totals().interest, d("120.00"));
    assert!(s.installments().iter().all(|r| r.payment() == d("110.00")));
    assert_eq!(s.last().unwrap().balance(), d("0"));
}

#[test]
fn interest_only_with_balloon() {
    // 1000 at 6%: 5.00 interest a month, the principal with the last installment.
    let s = base("1000", "6", 3)
        .method(AmortizationMethod::InterestOnly)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(
        rows(&s),
        vec![
            row("5.00", "5.00", "0.00", "1000.00"),
            row("5.00", "5.00", "0.00", "1000.00"),
            row("1005.00", "5.00", "1000.00", "0.00"),
        ]
    );
}

#[test]
fn balloon_amount() {
    // 10000 at 6%, 12 months, 5000 balloon: pmt = (10000 - 5000 v) r / (1 - v) = 455.3321... -> 455.33.
    let s = base("10000", "6", 12)
        .balloon(d("5000"))
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.regular_payment(), d("455.33"));
    let r = rows(&s);
    assert_eq!(r[10], row("455.33", "29.27", "426.06", "5428.21"));
    assert_eq!(r[11], row("5455.35", "27.14", "5428.21", "0.00"));
}

#[test]
fn amortization_basis_longer_than_term() {
    // 200000 at 6% amortized over 360 months (pmt 1199.10), due after 120: the last installment
    // pays the remaining 167732.04 plus 838.66 interest.
    let s = base("200000", "6", 120)
        .amortization_installments(360)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.regular_payment(), d("1199.10"));
    assert_eq!(s.len(), 120);
    assert_eq!(
        rows(&s)[119],
        row("168570.70", "838.66", "167732.04", "0.00")
    );
}

#[test]
fn grace_periods() {
    // 1200 at 12% (1%/month), 6 installments, principal grace 2, interest grace 1:
    // month 1 interest 12.00 deferred; month 2 pays 12.00 + 12.00; then pmt(1%, 4, 1200) = 307.54.
    let s = base("1200", "12", 6)
        .grace(Grace {
            principal_periods: 2,
            interest_periods: 1,
        })
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(
        rows(&s),
        vec![
            row("0.00", "0.00", "0.00", "1200.00"),
            row("24.00", "24.00", "0.00", "1200.00"),
            row("307.54", "12.00", "295.54", "904.46"),
            row("307.54", "9.04", "298.50", "605.96"),
            row("307.54", "6.06", "301.48", "304.48"),
            row("307.52", "3.04", "304.48", "0.00"),
        ]
    );
    assert_eq!(s.installments()[0].deferred_interest(), d("12.00"));
    assert_eq!(s.regular_payment(), d("307.54"));
}

#[test]
fn variable_rate_recasts_over_the_remaining_term() {
    // 100000 at 6% for 24 months: pmt 4432.06; balance after 12 = 51495.83. From 2025-01-01 the
    // rate is 12%: pmt(1%, 12, 51495.83) = 4575.34; first new interest 514.96.
    let s = base("100000", "6", 24)
        .rate_changes(vec![RateChange {
            effective: date("2025-01-01"),
            annual_rate: Rate::from_percent(d("12")).unwrap(),
        }])
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    let r = rows(&s);
    assert_eq!(r[11].3, d("51495.83"));
    assert_eq!(r[12].0, d("4575.34"));
    assert_eq!(r[12].1, d("514.96"));
    assert!(!s.negative_amortization());
}

#[test]
fn payment_cap_allows_flagged_negative_amortization() {
    // 6% -> 100% from the second month with a cap of 1.0: the payment stays 4432.06 while the
    // interest is 96067.94 x 100%/12 = 8005.66, so the balance grows and the rows are flagged.
    let s = base("100000", "6", 24)
        .rate_changes(vec![RateChange {
            effective: date("2024-02-01"),
            annual_rate: Rate::from_percent(d("100")).unwrap(),
        }])
        .payment_cap(d("1"))
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    let second = &s.installments()[1];
    assert_eq!(second.payment(), d("4432.06"));
    assert_eq!(second.interest(), d("8005.66"));
    assert_eq!(second.principal(), d("-3573.60"));
    assert!(second.negative_amortization());
    assert!(s.negative_amortization());
    assert_eq!(s.last().unwrap().balance(), d("0"));
}

#[test]
fn odd_first_period_prorates_interest() {
    // Start 2024-01-15, first due 2024-03-01: 46 days by 30/360; 10000 x 12% x 46/360 = 153.33.
    let s = base("10000", "12", 12)
        .start(date("2024-01-15"))
        .first_due(date("2024-03-01"))
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.installments()[0].interest(), d("153.33"));
    assert_eq!(s.installments()[1].due_date(), date("2024-04-01"));
    // The level payment prices the long first period in, so the last one stays close to it.
    let last = s.last().unwrap().payment();
    assert!((last - s.regular_payment()).abs() < d("0.10"), "{last}");
}

#[test]
fn currencies_with_other_minor_units() {
    // JPY has no minor unit: pmt(0.25%, 12, 1000000) = 84693.6... -> 84694.
    let jpy = base("1000000", "3", 12)
        .currency(Currency::JPY)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(jpy.regular_payment(), d("84694"));
    assert_eq!(jpy.installments()[0].interest(), d("2500"));
    // BHD has three: pmt(5%/12, 6, 1000.000) -> 169.106.
    let bhd = base("1000", "5", 6)
        .currency(Currency::BHD)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(bhd.regular_payment(), d("169.106"));
    assert_eq!(bhd.installments()[0].interest(), d("4.167"));
}

#[test]
fn installment_rounded_to_whole_units() {
    let s = base("250000", "6.5", 360)
        .installment_multiple(d("1"))
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.regular_payment(), d("1580.00"));
    assert_eq!(s.last().unwrap().balance(), d("0"));
}

#[test]
fn carry_precision_keeps_rows_consistent() {
    let s = base("101", "6", 12)
        .balance_precision(BalancePrecision::CarryPrecision)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    // 101 x 0.5% = 0.505 exactly; carried, not rounded, so row 1 shows 0.50 or 0.51 while the
    // total stays the exact sum of payments minus principal.
    assert_eq!(s.totals().principal, d("101.00"));
    for r in s.installments() {
        assert_eq!(r.principal() + r.interest(), r.payment());
    }
    assert_eq!(s.totals().paid - s.totals().principal, s.totals().interest);
}

#[test]
fn fixed_installment_amount_sets_the_count() {
    // 1000 at 12% paying 100.00 a month: 11 installments (the 11th is 58.22).
    let t = base("1000", "12", 0)
        .method(AmortizationMethod::FixedInstallment { amount: d("100") })
        .build()
        .unwrap();
    let s = t.schedule().unwrap();
    assert_eq!(t.installments(), 11);
    assert_eq!(s.len(), 11);
    assert!(s.installments()[..10]
        .iter()
        .all(|r| r.payment() == d("100.00")));
    assert_eq!(s.last().unwrap().balance(), d("0"));
    let too_small = base("1000", "12", 0)
        .method(AmortizationMethod::FixedInstallment { amount: d("10") })
        .build()
        .unwrap_err();
    assert_eq!(too_small.field(), Some("method.amount"));
}

#[test]
fn weekly_semi_monthly_and_actual_day_counts_close_at_zero() {
    for (f, dc) in [
        (Frequency::Weekly, DayCount::Actual365Fixed),
        (
            Frequency::SemiMonthly {
                first_day: 1,
                second_day: 15,
            },
            DayCount::Thirty360Us,
        ),
        (Frequency::Monthly, DayCount::ActualActualIsda),
        (Frequency::Quarterly, DayCount::Actual360),
    ] {
        let s = base("5000", "9.5", 24)
            .frequency(f)
            .day_count(dc)
            .build()
            .unwrap()
            .schedule()
            .unwrap();
        assert_eq!(s.last().unwrap().balance(), d("0"), "{f:?} {dc:?}");
        assert_eq!(s.totals().principal, d("5000.00"));
    }
}

#[test]
fn what_if_lump_sum_and_reduce_payment() {
    let t = base("10000", "6", 12).build().unwrap();
    // A 2000 lump sum in March under reduce-term: the installment stays, the schedule shortens.
    let lump = ExtraPayments {
        lump_sums: vec![LumpSum {
            date: date("2024-02-20"),
            amount: d("2000"),
        }],
        ..ExtraPayments::default()
    };
    let w = t.what_if(&lump).unwrap();
    assert_eq!(w.schedule.installments()[1].extra_principal(), d("2000.00"));
    assert!(w.installments_saved >= 2);
    assert!(w.interest_saved > d("0"));
    // Reduce payment: same number of installments, lower installment after the lump sum.
    let w2 = t
        .what_if(&ExtraPayments {
            policy: PrepaymentPolicy::ReducePayment,
            ..lump
        })
        .unwrap();
    assert_eq!(w2.installments_saved, 0);
    assert!(w2.schedule.installments()[2].payment() < w2.schedule.regular_payment());
    assert!(w2.interest_saved > d("0"));
}

#[test]
fn json_round_trip_of_terms() {
    let t = base("250000", "6.5", 360).build().unwrap();
    let json = serde_json::to_string(&t).unwrap();
    assert!(json.contains(r#""principal":"250000""#), "{json}");
    let back: LoanTerms = serde_json::from_str(&json).unwrap();
    assert_eq!(back, t);
    // Unknown fields are rejected; invalid values name the field.
    assert!(serde_json::from_str::<LoanTerms>(r#"{"principal":"1","annual_rate_percent":"1","installments":1,"start":"2024-01-01","bogus":1}"#).is_err());
    let err = serde_json::from_str::<LoanTerms>(
        r#"{"principal":"0","annual_rate_percent":"1","installments":1,"start":"2024-01-01"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("principal"), "{err}");
}
