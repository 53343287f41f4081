//! `--format sarif`: SARIF 2.1.0 (serde-sarif) for GitHub code scanning and other viewers.
//! One rule per diagnostic code and one per catalogue check; a result per diagnostic at its
//! path, line and column, and a result per failed check of a partial or gap clause, placed on
//! the document that addresses the clause (code scanning refuses a result without a file).

use super::{clause_anchor, repo_path};
use crate::Checked;
use crate::catalogue::checks::Check;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::evaluate::{ClauseResult, Outcome};
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultKind,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::{BTreeMap, HashMap};

/// The schema the document declares; the test suite validates against a copy of it.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn text(message: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder()
        .text(message.into())
        .build()
}

fn tags(values: &[&str]) -> PropertyBag {
    PropertyBag::builder()
        .tags(values.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        .build()
}

/// The rule id of a catalogue check: its clause, then its id (`8.7.2/continuity-plan`).
fn check_rule_id(clause: &str, check: &str) -> String {
    format!("{clause}/{check}")
}

fn code_rule(code: Code) -> ReportingDescriptor {
    let level = serde_json::to_value(level(code.severity())).unwrap_or_default();
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(code.as_str())
        .short_description(text(code.description()))
        .full_description(text(code.description()))
        .default_configuration(ReportingConfiguration::builder().level(level).build())
        .properties(tags(&["iso20k", "diagnostic"]))
        .build()
}

fn check_rule(clause_id: &str, clause_title: &str, check: &Check) -> ReportingDescriptor {
    let mut help = check.recommendation().to_string();
    if let Some(mandatory) = check.mandatory() {
        help.push_str(&format!(
            " (mandatory documented information, 7.5.4 {mandatory})"
        ));
    }
    let level = serde_json::to_value(ResultLevel::Warning).unwrap_or_default();
    let clause_tag = format!("clause-{clause_id}");
    ReportingDescriptor::builder()
        .id(check_rule_id(clause_id, check.id()))
        .name(check.id())
        .short_description(text(format!(
            "{clause_id} {clause_title}: {}",
            check.description()
        )))
        .full_description(text(check.description()))
        .help(text(help))
        .default_configuration(ReportingConfiguration::builder().level(level).build())
        .properties(tags(&["iso20k", "clause", &clause_tag, check.kind_name()]))
        .build()
}

/// A URI reference for a repository path: characters outside the unreserved set and `/` are
/// percent-encoded, and an absolute path becomes a `file://` URI.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn location(root: &str, path: &str, line: Option<u32>, column: Option<u32>) -> Location {
    let artifact = ArtifactLocation::builder()
        .uri(uri(&repo_path(root, path)))
        .build();
    let physical = match line {
        Some(line) => {
            let region = match column {
                Some(column) => Region::builder()
                    .start_line(i64::from(line))
                    .start_column(i64::from(column))
                    .build(),
                None => Region::builder().start_line(i64::from(line)).build(),
            };
            PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(region)
                .build()
        }
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    Location::builder().physical_location(physical).build()
}

fn diagnostic_result(root: &str, d: &Diagnostic, index: usize) -> SarifResult {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!(" (help: {help})"));
    }
    SarifResult::builder()
        .rule_id(d.code.as_str())
        .rule_index(index as i64)
        .level(level(d.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location(root, &d.path, d.line, d.column)])
        .build()
}

fn clause_results(
    checked: &Checked,
    clause: &ClauseResult,
    rule_index: &HashMap<String, usize>,
) -> Vec<SarifResult> {
    let Some((path, line)) = clause_anchor(checked, &clause.id) else {
        return Vec::new();
    };
    clause
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|check| {
            let rule = check_rule_id(&clause.id, &check.check);
            let message = format!(
                "{} {} is {}: {}. Next step: {}",
                clause.id,
                clause.title,
                clause.status.as_str(),
                check.message,
                check.recommendation
            );
            // Every check of the catalogue has a rule, so the index is always there.
            let index = rule_index.get(&rule).copied().unwrap_or_default();
            SarifResult::builder()
                .rule_id(rule)
                .rule_index(index as i64)
                .kind(ResultKind::Fail)
                .level(ResultLevel::Warning)
                .message(Message::builder().text(message).build())
                .locations(vec![location(&checked.root, path, Some(line), None)])
                .build()
        })
        .collect()
}

pub fn render(checked: &Checked) -> anyhow::Result<String> {
    let mut rules: Vec<ReportingDescriptor> = Code::ALL.iter().map(|&c| code_rule(c)).collect();
    for clause in &checked.catalogue.clauses {
        for check in &clause.checks {
            rules.push(check_rule(&clause.id, &clause.title, check));
        }
    }
    let rule_index: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();

    let mut results: Vec<SarifResult> = checked
        .evaluation
        .diagnostics
        .iter()
        .map(|d| diagnostic_result(&checked.root, d, rule_index[d.code.as_str()]))
        .collect();
    for clause in &checked.evaluation.clauses {
        results.extend(clause_results(checked, clause, &rule_index));
    }

    let summary = &checked.evaluation.summary;
    let mut properties = BTreeMap::new();
    properties.insert(
        "catalogue".to_string(),
        serde_json::Value::from(checked.catalogue.id.as_str()),
    );
    properties.insert(
        "asOf".to_string(),
        serde_json::Value::from(checked.evaluation.as_of.to_string()),
    );
    properties.insert(
        "summary".to_string(),
        serde_json::to_value(summary).unwrap_or_default(),
    );
    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .full_name(format!("iso20k {}", env!("CARGO_PKG_VERSION")))
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&sarif)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri("a/b c,100%.md"), "a/b%20c%2C100%25.md");
        assert_eq!(uri("/abs/x.md"), "file:///abs/x.md");
        assert_eq!(uri("政策.md"), "%E6%94%BF%E7%AD%96.md");
    }
}
