//! Golden tests: every case in `tests/data/vectors/finance*.json` (numpy-financial and spreadsheet
//! documentation examples, and 2,000 generated cases checked against a 60-digit evaluation,
//! numpy-financial and LibreOffice) must come out within the case's tolerance, and every case
//! that expects an error must return one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use loansyncro_core::finance::{self, When};
use rust_decimal::Decimal;
use serde_json::Value;

fn load(name: &str) -> Value {
    let path = format!("{}/tests/data/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// How a vector file's input strings are to be read.
#[derive(Clone, Copy)]
enum Inputs {
    /// As the decimal numbers they spell.
    Decimal,
    /// As the binary64 floats whose shortest representation they are, expanded exactly (to
    /// Decimal's 28 digits): the reference of `finance-generated.json` evaluated those values.
    BinaryFloat,
}

thread_local! {
    static INPUTS: std::cell::Cell<Inputs> = const { std::cell::Cell::new(Inputs::Decimal) };
}

fn dec(args: &Value, key: &str) -> Decimal {
    if let (Inputs::BinaryFloat, Value::String(s)) = (INPUTS.with(|i| i.get()), &args[key]) {
        let float: f64 = s.parse().unwrap_or_else(|e| panic!("{key}={s}: {e}"));
        return Decimal::from_f64_retain(float).unwrap_or_else(|| panic!("{key}={s}"));
    }
    match &args[key] {
        Value::Null => Decimal::ZERO,
        Value::String(s) => Decimal::from_str(s)
            .or_else(|_| Decimal::from_scientific(s))
            .unwrap_or_else(|e| panic!("{key}={s}: {e}")),
        other => panic!("{key}: unexpected {other}"),
    }
}

/// Expected values and tolerances are always read as decimals.
fn exact(case: &Value, key: &str) -> Decimal {
    let s = case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing"));
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .unwrap_or_else(|e| panic!("{key}={s}: {e}"))
}

fn int(args: &Value, key: &str) -> u32 {
    u32::try_from(
        args[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} missing")),
    )
    .unwrap()
}

fn when(args: &Value) -> When {
    args["when"]
        .as_str()
        .map_or(When::End, |w| w.parse().unwrap())
}

fn evaluate(case: &Value) -> Result<Decimal, loansyncro_core::MathError> {
    let a = &case["args"];
    match case["fn"].as_str().unwrap() {
        "pmt" => finance::pmt(
            dec(a, "rate"),
            int(a, "nper"),
            dec(a, "pv"),
            dec(a, "fv"),
            when(a),
        ),
        "fv" => finance::fv(
            dec(a, "rate"),
            int(a, "nper"),
            dec(a, "pmt"),
            dec(a, "pv"),
            when(a),
        ),
        "pv" => finance::pv(
            dec(a, "rate"),
            int(a, "nper"),
            dec(a, "pmt"),
            dec(a, "fv"),
            when(a),
        ),
        "nper" => finance::nper(
            dec(a, "rate"),
            dec(a, "pmt"),
            dec(a, "pv"),
            dec(a, "fv"),
            when(a),
        ),
        "rate" => finance::rate(
            int(a, "nper"),
            dec(a, "pmt"),
            dec(a, "pv"),
            dec(a, "fv"),
            when(a),
        ),
        "ipmt" => finance::ipmt(
            dec(a, "rate"),
            int(a, "per"),
            int(a, "nper"),
            dec(a, "pv"),
            dec(a, "fv"),
            when(a),
        ),
        "ppmt" => finance::ppmt(
            dec(a, "rate"),
            int(a, "per"),
            int(a, "nper"),
            dec(a, "pv"),
            dec(a, "fv"),
            when(a),
        ),
        "cumipmt" => finance::cumipmt(
            dec(a, "rate"),
            int(a, "nper"),
            dec(a, "pv"),
            int(a, "start"),
            int(a, "end"),
            when(a),
        ),
        "cumprinc" => finance::cumprinc(
            dec(a, "rate"),
            int(a, "nper"),
            dec(a, "pv"),
            int(a, "start"),
            int(a, "end"),
            when(a),
        ),
        other => panic!("unknown function {other}"),
    }
}

/// Runs every case of a vector file; returns the number of cases checked.
fn check_file(name: &str, inputs: Inputs) -> usize {
    let data = load(name);
    let cases = data["cases"].as_array().unwrap();
    INPUTS.with(|i| i.set(inputs));
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let got = evaluate(case);
        if let Some(code) = case["expected_error"].as_str() {
            match got {
                Err(e) if e.code() == code => {}
                other => failures.push(format!("{id}: expected error {code}, got {other:?}")),
            }
            continue;
        }
        let expected = exact(case, "expected");
        let tolerance = if case["tolerance_abs"].is_string() {
            exact(case, "tolerance_abs")
        } else {
            exact(case, "tolerance_rel") * expected.abs()
        };
        match got {
            Ok(value) if (value - expected).abs() <= tolerance => {}
            other => failures.push(format!(
                "{id}: expected {expected} ± {tolerance}, got {other:?}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn documented_examples() {
    assert_eq!(check_file("finance.json", Inputs::Decimal), 68);
}

#[test]
fn generated_cases() {
    assert_eq!(
        check_file("finance-generated.json", Inputs::BinaryFloat),
        2000
    );
}
