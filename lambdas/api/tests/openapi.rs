//! The generated OpenAPI document against the router (every operation of the contract is
//! documented and routed, nothing else), against the committed copy (drift test), and against
//! real answers (each answer of a scripted session validates against its documented schema).
#![allow(clippy::unwrap_used, clippy::panic)]

mod common;

use common::*;
use http::{Method, StatusCode};
use loansyncro_api::openapi::{document, document_text};
use serde_json::{json, Value};

/// The API's operations (method, path template, operation id): the contract the document must
/// keep (clients generate code from these ids).
const OPERATIONS: &[(&str, &str, &str)] = &[
    ("get", "/loans", "listLoans"),
    ("post", "/loans", "createLoan"),
    ("get", "/loans/{loan_id}", "getLoan"),
    ("put", "/loans/{loan_id}", "updateLoan"),
    ("delete", "/loans/{loan_id}", "deleteLoan"),
    ("get", "/loans/{loan_id}/schedule", "getSchedule"),
    ("get", "/loans/{loan_id}/position", "getPosition"),
    ("get", "/loans/{loan_id}/postings", "getPostings"),
    ("post", "/loans/{loan_id}/status", "setStatus"),
    ("post", "/loans/{loan_id}/reconcile", "reconcileStatement"),
    ("post", "/loans/mid-term", "createMidTermLoan"),
    ("post", "/loans/{loan_id}/renewals", "renewLoan"),
    ("get", "/loans/{loan_id}/timeline", "getTimeline"),
    ("get", "/repayments", "groupedRepayments"),
    ("post", "/repayments", "recordRepayment"),
    ("put", "/repayments/{repayment_id}", "updateRepayment"),
    ("delete", "/repayments/{repayment_id}", "deleteRepayment"),
    ("get", "/repayments/summary", "dashboard"),
    ("get", "/repayments/loan/{loan_id}", "loanRepayments"),
    ("get", "/me", "me"),
    ("get", "/openapi.json", "openapi"),
    ("get", "/loans/{loan_id}/payoff", "getPayoff"),
    ("post", "/loans/{loan_id}/what-if", "whatIf"),
    ("post", "/plan", "plan"),
    ("patch", "/loans/{loan_id}", "patchLoan"),
    ("post", "/loans/{loan_id}/recurring", "createRecurringPlan"),
    ("get", "/loans/{loan_id}/recurring", "listRecurringPlans"),
    (
        "delete",
        "/loans/{loan_id}/recurring",
        "deleteRecurringPlans",
    ),
    (
        "delete",
        "/loans/{loan_id}/recurring/{plan_id}",
        "deleteRecurringPlan",
    ),
    ("post", "/loans/{loan_id}/corrections", "recordCorrection"),
    ("get", "/loans/{loan_id}/corrections", "listCorrections"),
    (
        "delete",
        "/loans/{loan_id}/corrections/{correction_id}",
        "deleteCorrection",
    ),
    ("get", "/loans/{loan_id}/biweekly", "getBiweeklyComparison"),
    ("post", "/compare/biweekly", "compareBiweekly"),
    ("post", "/batch/positions", "batchPositions"),
    ("post", "/batch/schedules", "batchSchedules"),
];

fn concrete(path: &str) -> String {
    path.replace("{loan_id}", "loan_x")
        .replace("{repayment_id}", "rep_x")
        .replace("{plan_id}", "plan_x")
        .replace("{correction_id}", "corr_x")
}

#[test]
fn documents_exactly_the_operations_of_the_contract() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            documented.push((method.clone(), path.clone(), op["operationId"].clone()));
            for parameter in op["parameters"].as_array().into_iter().flatten() {
                let types = &parameter["schema"]["type"];
                assert!(
                    types.is_string(),
                    "{method} {path} {parameter}: one type, never null"
                );
            }
            assert!(op["responses"]["default"].is_object(), "{method} {path}");
            assert_eq!(
                op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error",
                "{method} {path}"
            );
        }
    }
    let mut expected: Vec<_> = OPERATIONS
        .iter()
        .map(|(m, p, id)| ((*m).to_owned(), (*p).to_owned(), json!(id)))
        .collect();
    documented.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    expected.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(documented, expected);
}

#[test]
fn security_is_the_cognito_bearer_scheme_except_for_the_document() {
    let doc = document();
    assert_eq!(doc["security"], json!([{ "bearerAuth": [] }]));
    let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(scheme["bearerFormat"], "JWT");
    assert_eq!(doc["paths"]["/openapi.json"]["get"]["security"], json!([]));
    assert!(doc["paths"]["/loans"]["get"].get("security").is_none());
}

#[test]
fn decimals_are_patterned_strings_and_dates_have_the_date_format() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Decimal"],
        json!({
            "type": "string",
            "pattern": loansyncro_api::schema::DECIMAL_PATTERN,
            "description": "An exact decimal as a string (never a binary float)",
            "examples": ["1250.00"]
        })
    );
    assert_eq!(
        schemas["Loan"]["properties"]["amount"]["$ref"],
        "#/components/schemas/Decimal"
    );
    assert_eq!(
        schemas["Loan"]["properties"]["start_date"]["format"],
        "date"
    );
    assert_eq!(schemas["Repayment"]["properties"]["date"]["format"], "date");
    assert_eq!(
        schemas["Loan"]["properties"]["created_at"]["format"],
        "date-time"
    );
    // Inputs take a decimal string or a JSON number.
    let amount = &schemas["AmountInput"]["oneOf"];
    assert_eq!(
        amount[0]["pattern"],
        loansyncro_api::schema::DECIMAL_PATTERN
    );
    assert_eq!(amount[1]["type"], "number");
    // Bodies reject unknown fields, as the server does.
    for input in [
        "LoanInput",
        "TermsInput",
        "RepaymentInput",
        "RepaymentUpdateInput",
        "StatusInput",
    ] {
        assert_eq!(schemas[input]["additionalProperties"], false, "{input}");
    }
    // The error body and its codes.
    assert_eq!(schemas["Error"]["required"], json!(["error"]));
    let description = doc["paths"]["/loans"]["post"]["responses"]["default"]["description"]
        .as_str()
        .unwrap();
    for code in [
        "validation",
        "malformed_json",
        "unauthorized",
        "not_found",
        "conflict",
        "precondition_failed",
        "overpayment",
        "storage",
    ] {
        assert!(description.contains(&format!("`{code}`")), "{code}");
    }
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_nothing_else() {
    let h = harness();
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "delete", "patch"] {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = call(&h.router, m, &concrete(path), None, None).await;
            if item.get(method).is_some() {
                // Routed: protected routes answer 401 without a token; the document 200.
                let expected = if path == "/openapi.json" {
                    StatusCode::OK
                } else {
                    StatusCode::UNAUTHORIZED
                };
                assert_eq!(r.status, expected, "{method} {path}");
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is routed but not documented"
                );
            }
        }
    }
    for undocumented in [
        "/",
        "/loans/a/b",
        "/repayments/loan/a/b",
        "/users",
        "/loans/x/schedule/y",
    ] {
        let r = call(&h.router, Method::GET, undocumented, None, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{undocumented}");
    }
}

#[tokio::test]
async fn served_without_auth_and_committed_copy_is_current() {
    let h = harness();
    let r = call(&h.router, Method::GET, "/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body, document());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == document_text(),
        "lambdas/api/openapi.json differs from the generated document: run \
         cargo run -q -p loansyncro-api --example openapi > lambdas/api/openapi.json"
    );
}

// ---------------------------------------------------------------------------------------------
// Answers against their schemas
// ---------------------------------------------------------------------------------------------

/// Checks `value` against `schema` (the subset of JSON Schema the document uses); returns the
/// first violation with its JSON path.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let name = target.trim_start_matches("#/components/schemas/");
        return check(doc, &doc["components"]["schemas"][name], value, at);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| check(doc, o, value, at).is_ok())
            .count();
        return match matching {
            1 => Ok(()),
            n => Err(format!("{at}: {value} matches {n} of the oneOf options")),
        };
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
            other => return Err(format!("{at}: bad type {other}")),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = types.contains(&actual) || (actual == "integer" && types.contains(&"number"));
        if !ok {
            return Err(format!("{at}: {value} is not {types:?}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    if let (Some(n), Some(min)) = (
        value.as_f64(),
        schema.get("minimum").and_then(Value::as_f64),
    ) {
        if n < min {
            return Err(format!("{at}: {n} < {min}"));
        }
    }
    if let Value::String(s) = value {
        if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
            let ok = match pattern {
                p if p == loansyncro_api::schema::DECIMAL_PATTERN => {
                    let digits = s.strip_prefix('-').unwrap_or(s);
                    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
                    !int.is_empty()
                        && !frac.is_empty()
                        && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
                }
                "^[A-Z]{3}$" => s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()),
                other => return Err(format!("{at}: the test does not know the pattern {other}")),
            };
            if !ok {
                return Err(format!("{at}: {s:?} does not match {pattern}"));
            }
        }
        match schema.get("format").and_then(Value::as_str) {
            Some("date") if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() => {
                return Err(format!("{at}: {s:?} is not a date"))
            }
            Some("date-time") if chrono::DateTime::parse_from_rfc3339(s).is_err() => {
                return Err(format!("{at}: {s:?} is not a date-time"))
            }
            _ => {}
        }
    }
    if let Value::Object(map) = value {
        let empty = serde_json::Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = required.as_str().unwrap_or_default();
            if !map.contains_key(key) {
                return Err(format!("{at}: required {key} is missing"));
            }
        }
        for (key, item) in map {
            match properties.get(key) {
                Some(property) => check(doc, property, item, &format!("{at}.{key}"))?,
                // Answers carry only documented fields (the DTOs are the schemas).
                None if schema.get("properties").is_some() => {
                    return Err(format!("{at}: {key} is not documented"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(list), Some(items)) = (value, schema.get("items")) {
        for (i, item) in list.iter().enumerate() {
            check(doc, items, item, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

/// The documented schema of `method path` answering `status` (`default` otherwise).
fn response_schema(doc: &Value, method: &Method, template: &str, status: StatusCode) -> Value {
    let responses = &doc["paths"][template][method.as_str().to_lowercase()]["responses"];
    let response = responses
        .get(status.as_str())
        .unwrap_or(&responses["default"]);
    response["content"]["application/json"]["schema"].clone()
}

async fn checked(
    h: &Harness,
    method: Method,
    uri: &str,
    template: &str,
    body: Option<Value>,
) -> Reply {
    let doc = document();
    let r = call(&h.router, method.clone(), uri, Some(&token("alice")), body).await;
    let schema = response_schema(&doc, &method, template, r.status);
    if r.status != StatusCode::NO_CONTENT {
        if let Err(e) = check(&doc, &schema, &r.body, "$") {
            panic!("{method} {uri} answered {}: {e}\n{}", r.status, r.body);
        }
    }
    r
}

#[tokio::test]
async fn every_answer_of_a_session_validates_against_the_document() {
    let h = harness();
    let terms = json!({
        "currency": "EUR",
        "frequency": "monthly",
        "method": "equal_installments",
        "day_count": "actual/360",
        "payment_day_count": "30/360",
        "grace": { "principal_periods": 1 },
        "rate_changes": [{ "effective": "2025-07-01", "annual_rate": "0.07" }],
        "adjustment_payment_numbers": [7],
        "payment_cap_percent": "7.5",
        "default_after_days_past_due": 90
    });
    let mut body = loan_body("validated");
    body["terms"] = terms;
    let r = checked(&h, Method::POST, "/loans", "/loans", Some(body.clone())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let loan = format!("/loans/{id}");
    checked(&h, Method::GET, &loan, "/loans/{loan_id}", None).await;
    checked(&h, Method::GET, "/loans?limit=1", "/loans", None).await;
    checked(&h, Method::PUT, &loan, "/loans/{loan_id}", Some(body)).await;
    let schedule = format!("{loan}/schedule");
    let r = checked(
        &h,
        Method::GET,
        &schedule,
        "/loans/{loan_id}/schedule",
        None,
    )
    .await;
    assert_eq!(r.body["installments"].as_array().unwrap().len(), 12);
    let position = format!("{loan}/position?as_of=2025-03-15");
    checked(
        &h,
        Method::GET,
        &position,
        "/loans/{loan_id}/position",
        None,
    )
    .await;
    let pay = json!({ "loan_id": id, "amount": "90.00", "date": "2025-02-01", "notes": "x" });
    let r = checked(&h, Method::POST, "/repayments", "/repayments", Some(pay)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let repayment = format!(
        "/repayments/{}",
        r.body["repayment"]["id"].as_str().unwrap()
    );
    let edit = json!({ "amount": "95.00", "date": "2025-02-01" });
    let t = "/repayments/{repayment_id}";
    checked(&h, Method::PUT, &repayment, t, Some(edit)).await;
    checked(&h, Method::GET, "/repayments", "/repayments", None).await;
    let list = format!("/repayments/loan/{id}");
    checked(&h, Method::GET, &list, "/repayments/loan/{loan_id}", None).await;
    let summary = "/repayments/summary";
    checked(&h, Method::GET, summary, summary, None).await;
    checked(
        &h,
        Method::GET,
        "/repayments/summary?as_of=2025-03-01",
        summary,
        None,
    )
    .await;
    let status = format!("{loan}/status");
    let r = checked(
        &h,
        Method::POST,
        &status,
        "/loans/{loan_id}/status",
        Some(json!({ "status": "defaulted" })),
    )
    .await;
    assert_eq!(r.body["change"]["reason"]["kind"], "defaulted_by_owner");
    checked(&h, Method::DELETE, &repayment, t, None).await;
    checked(&h, Method::GET, "/me", "/me", None).await;
    // Errors validate against the error body.
    let r = checked(&h, Method::GET, "/loans/nope", "/loans/{loan_id}", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let bad = json!({ "loan_id": id, "amount": "1000000", "date": "2025-02-02" });
    let r = checked(&h, Method::POST, "/repayments", "/repayments", Some(bad)).await;
    assert_eq!(r.body["error"]["code"], "overpayment", "{}", r.body);
    checked(&h, Method::DELETE, &loan, "/loans/{loan_id}", None).await;
}

#[test]
fn the_validator_rejects_what_the_document_does_not_say() {
    let doc = document();
    let loan = json!({ "$ref": "#/components/schemas/Repayment" });
    let good = json!({
        "id": "r", "loan_id": "l", "amount": "1.00", "date": "2025-01-01", "notes": "",
        "idempotency_key": null, "created_at": "2025-01-01T00:00:00Z"
    });
    assert_eq!(check(&doc, &loan, &good, "$"), Ok(()));
    for (key, bad) in [
        ("amount", json!(1.5)),
        ("amount", json!("1e3")),
        ("date", json!("2025-13-01")),
        ("extra", json!(1)),
    ] {
        let mut v = good.clone();
        v[key] = bad;
        assert!(check(&doc, &loan, &v, "$").is_err(), "{key}");
    }
    let mut v = good.clone();
    v.as_object_mut().unwrap().remove("created_at");
    assert!(check(&doc, &loan, &v, "$").is_err());
}

#[tokio::test]
async fn answers_of_the_quote_plan_and_patch_routes_validate_against_the_document() {
    let h = harness();
    let r = checked(
        &h,
        Method::POST,
        "/loans",
        "/loans",
        Some(loan_body("quotes")),
    )
    .await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let loan = format!("/loans/{id}");
    let payoff = "/loans/{loan_id}/payoff";
    for query in [
        "?as_of=2025-03-15",
        "?as_of=2025-03-15&rule=till_period_end",
        "?as_of=bad",
    ] {
        checked(
            &h,
            Method::GET,
            &format!("{loan}/payoff{query}"),
            payoff,
            None,
        )
        .await;
    }
    let what_if = json!({
        "recurring": "25", "recurring_from": 2, "policy": "reduce_payment", "include_schedule": true,
        "lump_sums": [{ "date": "2025-05-01", "amount": "100" }],
        "rate_changes": [{ "effective": "2025-07-01", "annual_rate": "0.09" }]
    });
    let t = "/loans/{loan_id}/what-if";
    let r = checked(
        &h,
        Method::POST,
        &format!("{loan}/what-if"),
        t,
        Some(what_if),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    checked(
        &h,
        Method::POST,
        &format!("{loan}/what-if"),
        t,
        Some(json!({})),
    )
    .await;
    let plan = json!({ "monthly_budget": "200", "strategy": "snowball", "start": "2025-07-01" });
    let r = checked(&h, Method::POST, "/plan", "/plan", Some(plan)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let custom = json!({ "monthly_budget": "200", "strategy": "custom", "order": [id] });
    checked(&h, Method::POST, "/plan", "/plan", Some(custom)).await;
    let r = checked(
        &h,
        Method::PATCH,
        &loan,
        "/loans/{loan_id}",
        Some(json!({ "title": "t" })),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = checked(
        &h,
        Method::PATCH,
        &loan,
        "/loans/{loan_id}",
        Some(json!({ "amount": 1 })),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn answers_of_the_timeline_routes_validate_against_the_document() {
    let h = harness();
    let current = json!({"title": "Entered", "current": {"balance": "182450.17",
        "interest_rate": "5.25", "payment": "1325.00", "next_due_date": "2026-03-01"}});
    let r = checked(
        &h,
        Method::POST,
        "/loans/mid-term",
        "/loans/mid-term",
        Some(current),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let original = json!({"title": "House",
        "original": {"amount": "250000", "interest_rate": "6.5", "term_months": 360,
                     "start_date": "2021-01-01"},
        "opening": {"date": "2025-01-15", "balance": "238000.00"}});
    let r = checked(
        &h,
        Method::POST,
        "/loans/mid-term",
        "/loans/mid-term",
        Some(original),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let entered = r.body["loan"]["id"].as_str().unwrap().to_owned();
    checked(
        &h,
        Method::POST,
        "/loans/mid-term",
        "/loans/mid-term",
        Some(json!({"title": "x"})),
    )
    .await;
    let r = checked(
        &h,
        Method::POST,
        "/loans",
        "/loans",
        Some(loan_body("renewed")),
    )
    .await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let renewal = json!({"effective_date": "2025-07-01", "interest_rate": "9", "term_months": 3});
    let t = "/loans/{loan_id}/renewals";
    let r = checked(
        &h,
        Method::POST,
        &format!("/loans/{id}/renewals"),
        t,
        Some(renewal),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let t = "/loans/{loan_id}/timeline";
    for loan in [&id, &entered] {
        let r = checked(&h, Method::GET, &format!("/loans/{loan}/timeline"), t, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = checked(
        &h,
        Method::GET,
        &format!("/loans/{id}"),
        "/loans/{loan_id}",
        None,
    )
    .await;
    assert_eq!(r.body["terms"]["renewals"][0]["term_installments"], 3);
}
