//! `check --format json`: the stable document of the contract's section 3 (fields may be added,
//! never renamed or removed).

use crate::Checked;
use crate::diagnostic::Diagnostic;
use crate::evaluate::{ClauseResult, Summary};
use crate::report::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    catalogue: CatalogueInfo<'a>,
    root: &'a str,
    as_of: String,
    summary: &'a Summary,
    clauses: &'a [ClauseResult],
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct CatalogueInfo<'a> {
    id: &'a str,
    title: &'a str,
    /// Every clause and subclause listed in the catalogue, headings included.
    clauses: usize,
    /// Clauses that carry checks: the length of `clauses` in this document.
    evaluated: usize,
}

/// `report --format json`: everything `check --format json` has, unchanged, plus the
/// report (cover, executive summary, preconditions, localized clauses, 7.5.4 table).
#[derive(Serialize)]
struct ReportDocument<'a> {
    #[serde(flatten)]
    check: Document<'a>,
    report: &'a Report,
}

pub fn render(checked: &Checked) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(&document(checked))?;
    text.push('\n');
    Ok(text)
}

pub fn render_report(checked: &Checked, report: &Report) -> anyhow::Result<String> {
    let document = ReportDocument {
        check: document(checked),
        report,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

fn document(checked: &Checked) -> Document<'_> {
    let evaluation = &checked.evaluation;
    Document {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        catalogue: CatalogueInfo {
            id: &checked.catalogue.id,
            title: &checked.catalogue.title,
            clauses: checked.catalogue.clauses.len(),
            evaluated: evaluation.clauses.len(),
        },
        root: &checked.root,
        as_of: evaluation.as_of.to_string(),
        summary: &evaluation.summary,
        clauses: &evaluation.clauses,
        diagnostics: &evaluation.diagnostics,
    }
}
