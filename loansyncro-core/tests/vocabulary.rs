//! One vocabulary: every named enum of the core round-trips through `FromStr`, `Display` and
//! serde with the one spelling of its table, keeps accepting every spelling it (or a shell)
//! accepted before, and an unknown name is a validation error naming the field and listing
//! the valid names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Display;
use std::str::FromStr;

use loansyncro_core::domain::status::{LoanStatus, TransitionReason};
use loansyncro_core::finance::apr::UnitPeriod;
use loansyncro_core::finance::When;
use loansyncro_core::ledger::planner::Strategy;
use loansyncro_core::ledger::PayoffRule;
use loansyncro_core::math::vocab::same_name;
use loansyncro_core::{
    Accrual, AmortizationMethod, BalancePrecision, Compounding, DayCount, Error, Frequency,
    PrepaymentPolicy, RoundingMode,
};
use rust_decimal_macros::dec;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Every variant: `Display` and serde give its name; `FromStr` and serde read it back, also in
/// upper case and with `-` for `_`; the names are distinct even with separators ignored.
fn round_trip<T>(all: &[T], names: &[&str])
where
    T: Copy + PartialEq + std::fmt::Debug + Display + FromStr,
    T::Err: std::fmt::Debug,
    T: Serialize + DeserializeOwned,
{
    assert_eq!(all.len(), names.len());
    for (value, name) in all.iter().zip(names) {
        assert_eq!(value.to_string(), *name);
        assert_eq!(T::from_str(name).unwrap(), *value);
        assert_eq!(T::from_str(&name.to_uppercase()).unwrap(), *value);
        assert_eq!(
            T::from_str(&format!(" {} ", name.replace('_', "-"))).unwrap(),
            *value
        );
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *value);
    }
    for (i, a) in names.iter().enumerate() {
        for b in &names[i + 1..] {
            assert!(!same_name(a, b), "{a} and {b} collide");
        }
    }
}

/// An unknown name: a validation error on `field` whose reason lists every name; serde says
/// "unknown variant" with the same list.
fn unknown<T>(field: &str, names: &[&str])
where
    T: FromStr + DeserializeOwned + std::fmt::Debug,
    T::Err: Into<Error> + std::fmt::Debug,
{
    let err: Error = T::from_str("no-such-name").unwrap_err().into();
    assert_eq!(err.field(), Some(field), "{err}");
    let listed = format!("expected one of: {}", names.join(", "));
    assert!(err.to_string().ends_with(&listed), "{err}");
    assert!(err.to_string().contains("\"no-such-name\""), "{err}");
    let serde = serde_json::from_str::<T>("\"no-such-name\"").unwrap_err();
    let serde = serde.to_string();
    assert!(
        serde.starts_with("unknown variant `no-such-name`, expected"),
        "{serde}"
    );
    for name in names {
        assert!(serde.contains(&format!("`{name}`")), "{serde}");
    }
}

#[test]
fn unit_vocabularies_round_trip() {
    round_trip(&RoundingMode::ALL, &RoundingMode::NAMES);
    round_trip(&DayCount::ALL, &DayCount::NAMES);
    round_trip(&Compounding::ALL, &Compounding::NAMES);
    round_trip(&PrepaymentPolicy::ALL, &PrepaymentPolicy::NAMES);
    round_trip(&Accrual::ALL, &Accrual::NAMES);
    round_trip(&BalancePrecision::ALL, &BalancePrecision::NAMES);
    round_trip(&LoanStatus::ALL, &LoanStatus::NAMES);
    round_trip(&PayoffRule::ALL, &PayoffRule::NAMES);
    round_trip(&When::ALL, &When::NAMES);
}

#[test]
fn the_names_are_the_wire_names() {
    assert_eq!(
        DayCount::NAMES,
        [
            "30/360",
            "30E/360",
            "actual/360",
            "actual/364",
            "actual/365F",
            "actual/actual"
        ]
    );
    assert_eq!(RoundingMode::NAMES, ["half_up", "half_even", "up", "down"]);
    assert_eq!(Compounding::NAMES, ["nominal", "semi_annual", "annual"]);
    assert_eq!(LoanStatus::NAMES, ["active", "paid", "defaulted"]);
    assert_eq!(PayoffRule::NAMES, ["till_pre_close", "till_period_end"]);
    assert_eq!(
        BalancePrecision::NAMES,
        ["round_each_balance", "carry_precision", "spreadsheet"]
    );
    assert_eq!(When::NAMES, ["end", "begin"]);
    assert_eq!(Strategy::NAMES, ["avalanche", "snowball", "custom"]);
}

#[test]
fn unknown_names_list_the_valid_ones() {
    unknown::<RoundingMode>("rounding", &RoundingMode::NAMES);
    unknown::<DayCount>("day_count", &DayCount::NAMES);
    unknown::<Compounding>("compounding", &Compounding::NAMES);
    unknown::<PrepaymentPolicy>("prepayment_policy", &PrepaymentPolicy::NAMES);
    unknown::<Accrual>("accrual", &Accrual::NAMES);
    unknown::<BalancePrecision>("balance_precision", &BalancePrecision::NAMES);
    unknown::<LoanStatus>("status", &LoanStatus::NAMES);
    unknown::<PayoffRule>("rule", &PayoffRule::NAMES);
    unknown::<When>("when", &When::NAMES);
    unknown::<AmortizationMethod>("method", &AmortizationMethod::NAMES);
    unknown::<Strategy>("strategy", &Strategy::NAMES);
    let err = "no-such-name".parse::<Frequency>().unwrap_err();
    assert_eq!(err.field(), Some("frequency"));
    assert!(err.to_string().ends_with(
        "expected one of: weekly, biweekly, semi-monthly, monthly, quarterly, semi-annual, annual, every N days"
    ));
    let err = "no-such-name".parse::<TransitionReason>().unwrap_err();
    assert_eq!(err.field(), Some("reason"));
    // The same parser reports another field when a shell asks.
    let err = RoundingMode::parse_field("nearest", "payment_rounding").unwrap_err();
    assert_eq!(err.field(), Some("payment_rounding"));
    let err = DayCount::parse_field("30/365", "payment_day_count").unwrap_err();
    assert_eq!(err.field(), Some("payment_day_count"));
}

/// Every spelling accepted before the vocabulary (by the core's parsers, the Python binding's
/// tables and the DynamoDB codec) is still accepted.
#[test]
fn every_spelling_accepted_before_still_is() {
    let day = |s: &str| s.parse::<DayCount>().unwrap();
    for s in [
        "30/360",
        "30/360 US",
        "30/360_US",
        "thirty360",
        "days360",
        "DAYS360",
    ] {
        assert_eq!(day(s), DayCount::Thirty360Us, "{s}");
    }
    for s in ["30E/360", "30e/360", "30/360E"] {
        assert_eq!(day(s), DayCount::Thirty360European, "{s}");
    }
    assert_eq!(day("act/360"), DayCount::Actual360);
    assert_eq!(day("Act/364"), DayCount::Actual364);
    for s in [
        "actual/365F",
        "actual/365",
        "act/365f",
        "act/365",
        "ACTUAL/365F",
    ] {
        assert_eq!(day(s), DayCount::Actual365Fixed, "{s}");
    }
    for s in ["actual/actual", "Actual/Actual ISDA", "act/act"] {
        assert_eq!(day(s), DayCount::ActualActualIsda, "{s}");
    }
    let rounding = |s: &str| s.parse::<RoundingMode>().unwrap();
    assert_eq!(rounding("half-up"), RoundingMode::HalfUp);
    assert_eq!(rounding("BANKERS"), RoundingMode::HalfEven);
    let compounding = |s: &str| s.parse::<Compounding>().unwrap();
    assert_eq!(compounding("semiannual"), Compounding::SemiAnnual);
    assert_eq!(compounding("semi-annual"), Compounding::SemiAnnual);
    assert_eq!(compounding("J2"), Compounding::SemiAnnual);
    assert_eq!(compounding("effective"), Compounding::Annual);
    let method = |s: &str| s.parse::<AmortizationMethod>().unwrap();
    assert_eq!(method("annuity"), AmortizationMethod::EqualInstallments);
    assert_eq!(
        method("Equal-Principal"),
        AmortizationMethod::EqualPrincipal
    );
    assert_eq!(method("flat"), AmortizationMethod::FlatInterest);
    assert_eq!(method("interest_only"), AmortizationMethod::InterestOnly);
    let when = |s: &str| s.parse::<When>().unwrap();
    for s in ["end", "0", "e", "finish", "END"] {
        assert_eq!(when(s), When::End, "{s}");
    }
    for s in ["begin", "1", "b", "beginning", "start"] {
        assert_eq!(when(s), When::Begin, "{s}");
    }
    let frequency = |s: &str| s.parse::<Frequency>().unwrap();
    for (s, f) in [
        ("weekly", Frequency::Weekly),
        ("biweekly", Frequency::Biweekly),
        ("bi-weekly", Frequency::Biweekly),
        ("fortnightly", Frequency::Biweekly),
        ("monthly", Frequency::Monthly),
        ("quarterly", Frequency::Quarterly),
        ("semi-annual", Frequency::SemiAnnual),
        ("semi_annual", Frequency::SemiAnnual),
        ("semiannual", Frequency::SemiAnnual),
        ("semi annually", Frequency::SemiAnnual),
        ("annual", Frequency::Annual),
        ("annually", Frequency::Annual),
        ("Yearly", Frequency::Annual),
        ("every 15 days", Frequency::EveryNDays(15)),
        ("every_1_day", Frequency::EveryNDays(1)),
    ] {
        assert_eq!(frequency(s), f, "{s}");
    }
    let semi = |a, b| Frequency::SemiMonthly {
        first_day: a,
        second_day: b,
    };
    assert_eq!(frequency("semi-monthly"), semi(1, 15));
    assert_eq!(frequency("semimonthly"), semi(1, 15));
    assert_eq!(frequency("semi_monthly 5, 20"), semi(5, 20));
    assert_eq!(
        "every 0 days".parse::<Frequency>().unwrap_err().field(),
        Some("frequency")
    );
    assert_eq!(
        "every N days".parse::<Frequency>().unwrap_err().field(),
        Some("frequency")
    );
    assert_eq!(
        "semi-monthly 20,5"
            .parse::<Frequency>()
            .unwrap_err()
            .field(),
        Some("frequency")
    );
    assert_eq!(
        "2 weeks".parse::<UnitPeriod>().unwrap(),
        UnitPeriod::Weeks(2),
        "unit periods keep their own grammar"
    );
}

/// Enums with data-carrying variants: the name of every variant is the tag of its serde form
/// (snake case), and `Display` starts with it.
#[test]
fn data_carrying_vocabularies() {
    let frequencies = [
        Frequency::Weekly,
        Frequency::Biweekly,
        Frequency::SemiMonthly {
            first_day: 1,
            second_day: 15,
        },
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::SemiAnnual,
        Frequency::Annual,
    ];
    for f in frequencies {
        let tag = serde_tag(&f, None);
        assert_eq!(tag, f.name().replace('-', "_"), "{f:?}");
        assert!(f.to_string().starts_with(f.name()));
        assert_eq!(f.to_string().parse::<Frequency>().unwrap(), f);
        assert_eq!(
            serde_json::from_value::<Frequency>(serde_json::to_value(f).unwrap()).unwrap(),
            f
        );
    }
    assert_eq!(
        Frequency::SemiMonthly {
            first_day: 5,
            second_day: 20
        }
        .to_string(),
        "semi-monthly 5,20"
    );
    assert_eq!(Frequency::EveryNDays(15).to_string(), "every 15 days");
    assert_eq!(
        serde_json::to_string(&Frequency::EveryNDays(15)).unwrap(),
        r#"{"every_n_days":15}"#
    );

    let methods = [
        AmortizationMethod::EqualInstallments,
        AmortizationMethod::EqualPrincipal,
        AmortizationMethod::FlatInterest,
        AmortizationMethod::InterestOnly,
        AmortizationMethod::FixedInstallment { amount: dec!(150) },
    ];
    let names: Vec<&str> = methods.iter().map(AmortizationMethod::name).collect();
    assert_eq!(names, AmortizationMethod::NAMES);
    for m in methods {
        assert_eq!(serde_tag(&m, None), m.name());
        assert_eq!(m.to_string(), m.name());
        let parsed = AmortizationMethod::parse_with_amount(m.name(), Some(dec!(150))).unwrap();
        assert_eq!(parsed, m);
    }
    let err = "fixed_installment"
        .parse::<AmortizationMethod>()
        .unwrap_err();
    assert_eq!(err.field(), Some("method"));
    assert!(
        err.to_string().contains("needs an installment amount"),
        "{err}"
    );

    let strategies = [
        Strategy::Avalanche,
        Strategy::Snowball,
        Strategy::Custom(vec!["card".into()]),
    ];
    for s in &strategies {
        assert_eq!(serde_tag(s, None), s.name());
        assert_eq!(s.to_string(), s.name());
    }
    assert_eq!("Snowball".parse::<Strategy>().unwrap(), Strategy::Snowball);
    assert_eq!(
        "custom".parse::<Strategy>().unwrap_err().field(),
        Some("strategy")
    );

    let reasons = [
        TransitionReason::Closed,
        TransitionReason::BalanceReappeared,
        TransitionReason::DefaultedByOwner,
        TransitionReason::PastDueThreshold { days_past_due: 91 },
        TransitionReason::Cured,
    ];
    let names: Vec<&str> = reasons.iter().map(TransitionReason::name).collect();
    assert_eq!(names, TransitionReason::NAMES);
    for r in reasons {
        assert_eq!(serde_tag(&r, Some("kind")), r.name());
        assert!(r.to_string().starts_with(r.name()));
        if r.name() != "past_due_threshold" {
            assert_eq!(r.name().parse::<TransitionReason>().unwrap(), r);
        }
    }
    assert_eq!(
        TransitionReason::PastDueThreshold { days_past_due: 91 }.to_string(),
        "past_due_threshold (91 days past due)"
    );
}

/// The variant tag of a serde value: the string itself, the single key of an externally
/// tagged object, or the `tag` field of an internally tagged one.
fn serde_tag<T: Serialize>(value: &T, tag: Option<&str>) -> String {
    let v = serde_json::to_value(value).unwrap();
    match (v, tag) {
        (serde_json::Value::String(s), None) => s,
        (serde_json::Value::Object(map), Some(tag)) => map[tag].as_str().unwrap().to_owned(),
        (serde_json::Value::Object(map), None) => {
            assert_eq!(map.len(), 1);
            map.keys().next().unwrap().clone()
        }
        (other, _) => panic!("unexpected serde form {other}"),
    }
}
