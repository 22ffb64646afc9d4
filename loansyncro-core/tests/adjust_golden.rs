//! Golden tests of balance corrections and the biweekly comparison against the vectors of the
//! independent generator `scripts/vectors/adjust.py` (plain Python decimal, conventions in its
//! header), in `tests/data/adjust/`. Every amount must match to the cent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::str::FromStr;

use chrono::NaiveDate;
use loansyncro_core::ledger::{adjusted_position, LedgerAdjustment, LedgerPayment};
use loansyncro_core::schedule::biweekly::{compare_biweekly, BiweeklyOption, PlanSummary};
use loansyncro_core::{LoanTerms, Rate};
use rust_decimal::Decimal;
use serde_json::Value;

fn load(name: &str) -> Vec<Value> {
    let path = format!(
        "{}/tests/data/adjust/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(doc["provenance"]
        .as_str()
        .unwrap()
        .contains("scripts/vectors/adjust.py"));
    doc["cases"].as_array().unwrap().clone()
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("decimal string")).expect("decimal")
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("date"), "%Y-%m-%d").expect("date")
}

fn terms(t: &Value) -> LoanTerms {
    LoanTerms::builder()
        .principal(dec(&t["principal"]))
        .annual_rate(Rate::from_percent(dec(&t["annual_rate_percent"])).unwrap())
        .installments(u32::try_from(t["installments"].as_u64().unwrap()).unwrap())
        .start(date(&t["start"]))
        .build()
        .unwrap()
}

#[test]
fn corrections_match_the_independent_vectors() {
    let cases = load("corrections");
    assert_eq!(cases.len(), 7);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let terms = terms(&case["terms"]);
        assert_eq!(
            terms.schedule().unwrap().regular_payment(),
            dec(&case["installment"]),
            "{name}"
        );
        let payments: Vec<LedgerPayment> = case["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| LedgerPayment {
                date: date(&p["date"]),
                amount: dec(&p["amount"]),
            })
            .collect();
        let c = &case["correction"];
        let (d, stated) = (date(&c["date"]), dec(&c["stated_balance"]));
        // What the service books: stated minus the engine's balance on the date.
        let engine = adjusted_position(&terms, &payments, &[], d)
            .unwrap()
            .position
            .principal_outstanding;
        let e = &case["expected"];
        let adjustment = stated - engine;
        assert_eq!(adjustment, dec(&e["adjustment"]), "{name}: adjustment");
        let adj = [LedgerAdjustment {
            date: d,
            amount: adjustment,
        }];
        let at = adjusted_position(&terms, &payments, &adj, d).unwrap();
        assert_eq!(
            at.position.principal_outstanding,
            dec(&e["at_correction"]["principal_outstanding"]),
            "{name}: on the correction date"
        );
        let later = adjusted_position(&terms, &payments, &adj, date(&e["as_of"])).unwrap();
        let p = &e["position"];
        let got = [
            (
                "principal_outstanding",
                later.position.principal_outstanding,
            ),
            ("paid_interest", later.position.paid_interest),
            ("paid_principal", later.position.paid_principal),
            ("paid_total", later.position.paid_total),
            ("adjustments", later.adjustments),
        ];
        for (field, value) in got {
            assert_eq!(value, dec(&p[field]), "{name}: {field}");
        }
        assert_eq!(
            later.position.amount_due,
            Decimal::ZERO,
            "{name}: paid on time"
        );
    }
}

fn check_plan(name: &str, got: &PlanSummary, want: &Value) {
    assert_eq!(
        got.frequency.to_string(),
        want["frequency"].as_str().unwrap(),
        "{name}"
    );
    assert_eq!(got.payment, dec(&want["payment"]), "{name}: payment");
    assert_eq!(
        u64::from(got.installments),
        want["installments"].as_u64().unwrap(),
        "{name}: installments"
    );
    assert_eq!(
        got.total_paid,
        dec(&want["total_paid"]),
        "{name}: total paid"
    );
    assert_eq!(
        got.total_interest,
        dec(&want["total_interest"]),
        "{name}: total interest"
    );
    assert_eq!(
        got.payoff_date,
        date(&want["payoff_date"]),
        "{name}: payoff"
    );
}

fn check_option(name: &str, got: &BiweeklyOption, want: &Value) {
    check_plan(name, &got.plan, &want["plan"]);
    assert_eq!(
        got.interest_saved,
        dec(&want["interest_saved"]),
        "{name}: interest saved"
    );
    assert_eq!(
        got.days_saved,
        want["days_saved"].as_i64().unwrap(),
        "{name}: days saved"
    );
}

#[test]
fn biweekly_comparisons_match_the_independent_vectors() {
    let cases = load("biweekly");
    assert_eq!(cases.len(), 6);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let c = compare_biweekly(&terms(&case["terms"]), None).unwrap();
        let e = &case["expected"];
        assert_eq!(c.day_count.to_string(), e["day_count"].as_str().unwrap());
        check_plan(name, &c.monthly, &e["monthly"]);
        check_option(&format!("{name} biweekly"), &c.biweekly, &e["biweekly"]);
        check_option(
            &format!("{name} accelerated"),
            &c.accelerated,
            &e["accelerated"],
        );
    }
}
