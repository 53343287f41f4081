//! Evaluation: repository × catalogue × `--as-of` → an [`Evaluation`]. Pure: no clock, no
//! filesystem, no printing, so the same inputs always give the same result.

use crate::catalogue::checks::{Check, DocumentCheck, RecordsCheck, TopicsCheck};
use crate::catalogue::{Catalogue, Clause};
use crate::dates::Interval;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{Item, Kind, Repo, Status};
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The judgement on one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseStatus {
    /// Every automated check passes.
    Met,
    /// Some automated checks pass.
    Partial,
    /// No automated check passes.
    Gap,
    /// Only an auditor can judge it.
    Manual,
}

impl ClauseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseStatus::Met => "met",
            ClauseStatus::Partial => "partial",
            ClauseStatus::Gap => "gap",
            ClauseStatus::Manual => "manual",
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    Fail,
    /// A manual check: for the auditor.
    Manual,
}

/// One check's result with its explanation.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub check: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub outcome: Outcome,
    pub message: String,
    pub recommendation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mandatory: Option<String>,
    pub evidence: Vec<String>,
}

/// What explains a clause that is not met: a failed check or a point for the auditor.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub check: String,
    pub message: String,
}

/// One evaluated clause.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseResult {
    pub id: String,
    pub title: String,
    pub status: ClauseStatus,
    pub findings: Vec<Finding>,
    /// Ids of the items that served as evidence, sorted.
    pub evidence: Vec<String>,
    /// Every check with its outcome (a superset of `findings`).
    pub checks: Vec<CheckResult>,
    /// Share of automated checks passed, 0.0 to 1.0 (`None` for manual clauses).
    #[serde(skip)]
    pub ratio: Option<f64>,
}

/// Counts and the readiness score.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct Summary {
    pub met: usize,
    pub partial: usize,
    pub gap: usize,
    pub manual: usize,
    pub score: f64,
    pub errors: usize,
    pub warnings: usize,
    pub items: usize,
}

/// Everything a renderer needs.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub as_of: Date,
    pub clauses: Vec<ClauseResult>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
}

/// Inputs besides the repository and catalogue.
pub struct Options {
    pub as_of: Date,
    pub review_interval: Interval,
}

/// Evaluates every clause that carries checks, and adds the date-dependent diagnostics.
pub fn evaluate(
    repo: &Repo,
    catalogue: &Catalogue,
    mut diagnostics: Vec<Diagnostic>,
    options: &Options,
) -> Evaluation {
    diagnostics.extend(lifecycle_diagnostics(repo, options));
    crate::diagnostic::sort(&mut diagnostics);
    let evaluated: Vec<&Clause> = catalogue.evaluated().collect();
    let clauses: Vec<ClauseResult> = evaluated
        .par_iter()
        .map(|clause| evaluate_clause(clause, repo, options))
        .collect();
    let summary = summarise(&clauses, &diagnostics, repo);
    Evaluation {
        as_of: options.as_of,
        clauses,
        diagnostics,
        summary,
    }
}

/// Readiness score: the mean, over clauses with automated checks, of the share of their
/// automated checks that pass (a met clause counts 1, a gap 0, a partial in between),
/// as a percentage with one decimal. Manual-only clauses are left out.
fn summarise(clauses: &[ClauseResult], diagnostics: &[Diagnostic], repo: &Repo) -> Summary {
    let mut summary = Summary {
        items: repo.items.len(),
        ..Summary::default()
    };
    let mut ratios = Vec::new();
    for clause in clauses {
        match clause.status {
            ClauseStatus::Met => summary.met += 1,
            ClauseStatus::Partial => summary.partial += 1,
            ClauseStatus::Gap => summary.gap += 1,
            ClauseStatus::Manual => summary.manual += 1,
        }
        ratios.extend(clause.ratio);
    }
    if !ratios.is_empty() {
        let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
        summary.score = (mean * 1000.0).round() / 10.0;
    }
    summary.errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    summary.warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    summary
}

fn evaluate_clause(clause: &Clause, repo: &Repo, options: &Options) -> ClauseResult {
    let checks: Vec<CheckResult> = clause
        .checks
        .iter()
        .map(|check| {
            let (outcome, message, evidence) = match check {
                Check::Document(c) => document(c, clause, repo, options),
                Check::Records(c) => records(c, repo, options),
                Check::Topics(c) => topics(c, clause, repo),
                Check::Manual(c) => (
                    Outcome::Manual,
                    format!("auditor to judge: {}", c.description),
                    Vec::new(),
                ),
            };
            CheckResult {
                check: check.id().to_string(),
                kind: check.kind_name(),
                outcome,
                message,
                recommendation: check.recommendation().to_string(),
                mandatory: check.mandatory().map(str::to_string),
                evidence,
            }
        })
        .collect();
    let automated = checks
        .iter()
        .filter(|c| c.outcome != Outcome::Manual)
        .count();
    let passed = checks.iter().filter(|c| c.outcome == Outcome::Pass).count();
    let status = if automated == 0 {
        ClauseStatus::Manual
    } else if passed == automated {
        ClauseStatus::Met
    } else if passed == 0 {
        ClauseStatus::Gap
    } else {
        ClauseStatus::Partial
    };
    let findings = checks
        .iter()
        .filter(|c| {
            c.outcome == Outcome::Fail
                || (c.outcome == Outcome::Manual && status == ClauseStatus::Manual)
        })
        .map(|c| Finding {
            check: c.check.clone(),
            message: c.message.clone(),
        })
        .collect();
    let evidence: BTreeSet<&String> = checks
        .iter()
        .filter(|c| c.outcome == Outcome::Pass)
        .flat_map(|c| &c.evidence)
        .collect();
    ClauseResult {
        id: clause.id.clone(),
        title: clause.title.clone(),
        status,
        findings,
        evidence: evidence.into_iter().cloned().collect(),
        checks,
        ratio: (automated > 0).then(|| passed as f64 / automated as f64),
    }
}

type Judged = (Outcome, String, Vec<String>);

/// `4.4`, `4.4 or 8.1`, or `4.4, 8.1, 8.2.1 or 28 other clauses`: short enough to read.
fn clause_list(clauses: &[&str]) -> String {
    match clauses {
        [one] => one.to_string(),
        [first @ .., last] if clauses.len() <= 3 => format!("{} or {last}", first.join(", ")),
        _ => format!(
            "{} or {} other clauses",
            clauses[..3].join(", "),
            clauses.len() - 3
        ),
    }
}

fn targets<'a>(clauses: &'a [String], clause: &'a Clause) -> Vec<&'a str> {
    if clauses.is_empty() {
        vec![clause.id.as_str()]
    } else {
        clauses.iter().map(String::as_str).collect()
    }
}

/// Items addressing any of `clauses` whose kind is in `kinds` (any non-record kind when
/// empty), retired ones left out, each once, in repository order.
fn candidates<'a>(repo: &'a Repo, clauses: &[&str], kinds: &[String]) -> Vec<&'a Item> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<&Item> = clauses
        .iter()
        .flat_map(|c| repo.addressing(c))
        .filter(|item| {
            item.status != Some(Status::Retired)
                && if kinds.is_empty() {
                    !matches!(item.kind, Kind::Record | Kind::Register | Kind::Evidence)
                } else {
                    kinds.iter().any(|k| k == item.kind.as_str())
                }
        })
        .filter(|item| seen.insert((&item.path, item.line, &item.id)))
        .collect();
    out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    out
}

fn document(check: &DocumentCheck, clause: &Clause, repo: &Repo, options: &Options) -> Judged {
    let clauses = targets(&check.clauses, clause);
    let found = candidates(repo, &clauses, &check.kinds);
    let kinds = check.kinds.join("/");
    if found.is_empty() {
        return (
            Outcome::Fail,
            format!("no {kinds} document addresses {}", clause_list(&clauses)),
            Vec::new(),
        );
    }
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for item in found {
        match document_problem(item, options) {
            None => good.push(item.id.clone()),
            Some(problem) => problems.push(format!("{} {problem}", item.id)),
        }
    }
    if good.len() >= check.min {
        let message = format!("approved and in review: {}", good.join(", "));
        return (Outcome::Pass, message, good);
    }
    let mut message = if check.min > 1 {
        format!(
            "{} approved {kinds} document(s) found, {} needed",
            good.len(),
            check.min
        )
    } else {
        format!(
            "no approved, in-review {kinds} document addresses {}",
            clause_list(&clauses)
        )
    };
    if !problems.is_empty() {
        message.push_str(": ");
        message.push_str(&problems.join("; "));
    }
    (Outcome::Fail, message, Vec::new())
}

/// Why a document does not count as approved and current, if it does not.
fn document_problem(item: &Item, options: &Options) -> Option<String> {
    match item.status {
        Some(Status::Approved) => {}
        Some(Status::Draft) => return Some("is a draft".into()),
        Some(Status::Retired) => return Some("is retired".into()),
        None => return Some("has no status".into()),
    }
    if item.approved_by.is_none() {
        return Some("has no approved_by".into());
    }
    let Some(approved_on) = item.approved_on else {
        return Some("has no approved_on".into());
    };
    if approved_on > options.as_of {
        return Some(format!("is approved only on {approved_on}"));
    }
    match item.review_due(options.review_interval) {
        Some(due) if due < options.as_of => Some(format!("was due for review on {due}")),
        _ => None,
    }
}

fn records(check: &RecordsCheck, repo: &Repo, options: &Options) -> Judged {
    let from = check.within.before(options.as_of);
    let mut found: Vec<&Item> = check
        .record_types
        .iter()
        .flat_map(|rt| repo.records_between(rt, from, options.as_of))
        .collect();
    found.sort_by(|a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
    let types = check.record_types.join("/");
    let window = format!("in the {} before {}", check.within, options.as_of);
    if found.len() >= check.min {
        // The most recent records are the evidence; a register may hold thousands.
        let shown = check.min.max(3);
        let evidence: Vec<String> = found.iter().take(shown).map(|i| i.id.clone()).collect();
        let message = format!("{} {types} record(s) {window}", found.len());
        return (Outcome::Pass, message, evidence);
    }
    let latest = check
        .record_types
        .iter()
        .filter_map(|rt| repo.record_dates.get(rt))
        .filter_map(|dates| {
            dates
                .iter()
                .rev()
                .find(|(d, _)| *d <= options.as_of)
                .map(|(d, _)| *d)
        })
        .max();
    let mut message = if found.is_empty() {
        format!("no {types} record {window}")
    } else {
        format!(
            "{} {types} record(s) {window}, {} needed",
            found.len(),
            check.min
        )
    };
    if let Some(latest) = latest.filter(|d| *d < from) {
        message.push_str(&format!(" (latest: {latest})"));
    }
    (Outcome::Fail, message, Vec::new())
}

fn topics(check: &TopicsCheck, clause: &Clause, repo: &Repo) -> Judged {
    let clauses = targets(&check.clauses, clause);
    let docs: Vec<&Item> = candidates(repo, &clauses, &check.kinds)
        .into_iter()
        .filter(|item| item.text.is_some())
        .collect();
    if docs.is_empty() {
        let names: Vec<&str> = check.topics.iter().map(|t| t.name.as_str()).collect();
        return (
            Outcome::Fail,
            format!(
                "no document addresses {} to cover: {}",
                clause_list(&clauses),
                names.join(", ")
            ),
            Vec::new(),
        );
    }
    let mut missing = Vec::new();
    let mut matched: HashMap<&str, ()> = HashMap::new();
    for topic in &check.topics {
        let hit = docs.iter().find(|doc| {
            let text = doc.text.as_deref().unwrap_or("");
            topic
                .any
                .iter()
                .any(|phrase| text.contains(&phrase.to_lowercase()))
        });
        match hit {
            Some(doc) => {
                matched.insert(doc.id.as_str(), ());
            }
            None => missing.push(topic.name.as_str()),
        }
    }
    let searched: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    if missing.is_empty() {
        let mut evidence: Vec<String> = matched.keys().map(|s| s.to_string()).collect();
        evidence.sort();
        let message = format!(
            "all {} topics covered by {}",
            check.topics.len(),
            evidence.join(", ")
        );
        (Outcome::Pass, message, evidence)
    } else {
        let message = format!(
            "not covered: {} (searched {})",
            missing.join(", "),
            searched.join(", ")
        );
        (Outcome::Fail, message, Vec::new())
    }
}

/// Diagnostics that depend on `--as-of`: overdue reviews and dates in the future.
fn lifecycle_diagnostics(repo: &Repo, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in &repo.items {
        if item.kind == Kind::Record
            && let Some(date) = item.date
            && date > options.as_of
        {
            out.push(
                Diagnostic::new(
                    Code::RecordInFuture,
                    &item.path,
                    format!(
                        "record {} is dated {date}, after the as-of date {}",
                        item.id, options.as_of
                    ),
                )
                .at(Some(item.line)),
            );
        }
        if item.is_approved()
            && let Some(approved) = item.approved_on
            && approved > options.as_of
        {
            out.push(
                Diagnostic::new(
                    Code::ApprovedInFuture,
                    &item.path,
                    format!(
                        "{} is approved on {approved}, after the as-of date",
                        item.id
                    ),
                )
                .at(Some(item.line)),
            );
        }
        if item.kind.is_document()
            && item.is_approved()
            && let Some(due) = item.review_due(options.review_interval)
            && due < options.as_of
        {
            out.push(
                Diagnostic::new(
                    Code::ReviewOverdue,
                    &item.path,
                    format!("{} was due for review on {due}", item.label()),
                )
                .at(Some(item.line))
                .help(Some(
                    "review it, then update approved_on and next_review".into(),
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;
    use crate::model::{Classification, Item};

    const CATALOGUE: &str = r#"
id: t
title: Test catalogue
record_types:
  incident: {clauses: ["1.1"]}
clauses:
  - id: "1"
    title: One
  - id: "1.1"
    title: Incidents
    parent: "1"
    checks:
      - id: doc
        type: document
        kinds: [process]
        description: d
        recommendation: r
      - id: topics
        type: topics
        description: d
        recommendation: r
        topics:
          - {name: priority, any: ["Priorit"]}
          - {name: escalation, any: ["escalat"]}
      - id: recs
        type: records
        record_types: [incident]
        within: "3 months"
        min: 2
        description: d
        recommendation: r
  - id: "1.2"
    title: Observed
    parent: "1"
    checks:
      - id: walk
        type: manual
        description: walk the floor
        recommendation: r
      - id: walk-doc
        type: document
        kinds: [policy]
        description: d
        recommendation: r
"#;

    fn item(id: &str, kind: Kind) -> Item {
        Item {
            id: id.into(),
            title: Some(id.into()),
            kind,
            clauses: vec!["1.1".into()],
            status: None,
            owner: None,
            version: None,
            approved_by: None,
            approved_on: None,
            next_review: None,
            review_interval: None,
            record_type: None,
            date: None,
            evidence: vec![],
            classification: Classification::Internal,
            related: vec![],
            path: format!("{id}.md"),
            line: 1,
            text: None,
        }
    }

    fn approved(id: &str, text: &str) -> Item {
        Item {
            status: Some(Status::Approved),
            approved_by: Some("Board".into()),
            approved_on: Some(parse_date("2026-01-10").unwrap()),
            text: Some(text.into()),
            ..item(id, Kind::Process)
        }
    }

    fn record(id: &str, date: &str) -> Item {
        Item {
            record_type: Some("incident".into()),
            date: Some(parse_date(date).unwrap()),
            ..item(id, Kind::Record)
        }
    }

    fn run(items: Vec<Item>, as_of: &str) -> Evaluation {
        let catalogue = Catalogue::parse(CATALOGUE).unwrap();
        let (repo, diagnostics) = Repo::build(items);
        evaluate(
            &repo,
            &catalogue,
            diagnostics,
            &Options {
                as_of: parse_date(as_of).unwrap(),
                review_interval: Interval::months(12),
            },
        )
    }

    fn outcome(e: &Evaluation, check: &str) -> Outcome {
        e.clauses
            .iter()
            .flat_map(|c| &c.checks)
            .find(|c| c.check == check)
            .unwrap()
            .outcome
    }

    #[test]
    fn all_checks_pass_is_met_and_topics_combine_documents() {
        let e = run(
            vec![
                approved("P-1", "we prioritise incidents"),
                approved("P-2", "escalation to level 2"),
                record("I-1", "2026-09-01"),
                record("I-2", "2026-11-20"),
            ],
            "2026-11-23",
        );
        let clause = &e.clauses[0];
        assert_eq!(clause.status, ClauseStatus::Met, "{:?}", clause.findings);
        assert!(clause.findings.is_empty());
        assert_eq!(clause.evidence, ["I-1", "I-2", "P-1", "P-2"]);
        assert_eq!(e.clauses[1].status, ClauseStatus::Gap);
        assert_eq!(e.summary.score, 50.0);
    }

    #[test]
    fn record_window_is_inclusive_and_ignores_the_future() {
        // 3 months before 2026-11-23 is 2026-08-23: that day counts, the day before does not.
        let e = run(
            vec![record("I-1", "2026-08-23"), record("I-2", "2026-11-24")],
            "2026-11-23",
        );
        assert_eq!(outcome(&e, "recs"), Outcome::Fail);
        let e = run(
            vec![record("I-1", "2026-08-23"), record("I-2", "2026-11-23")],
            "2026-11-23",
        );
        assert_eq!(outcome(&e, "recs"), Outcome::Pass);
        let e = run(
            vec![record("I-0", "2026-08-22"), record("I-2", "2026-11-23")],
            "2026-11-23",
        );
        assert_eq!(outcome(&e, "recs"), Outcome::Fail);
        let message = &e.clauses[0].checks[2].message;
        assert!(message.contains("1 incident record(s)"), "{message}");
    }

    #[test]
    fn drafts_overdue_and_incomplete_documents_do_not_count() {
        let draft = Item {
            status: Some(Status::Draft),
            ..approved("P-1", "")
        };
        let e = run(vec![draft], "2026-11-23");
        assert_eq!(outcome(&e, "doc"), Outcome::Fail);
        assert!(e.clauses[0].checks[0].message.contains("P-1 is a draft"));

        let e = run(vec![approved("P-1", "")], "2027-01-11");
        assert_eq!(
            outcome(&e, "doc"),
            Outcome::Fail,
            "approved 2026-01-10 + 12 months"
        );
        assert!(
            e.clauses[0].checks[0]
                .message
                .contains("due for review on 2027-01-10")
        );
        assert!(e.diagnostics.iter().any(|d| d.code == Code::ReviewOverdue));

        let no_approver = Item {
            approved_by: None,
            ..approved("P-1", "")
        };
        let e = run(vec![no_approver], "2026-11-23");
        assert_eq!(outcome(&e, "doc"), Outcome::Fail);
    }

    #[test]
    fn partial_and_manual_statuses() {
        let e = run(vec![approved("P-1", "priority only")], "2026-11-23");
        assert_eq!(e.clauses[0].status, ClauseStatus::Partial);
        let checks: Vec<&str> = e.clauses[0]
            .findings
            .iter()
            .map(|f| f.check.as_str())
            .collect();
        assert_eq!(checks, ["topics", "recs"]);
        assert!(
            e.clauses[0].findings[0]
                .message
                .contains("not covered: escalation")
        );

        let manual_only = CATALOGUE.replace(
            "      - id: walk-doc\n        type: document\n        kinds: [policy]\n        description: d\n        recommendation: r\n",
            "",
        );
        let catalogue = Catalogue::parse(&manual_only).unwrap();
        let (repo, _) = Repo::build(vec![]);
        let e = evaluate(
            &repo,
            &catalogue,
            vec![],
            &Options {
                as_of: parse_date("2026-11-23").unwrap(),
                review_interval: Interval::months(12),
            },
        );
        let observed = &e.clauses[1];
        assert_eq!(observed.status, ClauseStatus::Manual);
        assert_eq!(
            observed.findings[0].message,
            "auditor to judge: walk the floor"
        );
        assert_eq!((e.summary.manual, e.summary.gap), (1, 1));
        assert_eq!(
            e.summary.score, 0.0,
            "manual clauses are left out of the score"
        );
    }
}
