//! The debt payoff planner (`loansyncro_core::ledger::planner::plan`): input and result in the core's
//! wire forms.

use loansyncro_core::ledger::planner::{self, PlanInput};
use loansyncro_core::Result;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::wire::{json, to_json};

/// Plans `input` (JSON of the core's `PlanInput`); the result is JSON of `PlanResult`.
pub fn plan_impl(input: &str) -> Result<String> {
    let input: PlanInput = json("", input)?;
    to_json(&planner::plan(&input)?)
}

/// See [`plan_impl`].
#[wasm_bindgen]
pub fn plan(input: &str) -> Result<String, JsValue> {
    js(plan_impl(input))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn avalanche_doc_example() {
        let r = plan_impl(
            r#"{"currency":"USD","monthly_budget":"300","strategy":"avalanche","start":"2025-01-31",
               "debts":[{"id":"card","name":"Card","balance":"1000","annual_rate":"0.24","minimum_payment":"50"},
                        {"id":"car","name":"Car","balance":"500","annual_rate":"0.06","minimum_payment":"50"}]}"#,
        )
        .unwrap();
        assert!(r.contains(r#""months_to_debt_free":6"#));
        let e = plan_impl(r#"{"currency":"USD","monthly_budget":"1","strategy":"avalanche","start":"2025-01-31","debts":[]}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("debts"));
    }
}
