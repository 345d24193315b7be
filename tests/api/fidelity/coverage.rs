//! The coverage table of `docs/coverage.md`: which of BitGo's operations orgbox serves,
//! by tag, and which statuses of each the fidelity run checked against BitGo's schemas.

use std::collections::{BTreeMap, BTreeSet};

use super::{served_operations, Seen};

const PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/coverage.md");
const TABLE: &str = include_str!("../../../src/bitgo/openapi_routes.tsv");
const START: &str = "<!-- coverage:start -->";
const END: &str = "<!-- coverage:end -->";

/// Compares the page's table with this run's; `ORGBOX_WRITE_COVERAGE=1` writes it instead.
pub fn check_table(seen: &BTreeMap<String, Seen>, excused: &BTreeSet<String>) {
    let table = table(seen, excused);
    let page = std::fs::read_to_string(PAGE).unwrap_or_default();
    let (head, tail) = match (page.find(START), page.find(END)) {
        (Some(s), Some(e)) if s < e => (&page[..s], &page[e + END.len()..]),
        _ => (page.as_str(), ""),
    };
    let written = format!("{head}{START}\n{table}{END}{tail}");
    if std::env::var_os("ORGBOX_WRITE_COVERAGE").is_some() {
        std::fs::write(PAGE, written).unwrap();
        return;
    }
    assert!(
        written == page,
        "docs/coverage.md is stale: run `ORGBOX_WRITE_COVERAGE=1 cargo test --test api \
         -- fidelity` and commit it"
    );
}

fn table(seen: &BTreeMap<String, Seen>, excused: &BTreeSet<String>) -> String {
    let served = served_operations();
    // tag -> (operations in BitGo's file, served ones)
    let mut tags: BTreeMap<&str, (usize, Vec<&str>)> = BTreeMap::new();
    let mut total = 0;
    for line in TABLE.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (method, path, tag) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        let op = format!("{method} {path}");
        let entry = tags.entry(tag).or_default();
        entry.0 += 1;
        total += 1;
        if let Some(op) = served.get(&op) {
            entry.1.push(op.as_str());
        }
    }
    let touched = tags.values().filter(|t| !t.1.is_empty()).count();
    let mut out = format!(
        "orgbox serves {} of the {total} operations in BitGo's OpenAPI file ({touched} of {} \
         tags touched); every other BitGo route answers 501 `NotImplemented` naming it, unless \
         a sandbox stub answers it. Each served operation's answers were checked against \
         BitGo's schema for their status; the statuses checked are listed after each.\n\n\
         | tag | served | of | served operations (statuses checked) |\n|---|---:|---:|---|\n",
        served.len(),
        tags.len()
    );
    let mut rows: Vec<_> = tags.iter().filter(|t| !t.1 .1.is_empty()).collect();
    rows.sort_by_key(|(tag, (_, ops))| (std::cmp::Reverse(ops.len()), *tag));
    for (tag, (count, ops)) in rows {
        let names: Vec<String> = ops.iter().map(|op| describe(op, seen, excused)).collect();
        out += &format!(
            "| {tag} | {} | {count} | {} |\n",
            ops.len(),
            names.join(", ")
        );
    }
    let untouched: Vec<&str> = tags
        .iter()
        .filter(|t| t.1 .1.is_empty())
        .map(|t| *t.0)
        .collect();
    let untouched_ops: usize = tags.values().filter(|t| t.1.is_empty()).map(|t| t.0).sum();
    out += &format!(
        "\nNot served at all ({} tags, {untouched_ops} operations): {}.\n",
        untouched.len(),
        untouched.join(", ")
    );
    out
}

fn describe(op: &str, seen: &BTreeMap<String, Seen>, excused: &BTreeSet<String>) -> String {
    let statuses: Vec<String> = seen
        .get(op)
        .map(|s| s.conformed.iter().map(u16::to_string).collect())
        .unwrap_or_default();
    let mut notes: Vec<String> = excused
        .iter()
        .filter_map(|e| e.strip_prefix(op)?.strip_prefix(": "))
        .map(|erratum| format!("BitGo erratum: {erratum}"))
        .collect();
    if let Some((_, gap)) = super::errata::KNOWN_GAPS.iter().find(|(g, _)| *g == op) {
        notes.push(format!("known gap: {gap}"));
    }
    let statuses = if statuses.is_empty() {
        "none".to_string()
    } else {
        statuses.join(" ")
    };
    match notes.is_empty() {
        true => format!("`{op}` ({statuses})"),
        false => format!("`{op}` ({statuses}; {})", notes.join("; ")),
    }
}
