//! `--format junit`: a JUnit XML report (quick-junit) that GitLab, Jenkins and other CI
//! systems render as test results. One test case per evaluated clause (a failure when the
//! clause is partial or a gap, skipped when only an auditor can judge it) and one per file
//! with diagnostics (a failure when any is an error or a warning).

use super::repo_path;
use crate::Checked;
use crate::diagnostic::{Diagnostic, Severity};
use crate::evaluate::{ClauseResult, ClauseStatus, Outcome};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use quick_xml::events::{BytesStart, Event};
use std::collections::BTreeMap;

pub fn render(checked: &Checked) -> anyhow::Result<String> {
    let mut report = Report::new("iso20k");
    let mut clauses = TestSuite::new(format!("clauses ({})", checked.catalogue.id));
    for clause in &checked.evaluation.clauses {
        clauses.add_test_case(clause_case(clause));
    }
    let mut files = TestSuite::new("files");
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for diagnostic in &checked.evaluation.diagnostics {
        by_file
            .entry(&diagnostic.path)
            .or_default()
            .push(diagnostic);
    }
    for (path, diagnostics) in by_file {
        files.add_test_case(file_case(&checked.root, path, &diagnostics));
    }
    report.add_test_suite(clauses);
    report.add_test_suite(files);
    let xml = report.to_string()?;
    let mut xml = without_testsuites_skipped(&xml)?;
    xml.push('\n');
    Ok(xml)
}

fn clause_case(clause: &ClauseResult) -> TestCase {
    let automated = clause
        .checks
        .iter()
        .filter(|c| c.outcome != Outcome::Manual)
        .count();
    let failed: Vec<_> = clause
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .collect();
    let mut status = match clause.status {
        ClauseStatus::Met => TestCaseStatus::success(),
        ClauseStatus::Manual => {
            let mut status = TestCaseStatus::skipped();
            status.set_message("judged by the auditor (interview or observation)");
            status.set_type("manual");
            status
        }
        ClauseStatus::Partial | ClauseStatus::Gap => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(format!(
                "{}: {} of {automated} automated checks fail",
                clause.status.as_str(),
                failed.len()
            ));
            status.set_type(clause.status.as_str());
            status
        }
    };
    let mut description = String::new();
    for check in &clause.checks {
        let mark = match check.outcome {
            Outcome::Pass => "pass",
            Outcome::Fail => "FAIL",
            Outcome::Manual => "auditor",
        };
        description.push_str(&format!("{mark:<7} {}: {}\n", check.check, check.message));
        if check.outcome == Outcome::Fail {
            description.push_str(&format!("        next step: {}\n", check.recommendation));
        }
    }
    if !clause.evidence.is_empty() {
        description.push_str(&format!("evidence: {}\n", clause.evidence.join(", ")));
    }
    let mut case = match clause.status {
        ClauseStatus::Met => {
            let mut case = TestCase::new(name(clause), status);
            case.set_system_out(description);
            case
        }
        _ => {
            status.set_description(description);
            TestCase::new(name(clause), status)
        }
    };
    let group = clause.id.split('.').next().unwrap_or(&clause.id);
    case.set_classname(format!("clauses.{group}"));
    case
}

fn name(clause: &ClauseResult) -> String {
    format!("{} {}", clause.id, clause.title)
}

fn file_case(root: &str, path: &str, diagnostics: &[&Diagnostic]) -> TestCase {
    let shown = repo_path(root, path);
    let mut text = String::new();
    for d in diagnostics {
        let location = match (d.line, d.column) {
            (Some(line), Some(column)) => format!("{shown}:{line}:{column}"),
            (Some(line), None) => format!("{shown}:{line}"),
            _ => shown.clone(),
        };
        text.push_str(&format!(
            "{location}: {}[{}]: {}\n",
            d.severity, d.code, d.message
        ));
        if let Some(help) = &d.help {
            text.push_str(&format!("  help: {help}\n"));
        }
    }
    let count = |severity: Severity| {
        diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    let mut case = if errors + warnings > 0 {
        let worst = if errors > 0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(format!("{} error(s), {} warning(s)", errors, warnings));
        status.set_type(worst.to_string());
        status.set_description(text);
        TestCase::new(shown, status)
    } else {
        let mut case = TestCase::new(shown, TestCaseStatus::success());
        case.set_system_out(text);
        case
    };
    case.set_classname("files");
    case
}

/// quick-junit writes a `skipped` count on `<testsuites>`, which the Jenkins JUnit schema
/// (the one GitLab and Jenkins follow) does not allow there; the count stays on each
/// `<testsuite>`, where the schema has it.
fn without_testsuites_skipped(xml: &str) -> anyhow::Result<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut writer = quick_xml::Writer::new(Vec::new());
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            Event::Start(start) if start.name().as_ref() == b"testsuites" => {
                let mut copy = BytesStart::new("testsuites");
                for attribute in start.attributes() {
                    let attribute = attribute?;
                    if attribute.key.as_ref() != b"skipped" {
                        copy.push_attribute(attribute);
                    }
                }
                writer.write_event(Event::Start(copy))?;
            }
            event => writer.write_event(event)?,
        }
    }
    Ok(String::from_utf8(writer.into_inner())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_testsuites_skipped_count_is_dropped_and_nothing_else() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="x" tests="1" skipped="0" failures="0" errors="0">
    <testsuite name="s" tests="1" skipped="0" errors="0" failures="0">
        <testcase name="a &amp; b"/>
    </testsuite>
</testsuites>"#;
        let out = without_testsuites_skipped(xml).unwrap();
        assert!(out.contains(r#"<testsuites name="x" tests="1" failures="0" errors="0">"#));
        assert!(out.contains(r#"<testsuite name="s" tests="1" skipped="0""#));
        assert!(out.contains(r#"<testcase name="a &amp; b"/>"#));
    }
}
