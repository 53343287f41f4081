//! Evaluation: repository × catalogue × `--as-of` → an [`Evaluation`]. Pure: no clock, no
//! filesystem, no printing, so the same inputs always give the same result.

use crate::catalogue::checks::{Check, DocumentCheck, RecordsCheck, TopicsCheck};
use crate::catalogue::{Catalogue, Clause};
use crate::dates::Interval;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::model::{AssessedAs, Item, Kind, Repo, Status};
use crate::reason::{Issue, Problem, Reason};
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

impl From<AssessedAs> for ClauseStatus {
    fn from(verdict: AssessedAs) -> ClauseStatus {
        match verdict {
            AssessedAs::Met => ClauseStatus::Met,
            AssessedAs::Partial => ClauseStatus::Partial,
            AssessedAs::Gap => ClauseStatus::Gap,
        }
    }
}

impl ClauseStatus {
    pub const ALL: [ClauseStatus; 4] = [
        ClauseStatus::Met,
        ClauseStatus::Partial,
        ClauseStatus::Gap,
        ClauseStatus::Manual,
    ];

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
    pub mandatory: Option<crate::catalogue::Mandatory>,
    pub evidence: Vec<String>,
    /// The same explanation as data, for reports in other languages.
    #[serde(skip)]
    pub reason: Reason,
}

/// The assessment that refines a clause: the latest one of the clause, dated on or before
/// `--as-of` and not older than its review interval.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedAssessment {
    /// The assessment item's id.
    pub id: String,
    pub result: AssessedAs,
    pub assessor: String,
    pub date: Date,
    /// The last day it counts: `date` plus the review interval.
    pub valid_until: Date,
    pub note: String,
    /// Evidence references of the assessment (repository paths or URLs).
    pub evidence: Vec<String>,
    pub path: String,
    pub line: u32,
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
    /// The verdict: the automated status, refined by a current assessment when there is one.
    pub status: ClauseStatus,
    /// The status from the automated checks alone.
    pub automated: ClauseStatus,
    /// The current assessment that decided `status`, if any.
    pub assessment: Option<AppliedAssessment>,
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
    /// Clauses whose status a current assessment decided.
    pub assessed: usize,
    /// The score from the automated checks alone, ignoring assessments.
    pub automated_score: f64,
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
    let mut automated = Vec::new();
    for clause in clauses {
        automated.extend(clause.automated_ratio());
        summary.assessed += usize::from(clause.assessment.is_some());
        match clause.status {
            ClauseStatus::Met => summary.met += 1,
            ClauseStatus::Partial => summary.partial += 1,
            ClauseStatus::Gap => summary.gap += 1,
            ClauseStatus::Manual => summary.manual += 1,
        }
        ratios.extend(clause.ratio);
    }
    summary.score = percentage(&ratios);
    summary.automated_score = percentage(&automated);
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

/// The mean of ratios as a percentage with one decimal (0 when there are none).
fn percentage(ratios: &[f64]) -> f64 {
    if ratios.is_empty() {
        return 0.0;
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    (mean * 1000.0).round() / 10.0
}

impl ClauseResult {
    /// The share of automated checks that pass (`None` when there are none).
    pub fn automated_ratio(&self) -> Option<f64> {
        let automated = self
            .checks
            .iter()
            .filter(|c| c.outcome != Outcome::Manual)
            .count();
        let passed = self
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Pass)
            .count();
        (automated > 0).then(|| passed as f64 / automated as f64)
    }
}

/// The assessment that counts for `clause` as of `--as-of`: the latest one not dated after
/// it, unless that one has expired (an expired judgement is not replaced by an older one).
pub fn current_assessment<'a>(
    repo: &'a Repo,
    clause: &str,
    options: &Options,
) -> Option<(&'a Item, Date)> {
    let latest = repo
        .assessments_of(clause)
        .filter(|item| item.date.is_some_and(|d| d <= options.as_of))
        .last()?;
    let valid_until = assessment_expiry(latest, options)?;
    (valid_until >= options.as_of).then_some((latest, valid_until))
}

/// The last day an assessment counts: its date plus its own `review_interval`, else
/// `[sms] review_interval`.
fn assessment_expiry(item: &Item, options: &Options) -> Option<Date> {
    let date = item.date?;
    Some(
        item.review_interval
            .unwrap_or(options.review_interval)
            .after(date),
    )
}

fn evaluate_clause(clause: &Clause, repo: &Repo, options: &Options) -> ClauseResult {
    let checks: Vec<CheckResult> = clause
        .checks
        .iter()
        .map(|check| {
            let (outcome, reason, evidence) = match check {
                Check::Document(c) => document(c, clause, repo, options),
                Check::Records(c) => records(c, repo, options),
                Check::Topics(c) => topics(c, clause, repo),
                Check::Manual(c) => (
                    Outcome::Manual,
                    Reason::Manual {
                        description: c.description.clone(),
                    },
                    Vec::new(),
                ),
            };
            CheckResult {
                check: check.id().to_string(),
                kind: check.kind_name(),
                outcome,
                message: reason.to_string(),
                recommendation: check.recommendation().to_string(),
                mandatory: check.mandatory().cloned(),
                evidence,
                reason,
            }
        })
        .collect();
    let automated = checks
        .iter()
        .filter(|c| c.outcome != Outcome::Manual)
        .count();
    let passed = checks.iter().filter(|c| c.outcome == Outcome::Pass).count();
    let automated_status = if automated == 0 {
        ClauseStatus::Manual
    } else if passed == automated {
        ClauseStatus::Met
    } else if passed == 0 {
        ClauseStatus::Gap
    } else {
        ClauseStatus::Partial
    };
    let automated_ratio = (automated > 0).then(|| passed as f64 / automated as f64);
    let assessment =
        current_assessment(repo, &clause.id, options).and_then(|(item, valid_until)| {
            let judged = item.assessment.as_ref()?;
            Some(AppliedAssessment {
                id: item.id.clone(),
                result: judged.result,
                assessor: judged.assessor.clone(),
                date: item.date?,
                valid_until,
                note: judged.note.clone(),
                evidence: item.evidence.clone(),
                path: item.path.clone(),
                line: item.line,
            })
        });
    let (status, ratio) = match &assessment {
        None => (automated_status, automated_ratio),
        Some(a) => {
            let status = ClauseStatus::from(a.result);
            // An assessed partial keeps the measured share when the checks agree with it.
            let ratio = match a.result {
                AssessedAs::Met => 1.0,
                AssessedAs::Gap => 0.0,
                AssessedAs::Partial => match (automated_status, automated_ratio) {
                    (ClauseStatus::Partial, Some(r)) => r,
                    _ => 0.5,
                },
            };
            (status, Some(ratio))
        }
    };
    // What the auditor still has to judge is a finding only while nobody has judged it.
    let findings = checks
        .iter()
        .filter(|c| {
            c.outcome == Outcome::Fail
                || (c.outcome == Outcome::Manual
                    && status == ClauseStatus::Manual
                    && assessment.is_none())
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
        automated: automated_status,
        assessment,
        findings,
        evidence: evidence.into_iter().cloned().collect(),
        checks,
        ratio,
    }
}

type Judged = (Outcome, Reason, Vec<String>);

fn owned(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn targets<'a>(clauses: &'a [String], clause: &'a Clause) -> Vec<&'a str> {
    if clauses.is_empty() {
        vec![clause.id.as_str()]
    } else {
        clauses.iter().map(String::as_str).collect()
    }
}

/// Items addressing any of `clauses` whose kind is in `kinds` (any document-like kind when
/// empty: not records, registers, evidence or assessments), retired ones left out, each
/// once, in repository order.
pub fn candidates<'a>(repo: &'a Repo, clauses: &[&str], kinds: &[String]) -> Vec<&'a Item> {
    let mut seen = BTreeSet::new();
    let mut out: Vec<&Item> = clauses
        .iter()
        .flat_map(|c| repo.addressing(c))
        .filter(|item| {
            item.status != Some(Status::Retired)
                && if kinds.is_empty() {
                    item.kind.is_documentary()
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
    if found.is_empty() {
        let reason = Reason::NoDocument {
            kinds: check.kinds.clone(),
            clauses: owned(&clauses),
        };
        return (Outcome::Fail, reason, Vec::new());
    }
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for item in found {
        match document_problem(item, options) {
            None => good.push(item.id.clone()),
            Some(issue) => problems.push(Problem {
                id: item.id.clone(),
                issue,
            }),
        }
    }
    if good.len() >= check.min {
        let reason = Reason::DocumentsApproved { ids: good.clone() };
        return (Outcome::Pass, reason, good);
    }
    let reason = if check.min > 1 {
        Reason::TooFewDocuments {
            approved: good.len(),
            min: check.min,
            kinds: check.kinds.clone(),
            problems,
        }
    } else {
        Reason::NoApprovedDocument {
            kinds: check.kinds.clone(),
            clauses: owned(&clauses),
            problems,
        }
    };
    (Outcome::Fail, reason, Vec::new())
}

/// Why a document does not count as approved and current, if it does not.
pub fn document_problem(item: &Item, options: &Options) -> Option<Issue> {
    match item.status {
        Some(Status::Approved) => {}
        Some(Status::Draft) => return Some(Issue::Draft),
        Some(Status::Retired) => return Some(Issue::Retired),
        None => return Some(Issue::NoStatus),
    }
    if item.approved_by.is_none() {
        return Some(Issue::NoApprovedBy);
    }
    let Some(approved_on) = item.approved_on else {
        return Some(Issue::NoApprovedOn);
    };
    if approved_on > options.as_of {
        return Some(Issue::ApprovedLater(approved_on));
    }
    match item.review_due(options.review_interval) {
        Some(due) if due < options.as_of => Some(Issue::ReviewDue(due)),
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
    if found.len() >= check.min {
        // The most recent records are the evidence; a register may hold thousands.
        let shown = check.min.max(3);
        let evidence: Vec<String> = found.iter().take(shown).map(|i| i.id.clone()).collect();
        let reason = Reason::RecordsFound {
            count: found.len(),
            types: check.record_types.clone(),
            within: check.within,
            as_of: options.as_of,
        };
        return (Outcome::Pass, reason, evidence);
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
    let reason = Reason::TooFewRecords {
        count: found.len(),
        min: check.min,
        types: check.record_types.clone(),
        within: check.within,
        as_of: options.as_of,
        latest: latest.filter(|d| *d < from),
    };
    (Outcome::Fail, reason, Vec::new())
}

fn topics(check: &TopicsCheck, clause: &Clause, repo: &Repo) -> Judged {
    let clauses = targets(&check.clauses, clause);
    let docs: Vec<&Item> = candidates(repo, &clauses, &check.kinds)
        .into_iter()
        .filter(|item| item.text.is_some())
        .collect();
    if docs.is_empty() {
        let reason = Reason::NoTopicDocument {
            clauses: owned(&clauses),
            topics: check.topics.iter().map(|t| t.name.clone()).collect(),
        };
        return (Outcome::Fail, reason, Vec::new());
    }
    let mut missing = Vec::new();
    let mut matched: HashMap<&str, ()> = HashMap::new();
    for topic in &check.topics {
        let hit = docs.iter().find(|doc| {
            let text = doc.text.as_deref().unwrap_or("");
            topic.any.iter().any(|phrase| mentions(text, phrase))
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
        let reason = Reason::TopicsCovered {
            count: check.topics.len(),
            ids: evidence.clone(),
        };
        (Outcome::Pass, reason, evidence)
    } else {
        let reason = Reason::TopicsMissing {
            missing: owned(&missing),
            searched: owned(&searched),
        };
        (Outcome::Fail, reason, Vec::new())
    }
}

/// Whether lower-cased `text` mentions `phrase` (lower-cased when the catalogue was loaded)
/// at the start of a word: "escalat" finds "escalation", but "log" does not find
/// "technology" nor "risk" find "brisk". Phrases that start with a character outside
/// ASCII letters and digits (Chinese, for instance, has no spaces) match anywhere.
fn mentions(text: &str, phrase: &str) -> bool {
    let needs_boundary = phrase
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !needs_boundary {
        return text.contains(phrase);
    }
    text.match_indices(phrase).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Diagnostics that depend on `--as-of`: overdue reviews, expired assessments and dates in
/// the future.
fn lifecycle_diagnostics(repo: &Repo, options: &Options) -> Vec<Diagnostic> {
    let mut out = assessment_diagnostics(repo, options);
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
                .at(item.date_lines.date.or(Some(item.line))),
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
                .at(item.date_lines.approved_on.or(Some(item.line))),
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
                .at(item
                    .date_lines
                    .next_review
                    .or(item.date_lines.approved_on)
                    .or(Some(item.line)))
                .help(Some(
                    "review it, then update approved_on and next_review".into(),
                )),
            );
        }
    }
    out
}

/// Assessments dated after `--as-of` (not applied), and the latest assessment of a clause
/// when it has expired (older superseded ones are history, not a problem).
fn assessment_diagnostics(repo: &Repo, options: &Options) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (clause, indexes) in &repo.assessments {
        let mut latest: Option<&Item> = None;
        for item in indexes.iter().map(|&i| &repo.items[i]) {
            match item.date {
                Some(date) if date > options.as_of => out.push(
                    Diagnostic::new(
                        Code::AssessmentInFuture,
                        &item.path,
                        format!(
                            "assessment {} of {clause} is dated {date}, after the as-of date {}; not applied",
                            item.id, options.as_of
                        ),
                    )
                    .at(Some(item.line)),
                ),
                Some(_) => latest = Some(item),
                None => {}
            }
        }
        if let Some(item) = latest
            && let Some(valid_until) = assessment_expiry(item, options)
            && valid_until < options.as_of
        {
            out.push(
                Diagnostic::new(
                    Code::AssessmentExpired,
                    &item.path,
                    format!(
                        "assessment {} of {clause} counted until {valid_until}; the automated status applies",
                        item.id
                    ),
                )
                .at(Some(item.line))
                .help(Some(
                    "assess the clause again and record a new assessment".into(),
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::checks::ManualCheck;
    use crate::dates::parse_date;
    use crate::model::Item;
    use crate::parse::{Context, item};

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
            title: Some(id.into()),
            clauses: vec!["1.1".into()],
            ..Item::bare(id, kind, &format!("{id}.md"))
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
        let (items, diagnostics) = crate::validate::validate(items, std::path::Path::new("."));
        let repo = Repo::build(items);
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
    fn phrases_match_at_the_start_of_a_word() {
        assert!(mentions("escalation to level 2", "escalat"));
        assert!(mentions("we log every call", "log"));
        assert!(mentions("(log) and", "log"));
        assert!(!mentions("technology refresh", "log"));
        assert!(!mentions("a brisk walk", "risk"));
        assert!(mentions("brisk but risk-based", "risk"));
        assert!(mentions("紧急变更流程", "紧急变更"));
        assert!(mentions("见紧急变更", "紧急变更"));
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
        let repo = Repo::build(vec![]);
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

    fn repo_with(yaml: &[&str], catalogue: &Catalogue) -> Repo {
        let ctx = Context {
            catalogue,
            extra_record_types: &[],
            git_dates: None,
        };
        let mut items = Vec::new();
        for (i, text) in yaml.iter().enumerate() {
            let path = format!("assessments/{i}.yaml");
            let mut sink = item::Sink::new(&path, &ctx);
            item::from_yaml_file(text, &mut sink);
            let parsed = sink.finish();
            assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            items.extend(parsed.items);
        }
        Repo::build(items)
    }

    fn options(as_of: &str) -> Options {
        Options {
            as_of: parse_date(as_of).unwrap(),
            review_interval: Interval::months(12),
        }
    }

    /// A clause with only manual checks is `manual` until an assessor judges it; then the
    /// judgement is its status and it counts in the score.
    #[test]
    fn an_assessment_decides_a_manual_clause() {
        let catalogue = Catalogue::embedded();
        let clause = Clause {
            id: "5.1".into(),
            title: "Leadership and commitment".into(),
            parent: Some("5".into()),
            summary: String::new(),
            untitled: false,
            judgement: None,
            checks: vec![Check::Manual(ManualCheck {
                id: "leadership-interview".into(),
                description: "Interview top management.".into(),
                recommendation: "Prepare top management.".into(),
            })],
        };
        let empty = repo_with(&[], &catalogue);
        let alone = evaluate_clause(&clause, &empty, &options("2026-11-23"));
        assert_eq!(alone.status, ClauseStatus::Manual);
        assert_eq!(alone.ratio, None);
        assert_eq!(alone.findings.len(), 1);

        let assessed = repo_with(
            &[
                "id: A1\nkind: assessment\nclause: \"5.1\"\nresult: partial\nassessor: J. Smith\ndate: 2026-10-02\nnote: Seen.\n",
            ],
            &catalogue,
        );
        let judged = evaluate_clause(&clause, &assessed, &options("2026-11-23"));
        assert_eq!(judged.status, ClauseStatus::Partial);
        assert_eq!(judged.automated, ClauseStatus::Manual);
        assert_eq!(judged.ratio, Some(0.5));
        assert!(judged.findings.is_empty());
        let a = judged.assessment.as_ref().unwrap();
        assert_eq!((a.id.as_str(), a.assessor.as_str()), ("A1", "J. Smith"));
        assert_eq!(a.valid_until.to_string(), "2027-10-02");

        // A year and a day later it has expired: manual again.
        let expired = evaluate_clause(&clause, &assessed, &options("2027-10-03"));
        assert_eq!(expired.status, ClauseStatus::Manual);
        assert!(expired.assessment.is_none());
    }

    /// The latest assessment counts, an expired latest one is not replaced by an older one,
    /// and one dated after --as-of is ignored.
    #[test]
    fn the_latest_current_assessment_counts() {
        let catalogue = Catalogue::embedded();
        let yaml = |id: &str, result: &str, date: &str| {
            format!(
                "id: {id}\nkind: assessment\nclause: \"9.2\"\nresult: {result}\nassessor: L. Chen\ndate: {date}\nnote: n\n"
            )
        };
        let texts = [
            yaml("OLD", "met", "2026-01-10"),
            yaml("NEW", "gap", "2026-09-01"),
            yaml("LATER", "partial", "2027-03-01"),
        ];
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let repo = repo_with(&refs, &catalogue);
        let pick = |as_of: &str| {
            current_assessment(&repo, "9.2", &options(as_of)).map(|(item, _)| item.id.clone())
        };
        assert_eq!(pick("2026-05-01").as_deref(), Some("OLD"));
        assert_eq!(pick("2026-11-23").as_deref(), Some("NEW"));
        assert_eq!(pick("2027-04-01").as_deref(), Some("LATER"));
        assert_eq!(pick("2025-12-31"), None);
        assert_eq!(pick("2028-03-02"), None);
        let diagnostics = assessment_diagnostics(&repo, &options("2026-11-23"));
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["assessment-in-future"]);
        let later = assessment_diagnostics(&repo, &options("2028-03-02"));
        assert_eq!(later.len(), 1);
        assert_eq!(later[0].code, Code::AssessmentExpired);
        assert!(later[0].message.contains("LATER"));
    }
}
