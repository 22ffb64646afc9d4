//! The OpenAPI 3.1 document of the API, generated from this code (served at `/openapi.json`;
//! `lambdas/api/openapi.json` is its checked-in copy, kept in sync by a test). The route test
//! checks every documented operation against the router, and that nothing else is routed.

use serde_json::{json, Map, Value};

/// Every documented operation: (method, path template, operation id, summary).
pub const OPERATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "get",
        "/loans",
        "listLoans",
        "List the caller's loans (title search, pages)",
    ),
    ("post", "/loans", "createLoan", "Create a loan"),
    (
        "get",
        "/loans/{loan_id}",
        "getLoan",
        "Get a loan (ETag = version)",
    ),
    (
        "put",
        "/loans/{loan_id}",
        "updateLoan",
        "Replace a loan's terms (If-Match = ETag; mismatch 412)",
    ),
    (
        "delete",
        "/loans/{loan_id}",
        "deleteLoan",
        "Delete a loan and its repayments",
    ),
    (
        "get",
        "/loans/{loan_id}/schedule",
        "getSchedule",
        "The contractual schedule",
    ),
    (
        "get",
        "/loans/{loan_id}/position",
        "getPosition",
        "Where the loan stands on a date",
    ),
    (
        "post",
        "/loans/{loan_id}/status",
        "setStatus",
        "Mark defaulted, or cure (active)",
    ),
    (
        "get",
        "/repayments",
        "groupedRepayments",
        "Repayments grouped by loan, with totals and progress",
    ),
    (
        "post",
        "/repayments",
        "recordRepayment",
        "Record a repayment (Idempotency-Key honoured)",
    ),
    (
        "put",
        "/repayments/{repayment_id}",
        "updateRepayment",
        "Edit a repayment",
    ),
    (
        "delete",
        "/repayments/{repayment_id}",
        "deleteRepayment",
        "Delete a repayment",
    ),
    (
        "get",
        "/repayments/summary",
        "dashboard",
        "The dashboard: portfolio summary per currency",
    ),
    (
        "get",
        "/repayments/loan/{loan_id}",
        "loanRepayments",
        "The repayments of one loan",
    ),
    ("get", "/me", "me", "The caller's synced profile"),
    ("get", "/openapi.json", "openapi", "This document"),
];

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn decimal() -> Value {
    json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "examples": ["1250.00"] })
}

fn amount_in() -> Value {
    json!({
        "description": "A decimal string (\"1250.00\") or a JSON number, read exactly (never through binary floating point)",
        "oneOf": [
            { "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" },
            { "type": "number" }
        ]
    })
}

fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}

fn nullable(schema: Value) -> Value {
    json!({ "oneOf": [schema, { "type": "null" }] })
}

fn object(required: &[&str], props: Value, closed: bool) -> Value {
    let mut o = json!({ "type": "object", "required": required, "properties": props });
    if closed {
        o["additionalProperties"] = json!(false);
    }
    o
}

fn path_param(name: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true,
            "schema": { "type": "string", "minLength": 1, "maxLength": 128 } })
}

fn query_param(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": description })
}

fn schemas() -> Value {
    json!({
        "Error": object(&["error"], json!({
            "error": object(&["code", "message", "field"], json!({
                "code": { "type": "string" },
                "message": { "type": "string" },
                "field": { "type": ["string", "null"] },
                "payoff": decimal()
            }), false)
        }), false),
        "TermsInput": {
            "type": "object",
            "additionalProperties": false,
            "description": "The core's richer terms (LoanTermsBuilder wire form), every field optional",
            "properties": {
                "currency": { "type": "string", "pattern": "^[A-Z]{3}$" },
                "frequency": {},
                "first_due": date(),
                "method": {},
                "day_count": { "enum": ["30/360", "30E/360", "actual/360", "actual/364", "actual/365F", "actual/actual"] },
                "compounding": { "enum": ["nominal", "semi_annual", "annual"] },
                "payment_rounding": { "enum": ["half_up", "half_even", "up", "down"] },
                "interest_rounding": { "enum": ["half_up", "half_even", "up", "down"] },
                "installment_multiple": nullable(amount_in()),
                "balance_precision": { "enum": ["round_each_balance", "carry_precision"] },
                "balloon": nullable(amount_in()),
                "amortization_installments": { "type": ["integer", "null"], "minimum": 1 },
                "grace": { "type": "object" },
                "rate_changes": { "type": "array" },
                "payment_cap": nullable(amount_in()),
                "prepayment_policy": { "enum": ["reduce_term", "reduce_payment"] },
                "accrual": { "enum": ["scheduled", "daily"] }
            }
        },
        "LoanInput": object(&["title", "amount", "interest_rate", "term_months", "start_date"], json!({
            "title": { "type": "string", "minLength": 1, "maxLength": 200 },
            "amount": amount_in(),
            "interest_rate": amount_in(),
            "term_months": { "type": "integer", "minimum": 1, "maximum": 1200 },
            "start_date": date(),
            "description": { "type": ["string", "null"], "maxLength": 2000 },
            "terms": { "oneOf": [r("TermsInput"), { "type": "null" }] }
        }), true),
        "Loan": object(&["id", "title", "description", "amount", "interest_rate", "term_months", "start_date",
                          "monthly_payment", "total_amount", "total_interest", "status", "currency", "version",
                          "total_repaid", "repayment_count", "created_at", "updated_at", "terms"], json!({
            "id": { "type": "string" },
            "title": { "type": "string" },
            "description": { "type": "string" },
            "amount": decimal(),
            "interest_rate": decimal(),
            "term_months": { "type": "integer" },
            "start_date": date(),
            "monthly_payment": decimal(),
            "total_amount": decimal(),
            "total_interest": decimal(),
            "status": { "enum": ["active", "paid", "defaulted"] },
            "currency": { "type": "string" },
            "version": { "type": "integer", "minimum": 1 },
            "total_repaid": decimal(),
            "repayment_count": { "type": "integer" },
            "last_payment_date": { "oneOf": [date(), { "type": "null" }] },
            "created_at": { "type": "string", "format": "date-time" },
            "updated_at": { "type": "string", "format": "date-time" },
            "terms": { "type": "object" }
        }), false),
        "LoanPage": object(&["items", "next_cursor"], json!({
            "items": { "type": "array", "items": r("Loan") },
            "next_cursor": { "type": ["string", "null"] }
        }), false),
        "Installment": object(&["number", "due_date", "payment", "interest", "principal", "balance"], json!({
            "number": { "type": "integer" }, "due_date": date(), "payment": decimal(),
            "interest": decimal(), "principal": decimal(), "balance": decimal()
        }), false),
        "Schedule": object(&["loan_id", "currency", "installment", "totals", "installments"], json!({
            "loan_id": { "type": "string" }, "currency": { "type": "string" }, "installment": decimal(),
            "totals": { "type": "object" },
            "installments": { "type": "array", "items": r("Installment") }
        }), false),
        "Position": object(&["as_of", "principal_outstanding", "paid_total", "amount_due", "payoff_amount", "progress", "closed"], json!({
            "as_of": date(), "principal_outstanding": decimal(), "interest_accrued": decimal(),
            "paid_interest": decimal(), "paid_principal": decimal(), "paid_total": decimal(),
            "amount_due": decimal(), "days_past_due": { "type": "integer" },
            "next_due_date": { "oneOf": [date(), { "type": "null" }] }, "next_due_amount": decimal(),
            "installments_paid": { "type": "integer" }, "remaining_scheduled": decimal(),
            "progress": decimal(), "payoff_amount": decimal(), "closed": { "type": "boolean" },
            "projected": { "type": "array", "items": r("Installment") }
        }), false),
        "StatusChange": object(&["from", "to", "reason"], json!({
            "from": { "type": "string" }, "to": { "type": "string" }, "reason": { "type": "object" }
        }), false),
        "StatusInput": object(&["status"], json!({ "status": { "enum": ["defaulted", "active", "paid"] } }), true),
        "StatusResult": object(&["loan", "change"], json!({ "loan": r("Loan"), "change": r("StatusChange") }), false),
        "RepaymentInput": object(&["loan_id", "amount", "date"], json!({
            "loan_id": { "type": "string", "minLength": 1, "maxLength": 128 },
            "amount": amount_in(), "date": date(),
            "notes": { "type": ["string", "null"], "maxLength": 1000 }
        }), true),
        "RepaymentUpdateInput": object(&["amount", "date"], json!({
            "amount": amount_in(), "date": date(),
            "notes": { "type": ["string", "null"], "maxLength": 1000 }
        }), true),
        "Repayment": object(&["id", "loan_id", "amount", "date", "notes", "created_at"], json!({
            "id": { "type": "string" }, "loan_id": { "type": "string" }, "amount": decimal(),
            "date": date(), "notes": { "type": "string" },
            "idempotency_key": { "type": ["string", "null"] },
            "created_at": { "type": "string", "format": "date-time" }
        }), false),
        "RepaymentResult": object(&["repayment", "loan", "position", "transition"], json!({
            "repayment": r("Repayment"), "loan": r("Loan"), "position": r("Position"),
            "transition": { "oneOf": [r("StatusChange"), { "type": "null" }] }
        }), false),
        "LedgerResult": object(&["loan", "position", "transition"], json!({
            "loan": r("Loan"), "position": r("Position"),
            "transition": { "oneOf": [r("StatusChange"), { "type": "null" }] }
        }), false),
        "RepaymentList": object(&["items"], json!({ "items": { "type": "array", "items": r("Repayment") } }), false),
        "LoanRepayments": object(&["loan_id", "title", "currency", "status", "total_repaid", "repayment_count", "remaining_balance", "progress", "repayments"], json!({
            "loan_id": { "type": "string" }, "title": { "type": "string" }, "currency": { "type": "string" },
            "status": { "type": "string" }, "principal": decimal(), "total_repaid": decimal(),
            "repayment_count": { "type": "integer" },
            "last_payment_date": { "oneOf": [date(), { "type": "null" }] },
            "remaining_balance": decimal(), "progress": decimal(),
            "repayments": { "type": "array", "items": r("Repayment") }
        }), false),
        "Grouped": object(&["items"], json!({ "items": { "type": "array", "items": r("LoanRepayments") } }), false),
        "Summary": object(&["currencies"], json!({ "currencies": { "type": "array", "items": { "type": "object" } } }), false),
        "Me": object(&["id"], json!({
            "id": { "type": "string" }, "email": { "type": ["string", "null"] },
            "full_name": { "type": ["string", "null"] },
            "created_at": { "type": ["string", "null"] }
        }), false)
    })
}

fn operation(method: &str, path: &str, id: &str, summary: &str) -> Value {
    let ok = |code: &str, schema: &str, description: &str| -> (String, Value) {
        (
            code.to_owned(),
            json!({ "description": description, "content": json_content(r(schema)) }),
        )
    };
    let mut params = Vec::new();
    for name in ["loan_id", "repayment_id"] {
        if path.contains(&format!("{{{name}}}")) {
            params.push(path_param(name));
        }
    }
    let mut body = None;
    let mut responses = Map::new();
    match (method, path) {
        ("get", "/loans") => {
            params.push(query_param(
                "search",
                json!({ "type": "string", "maxLength": 200 }),
                "case-insensitive title substring",
            ));
            params.push(query_param(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 100 }),
                "page size (default 50)",
            ));
            params.push(query_param(
                "cursor",
                json!({ "type": "string" }),
                "next_cursor of the previous page",
            ));
            responses.extend([ok("200", "LoanPage", "a page of loans")]);
        }
        ("post", "/loans") => {
            body = Some("LoanInput");
            responses.extend([ok("201", "Loan", "created (Location, ETag)")]);
        }
        ("get", "/loans/{loan_id}") => responses.extend([ok("200", "Loan", "the loan (ETag)")]),
        ("put", "/loans/{loan_id}") => {
            body = Some("LoanInput");
            params.push(json!({ "name": "If-Match", "in": "header", "required": false, "schema": { "type": "string" } }));
            responses.extend([ok("200", "Loan", "updated (new ETag)")]);
        }
        ("delete", "/loans/{loan_id}") => {
            params.push(json!({ "name": "If-Match", "in": "header", "required": false, "schema": { "type": "string" } }));
            responses.insert("204".into(), json!({ "description": "deleted" }));
        }
        ("get", "/loans/{loan_id}/schedule") => {
            responses.extend([ok("200", "Schedule", "the schedule")])
        }
        ("get", "/loans/{loan_id}/position") => {
            params.push(query_param(
                "as_of",
                date(),
                "date of the position (default today)",
            ));
            responses.extend([ok("200", "Position", "the position")]);
        }
        ("post", "/loans/{loan_id}/status") => {
            body = Some("StatusInput");
            responses.extend([ok("200", "StatusResult", "the status changed")]);
        }
        ("get", "/repayments") => {
            params.push(query_param(
                "search",
                json!({ "type": "string", "maxLength": 200 }),
                "case-insensitive loan title substring",
            ));
            responses.extend([ok("200", "Grouped", "repayments grouped by loan")]);
        }
        ("post", "/repayments") => {
            body = Some("RepaymentInput");
            params.push(json!({ "name": "Idempotency-Key", "in": "header", "required": false,
                                "schema": { "type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[!-~]+$" } }));
            responses.extend([
                ok("201", "RepaymentResult", "recorded"),
                ok(
                    "200",
                    "RepaymentResult",
                    "an idempotent retry: the first result (Idempotent-Replayed: true)",
                ),
            ]);
        }
        ("put", "/repayments/{repayment_id}") => {
            body = Some("RepaymentUpdateInput");
            responses.extend([ok("200", "RepaymentResult", "updated")]);
        }
        ("delete", "/repayments/{repayment_id}") => {
            responses.extend([ok("200", "LedgerResult", "deleted; the loan's new state")])
        }
        ("get", "/repayments/summary") => {
            params.push(query_param(
                "as_of",
                date(),
                "replay every loan on this date instead of the stored aggregates",
            ));
            responses.extend([ok("200", "Summary", "the dashboard")]);
        }
        ("get", "/repayments/loan/{loan_id}") => {
            responses.extend([ok("200", "RepaymentList", "the loan's repayments")])
        }
        ("get", "/me") => responses.extend([ok("200", "Me", "the profile")]),
        _ => {
            responses.insert("200".into(), json!({ "description": "this document", "content": json_content(json!({ "type": "object" })) }));
        }
    }
    responses.insert(
        "default".into(),
        json!({ "description": "an error: 400 (names the field), 401, 404, 409, 412, 413, 415, 422, 503",
                "content": json_content(r("Error")) }),
    );
    let mut op = json!({
        "operationId": id,
        "summary": summary,
        "parameters": params,
        "responses": responses,
    });
    if let Some(schema) = body {
        op["requestBody"] = json!({ "required": true, "content": json_content(r(schema)) });
    }
    if path == "/openapi.json" {
        op["security"] = json!([]);
    }
    op
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for (method, path, id, summary) in OPERATIONS {
        let entry = paths.entry((*path).to_owned()).or_insert_with(|| json!({}));
        entry[*method] = operation(method, path, id, summary);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "LoanSyncro API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Loans and repayments with exact decimal arithmetic. Amounts are decimal strings (numbers accepted on input). Every route but OPTIONS and this document needs a Cognito bearer token. Errors: {\"error\": {\"code\", \"message\", \"field\"}}."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearerAuth": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearerAuth": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
            "schemas": schemas()
        }
    })
}
