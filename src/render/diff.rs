//! `iso20k diff` output: Markdown for a pull-request comment, or JSON for scripts.

use super::{md_cell, md_code};
use crate::diagnostic::Diagnostic;
use crate::diff::{ClauseChange, Diff, Side};
use crate::evaluate::ClauseStatus;
use serde::Serialize;
use std::fmt::Write;

/// Rows per diagnostics list; a pull-request comment has a size limit.
const MAX_ROWS: usize = 100;

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    #[serde(flatten)]
    diff: &'a Diff,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn json(diff: &Diff) -> anyhow::Result<String> {
    let document = Document {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        diff,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

fn signed(delta: f64) -> String {
    if delta > 0.0 {
        format!("+{delta:.1}")
    } else if delta < 0.0 {
        format!("{delta:.1}")
    } else {
        "0.0".to_string()
    }
}

fn signed_count(base: usize, head: usize) -> String {
    match head.cmp(&base) {
        std::cmp::Ordering::Greater => format!("+{}", head - base),
        std::cmp::Ordering::Less => format!("-{}", base - head),
        std::cmp::Ordering::Equal => "0".to_string(),
    }
}

fn side(side: &Side) -> String {
    match &side.commit {
        Some(commit) => format!(
            "{} ({})",
            md_code(&side.rev),
            md_code(&commit[..commit.len().min(12)])
        ),
        None => side.rev.clone(),
    }
}

fn status(status: Option<ClauseStatus>) -> &'static str {
    status.map_or("–", ClauseStatus::as_str)
}

fn clause_rows(out: &mut String, changes: &[&ClauseChange], why: bool) {
    let _ = writeln!(
        out,
        "| clause | base | head | {} |",
        if why { "why" } else { "now passing" }
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for change in changes {
        let detail = if why {
            change
                .newly_failing
                .iter()
                .map(|f| format!("{}: {}", md_code(&f.check), md_cell(&f.message)))
                .collect::<Vec<_>>()
                .join("<br>")
        } else {
            change
                .newly_passing
                .iter()
                .map(|c| md_code(c))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {detail} |",
            change.id,
            md_cell(&change.title),
            status(change.base),
            status(change.head)
        );
    }
    out.push('\n');
}

fn diagnostic_rows(out: &mut String, root: &str, diagnostics: &[Diagnostic]) {
    let more = super::md_diagnostic_table(out, root, diagnostics, MAX_ROWS);
    if more > 0 {
        let _ = writeln!(out, "\n…and {more} more.");
    }
    out.push('\n');
}

/// Markdown for a pull-request comment: the verdict first, then the counts, then the details.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let b = &diff.base.summary;
    let h = &diff.head.summary;
    let worse: Vec<&ClauseChange> = diff.worse().collect();
    let better: Vec<&ClauseChange> = diff.better().collect();
    let other: Vec<&ClauseChange> = diff.other().collect();
    let _ = writeln!(out, "## iso20k: ISO/IEC 20000-1 readiness\n");
    let clauses = |n: usize| {
        if n == 1 {
            "1 clause".to_string()
        } else {
            format!("{n} clauses")
        }
    };
    let verdict = if !worse.is_empty() {
        format!("**{} got worse.**", clauses(worse.len()))
    } else if !better.is_empty() {
        format!(
            "**No clause got worse; {} got better.**",
            clauses(better.len())
        )
    } else {
        "**No clause changed status.**".to_string()
    };
    let _ = writeln!(
        out,
        "{verdict} Score {:.1} → {:.1} ({}).\n",
        b.score,
        h.score,
        signed(diff.score_delta)
    );
    let _ = writeln!(
        out,
        "Base {}, head {}, as of {}.\n",
        side(&diff.base),
        side(&diff.head),
        diff.as_of
    );
    let _ = writeln!(out, "| | base | head | change |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| score | {:.1} | {:.1} | {} |",
        b.score,
        h.score,
        signed(diff.score_delta)
    );
    for (name, base, head) in [
        ("met", b.met, h.met),
        ("partial", b.partial, h.partial),
        ("gap", b.gap, h.gap),
        ("manual", b.manual, h.manual),
        ("errors", b.errors, h.errors),
        ("warnings", b.warnings, h.warnings),
        ("items", b.items, h.items),
    ] {
        let _ = writeln!(
            out,
            "| {name} | {base} | {head} | {} |",
            signed_count(base, head)
        );
    }
    out.push('\n');
    if !worse.is_empty() {
        let _ = writeln!(out, "### Clauses that got worse ({})\n", worse.len());
        clause_rows(&mut out, &worse, true);
    }
    if !better.is_empty() {
        let _ = writeln!(out, "### Clauses that got better ({})\n", better.len());
        clause_rows(&mut out, &better, false);
    }
    if !other.is_empty() {
        let _ = writeln!(out, "### Other clause changes ({})\n", other.len());
        let _ = writeln!(out, "| clause | change | base | head | now failing |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for change in &other {
            let failing = change
                .newly_failing
                .iter()
                .map(|f| format!("{}: {}", md_code(&f.check), md_cell(&f.message)))
                .collect::<Vec<_>>()
                .join("<br>");
            let change_name = serde_json::to_value(change.change)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} {} | {change_name} | {} | {} | {failing} |",
                change.id,
                md_cell(&change.title),
                status(change.base),
                status(change.head)
            );
        }
        out.push('\n');
    }
    if !diff.new_diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "### New diagnostics ({})\n",
            diff.new_diagnostics.len()
        );
        diagnostic_rows(&mut out, &diff.root, &diff.new_diagnostics);
    }
    if !diff.fixed_diagnostics.is_empty() {
        let _ = writeln!(
            out,
            "### Fixed diagnostics ({})\n",
            diff.fixed_diagnostics.len()
        );
        diagnostic_rows(&mut out, &diff.root, &diff.fixed_diagnostics);
    }
    if diff.new_diagnostics.is_empty() && diff.fixed_diagnostics.is_empty() {
        let _ = writeln!(out, "No diagnostic appeared or was fixed.\n");
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
