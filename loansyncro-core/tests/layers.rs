//! The core's layers, bottom to top: `math`, `finance`, `schedule`, `ledger`, `domain`,
//! `reconcile`, `app` (and the shared `error` module). Code in a layer refers only to its own
//! layer and the layers below it; doc comments may point anywhere. This test reads the sources
//! and fails on an upward reference, so the picture in the README stays true.

#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

const LAYERS: [&str; 7] = [
    "math",
    "finance",
    "schedule",
    "ledger",
    "domain",
    "reconcile",
    "app",
];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// Every `crate::LAYER` reference in code (not in comments) of the file, as (line, layer).
fn code_references(source: &str) -> Vec<(usize, &'static str)> {
    let mut refs = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (index, layer) in LAYERS.iter().enumerate() {
            for prefix in ["crate::", "$crate::"] {
                let needle = format!("{prefix}{layer}");
                let mut rest = code;
                while let Some(at) = rest.find(&needle) {
                    let after = &rest[at + needle.len()..];
                    if !after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                        refs.push((n + 1, LAYERS[index]));
                    }
                    rest = after;
                }
            }
        }
    }
    refs
}

#[test]
fn no_layer_refers_to_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (rank, layer) in LAYERS.iter().enumerate() {
        for file in rust_files(&src.join(layer)) {
            let source = fs::read_to_string(&file).unwrap();
            for (line, target) in code_references(&source) {
                let target_rank = LAYERS.iter().position(|l| *l == target).unwrap();
                if target_rank > rank {
                    violations.push(format!("{}:{line} ({layer} -> {target})", file.display()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "upward references:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_scanner_sees_an_upward_reference() {
    let refs = code_references("use crate::app::ports::Clock; // crate::domain in a comment");
    assert_eq!(refs, vec![(1, "app")]);
    assert!(code_references("/// see [`crate::app`]").is_empty());
    assert!(code_references("use crate::applesauce;").is_empty());
}
