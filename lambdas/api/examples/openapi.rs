//! Prints the API's OpenAPI document (generated from the code) as the committed file holds it:
//!
//! ```text
//! cargo run -q -p loansyncro-api --example openapi > lambdas/api/openapi.json
//! ```
//!
//! `cargo test -p loansyncro-api --test openapi` fails while the committed file differs.

fn main() {
    print!("{}", loansyncro_api::openapi::document_text());
}
