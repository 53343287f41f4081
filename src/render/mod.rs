//! Renderers: each reads a finished [`crate::Checked`] (or the catalogue) and returns text.
//! One module per output format; nothing here decides a result.

pub mod calendar;
pub mod clauses;
pub mod csv;
pub mod diff;
pub mod escape;
pub mod github;
pub mod html;
pub mod ics;
pub mod init;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod pack;
pub mod readiness;
pub mod sarif;
pub mod templates;
pub mod terminal;
pub mod xlsx;

pub use escape::{md_cell, md_code};

use crate::Checked;

/// `a, b, c and 4 more`: keeps long evidence lists readable in a terminal.
pub fn abbreviated(ids: &[String], max: usize) -> String {
    if ids.len() <= max {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..max].join(", "), ids.len() - max)
    }
}

/// A path relative to the repository root as seen from where iso20k was run: the root as the
/// user wrote it joined with `rel`. CI systems (GitHub annotations and code scanning, GitLab and
/// Jenkins test reports) resolve file names from the directory the job runs in, which is where
/// the user typed the root; `./` and `.` are dropped so the result is a clean relative path.
pub fn repo_path(root: &str, rel: &str) -> String {
    let mut root = root.replace('\\', "/");
    while let Some(rest) = root.strip_prefix("./") {
        root = rest.to_string();
    }
    let root = root.trim_end_matches('/');
    let rel = rel.strip_prefix("./").unwrap_or(rel);
    match (root, rel) {
        ("" | ".", rel) => rel.to_string(),
        (root, "" | ".") => root.to_string(),
        (root, rel) => format!("{root}/{rel}"),
    }
}

/// Where a clause's findings are shown in tools that need a file (code scanning, annotations):
/// the first document addressing the clause, else any item addressing it, else `iso20k.toml`
/// when the repository has one. `None` when there is no file to point at.
pub fn clause_anchor<'a>(checked: &'a Checked, clause: &str) -> Option<(&'a str, u32)> {
    let mut addressing = checked.repo.addressing(clause).peekable();
    let first = addressing
        .peek()
        .map(|item| (item.path.as_str(), item.line));
    let document = checked
        .repo
        .addressing(clause)
        .filter(|item| !item.kind.has_record_type())
        .map(|item| (item.path.as_str(), item.line))
        .min();
    document.or(first).or_else(|| {
        checked
            .settings
            .from_file
            .then_some((crate::config::FILE_NAME, 1))
    })
}

/// A Markdown table of diagnostics (severity, code, location, message) for pull-request
/// comments and job summaries, at most `max` rows; returns how many were left out.
pub fn md_diagnostic_table(
    out: &mut String,
    root: &str,
    diagnostics: &[crate::diagnostic::Diagnostic],
    max: usize,
) -> usize {
    use std::fmt::Write as _;
    let _ = writeln!(out, "| severity | code | location | message |");
    let _ = writeln!(out, "|---|---|---|---|");
    for d in diagnostics.iter().take(max) {
        let path = repo_path(root, &d.path);
        let location = match d.line {
            Some(line) => format!("{path}:{line}"),
            None => path,
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            d.severity,
            md_code(d.code.as_str()),
            md_code(&location),
            md_cell(&d.message)
        );
    }
    diagnostics.len().saturating_sub(max)
}

/// "Acme IT Services Ltd (examples/acme-sms)", or the root alone without an organisation.
pub fn repository_name(checked: &Checked) -> String {
    checked
        .settings
        .organization
        .as_deref()
        .map(|n| format!("{n} ({})", checked.root))
        .unwrap_or_else(|| checked.root.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_paths_join_the_root_as_written() {
        assert_eq!(repo_path(".", "a/b.md"), "a/b.md");
        assert_eq!(repo_path("./sms/", "a/b.md"), "sms/a/b.md");
        assert_eq!(repo_path("sms", "."), "sms");
        assert_eq!(repo_path("/abs/sms", "a.md"), "/abs/sms/a.md");
    }
}
