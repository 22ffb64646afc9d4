//! Library-mode binding generator: `cargo run --bin uniffi-bindgen -- generate --library ...`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
