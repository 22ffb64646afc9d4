//! Every invalid input is an `Error::Validation` naming the field — never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::{
    AmortizationMethod, Currency, ExtraPayments, Frequency, Grace, LoanTerms, LoanTermsBuilder,
    LumpSum, Rate, RateChange,
};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ok() -> LoanTermsBuilder {
    LoanTerms::builder()
        .principal(d("1000"))
        .annual_rate_percent(d("5"))
        .installments(12)
        .start(date("2024-01-31"))
}

fn field_of(b: LoanTermsBuilder) -> String {
    b.build()
        .expect_err("must be rejected")
        .field()
        .unwrap_or("<none>")
        .to_string()
}

#[test]
fn baseline_is_valid() {
    assert!(ok().build().is_ok());
}

#[test]
fn principal() {
    assert_eq!(field_of(ok().principal(d("0"))), "principal");
    assert_eq!(field_of(ok().principal(d("-5"))), "principal");
    assert_eq!(field_of(ok().principal(d("1000000000000.01"))), "principal");
    assert_eq!(field_of(ok().principal(d("10.001"))), "principal");
    assert_eq!(
        field_of(ok().currency(Currency::JPY).principal(d("10.5"))),
        "principal"
    );
    assert!(ok().principal(d("1000000000000")).build().is_ok());
}

#[test]
fn annual_rate() {
    assert_eq!(
        field_of(ok().annual_rate_percent(d("-0.01"))),
        "annual_rate"
    );
    assert_eq!(
        field_of(ok().annual_rate_percent(d("100.01"))),
        "annual_rate"
    );
    assert!(ok().annual_rate_percent(d("100")).build().is_ok());
    assert!(ok().annual_rate_percent(d("0")).build().is_ok());
}

#[test]
fn installments() {
    assert_eq!(field_of(ok().installments(0)), "installments");
    assert_eq!(field_of(ok().installments(1201)), "installments");
    assert!(ok().installments(1200).build().is_ok());
}

#[test]
fn start_and_first_due() {
    let mut b = ok();
    b.start = None;
    assert_eq!(field_of(b), "start");
    assert_eq!(field_of(ok().first_due(date("2024-01-31"))), "first_due");
    assert_eq!(field_of(ok().first_due(date("2024-01-01"))), "first_due");
    assert_eq!(field_of(ok().first_due(date("2024-06-01"))), "first_due");
    let semi = ok().frequency(Frequency::SemiMonthly {
        first_day: 1,
        second_day: 15,
    });
    assert_eq!(
        field_of(semi.clone().first_due(date("2024-02-10"))),
        "first_due"
    );
    assert!(semi.first_due(date("2024-02-15")).build().is_ok());
}

#[test]
fn frequency() {
    assert_eq!(
        field_of(ok().frequency(Frequency::EveryNDays(0))),
        "frequency"
    );
    assert_eq!(
        field_of(ok().frequency(Frequency::SemiMonthly {
            first_day: 15,
            second_day: 15
        })),
        "frequency"
    );
    assert_eq!(
        field_of(ok().frequency(Frequency::SemiMonthly {
            first_day: 0,
            second_day: 15
        })),
        "frequency"
    );
    assert_eq!(
        Frequency::from_str("hourly").unwrap_err().field(),
        Some("frequency")
    );
}

#[test]
fn options() {
    assert_eq!(
        field_of(ok().installment_multiple(d("0"))),
        "installment_multiple"
    );
    assert_eq!(
        field_of(ok().installment_multiple(d("0.001"))),
        "installment_multiple"
    );
    assert_eq!(field_of(ok().balloon(d("1000"))), "balloon");
    assert_eq!(field_of(ok().balloon(d("-1"))), "balloon");
    assert_eq!(
        field_of(
            ok().balloon(d("10"))
                .method(AmortizationMethod::InterestOnly)
        ),
        "balloon"
    );
    assert_eq!(
        field_of(ok().amortization_installments(6)),
        "amortization_installments"
    );
    assert_eq!(
        field_of(ok().grace(Grace {
            principal_periods: 12,
            interest_periods: 0
        })),
        "grace"
    );
    assert_eq!(
        field_of(ok().grace(Grace {
            principal_periods: 1,
            interest_periods: 2
        })),
        "grace.interest_periods"
    );
    assert_eq!(field_of(ok().payment_cap(d("0.9"))), "payment_cap");
    assert_eq!(
        field_of(ok().method(AmortizationMethod::FixedInstallment { amount: d("0") })),
        "method.amount"
    );
}

#[test]
fn rate_changes() {
    let change = |s: &str| RateChange {
        effective: date(s),
        annual_rate: Rate::from_percent(d("7")).unwrap(),
    };
    assert_eq!(
        field_of(ok().rate_changes(vec![change("2024-01-01")])),
        "rate_changes[0].effective"
    );
    assert_eq!(
        field_of(ok().rate_changes(vec![change("2024-05-01"), change("2024-05-01")])),
        "rate_changes[1].effective"
    );
}

#[test]
fn extra_payments() {
    let t = ok().build().unwrap();
    let bad = |x: ExtraPayments| t.what_if(&x).unwrap_err().field().map(str::to_string);
    assert_eq!(
        bad(ExtraPayments::recurring(d("-1"))).as_deref(),
        Some("recurring")
    );
    assert_eq!(
        bad(ExtraPayments::recurring(d("0.001"))).as_deref(),
        Some("recurring")
    );
    let lump = |date_s: &str, amount: &str| ExtraPayments {
        lump_sums: vec![LumpSum {
            date: date(date_s),
            amount: d(amount),
        }],
        ..ExtraPayments::default()
    };
    assert_eq!(
        bad(lump("2024-03-01", "0")).as_deref(),
        Some("lump_sums[0].amount")
    );
    assert_eq!(
        bad(lump("2023-03-01", "5")).as_deref(),
        Some("lump_sums[0].date")
    );
}

#[test]
fn parsers() {
    assert_eq!(
        Currency::from_str("XXX").unwrap_err().field(),
        Some("currency")
    );
    assert_eq!(
        "half_sideways"
            .parse::<loansyncro_core::RoundingMode>()
            .unwrap_err()
            .field(),
        Some("rounding")
    );
    assert_eq!(
        "30/365"
            .parse::<loansyncro_core::DayCount>()
            .unwrap_err()
            .field(),
        Some("day_count")
    );
}

/// Precision limits are errors: a rate or an amount with more decimals than the engine
/// represents exactly is rejected naming the field, never silently rounded.
#[test]
fn precision_limits_are_errors_never_rounding() {
    // 28 decimals: Decimal holds the percent, but not the percent / 100 fraction.
    let err = ok()
        .annual_rate_percent(d("5.0000000000000000000000000001"))
        .build()
        .unwrap_err();
    assert_eq!(err.field(), Some("annual_rate"));
    assert!(err.to_string().contains("never rounded"), "{err}");
    // 20 decimals, 17 decimals: rejected; 16 decimals: represented exactly.
    for percent in ["5.00000000000000000001", "5.00000000000000001"] {
        assert_eq!(
            field_of(ok().annual_rate_percent(d(percent))),
            "annual_rate"
        );
    }
    let fine = ok()
        .annual_rate_percent(d("5.0000000000000001"))
        .build()
        .unwrap();
    assert_eq!(fine.annual_rate().percent(), d("5.0000000000000001"));
    // Amounts: more decimals than the currency is an error on the field.
    assert_eq!(field_of(ok().principal(d("1000.001"))), "principal");
    // On the wire, more digits than a Decimal holds is an error, not a rounding.
    for (field, value) in [
        ("principal", "1000.000000000000000000000000001"),
        ("annual_rate_percent", "5.00000000000000000000000000001"),
    ] {
        let mut wire = serde_json::json!({
            "principal": "1000", "annual_rate_percent": "5", "installments": 12,
            "start": "2024-01-31",
        });
        wire[field] = serde_json::Value::from(value);
        let json = wire.to_string();
        let err = serde_json::from_str::<LoanTermsBuilder>(&json).unwrap_err();
        assert!(err.to_string().contains("never rounded"), "{field}: {err}");
    }
    // Integers are exact; a binary float is refused (send a decimal string).
    let json = r#"{"principal": 1000, "annual_rate_percent": 5, "installments": 12, "start": "2024-01-31"}"#;
    let b: LoanTermsBuilder = serde_json::from_str(json).unwrap();
    assert_eq!((b.principal, b.annual_rate_percent), (d("1000"), d("5")));
    let float = r#"{"principal": 1000.5, "installments": 12, "start": "2024-01-31"}"#;
    assert!(serde_json::from_str::<LoanTermsBuilder>(float).is_err());
}

/// The installment multiple rounds the level installment of equal-installment schedules only;
/// with any other method it is rejected (never silently ignored or applied to a principal part).
#[test]
fn installment_multiple_needs_equal_installments() {
    use loansyncro_core::AmortizationMethod as M;
    let s = ok()
        .installment_multiple(d("5"))
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.regular_payment(), d("85.00"));
    assert_eq!(s.last().unwrap().balance(), d("0"));
    for method in [
        M::EqualPrincipal,
        M::FlatInterest,
        M::InterestOnly,
        M::FixedInstallment { amount: d("100") },
    ] {
        let err = ok()
            .method(method)
            .installment_multiple(d("1"))
            .build()
            .unwrap_err();
        assert_eq!(err.field(), Some("installment_multiple"), "{method:?}");
        assert!(err.to_string().contains("equal installments only"), "{err}");
    }
    // Equal principal without a multiple: principal parts in cents, closing at zero.
    let s = ok()
        .method(M::EqualPrincipal)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(s.installments()[0].principal(), d("83.33"));
    assert_eq!(s.totals().principal, d("1000"));
}

#[test]
fn payment_day_count_is_a_30_360_variant_with_monthly_periods() {
    use loansyncro_core::DayCount;
    assert_eq!(
        field_of(ok().payment_day_count(DayCount::Actual365Fixed)),
        "payment_day_count"
    );
    assert_eq!(
        field_of(
            ok().frequency(Frequency::Weekly)
                .payment_day_count(DayCount::Thirty360Us)
        ),
        "payment_day_count"
    );
    // With the same basis as the accrual it changes nothing.
    let plain = ok().build().unwrap().schedule().unwrap();
    let same = ok()
        .payment_day_count(DayCount::Thirty360Us)
        .build()
        .unwrap()
        .schedule()
        .unwrap();
    assert_eq!(plain, same);
}

#[test]
fn adjustment_numbers_on_the_wire_are_integers_or_strings() {
    let json = r#"{"principal": "1000", "annual_rate_percent": "5", "installments": 24,
        "start": "2024-01-31", "adjustment_payment_numbers": [13, "7"]}"#;
    let b: LoanTermsBuilder = serde_json::from_str(json).unwrap();
    assert_eq!(b.adjustment_payment_numbers, vec![13, 7]);
    assert_eq!(b.build().unwrap().adjustment_payment_numbers(), &[7, 13]);
    let bad = r#"{"principal": "1000", "installments": 24, "adjustment_payment_numbers": ["x"]}"#;
    assert!(serde_json::from_str::<LoanTermsBuilder>(bad).is_err());
}
