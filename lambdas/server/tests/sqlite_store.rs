//! `loansyncro-server --store sqlite:PATH`: what is written through the API is served again
//! after the server is killed (SIGKILL) and started anew on the same file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// A child process killed (by its PID) and reaped when dropped, also when an assertion fails
/// while the server is starting (a leaked server would hold the test runner's output open).
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running server, killed when dropped.
struct Server {
    _child: Killed,
    base: String,
    token: String,
}

fn start(db: &Path, dir: &Path) -> Server {
    let token_file = dir.join("token");
    let _ = std::fs::remove_file(&token_file);
    let mut child = Command::new(env!("CARGO_BIN_EXE_loansyncro-server"))
        .arg("--port")
        .arg("0")
        .arg("--dev-identity")
        .arg("--token-file")
        .arg(&token_file)
        .arg("--store")
        .arg(format!("sqlite:{}", db.display()))
        .env_remove("LOANSYNCRO_DYNAMODB_ENDPOINT")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let child = Killed(child);
    let mut storage = String::new();
    let mut base = None;
    let mut lines = BufReader::new(stdout).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("storage: ") {
            storage = rest.to_owned();
        }
        if let Some(url) = line.strip_prefix("listening on ") {
            base = Some(url.to_owned());
            break;
        }
    }
    // Keep reading the server's log so that it never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let base = base.unwrap_or_else(|| panic!("the server did not start"));
    assert_eq!(
        storage,
        format!(
            "SQLite file {} (schema version {})",
            db.display(),
            loansyncro_sqlite::schema::LATEST_VERSION
        )
    );
    let token = std::fs::read_to_string(&token_file).unwrap();
    Server {
        _child: child,
        base,
        token,
    }
}

async fn call(
    s: &Server,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut req = client
        .request(method, format!("{}{path}", s.base))
        .bearer_auth(&s.token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn data_survives_a_killed_server() {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("ls-server-sqlite-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("loans.db");

    let first = start(&db, &dir);
    let (status, loan) = call(
        &first,
        reqwest::Method::POST,
        "/loans",
        Some(json!({"title": "Car", "amount": "1000.10", "interest_rate": "6", "term_months": 12, "start_date": "2025-01-01"})),
    )
    .await;
    assert_eq!(status, 201, "{loan}");
    let loan_id = loan["id"].as_str().unwrap().to_owned();
    let (status, rep) = call(
        &first,
        reqwest::Method::POST,
        "/repayments",
        Some(json!({"loan_id": loan_id, "amount": "88.80", "date": "2025-02-01", "notes": "février"})),
    )
    .await;
    assert_eq!(status, 201, "{rep}");
    drop(first); // SIGKILL

    let second = start(&db, &dir);
    let (status, page) = call(&second, reqwest::Method::GET, "/loans", None).await;
    assert_eq!(status, 200, "{page}");
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], loan_id.as_str());
    assert_eq!(items[0]["amount"], "1000.10");
    let (status, reps) = call(
        &second,
        reqwest::Method::GET,
        &format!("/repayments/loan/{loan_id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{reps}");
    let reps = reps["items"].as_array().unwrap();
    assert_eq!(reps.len(), 1);
    assert_eq!(
        (reps[0]["amount"].as_str(), reps[0]["notes"].as_str()),
        (Some("88.80"), Some("février"))
    );
    drop(second);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_store_option_is_a_usage_error() {
    for bad in ["sqlite:", "postgres", "SQLITE:x.db"] {
        let out = Command::new(env!("CARGO_BIN_EXE_loansyncro-server"))
            .args(["--dev-identity", "--port", "0", "--store", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--store memory|dynamodb|sqlite:PATH"),
            "{bad}: {err}"
        );
    }
}
