//! The rule of layers (README, Layout): imports run down only. Each top-level module of
//! `src/` has a floor; a file may name `crate::<module>` only on a lower floor, or its own
//! module. The dialects share a floor and never import each other, except that the control
//! plane may read the BitGo view modules for shapes it shows. SQL and transactions live in
//! `store/` alone.

use std::fs;
use std::path::{Path, PathBuf};

/// Floors from the top. Modules on one floor may not import each other.
const FLOORS: &[&[&str]] = &[
    &["cli"],
    &["app"],
    &["seed"],
    &["bitgo", "bitwarden", "control"],
    &["request"],
    &["service"],
    &["sandbox"],
    &["config"],
    &["store"],
    &["auth"],
    &["domain"],
    &["files"],
];

/// The one sideways door: what the control plane may read of the BitGo dialect.
const CONTROL_MAY_READ: &[&str] = &[
    "crate::bitgo::views",
    "crate::bitgo::kyc::view",
    "crate::bitgo::unserved",
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code before its test module (tests may reach for any helper).
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// `src/a/b.rs` and `src/a.rs` both belong to module `a`.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Every `crate::x::y...` path a piece of code names (in `use` lines and in expressions).
fn crate_paths(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(tail.len());
        found.push(tail[..end].trim_end_matches(':').to_string());
        rest = &tail[end..];
    }
    found
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn imports_run_down_only() {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let from = module_of(&src, file);
        if from == "main" || from == "lib" {
            continue;
        }
        let from_floor =
            floor_of(&from).unwrap_or_else(|| panic!("module {from} has no floor in FLOORS"));
        for path in crate_paths(&code_of(file)) {
            let to = path.split("::").nth(1).unwrap_or("").to_string();
            if to.is_empty() || to == from {
                continue;
            }
            if from == "control" && CONTROL_MAY_READ.iter().any(|p| path.starts_with(p)) {
                continue;
            }
            match floor_of(&to) {
                Some(to_floor) if to_floor > from_floor => {}
                _ => wrong.push(format!(
                    "{} names {path}",
                    file.strip_prefix(&src).unwrap().display()
                )),
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports that do not run down:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn only_the_store_speaks_sql() {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let markers = [
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".prepare_cached(",
        ".query_row(",
        "transaction_with_behavior",
        "\"BEGIN",
        "\"COMMIT",
        "SELECT ",
        "INSERT INTO",
        "UPDATE ",
        "DELETE FROM",
    ];
    let mut wrong = Vec::new();
    for file in &files {
        if module_of(&src, file) == "store" {
            continue;
        }
        let code = code_of(file);
        for marker in markers {
            if code.contains(marker) {
                wrong.push(format!(
                    "{}: {marker}",
                    file.strip_prefix(&src).unwrap().display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "SQL outside store/:\n{}",
        wrong.join("\n")
    );
}
