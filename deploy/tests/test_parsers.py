"""The source parsers catch what they must (so the consistency tests cannot pass vacuously)."""

from __future__ import annotations

import textwrap

import rustsrc as rs
from test_consistency import lambda_crate_files, missing_variables
from tf import Config


def write(tmp_path, name, code):
    p = tmp_path / name
    p.write_text(textwrap.dedent(code))
    return p


def test_a_new_variable_read_by_a_binary_is_missing_from_the_terraform(tmp_path):
    crates = rs.workspace()
    files = lambda_crate_files("loans", crates)
    configured = set(Config().local("${local.lambda_environment}"))
    before = rs.env_reads(files).names
    assert not missing_variables(before, configured)
    extra = write(tmp_path, "extra.rs", '''
        /// Variable: a feature flag.
        pub const FLAG_ENV: &str = "LOANSYNCRO_NEW_FLAG";
        fn flag() -> bool { std::env::var(FLAG_ENV).is_ok() }
        fn other() -> Option<String> { std::env::var("LOANSYNCRO_OTHER").ok() }
    ''')
    after = rs.env_reads(files + [extra]).names
    assert missing_variables(after, configured) == {"LOANSYNCRO_NEW_FLAG", "LOANSYNCRO_OTHER"}


def test_env_reads_forms(tmp_path):
    p = write(tmp_path, "a.rs", '''
        use std::env;
        pub const NAMES: [&str; 2] = ["A_ONE", "A_TWO"];
        const URL: &str = "http://x//not-a-comment";
        // env::var("COMMENTED_OUT") is not a read
        fn f() {
            let _ = env::var_os("B_VAR");
            let _ = std::env::var(NAMES[1]);
            let set = |name: &str| std::env::var(name).is_ok();
            let _ = set("C_CLOSURE");
            let _ = tracing_subscriber::EnvFilter::try_from_default_env();
            let s = "{braces} in a string";
        }
        #[cfg(test)]
        mod tests {
            fn t() { std::env::var("ONLY_IN_TESTS").ok(); }
        }
    ''')
    reads = rs.env_reads([p])
    assert reads.names == {"A_TWO", "B_VAR", "C_CLOSURE", "RUST_LOG"}, reads.names
    q = write(tmp_path, "b.rs", "fn g() { std::env::var(UNKNOWN_CONST).ok(); }")
    assert rs.env_reads([q]).unresolved


def test_router_parser(tmp_path):
    text = '''
    pub(crate) fn router<S: Store>(app: App<S>, which: Routes) -> Router {
        let mut router = Router::new().route("/me", get(me::<S>));
        if matches!(which, Routes::All | Routes::Loans) {
            router = router.route("/loans/{id}", get(get_loan::<S>).delete(delete_loan::<S>));
        }
        router.with_state(app)
    }
    async fn me(user: AuthUser) {}
    async fn get_loan(user: AuthUser) {}
    async fn delete_loan(State(app): State<App>, user: AuthUser) {}
    '''
    routes = rs.router_routes(text)
    assert [(r.key, r.handler, sorted(r.variants)) for r in routes] == [
        ("GET /me", "me", []),
        ("GET /loans/{id}", "get_loan", ["All", "Loans"]),
        ("DELETE /loans/{id}", "delete_loan", ["All", "Loans"]),
    ]
    assert all(rs.authenticated_handlers(text)[r.handler] for r in routes)


def test_sdk_call_parser(tmp_path):
    p = write(tmp_path, "store.rs", '''
        async fn read(c: &Client) { c.get_item().table_name("t").send().await; }
        async fn list(c: &Client) { c.query().table_name("t").send().await; }
        async fn write(c: &Client) {
            let put = Put::builder().table_name("t").build();
            c.transact_write_items().send().await;
        }
        async fn create_tables(c: &Client) { c.create_table().send().await; }
    ''')
    calls = rs.sdk_calls([p], rs.DYNAMODB_OPERATIONS, {"create_tables"})
    assert set(calls.actions) == {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"}
    assert calls.query_without_index == [f"{p}:list"]
