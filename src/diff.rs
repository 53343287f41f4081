//! `iso20k diff`: the repository evaluated at two git revisions (or a revision and the working
//! tree) and what changed between them: clauses that got better or worse, diagnostics that
//! appeared or were fixed, and the score delta. [`compare`] is pure; [`run`] reads the
//! revisions through git into temporary directories, never touching the working tree.

use crate::diagnostic::{Code, Diagnostic};
use crate::evaluate::{ClauseResult, ClauseStatus, Finding, Outcome, Summary};
use crate::git::Checkout;
use crate::{CheckOptions, Checked};
use anyhow::{Context as _, bail};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The revision as the user wrote it, or `working tree`.
    pub rev: String,
    /// The full commit id (`null` for the working tree).
    pub commit: Option<String>,
    pub summary: Summary,
}

/// How a clause changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Its status went down: met → partial or gap, partial → gap.
    Worse,
    /// Its status went up.
    Better,
    /// Same status, but other checks fail; or a change to or from `manual`.
    Changed,
    /// Evaluated at head only (a control added to the catalogue).
    Added,
    /// Evaluated at base only.
    Removed,
}

/// One clause whose result differs between base and head.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseChange {
    pub id: String,
    pub title: String,
    pub change: Change,
    pub base: Option<ClauseStatus>,
    pub head: Option<ClauseStatus>,
    /// Checks that fail at head but did not at base, with head's explanation.
    pub newly_failing: Vec<Finding>,
    /// Checks that failed at base and pass at head.
    pub newly_passing: Vec<String>,
}

/// Everything `diff` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub root: String,
    pub as_of: String,
    pub base: Side,
    pub head: Side,
    /// Head score minus base score, one decimal.
    pub score_delta: f64,
    /// Whether any clause got worse (what `--fail-on-regression` fails on).
    pub regressed: bool,
    /// Changed clauses, in catalogue order.
    pub clauses: Vec<ClauseChange>,
    /// Diagnostics at head that base does not have.
    pub new_diagnostics: Vec<Diagnostic>,
    /// Diagnostics at base that head no longer has.
    pub fixed_diagnostics: Vec<Diagnostic>,
}

impl Diff {
    pub fn worse(&self) -> impl Iterator<Item = &ClauseChange> {
        self.clauses.iter().filter(|c| c.change == Change::Worse)
    }

    pub fn better(&self) -> impl Iterator<Item = &ClauseChange> {
        self.clauses.iter().filter(|c| c.change == Change::Better)
    }

    /// Changes that are neither better nor worse.
    pub fn other(&self) -> impl Iterator<Item = &ClauseChange> {
        self.clauses
            .iter()
            .filter(|c| !matches!(c.change, Change::Worse | Change::Better))
    }
}

/// What the user asked `diff` to compare.
pub struct Request<'a> {
    pub path: &'a Path,
    pub base: &'a str,
    /// `None`: the working tree.
    pub head: Option<&'a str>,
    pub as_of: Date,
    pub catalogue: Option<&'a Path>,
    /// `--git-dates`, applied on each side with that side's history.
    pub git_dates: bool,
}

/// Evaluates both sides and compares them. Errors (exit 2): `path` is not a directory in a git
/// repository, a revision is unknown, git is missing, or a check cannot run.
pub fn run(request: &Request) -> anyhow::Result<Diff> {
    let meta = std::fs::metadata(request.path)
        .with_context(|| format!("cannot read repository {}", request.path.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a directory", request.path.display());
    }
    let checkout = Checkout::discover(request.path)?;
    let base_commit = checkout.resolve(request.base)?;
    let head_commit = request.head.map(|rev| checkout.resolve(rev)).transpose()?;

    let scratch = tempfile::Builder::new()
        .prefix("iso20k-diff-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let options = |dates: Option<HashMap<String, Date>>| CheckOptions {
        as_of: request.as_of,
        catalogue: request.catalogue.map(Path::to_path_buf),
        git_dates: dates,
    };
    let dates = |rev: Option<&str>| -> anyhow::Result<Option<HashMap<String, Date>>> {
        if request.git_dates {
            Ok(Some(checkout.last_commit_dates(rev)?))
        } else {
            Ok(None)
        }
    };

    let at_revision = |commit: &str, name: &str| -> anyhow::Result<Checked> {
        let dir = scratch.path().join(name);
        std::fs::create_dir_all(&dir)?;
        checkout
            .extract(commit, &dir)
            .with_context(|| format!("cannot read revision {commit}"))?;
        crate::check(&dir, &options(dates(Some(commit))?))
    };
    let base = at_revision(&base_commit, "base")?;
    let head = match &head_commit {
        Some(commit) => at_revision(commit, "head")?,
        None => crate::check(request.path, &options(dates(None)?))?,
    };

    let base_side = Side {
        rev: request.base.to_string(),
        commit: Some(base_commit),
        summary: base.evaluation.summary.clone(),
    };
    let head_side = Side {
        rev: request.head.unwrap_or("working tree").to_string(),
        commit: head_commit,
        summary: head.evaluation.summary.clone(),
    };
    let mut diff = compare(&base, &head, base_side, head_side);
    diff.root = request.path.display().to_string();
    Ok(diff)
}

/// Status order for "better" and "worse"; `manual` is not on the scale.
fn rank(status: ClauseStatus) -> Option<u8> {
    match status {
        ClauseStatus::Gap => Some(0),
        ClauseStatus::Partial => Some(1),
        ClauseStatus::Met => Some(2),
        ClauseStatus::Manual => None,
    }
}

fn failing(clause: &ClauseResult) -> impl Iterator<Item = &crate::evaluate::CheckResult> {
    clause.checks.iter().filter(|c| c.outcome == Outcome::Fail)
}

fn clause_change(base: &ClauseResult, head: &ClauseResult) -> Option<ClauseChange> {
    let failed_before: Vec<&str> = failing(base).map(|c| c.check.as_str()).collect();
    let failing_now: Vec<&str> = failing(head).map(|c| c.check.as_str()).collect();
    let newly_failing: Vec<Finding> = failing(head)
        .filter(|c| !failed_before.contains(&c.check.as_str()))
        .map(|c| Finding {
            check: c.check.clone(),
            message: c.message.clone(),
        })
        .collect();
    let newly_passing: Vec<String> = failing(base)
        .filter(|c| {
            !failing_now.contains(&c.check.as_str())
                && head.checks.iter().any(|h| h.check == c.check)
        })
        .map(|c| c.check.clone())
        .collect();
    let change = match (rank(base.status), rank(head.status)) {
        (Some(b), Some(h)) if h < b => Change::Worse,
        (Some(b), Some(h)) if h > b => Change::Better,
        _ if base.status != head.status => Change::Changed,
        _ if !newly_failing.is_empty() || !newly_passing.is_empty() => Change::Changed,
        _ => return None,
    };
    Some(ClauseChange {
        id: head.id.clone(),
        title: head.title.clone(),
        change,
        base: Some(base.status),
        head: Some(head.status),
        newly_failing,
        newly_passing,
    })
}

/// How a diagnostic is recognised on both sides: its line may move when text is added above.
type DiagnosticKey<'a> = (&'a str, &'a str, &'a str);

fn key(d: &Diagnostic) -> DiagnosticKey<'_> {
    match d.code {
        // Their messages name where the link resolves on this machine, which differs between
        // the temporary copies of two revisions: the file and the code identify them.
        Code::SymlinkOutsideRoot | Code::BrokenSymlink => (&d.path, d.code.as_str(), ""),
        _ => (&d.path, d.code.as_str(), &d.message),
    }
}

/// Diagnostics of `from` that `other` does not have (counting duplicates).
fn missing_from(from: &[Diagnostic], other: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut available: HashMap<DiagnosticKey, usize> = HashMap::new();
    for d in other {
        *available.entry(key(d)).or_default() += 1;
    }
    from.iter()
        .filter(|d| match available.get_mut(&key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// Compares two evaluations (same `--as-of`, same catalogue options).
pub fn compare(base: &Checked, head: &Checked, base_side: Side, head_side: Side) -> Diff {
    let b = &base.evaluation;
    let h = &head.evaluation;
    let base_by_id: HashMap<&str, &ClauseResult> =
        b.clauses.iter().map(|c| (c.id.as_str(), c)).collect();
    let head_ids: HashMap<&str, ()> = h.clauses.iter().map(|c| (c.id.as_str(), ())).collect();
    let mut clauses = Vec::new();
    for clause in &h.clauses {
        match base_by_id.get(clause.id.as_str()) {
            Some(before) => clauses.extend(clause_change(before, clause)),
            None => clauses.push(ClauseChange {
                id: clause.id.clone(),
                title: clause.title.clone(),
                change: Change::Added,
                base: None,
                head: Some(clause.status),
                newly_failing: clause.findings.clone(),
                newly_passing: Vec::new(),
            }),
        }
    }
    for clause in &b.clauses {
        if !head_ids.contains_key(clause.id.as_str()) {
            clauses.push(ClauseChange {
                id: clause.id.clone(),
                title: clause.title.clone(),
                change: Change::Removed,
                base: Some(clause.status),
                head: None,
                newly_failing: Vec::new(),
                newly_passing: Vec::new(),
            });
        }
    }
    let score_delta = ((h.summary.score - b.summary.score) * 10.0).round() / 10.0;
    let regressed = clauses.iter().any(|c| c.change == Change::Worse);
    Diff {
        root: head.root.clone(),
        as_of: h.as_of.to_string(),
        base: base_side,
        head: head_side,
        score_delta,
        regressed,
        clauses,
        new_diagnostics: missing_from(&h.diagnostics, &b.diagnostics),
        fixed_diagnostics: missing_from(&b.diagnostics, &h.diagnostics),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluate::CheckResult;

    fn check(id: &str, outcome: Outcome) -> CheckResult {
        CheckResult {
            check: id.into(),
            kind: "document",
            outcome,
            message: format!("{id} message"),
            recommendation: String::new(),
            mandatory: None,
            evidence: Vec::new(),
            reason: crate::reason::Reason::DocumentsApproved { ids: Vec::new() },
        }
    }

    fn clause(status: ClauseStatus, checks: Vec<CheckResult>) -> ClauseResult {
        ClauseResult {
            id: "8.1".into(),
            title: "Operational planning".into(),
            status,
            automated: status,
            assessment: None,
            findings: Vec::new(),
            evidence: Vec::new(),
            checks,
            ratio: None,
        }
    }

    #[test]
    fn met_to_partial_is_worse_and_names_the_new_failure() {
        let base = clause(
            ClauseStatus::Met,
            vec![check("a", Outcome::Pass), check("b", Outcome::Pass)],
        );
        let head = clause(
            ClauseStatus::Partial,
            vec![check("a", Outcome::Pass), check("b", Outcome::Fail)],
        );
        let change = clause_change(&base, &head).unwrap();
        assert_eq!(change.change, Change::Worse);
        assert_eq!(change.newly_failing.len(), 1);
        assert_eq!(change.newly_failing[0].check, "b");
        let back = clause_change(&head, &base).unwrap();
        assert_eq!(back.change, Change::Better);
        assert_eq!(back.newly_passing, vec!["b".to_string()]);
    }

    #[test]
    fn same_status_with_other_failures_is_changed_and_identical_is_nothing() {
        let base = clause(
            ClauseStatus::Partial,
            vec![check("a", Outcome::Pass), check("b", Outcome::Fail)],
        );
        let head = clause(
            ClauseStatus::Partial,
            vec![check("a", Outcome::Fail), check("b", Outcome::Pass)],
        );
        assert_eq!(clause_change(&base, &head).unwrap().change, Change::Changed);
        assert!(clause_change(&base, &base).is_none());
    }

    #[test]
    fn diagnostics_are_matched_ignoring_their_line() {
        let d = |line, message: &str| {
            Diagnostic::new(Code::UnknownClause, "a.md", message).at(Some(line))
        };
        let base = vec![d(3, "x"), d(9, "y")];
        let head = vec![d(5, "x"), d(6, "z")];
        let new = missing_from(&head, &base);
        let fixed = missing_from(&base, &head);
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].message, "z");
        assert_eq!(fixed.len(), 1);
        assert_eq!(fixed[0].message, "y");
    }
}
