//! Golden tests of `tests/data/vectors/conventions.json` (lender conventions), one test per
//! convention, through the core's public API. The vectors were computed with 60-digit decimals
//! and exact fractions by two implementations (see the file's `provenance` and the README).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::{Months, NaiveDate};
use loansyncro_core::finance::apr::{apr, CashFlow, UnitPeriod};
use loansyncro_core::{
    AmortizationMethod, BalancePrecision, DayCount, Frequency, LoanTerms, LoanTermsBuilder, Rate,
    RateChange, RoundingMode, Schedule,
};
use rust_decimal::Decimal;
use serde_json::Value;

fn load() -> Value {
    let path = format!(
        "{}/tests/data/vectors/conventions.json",
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

/// The cases of one convention (at least one).
fn cases(convention: &str) -> Vec<Value> {
    let all = load();
    let out: Vec<Value> = all["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["convention"] == convention)
        .cloned()
        .collect();
    assert!(!out.is_empty(), "no case of {convention}");
    out
}

/// Default start of the vectors without one (the schedules only need a date).
fn default_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
}

/// The builder of a schedule vector's `terms` (the README's names mapped to the core's).
fn builder_from(t: &Value) -> LoanTermsBuilder {
    let rounding = match t["rounding"].as_str().unwrap_or("half_up") {
        "half_even" => RoundingMode::HalfEven,
        "half_up" => RoundingMode::HalfUp,
        other => panic!("rounding {other}"),
    };
    let frequency = Frequency::from_str(t["frequency"].as_str().unwrap()).unwrap();
    let start = if t["start"].is_null() {
        default_start()
    } else {
        date(&t["start"])
    };
    let mut b = LoanTerms::builder()
        .currency(t["currency"].as_str().unwrap().parse().unwrap())
        .principal(dec(&t["principal"]))
        .annual_rate_percent(dec(&t["annual_rate_percent"]))
        .frequency(frequency)
        .day_count(DayCount::from_str(t["day_count"].as_str().unwrap()).unwrap())
        .payment_rounding(rounding)
        .interest_rounding(rounding)
        .start(start);
    if let Some(n) = t["installments"].as_u64() {
        b = b.installments(n as u32);
    }
    if !t["first_due"].is_null() {
        b = b.first_due(date(&t["first_due"]));
    }
    b
}

fn schedule_of(case: &Value, b: LoanTermsBuilder) -> Schedule {
    let id = case["id"].as_str().unwrap();
    b.build()
        .unwrap_or_else(|e| panic!("{id}: {e}"))
        .schedule()
        .unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Compares the expected rows (all of them when `rows_complete`, else those listed, by `n`),
/// and the expected totals present in `expected`.
fn check_rows(case: &Value, s: &Schedule, failures: &mut Vec<String>) {
    let id = case["id"].as_str().unwrap();
    let e = &case["expected"];
    let rows = e["rows"].as_array().unwrap();
    if e["rows_complete"].as_bool() == Some(true) && rows.len() != s.len() {
        failures.push(format!("{id}: {} rows, expected {}", s.len(), rows.len()));
    }
    for row in rows {
        let n = row["n"].as_u64().unwrap() as usize;
        let Some(got) = s.installments().get(n - 1) else {
            failures.push(format!("{id}: no row {n}"));
            continue;
        };
        for (field, value) in [
            ("payment", got.payment()),
            ("interest", got.interest()),
            ("principal", got.principal()),
            ("balance", got.balance()),
        ] {
            if value != dec(&row[field]) {
                failures.push(format!("{id} row {n}: {field} {value} != {}", row[field]));
            }
        }
        if !row["date"].is_null() && got.due_date() != date(&row["date"]) {
            failures.push(format!("{id} row {n}: date {}", got.due_date()));
        }
    }
    let totals = s.totals();
    let last = s.last().unwrap();
    for (field, value) in [
        ("total_interest", totals.interest),
        ("total_paid", totals.paid),
        ("final_payment", last.payment()),
        ("principal_column_sum", totals.principal),
    ] {
        if !e[field].is_null() && value != dec(&e[field]) {
            failures.push(format!("{id}: {field} {value} != {}", e[field]));
        }
    }
    if let Some(n) = e["installments"].as_u64() {
        if s.len() as u64 != n {
            failures.push(format!("{id}: {} installments != {n}", s.len()));
        }
    }
}

fn report(convention: &str, failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{convention}: {} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn payment_tie() {
    let mut failures = Vec::new();
    for case in cases("payment_tie") {
        let s = schedule_of(&case, builder_from(&case["terms"]));
        let e = &case["expected"];
        if s.regular_payment() != dec(&e["payment"]) {
            failures.push(format!(
                "{}: payment {} != {} (exact {})",
                case["id"],
                s.regular_payment(),
                e["payment"],
                e["exact_payment"]
            ));
        }
        check_rows(&case, &s, &mut failures);
    }
    report("payment_tie", failures);
}

/// `balance_tracking: carry_precision` of the vectors is the core's spreadsheet table; the
/// fixed-payment variant is a fixed installment.
fn spreadsheet_builder(t: &Value) -> LoanTermsBuilder {
    assert_eq!(t["balance_tracking"], "carry_precision");
    let b = builder_from(t).balance_precision(BalancePrecision::Spreadsheet);
    match t.get("payment") {
        Some(p) => b.method(AmortizationMethod::FixedInstallment { amount: dec(p) }),
        None => b,
    }
}

#[test]
fn carry_precision() {
    let mut failures = Vec::new();
    for case in cases("carry_precision") {
        let s = schedule_of(&case, spreadsheet_builder(&case["terms"]));
        if s.regular_payment() != dec(&case["expected"]["payment"]) {
            failures.push(format!("{}: payment {}", case["id"], s.regular_payment()));
        }
        check_rows(&case, &s, &mut failures);
    }
    report("carry_precision", failures);
}

#[test]
fn carry_precision_fixed_payment() {
    let mut failures = Vec::new();
    for case in cases("carry_precision_fixed_payment") {
        let terms = spreadsheet_builder(&case["terms"]).build().unwrap();
        assert_eq!(
            u64::from(terms.installments()),
            case["expected"]["installments"].as_u64().unwrap()
        );
        let s = schedule_of(&case, terms.to_builder());
        check_rows(&case, &s, &mut failures);
    }
    report("carry_precision_fixed_payment", failures);
}

#[test]
fn actual_360_amortizing_30_360() {
    let mut failures = Vec::new();
    for case in cases("actual_360_amortizing_30_360") {
        let t = &case["terms"];
        let b = builder_from(t)
            .installments(t["term_months"].as_u64().unwrap() as u32)
            .amortization_installments(t["amortization_months"].as_u64().unwrap() as u32)
            .payment_day_count(DayCount::Thirty360Us);
        let s = schedule_of(&case, b);
        let e = &case["expected"];
        if s.regular_payment() != dec(&e["payment"]) {
            failures.push(format!("{}: payment {}", case["id"], s.regular_payment()));
        }
        let last = s.last().unwrap();
        let balloon = last.payment() - s.regular_payment();
        if balloon != dec(&e["balloon_balance"]) {
            failures.push(format!("{}: balloon {balloon}", case["id"]));
        }
        // Each row's days are the actual days of its period.
        for row in e["rows"].as_array().unwrap() {
            let n = row["n"].as_u64().unwrap() as usize;
            let due = s.installments()[n - 1].due_date();
            let from = if n == 1 {
                date(&t["start"])
            } else {
                s.installments()[n - 2].due_date()
            };
            if (due - from).num_days() != row["days"].as_i64().unwrap() {
                failures.push(format!("{} row {n}: days", case["id"]));
            }
        }
        check_rows(&case, &s, &mut failures);
    }
    report("actual_360_amortizing_30_360", failures);
}

fn flows(v: &Value) -> Vec<CashFlow> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| CashFlow {
            date: date(&f["date"]),
            amount: dec(&f["amount"]),
        })
        .collect()
}

/// `"258/365"` as the decimal quotient.
fn ratio(v: &Value) -> Decimal {
    let (n, d) = v.as_str().unwrap().split_once('/').unwrap();
    Decimal::from_str(n).unwrap() / Decimal::from_str(d).unwrap()
}

fn check_apr(convention: &str) {
    let mut failures = Vec::new();
    for case in cases(convention) {
        let (t, e, id) = (&case["terms"], &case["expected"], &case["id"]);
        let unit = UnitPeriod::from_str(t["unit_period"].as_str().unwrap()).unwrap();
        let (advances, payments) = (flows(&t["advances"]), flows(&t["payments"]));
        assert_eq!(
            advances[0].amount,
            dec(&t["principal"]) - dec(&t["prepaid_finance_charge"])
        );
        if unit.per_year().unwrap() != Decimal::from(e["unit_periods_per_year"].as_u64().unwrap()) {
            failures.push(format!(
                "{id}: unit periods a year {}",
                unit.per_year().unwrap()
            ));
        }
        let (periods, fraction) = unit.time(advances[0].date, payments[0].date).unwrap();
        if u64::from(periods) != e["first_payment_t"].as_u64().unwrap()
            || fraction != ratio(&e["first_payment_f"])
        {
            failures.push(format!("{id}: first payment t {periods}, f {fraction}"));
        }
        let rate = apr(&advances, &payments, unit).unwrap() * Decimal::ONE_HUNDRED;
        if rate.round_dp(4) != dec(&e["apr_percent"]) {
            failures.push(format!("{id}: APR {rate} != {}", e["apr_percent"]));
        }
        if (rate - dec(&e["apr_percent_6dp"])).abs() > Decimal::new(5, 7) {
            failures.push(format!(
                "{id}: APR {rate} != {} (6 dp)",
                e["apr_percent_6dp"]
            ));
        }
        let unit_rate = rate / Decimal::ONE_HUNDRED / unit.per_year().unwrap();
        if (unit_rate - dec(&e["unit_period_rate"])).abs() > Decimal::new(1, 12) {
            failures.push(format!("{id}: unit-period rate {unit_rate}"));
        }
    }
    report(convention, failures);
}

#[test]
fn apr_year_unit_odd_days() {
    check_apr("apr_year_unit_odd_days");
}

#[test]
fn apr_semimonth_week_odd_days() {
    check_apr("apr_semimonth_week_odd_days");
}

/// The ARM terms: adjustment numbers as given; a rate change "from payment k" is effective on
/// the start of period k (due date k − 1 = start + k − 1 months); the cap percent as a factor.
fn arm_builder(t: &Value) -> LoanTermsBuilder {
    let start = default_start();
    let numbers = t["adjustment_payment_numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_u64().unwrap() as u32)
        .collect();
    let changes = t["rate_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| RateChange {
            effective: plus_months(start, c["payment_number"].as_u64().unwrap() as u32 - 1),
            annual_rate: Rate::from_percent(dec(&c["annual_rate_percent"])).unwrap(),
        })
        .collect();
    let b = builder_from(t)
        .adjustment_payment_numbers(numbers)
        .rate_changes(changes);
    match t.get("payment_cap_percent") {
        Some(c) => b.payment_cap_percent(dec(c)),
        None => b,
    }
}

#[test]
fn arm_periodic_recast() {
    let mut failures = Vec::new();
    for case in cases("arm_periodic_recast") {
        let (e, id) = (&case["expected"], &case["id"]);
        let s = schedule_of(&case, arm_builder(&case["terms"]));
        if s.regular_payment() != dec(&e["initial_payment"]) {
            failures.push(format!("{id}: initial payment {}", s.regular_payment()));
        }
        let expected = e["adjustments"].as_array().unwrap();
        if s.adjustments().len() != expected.len() {
            failures.push(format!("{id}: {} adjustments", s.adjustments().len()));
        }
        for (want, got) in expected.iter().zip(s.adjustments()) {
            let recast = want.get("recast_payment").unwrap_or(&want["payment"]);
            if u64::from(got.payment_number) != want["payment_number"].as_u64().unwrap()
                || got.annual_rate.percent() != dec(&want["annual_rate_percent"])
                || got.balance_before != dec(&want["balance_before"])
                || u64::from(got.remaining_installments)
                    != want["remaining_installments"].as_u64().unwrap()
                || got.recast_payment != dec(recast)
                || got.payment != dec(&want["payment"])
            {
                failures.push(format!("{id}: adjustment {got:?} != {want}"));
            }
        }
        for row in e["rows"].as_array().unwrap() {
            let n = row["n"].as_u64().unwrap() as usize;
            let rate = s
                .adjustments()
                .iter()
                .rev()
                .find(|a| a.payment_number as usize <= n)
                .map(|a| a.annual_rate.percent())
                .unwrap_or(dec(&case["terms"]["annual_rate_percent"]));
            if rate != dec(&row["annual_rate_percent"]) {
                failures.push(format!("{id} row {n}: rate {rate}"));
            }
        }
        if let Some(rows) = e["negative_amortization_rows"].as_u64() {
            let flagged = s
                .installments()
                .iter()
                .filter(|r| r.negative_amortization())
                .count();
            if flagged as u64 != rows {
                failures.push(format!("{id}: {flagged} negative-amortization rows"));
            }
            let capitalized: Decimal = s
                .installments()
                .iter()
                .filter(|r| r.principal() < Decimal::ZERO)
                .map(|r| -r.principal())
                .sum();
            if capitalized != dec(&e["total_capitalized_interest"]) {
                failures.push(format!("{id}: capitalized {capitalized}"));
            }
            let (at, max) = s
                .installments()
                .iter()
                .map(|r| (r.number(), r.balance()))
                .max_by_key(|(_, b)| *b)
                .unwrap();
            if max != dec(&e["max_balance"])
                || u64::from(at) != e["max_balance_after_payment"].as_u64().unwrap()
            {
                failures.push(format!("{id}: max balance {max} after {at}"));
            }
        }
        check_rows(&case, &s, &mut failures);
    }
    report("arm_periodic_recast", failures);
}

/// Adds `months` to `d` (for payment numbers mapped to dates).
fn plus_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap()
}
