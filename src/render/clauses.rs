//! `iso20k clauses`: the catalogue as a list, or one clause with its checks.

use crate::catalogue::checks::Check;
use crate::catalogue::{Catalogue, Clause};
use serde::Serialize;
use std::fmt::Write;

pub fn human(catalogue: &Catalogue, id: Option<&str>) -> String {
    let mut out = String::new();
    match id.and_then(|id| catalogue.clause(id)) {
        Some(clause) => write_one(&mut out, catalogue, clause),
        None => {
            let _ = writeln!(out, "{} ({})", catalogue.title, catalogue.id);
            for clause in &catalogue.clauses {
                let depth = clause.id.matches('.').count();
                let checks = if clause.is_evaluated() {
                    format!("  ({} checks)", clause.checks.len())
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "{}{:<9} {}{checks}",
                    "  ".repeat(depth),
                    clause.id,
                    clause.title
                );
            }
        }
    }
    out
}

fn write_one(out: &mut String, catalogue: &Catalogue, clause: &Clause) {
    let _ = writeln!(out, "{}  {}", clause.id, clause.title);
    if let Some(parent) = clause.parent.as_deref().and_then(|p| catalogue.clause(p)) {
        let _ = writeln!(out, "part of {}  {}", parent.id, parent.title);
    }
    let _ = writeln!(out, "\n{}", clause.summary.trim());
    if clause.judgement.as_deref() == Some("mostly-manual") {
        let _ = writeln!(
            out,
            "\nMostly judged by the auditor (interview, observation); the checks below show the documented part."
        );
    }
    let children: Vec<&Clause> = catalogue.children(&clause.id).collect();
    if !children.is_empty() {
        let _ = writeln!(out, "\nSubclauses:");
        for child in children {
            let _ = writeln!(out, "  {:<9} {}", child.id, child.title);
        }
    }
    if !clause.checks.is_empty() {
        let _ = writeln!(out, "\nChecks:");
    }
    for check in &clause.checks {
        let _ = writeln!(out, "  {} ({})", check.id(), check.kind_name());
        let _ = writeln!(out, "    {}", check.description());
        match check {
            Check::Document(c) => {
                let _ = writeln!(
                    out,
                    "    needs: {} approved {} document(s){}",
                    c.min,
                    c.kinds.join("/"),
                    if c.clauses.is_empty() {
                        String::new()
                    } else {
                        format!(" addressing {}", c.clauses.join(" or "))
                    }
                );
            }
            Check::Records(c) => {
                let _ = writeln!(
                    out,
                    "    needs: {} {} record(s) within {}",
                    c.min,
                    c.record_types.join("/"),
                    c.within
                );
            }
            Check::Topics(c) => {
                for topic in &c.topics {
                    let _ = writeln!(out, "    topic {}: {}", topic.name, topic.any.join(" | "));
                }
            }
            Check::Manual(_) => {}
        }
        if let Some(label) = check.mandatory() {
            let _ = writeln!(out, "    mandatory documented information: 7.5.4 {label}");
        }
        let _ = writeln!(out, "    if it fails: {}", check.recommendation());
    }
}

#[derive(Serialize)]
struct ClauseView<'a> {
    id: &'a str,
    title: &'a str,
    parent: Option<&'a str>,
    summary: &'a str,
    untitled: bool,
    judgement: Option<&'a str>,
    checks: Vec<CheckView<'a>>,
}

#[derive(Serialize)]
struct CheckView<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    description: &'a str,
    recommendation: &'a str,
    mandatory: Option<&'a crate::catalogue::Mandatory>,
}

fn view(clause: &Clause) -> ClauseView<'_> {
    ClauseView {
        id: &clause.id,
        title: &clause.title,
        parent: clause.parent.as_deref(),
        summary: clause.summary.trim(),
        untitled: clause.untitled,
        judgement: clause.judgement.as_deref(),
        checks: clause
            .checks
            .iter()
            .map(|c| CheckView {
                id: c.id(),
                kind: c.kind_name(),
                description: c.description(),
                recommendation: c.recommendation(),
                mandatory: c.mandatory(),
            })
            .collect(),
    }
}

pub fn json(catalogue: &Catalogue, id: Option<&str>) -> anyhow::Result<String> {
    let mut text = match id.and_then(|id| catalogue.clause(id)) {
        Some(clause) => serde_json::to_string_pretty(&view(clause))?,
        None => {
            let clauses: Vec<ClauseView> = catalogue.clauses.iter().map(view).collect();
            serde_json::to_string_pretty(&serde_json::json!({
                "id": catalogue.id,
                "title": catalogue.title,
                "clauses": clauses,
            }))?
        }
    };
    text.push('\n');
    Ok(text)
}
