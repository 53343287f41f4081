//! Certification readiness: the stage 1 and stage 2 gates a certification body looks at
//! before it books an audit, judged from a finished check and `--as-of`. Pure: it reads the
//! [`Checked`] result and decides; rendering lives in `render::readiness`.
//!
//! How records are linked (documented in the README):
//! - a nonconformity comes from an internal audit when either lists the other under
//!   `related`; when the audit names no nonconformity and the nonconformity names nothing, a
//!   nonconformity dated on the audit's date or in the [`NC_AFTER_AUDIT_DAYS`] days after it
//!   counts as raised by that audit;
//! - a corrective action answers a nonconformity when either lists the other under `related`.

use crate::Checked;
use crate::dates::Interval;
use crate::diagnostic::Severity;
use crate::evaluate::{CheckResult, Outcome};
use crate::model::{Item, Kind};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

/// The operational processes whose records a stage 2 auditor samples, each with the record
/// types that show it running. A certification-body expectation, not a list from the standard.
pub const OPERATIONAL_PROCESSES: &[(&str, &[&str])] = &[
    ("incident management", &["incident", "major-incident"]),
    ("service request management", &["service-request"]),
    ("problem management", &["problem", "known-error"]),
    ("change management", &["change", "emergency-change"]),
    ("release and deployment management", &["release"]),
    ("service level reporting", &["service-report", "sla-review"]),
    ("supplier management", &["supplier-review"]),
    ("service continuity", &["continuity-test"]),
    ("capacity management", &["capacity-review"]),
];

/// A nonconformity without `related` links counts as raised by an audit that names none when
/// it is dated within this many days after the audit (audit reports often log them later).
pub const NC_AFTER_AUDIT_DAYS: i32 = 14;

/// Whether a gate passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateStatus {
    Pass,
    Fail,
}

/// One thing behind a gate: a document, a record, a month of operation, a diagnostic.
#[derive(Debug, Clone, Serialize)]
pub struct GateItem {
    pub ok: bool,
    pub name: String,
    pub detail: String,
    /// Ids of the repository items involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

/// Names of the items that fail, in order: what a gate's reason lists.
fn failing_names(items: &[GateItem]) -> Vec<&str> {
    items
        .iter()
        .filter(|i| !i.ok)
        .map(|i| i.name.as_str())
        .collect()
}

impl GateItem {
    fn new(ok: bool, name: impl Into<String>, detail: impl Into<String>) -> Self {
        GateItem {
            ok,
            name: name.into(),
            detail: detail.into(),
            ids: Vec::new(),
        }
    }

    fn ids(mut self, ids: Vec<String>) -> Self {
        self.ids = ids;
        self
    }
}

/// One gate with its verdict, the reason and the items behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Gate {
    pub id: &'static str,
    pub stage: u8,
    pub title: &'static str,
    pub status: GateStatus,
    pub reason: String,
    /// For time-based gates: the earliest date the time condition holds (`null` otherwise).
    pub earliest: Option<Date>,
    pub items: Vec<GateItem>,
}

impl Gate {
    pub fn passed(&self) -> bool {
        self.status == GateStatus::Pass
    }
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    #[serde(rename = "ready-for-stage-2")]
    ReadyForStage2,
    #[serde(rename = "ready-for-stage-1")]
    ReadyForStage1,
    #[serde(rename = "not-ready")]
    NotReady,
}

impl Verdict {
    pub fn describe(self) -> &'static str {
        match self {
            Verdict::ReadyForStage2 => "ready for stage 2 (and stage 1)",
            Verdict::ReadyForStage1 => "ready for stage 1, not ready for stage 2",
            Verdict::NotReady => "not ready for stage 1 or stage 2",
        }
    }
}

/// A date the time-based gates depend on.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub gate: &'static str,
    pub date: Date,
    pub reached: bool,
    pub message: String,
}

/// The readiness assessment of one repository.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub as_of: Date,
    /// The stage asked about (`--stage`); decides `ready` and the exit code.
    pub stage: u8,
    pub ready: bool,
    pub verdict: Verdict,
    /// Ids of the failing gates, stage 1 first.
    pub blocking: Vec<&'static str>,
    pub min_operating_months: u32,
    pub operating_since: Option<Date>,
    pub milestones: Vec<Milestone>,
    /// Booked audit dates that the gates contradict.
    pub notes: Vec<String>,
    pub gates: Vec<Gate>,
}

/// Judges every gate. `stage` is 1 or 2.
pub fn assess(checked: &Checked, stage: u8) -> Readiness {
    let ctx = Ctx::new(checked);
    let gates = vec![
        ctx.scope_gate(),
        ctx.mandatory_gate(),
        ctx.leadership_gate(),
        ctx.errors_gate(),
        ctx.operating_gate(),
        ctx.audit_gate(),
        ctx.review_gate(),
        ctx.corrective_gate(),
        ctx.records_gate(),
    ];
    let stage1 = gates.iter().filter(|g| g.stage == 1).all(Gate::passed);
    let stage2 = stage1 && gates.iter().all(Gate::passed);
    let verdict = match (stage1, stage2) {
        (_, true) => Verdict::ReadyForStage2,
        (true, false) => Verdict::ReadyForStage1,
        _ => Verdict::NotReady,
    };
    let ready = if stage == 1 { stage1 } else { stage2 };
    let blocking = gates
        .iter()
        .filter(|g| !g.passed() && g.stage <= stage.max(1))
        .map(|g| g.id)
        .collect();
    let settings = &checked.settings;
    let mut milestones = Vec::new();
    let mut notes = Vec::new();
    if let Some(since) = settings.operating_since {
        let date = Interval::months(settings.min_operating_months).after(since);
        let reached = date <= ctx.as_of;
        let months = plural(settings.min_operating_months, "month");
        let verb = if reached {
            "reached on"
        } else {
            "will be reached on"
        };
        milestones.push(Milestone {
            gate: "operating-period",
            date,
            reached,
            message: format!("{months} of operation {verb} {date}"),
        });
        if let Some(booked) = settings.stage2
            && booked < date
        {
            notes.push(format!(
                "stage 2 is booked for {booked}, before {months} of operation are reached on {date}"
            ));
        }
    }
    if let (Some(stage1_date), Some(stage2_date)) = (settings.stage1, settings.stage2)
        && stage2_date < stage1_date
    {
        notes.push(format!(
            "stage 2 ({stage2_date}) is booked before stage 1 ({stage1_date})"
        ));
    }
    Readiness {
        as_of: ctx.as_of,
        stage,
        ready,
        verdict,
        blocking,
        min_operating_months: settings.min_operating_months,
        operating_since: settings.operating_since,
        milestones,
        notes,
        gates,
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What every gate reads.
struct Ctx<'a> {
    checked: &'a Checked,
    as_of: Date,
    by_id: HashMap<&'a str, &'a Item>,
}

impl<'a> Ctx<'a> {
    fn new(checked: &'a Checked) -> Self {
        Ctx {
            checked,
            as_of: checked.evaluation.as_of,
            by_id: checked
                .repo
                .items
                .iter()
                .map(|i| (i.id.as_str(), i))
                .collect(),
        }
    }

    /// Checks marking mandatory documented information whose label starts with `prefix`
    /// (every one when `prefix` is empty), sorted by label.
    fn mandatory(&self, prefix: &str) -> Vec<(&'a str, &'a CheckResult)> {
        let mut found: Vec<(&str, &CheckResult)> = self
            .checked
            .evaluation
            .clauses
            .iter()
            .flat_map(|c| &c.checks)
            .filter_map(|c| c.mandatory.as_deref().map(|m| (m, c)))
            .filter(|(m, _)| m.starts_with(prefix))
            .collect();
        found.sort_by(|a, b| (a.0, &a.1.check).cmp(&(b.0, &b.1.check)));
        found
    }

    fn mandatory_items(checks: &[(&str, &CheckResult)]) -> Vec<GateItem> {
        checks
            .iter()
            .map(|(label, c)| {
                GateItem::new(c.outcome == Outcome::Pass, *label, &c.message)
                    .ids(c.evidence.clone())
            })
            .collect()
    }

    /// Defined: the topics checks of the clause holding 7.5.4 a) (what a scope must say) pass;
    /// approved: the a) document check passes.
    fn scope_gate(&self) -> Gate {
        let checks = self.mandatory("a)");
        let mut items = Self::mandatory_items(&checks);
        let holders: Vec<&str> = checks.iter().map(|(_, c)| c.check.as_str()).collect();
        for clause in &self.checked.evaluation.clauses {
            if !clause
                .checks
                .iter()
                .any(|c| holders.contains(&c.check.as_str()))
            {
                continue;
            }
            for topics in clause.checks.iter().filter(|c| c.kind == "topics") {
                items.push(
                    GateItem::new(
                        topics.outcome == Outcome::Pass,
                        format!("scope content ({})", clause.id),
                        &topics.message,
                    )
                    .ids(topics.evidence.clone()),
                );
            }
        }
        let (status, reason) = if checks.is_empty() {
            (
                GateStatus::Fail,
                "the catalogue marks no check as 7.5.4 a) scope of the SMS".to_string(),
            )
        } else if items.iter().all(|i| i.ok) {
            let mut ids: Vec<&str> = items
                .iter()
                .flat_map(|i| &i.ids)
                .map(String::as_str)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            (
                GateStatus::Pass,
                format!("scope defined and approved: {}", ids.join(", ")),
            )
        } else {
            let why: Vec<&str> = failing_names(&items);
            (GateStatus::Fail, format!("not met: {}", why.join("; ")))
        };
        Gate {
            id: "scope-approved",
            stage: 1,
            title: "Scope of the SMS defined and approved",
            status,
            reason,
            earliest: None,
            items,
        }
    }

    fn mandatory_gate(&self) -> Gate {
        let checks = self.mandatory("");
        let items = Self::mandatory_items(&checks);
        let missing: Vec<&str> = failing_names(&items);
        let (status, reason) = if checks.is_empty() {
            (
                GateStatus::Fail,
                "the catalogue marks no check as mandatory documented information".to_string(),
            )
        } else if missing.is_empty() {
            (
                GateStatus::Pass,
                format!(
                    "all {} checks of mandatory documented information (7.5.4 a to l) pass",
                    items.len()
                ),
            )
        } else {
            (
                GateStatus::Fail,
                format!(
                    "{} of {} checks fail: {}",
                    missing.len(),
                    items.len(),
                    letters(&missing)
                ),
            )
        };
        Gate {
            id: "mandatory-documents",
            stage: 1,
            title: "Mandatory documented information (7.5.4) present and approved",
            status,
            reason,
            earliest: None,
            items,
        }
    }

    /// Whether `approved_by` names one of the configured top managers (case-insensitive
    /// substring, so "Managing Director" matches "Daniel Reeves (Managing Director)").
    fn is_top_management(&self, approved_by: &str) -> bool {
        let approver = approved_by.to_lowercase();
        self.checked
            .settings
            .top_management
            .iter()
            .any(|name| !name.trim().is_empty() && approver.contains(&name.trim().to_lowercase()))
    }

    fn leadership_gate(&self) -> Gate {
        let configured = !self.checked.settings.top_management.is_empty();
        let checks = self.mandatory("b)");
        let mut items = Vec::new();
        for (label, check) in &checks {
            if check.outcome != Outcome::Pass {
                items.push(GateItem::new(false, *label, &check.message));
                continue;
            }
            let docs: Vec<&Item> = check
                .evidence
                .iter()
                .filter_map(|id| self.by_id.get(id.as_str()).copied())
                .collect();
            let approval = |d: &Item| {
                format!(
                    "{} approved by {} on {}",
                    d.id,
                    d.approved_by.as_deref().unwrap_or("?"),
                    d.approved_on.map(|d| d.to_string()).unwrap_or_default()
                )
            };
            let top: Vec<&Item> = docs
                .iter()
                .copied()
                .filter(|d| {
                    !configured
                        || d.approved_by
                            .as_deref()
                            .is_some_and(|a| self.is_top_management(a))
                })
                .collect();
            let item = if top.is_empty() {
                let seen: Vec<String> = docs.iter().map(|d| approval(d)).collect();
                GateItem::new(
                    false,
                    *label,
                    format!(
                        "{}; none of them is listed in [readiness] top_management ({})",
                        seen.join("; "),
                        self.checked.settings.top_management.join(", ")
                    ),
                )
            } else {
                let mut detail: Vec<String> = top.iter().map(|d| approval(d)).collect();
                if !configured {
                    detail.push(
                        "top management not verified: list it under [readiness] top_management"
                            .into(),
                    );
                }
                GateItem::new(true, *label, detail.join("; "))
            }
            .ids(top.iter().map(|d| d.id.clone()).collect());
            items.push(item);
        }
        let failing: Vec<&str> = failing_names(&items);
        let (status, reason) = if checks.is_empty() {
            (
                GateStatus::Fail,
                "the catalogue marks no check as 7.5.4 b) policy and objectives".to_string(),
            )
        } else if failing.is_empty() {
            let how = if configured {
                "approved by top management"
            } else {
                "approved (approver not verified as top management)"
            };
            (
                GateStatus::Pass,
                format!("service management policy and objectives {how}"),
            )
        } else {
            (
                GateStatus::Fail,
                format!("not approved by top management: {}", failing.join("; ")),
            )
        };
        Gate {
            id: "policy-and-objectives-approved",
            stage: 1,
            title: "Service management policy and objectives approved by top management",
            status,
            reason,
            earliest: None,
            items,
        }
    }

    fn errors_gate(&self) -> Gate {
        let items: Vec<GateItem> = self
            .checked
            .evaluation
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                let at = match d.line {
                    Some(line) => format!("{}:{line}", d.path),
                    None => d.path.clone(),
                };
                GateItem::new(
                    false,
                    at,
                    format!("error[{}]: {}", d.code.as_str(), d.message),
                )
            })
            .collect();
        let (status, reason) = if items.is_empty() {
            (GateStatus::Pass, "no error diagnostics".to_string())
        } else {
            (
                GateStatus::Fail,
                format!(
                    "{} error diagnostic{} (run `iso20k check`)",
                    items.len(),
                    if items.len() == 1 { "" } else { "s" }
                ),
            )
        };
        Gate {
            id: "no-errors",
            stage: 1,
            title: "No error diagnostics",
            status,
            reason,
            earliest: None,
            items,
        }
    }

    /// Operational records dated in `[from, to]`, oldest first.
    fn operational_between(&self, from: Date, to: Date) -> Vec<&'a Item> {
        let mut found: Vec<&Item> = OPERATIONAL_PROCESSES
            .iter()
            .flat_map(|(_, types)| types.iter())
            .flat_map(|rt| self.checked.repo.records_between(rt, from, to))
            .collect();
        found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        found
    }

    fn operating_gate(&self) -> Gate {
        let months = self.checked.settings.min_operating_months;
        let mut gate = Gate {
            id: "operating-period",
            stage: 2,
            title: "SMS operating for the minimum period, shown by records",
            status: GateStatus::Fail,
            reason: String::new(),
            earliest: None,
            items: Vec::new(),
        };
        let Some(since) = self.checked.settings.operating_since else {
            gate.reason = "[sms] operating_since is not set in iso20k.toml: the start of \
                           operation is unknown"
                .into();
            return gate;
        };
        let end = operating_period_end(since, months);
        gate.earliest = Some(end);
        let mut empty = Vec::new();
        for (index, (from, to)) in month_windows(since, months).into_iter().enumerate() {
            let name = format!("month {} ({from} to {to})", index + 1);
            if from > self.as_of {
                gate.items
                    .push(GateItem::new(false, name, "not reached yet"));
                continue;
            }
            let records = self.operational_between(from, to.min(self.as_of));
            let item = if records.is_empty() {
                empty.push(index + 1);
                GateItem::new(false, name, "no record of an operational process")
            } else {
                let shown: Vec<String> = records.iter().take(3).map(|r| r.id.clone()).collect();
                GateItem::new(
                    true,
                    name,
                    format!(
                        "{} operational record{}",
                        records.len(),
                        if records.len() == 1 { "" } else { "s" }
                    ),
                )
                .ids(shown)
            };
            gate.items.push(item);
        }
        let span = plural(months, "month");
        if end > self.as_of {
            gate.reason =
                format!("operating since {since}: {span} of operation will be reached on {end}");
        } else if !empty.is_empty() {
            gate.reason = format!(
                "operating since {since} per iso20k.toml, but no operational records in {} of \
                 the first {span}: the records do not confirm the start date",
                month_list(&empty)
            );
            if let Some(first) = self.operational_between(since, self.as_of).first() {
                gate.reason.push_str(&format!(
                    " (first operational record: {} on {})",
                    first.id,
                    fmt_date(first.date)
                ));
            }
        } else {
            gate.status = GateStatus::Pass;
            gate.reason = format!(
                "operating since {since}: {span} reached on {end}, with operational records in \
                 every month"
            );
        }
        if end > self.as_of && !empty.is_empty() {
            gate.reason.push_str(&format!(
                "; no operational records yet in {}",
                month_list(&empty)
            ));
        }
        gate
    }

    /// Start of the window a stage 2 audit looks at: the later of `operating_since` and
    /// `within` before `--as-of`.
    fn window_start(&self, within: Interval) -> Date {
        let floor = within.before(self.as_of);
        match self.checked.settings.operating_since {
            Some(since) if since > floor => since,
            _ => floor,
        }
    }

    fn interval_of(&self, record_type: &str) -> Interval {
        self.checked
            .catalogue
            .record_types
            .get(record_type)
            .and_then(|rt| rt.interval.as_deref())
            .and_then(|text| Interval::parse(text).ok())
            .unwrap_or(Interval::months(12))
    }

    /// Records of `record_type`, oldest first (every date, also after `--as-of`).
    fn records_of(&self, record_type: &str) -> Vec<&'a Item> {
        self.checked
            .repo
            .record_dates
            .get(record_type)
            .into_iter()
            .flatten()
            .map(|&(_, i)| &self.checked.repo.items[i])
            .collect()
    }

    /// Completed internal audits that count: dated in the window before `--as-of`.
    fn audits(&self) -> Vec<&'a Item> {
        let from = self.window_start(self.interval_of("internal-audit"));
        self.records_of("internal-audit")
            .into_iter()
            .filter(|a| a.date.is_some_and(|d| d >= from && d <= self.as_of))
            .collect()
    }

    fn audit_gate(&self) -> Gate {
        let within = self.interval_of("internal-audit");
        let from = self.window_start(within);
        let mut items = Vec::new();
        for audit in self.records_of("internal-audit") {
            let Some(date) = audit.date else { continue };
            let (ok, detail) = if date > self.as_of {
                (
                    false,
                    format!(
                        "dated {date}, after {}: planned, not yet completed",
                        self.as_of
                    ),
                )
            } else if date < from {
                let why = match self.checked.settings.operating_since {
                    Some(since) if since > within.before(self.as_of) => {
                        format!("before operation started on {since}")
                    }
                    _ => format!("more than {within} before {}", self.as_of),
                };
                (false, format!("dated {date}, {why}"))
            } else {
                (
                    true,
                    format!("completed and reported on {date} in {}", audit.path),
                )
            };
            items.push(GateItem::new(ok, audit.label(), detail).ids(vec![audit.id.clone()]));
        }
        let done: Vec<&GateItem> = items.iter().filter(|i| i.ok).collect();
        let (status, reason) = match done.last() {
            Some(latest) => (
                GateStatus::Pass,
                format!("internal audit {}: {}", latest.name, latest.detail),
            ),
            None => (
                GateStatus::Fail,
                format!(
                    "no internal-audit record dated between {from} and {}",
                    self.as_of
                ),
            ),
        };
        Gate {
            id: "internal-audit",
            stage: 2,
            title: "Internal audit of the SMS completed and reported",
            status,
            reason,
            earliest: None,
            items,
        }
    }

    fn review_gate(&self) -> Gate {
        let audits = self.audits();
        let reviews: Vec<&Item> = self
            .records_of("management-review")
            .into_iter()
            .filter(|r| r.date.is_some_and(|d| d <= self.as_of))
            .collect();
        let mut gate = Gate {
            id: "management-review",
            stage: 2,
            title: "Management review held after the internal audit",
            status: GateStatus::Fail,
            reason: String::new(),
            earliest: None,
            items: Vec::new(),
        };
        // The latest audit that a management review followed: one complete cycle is enough.
        let pair = audits.iter().rev().find_map(|audit| {
            reviews
                .iter()
                .rev()
                .find(|r| r.date >= audit.date)
                .map(|r| (*audit, *r))
        });
        for review in &reviews {
            let after = audits.iter().rev().find(|a| review.date >= a.date);
            let (ok, detail) = match after {
                Some(audit) => (
                    true,
                    format!(
                        "held on {}, after internal audit {} ({})",
                        fmt_date(review.date),
                        audit.id,
                        fmt_date(audit.date)
                    ),
                ),
                None => (
                    false,
                    format!(
                        "held on {}, before any internal audit that counts",
                        fmt_date(review.date)
                    ),
                ),
            };
            gate.items
                .push(GateItem::new(ok, review.label(), detail).ids(vec![review.id.clone()]));
        }
        match (pair, audits.last()) {
            (Some((audit, review)), _) => {
                gate.status = GateStatus::Pass;
                gate.reason = format!(
                    "management review {} on {} followed internal audit {} of {}",
                    review.id,
                    fmt_date(review.date),
                    audit.id,
                    fmt_date(audit.date)
                );
            }
            (None, Some(latest)) => {
                gate.reason = format!(
                    "no management-review record on or after internal audit {} of {}",
                    latest.id,
                    fmt_date(latest.date)
                );
            }
            (None, None) => {
                gate.reason =
                    "no completed internal audit yet, so no management review can follow it".into();
            }
        }
        gate
    }

    fn corrective_gate(&self) -> Gate {
        let audits = self.audits();
        let ncs = self.records_of("nonconformity");
        let cas = self.records_of("corrective-action");
        let mut gate = Gate {
            id: "corrective-actions",
            stage: 2,
            title: "Corrective actions recorded for the audit's nonconformities",
            status: GateStatus::Fail,
            reason: String::new(),
            earliest: None,
            items: Vec::new(),
        };
        if audits.is_empty() {
            gate.reason = "no completed internal audit yet".into();
            return gate;
        }
        // Indexes, so thousands of audits, nonconformities and actions stay linear.
        let mut by_related: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, nc) in ncs.iter().enumerate() {
            for id in &nc.related {
                by_related.entry(id.as_str()).or_default().push(index);
            }
        }
        let nc_index: HashMap<&str, usize> = ncs
            .iter()
            .enumerate()
            .map(|(i, nc)| (nc.id.as_str(), i))
            .collect();
        let mut answers: HashMap<&str, Vec<&Item>> = HashMap::new();
        for ca in &cas {
            for id in &ca.related {
                answers.entry(id.as_str()).or_default().push(ca);
            }
        }
        let ca_ids: HashMap<&str, &Item> = cas.iter().map(|ca| (ca.id.as_str(), *ca)).collect();
        // Each nonconformity once, with the first audit (by date) that raised it.
        let mut raised: Vec<(usize, &Item)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for audit in &audits {
            let mut candidates: Vec<usize> = audit
                .related
                .iter()
                .filter_map(|id| nc_index.get(id.as_str()).copied())
                .collect();
            candidates.extend(by_related.get(audit.id.as_str()).into_iter().flatten());
            if let Some(date) = audit.date {
                // `ncs` is sorted by date: the date fallback's window is a slice of it.
                let start = ncs.partition_point(|nc| nc.date < Some(date));
                let last = date
                    .checked_add(NC_AFTER_AUDIT_DAYS.days())
                    .unwrap_or(Date::MAX);
                let end = ncs.partition_point(|nc| nc.date <= Some(last));
                candidates.extend(start..end.max(start));
            }
            candidates.sort_unstable();
            candidates.dedup();
            for index in candidates {
                if raised_by(ncs[index], audit, &self.by_id) && seen.insert(index) {
                    raised.push((index, audit));
                }
            }
        }
        raised.sort_by_key(|(index, _)| *index);
        for (index, audit) in raised {
            let nc = ncs[index];
            let mut found: Vec<&Item> = answers.get(nc.id.as_str()).cloned().unwrap_or_default();
            found.extend(
                nc.related
                    .iter()
                    .filter_map(|id| ca_ids.get(id.as_str()).copied()),
            );
            found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
            found.dedup_by(|a, b| a.id == b.id);
            let mut ids = vec![nc.id.clone()];
            ids.extend(found.iter().map(|ca| ca.id.clone()));
            let item = if found.is_empty() {
                GateItem::new(
                    false,
                    nc.label(),
                    format!(
                        "raised by {}; no corrective-action record lists it under related",
                        audit.id
                    ),
                )
            } else {
                let list: Vec<&str> = found.iter().map(|ca| ca.id.as_str()).collect();
                GateItem::new(
                    true,
                    nc.label(),
                    format!(
                        "raised by {}; corrective action {}",
                        audit.id,
                        list.join(", ")
                    ),
                )
            };
            gate.items.push(item.ids(ids));
        }
        let open: Vec<&str> = gate
            .items
            .iter()
            .filter(|i| !i.ok)
            .map(|i| i.ids[0].as_str())
            .collect();
        let audit_ids: Vec<&str> = audits.iter().map(|a| a.id.as_str()).collect();
        if gate.items.is_empty() {
            gate.status = GateStatus::Pass;
            gate.reason = format!(
                "no nonconformity linked to internal audit {}",
                audit_ids.join(", ")
            );
        } else if open.is_empty() {
            gate.status = GateStatus::Pass;
            gate.reason = format!(
                "all {} nonconformities from internal audit {} have a corrective action",
                gate.items.len(),
                audit_ids.join(", ")
            );
        } else {
            gate.reason = format!("no corrective action for {}", open.join(", "));
        }
        gate
    }

    fn records_gate(&self) -> Gate {
        let from = self.window_start(Interval::months(12));
        let mut items = Vec::new();
        for (process, types) in OPERATIONAL_PROCESSES {
            let mut found: Vec<&Item> = types
                .iter()
                .flat_map(|rt| self.checked.repo.records_between(rt, from, self.as_of))
                .collect();
            found.sort_by(|a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
            let kinds = types.join("/");
            let item = match found.first() {
                Some(latest) => GateItem::new(
                    true,
                    *process,
                    format!(
                        "{} {kinds} record{} since {from}, latest {} on {}",
                        found.len(),
                        if found.len() == 1 { "" } else { "s" },
                        latest.id,
                        fmt_date(latest.date)
                    ),
                )
                .ids(vec![latest.id.clone()]),
                None => GateItem::new(false, *process, format!("no {kinds} record since {from}")),
            };
            items.push(item);
        }
        let missing: Vec<&str> = failing_names(&items);
        let (status, reason) = if missing.is_empty() {
            (
                GateStatus::Pass,
                format!(
                    "records for all {} operational processes since {from}",
                    items.len()
                ),
            )
        } else {
            (
                GateStatus::Fail,
                format!("no records since {from} for: {}", missing.join(", ")),
            )
        };
        Gate {
            id: "operational-records",
            stage: 2,
            title: "Records for each operational process",
            status,
            reason,
            earliest: None,
            items,
        }
    }
}

/// The distinct 7.5.4 letters of failing labels: `a), b), h)`.
fn letters(labels: &[&str]) -> String {
    let mut out: Vec<&str> = labels
        .iter()
        .map(|l| l.split_once(' ').map_or(*l, |(letter, _)| letter))
        .collect();
    out.dedup();
    out.join(", ")
}

/// `month 2`, `months 1 and 3`, `months 1, 2 and 3`.
fn month_list(months: &[usize]) -> String {
    let names: Vec<String> = months.iter().map(usize::to_string).collect();
    match names.as_slice() {
        [one] => format!("month {one}"),
        [first @ .., last] => format!("months {} and {last}", first.join(", ")),
        [] => String::new(),
    }
}

fn fmt_date(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Whether `a` and `b` name each other under `related` (either direction).
fn links(a: &Item, b: &Item) -> bool {
    a.related.contains(&b.id) || b.related.contains(&a.id)
}

/// Whether nonconformity `nc` was raised by internal audit `audit` (see the module docs).
fn raised_by(nc: &Item, audit: &Item, by_id: &HashMap<&str, &Item>) -> bool {
    if links(nc, audit) {
        return true;
    }
    let audit_names_ncs = audit.related.iter().any(|id| {
        by_id.get(id.as_str()).is_some_and(|i| {
            i.kind == Kind::Record && i.record_type.as_deref() == Some("nonconformity")
        })
    });
    if audit_names_ncs || !nc.related.is_empty() {
        return false;
    }
    match (nc.date, audit.date) {
        (Some(nc_date), Some(audit_date)) => {
            nc_date >= audit_date
                && audit_date
                    .checked_add(NC_AFTER_AUDIT_DAYS.days())
                    .is_ok_and(|last| nc_date <= last)
        }
        _ => false,
    }
}

/// The date `months` of operation are complete: `since + months`, clamped to the end of a
/// shorter month (2026-11-30 + 3 months = 2027-02-28; 2027-11-30 + 3 months = 2028-02-29).
pub fn operating_period_end(since: Date, months: u32) -> Date {
    Interval::months(months).after(since)
}

/// The `months` consecutive monthly windows from `since`, each `(first day, last day)`. Each
/// boundary is computed from `since` (not chained), so a start on the 31st does not drift:
/// 2026-01-31 gives 01-31..02-27, 02-28..03-30, 03-31..04-29.
pub fn month_windows(since: Date, months: u32) -> Vec<(Date, Date)> {
    (0..months)
        .map(|i| {
            let from = if i == 0 {
                since
            } else {
                Interval::months(i).after(since)
            };
            let next = Interval::months(i + 1).after(since);
            let to = next.yesterday().unwrap_or(next);
            (from, to)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn d(text: &str) -> Date {
        parse_date(text).unwrap()
    }

    #[test]
    fn operating_period_end_clamps_at_month_end() {
        assert_eq!(operating_period_end(d("2026-05-04"), 3), d("2026-08-04"));
        assert_eq!(operating_period_end(d("2026-11-30"), 3), d("2027-02-28"));
        assert_eq!(operating_period_end(d("2027-11-30"), 3), d("2028-02-29"));
        assert_eq!(operating_period_end(d("2027-11-29"), 3), d("2028-02-29"));
        assert_eq!(operating_period_end(d("2026-12-31"), 2), d("2027-02-28"));
        assert_eq!(operating_period_end(d("2028-02-29"), 12), d("2029-02-28"));
        assert_eq!(operating_period_end(d("2028-02-29"), 48), d("2032-02-29"));
        assert_eq!(operating_period_end(d("2026-08-31"), 1), d("2026-09-30"));
        assert_eq!(operating_period_end(d("2026-10-31"), 6), d("2027-04-30"));
    }

    #[test]
    fn month_windows_do_not_drift_from_the_31st() {
        let windows = month_windows(d("2026-01-31"), 3);
        assert_eq!(
            windows,
            vec![
                (d("2026-01-31"), d("2026-02-27")),
                (d("2026-02-28"), d("2026-03-30")),
                (d("2026-03-31"), d("2026-04-29")),
            ]
        );
        // Leap year: February has 29 days.
        let windows = month_windows(d("2028-01-31"), 2);
        assert_eq!(
            windows,
            vec![
                (d("2028-01-31"), d("2028-02-28")),
                (d("2028-02-29"), d("2028-03-30")),
            ]
        );
    }

    #[test]
    fn month_windows_cover_the_period_without_gaps() {
        for since in [
            "2026-05-04",
            "2026-11-30",
            "2027-11-30",
            "2028-02-29",
            "2026-12-31",
        ] {
            let since = d(since);
            for months in 1..=14 {
                let windows = month_windows(since, months);
                assert_eq!(windows.len(), months as usize);
                assert_eq!(windows[0].0, since);
                for pair in windows.windows(2) {
                    assert_eq!(pair[0].1.tomorrow().unwrap(), pair[1].0, "{since} {months}");
                    assert!(pair[0].0 <= pair[0].1);
                }
                let last = windows.last().unwrap().1;
                assert_eq!(
                    last.tomorrow().unwrap(),
                    operating_period_end(since, months),
                    "{since} {months}"
                );
            }
        }
    }

    fn record(id: &str, record_type: &str, date: &str, related: &[&str]) -> Item {
        Item {
            record_type: Some(record_type.into()),
            date: Some(d(date)),
            related: related.iter().map(|r| r.to_string()).collect(),
            ..Item::bare(id, Kind::Record, "r.yaml")
        }
    }

    #[test]
    fn nonconformities_link_to_audits_by_related_or_by_date() {
        let audit = record("IA-1", "internal-audit", "2026-09-15", &[]);
        let by_id = HashMap::new();
        // Explicit links, either direction.
        let nc = record("NC-1", "nonconformity", "2026-12-01", &["IA-1"]);
        assert!(raised_by(&nc, &audit, &by_id));
        let listed = record("IA-1", "internal-audit", "2026-09-15", &["NC-2"]);
        let nc2 = record("NC-2", "nonconformity", "2026-01-01", &[]);
        assert!(raised_by(&nc2, &listed, &by_id));
        // By date: on the audit day or within 14 days after it, when neither names links.
        for (date, expected) in [
            ("2026-09-15", true),
            ("2026-09-29", true),
            ("2026-09-30", false),
            ("2026-09-14", false),
        ] {
            let nc = record("NC-3", "nonconformity", date, &[]);
            assert_eq!(raised_by(&nc, &audit, &by_id), expected, "{date}");
        }
        // A nonconformity linked elsewhere (an incident review) is not taken by date.
        let elsewhere = record("NC-4", "nonconformity", "2026-09-16", &["MI-1"]);
        assert!(!raised_by(&elsewhere, &audit, &by_id));
        // An audit that names its nonconformities is taken at its word.
        let named = record("NC-5", "nonconformity", "2026-09-16", &[]);
        let other_nc = record("NC-9", "nonconformity", "2026-09-15", &[]);
        let mut index = HashMap::new();
        index.insert("NC-9", &other_nc);
        let audit_naming = record("IA-2", "internal-audit", "2026-09-15", &["NC-9"]);
        assert!(!raised_by(&named, &audit_naming, &index));
    }
}
