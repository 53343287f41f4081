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

mod context;
mod gates;

use crate::Checked;
use crate::catalogue::CatalogueError;
use crate::dates::Interval;
use crate::i18n::{Arg, Message};
use crate::model::{Item, Kind};
pub use crate::stage::Stage;
use context::Ctx;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

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

/// One thing behind a gate: a document, a record, a month of operation, a diagnostic. Its
/// name and detail are data, shown in the output language (English in JSON).
#[derive(Debug, Clone, Serialize)]
pub struct GateItem {
    pub ok: bool,
    pub name: Arg,
    pub detail: Arg,
    /// Ids of the repository items involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
}

/// Names of the items that fail, in order: what a gate's reason lists.
fn failing_names(items: &[GateItem]) -> Vec<&Arg> {
    items.iter().filter(|i| !i.ok).map(|i| &i.name).collect()
}

impl GateItem {
    fn new(ok: bool, name: impl Into<Arg>, detail: impl Into<Arg>) -> Self {
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
    pub stage: Stage,
    pub title: Message,
    pub status: GateStatus,
    pub reason: Message,
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
    /// The UI string that says it.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::ReadyForStage2 => "verdict_ready_for_stage_2",
            Verdict::ReadyForStage1 => "verdict_ready_for_stage_1",
            Verdict::NotReady => "verdict_not_ready",
        }
    }
}

/// A date the time-based gates depend on.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    pub gate: &'static str,
    pub date: Date,
    pub reached: bool,
    pub message: Message,
}

/// The readiness assessment of one repository.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    pub as_of: Date,
    /// The stage asked about (`--stage`); decides `ready` and the exit code.
    pub stage: Stage,
    pub ready: bool,
    pub verdict: Verdict,
    /// Ids of the failing gates, stage 1 first.
    pub blocking: Vec<&'static str>,
    pub min_operating_months: u32,
    pub operating_since: Option<Date>,
    pub milestones: Vec<Milestone>,
    /// Booked audit dates that the gates contradict.
    pub notes: Vec<Message>,
    pub gates: Vec<Gate>,
}

/// Judges every gate. Fails only when the catalogue has no roles.
pub fn assess(checked: &Checked, stage: Stage) -> Result<Readiness, CatalogueError> {
    let ctx = Ctx::new(checked, checked.catalogue.roles()?);
    let gates = vec![
        gates::scope::gate(&ctx),
        gates::mandatory::gate(&ctx),
        gates::leadership::gate(&ctx),
        gates::errors::gate(&ctx),
        gates::operating::gate(&ctx),
        gates::audit::gate(&ctx),
        gates::review::gate(&ctx),
        gates::corrective::gate(&ctx),
        gates::records::gate(&ctx),
    ];
    let stage1 = gates
        .iter()
        .filter(|g| g.stage == Stage::One)
        .all(Gate::passed);
    let stage2 = stage1 && gates.iter().all(Gate::passed);
    let verdict = match (stage1, stage2) {
        (_, true) => Verdict::ReadyForStage2,
        (true, false) => Verdict::ReadyForStage1,
        _ => Verdict::NotReady,
    };
    let ready = if stage == Stage::One { stage1 } else { stage2 };
    let blocking = gates
        .iter()
        .filter(|g| !g.passed() && g.stage <= stage)
        .map(|g| g.id)
        .collect();
    let settings = &checked.settings;
    let mut milestones = Vec::new();
    let mut notes = Vec::new();
    if let Some(since) = settings.operating_since {
        let date = Interval::months(settings.min_operating_months).after(since);
        let reached = date <= ctx.as_of;
        let months = Arg::Interval(Interval::months(settings.min_operating_months));
        let key = if reached {
            "milestone_operating_reached"
        } else {
            "milestone_operating_ahead"
        };
        milestones.push(Milestone {
            gate: "operating-period",
            date,
            reached,
            message: Message::new(key)
                .arg("months", months.clone())
                .text("date", date),
        });
        if let Some(booked) = settings.stage2
            && booked < date
        {
            notes.push(
                Message::new("note_stage2_before_operating")
                    .text("booked", booked)
                    .arg("months", months)
                    .text("date", date),
            );
        }
    }
    if let (Some(stage1_date), Some(stage2_date)) = (settings.stage1, settings.stage2)
        && stage2_date < stage1_date
    {
        notes.push(
            Message::new("note_stage2_before_stage1")
                .text("stage1", stage1_date)
                .text("stage2", stage2_date),
        );
    }
    Ok(Readiness {
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
    })
}

/// The distinct 7.5.4 letters of failing mandatory labels: `a), b), h)`.
fn letters(labels: &[&Arg]) -> Arg {
    let mut out: Vec<String> = labels
        .iter()
        .filter_map(|arg| match arg {
            Arg::Mandatory(item) => Some(format!("{})", item.letter)),
            _ => None,
        })
        .collect();
    out.dedup();
    Arg::texts(out)
}

/// `month 2`, `months 1 and 3`, `months 1, 2 and 3`.
fn month_list(months: &[usize]) -> Message {
    match months.split_last() {
        Some((last, first)) if !first.is_empty() => Message::new("month_list_many")
            .arg("first", Arg::texts(first))
            .count("last", *last),
        _ => Message::new("month_list_one").count("month", months.first().copied().unwrap_or(0)),
    }
}

fn fmt_date(date: Option<Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

/// Whether `a` and `b` name each other under `related` (either direction).
fn links(a: &Item, b: &Item) -> bool {
    a.related.contains(&b.id) || b.related.contains(&a.id)
}

/// Whether nonconformity `nc` was raised by internal audit `audit` (see the module docs);
/// `nonconformity` is the catalogue's record type for nonconformities.
fn raised_by(nc: &Item, audit: &Item, by_id: &HashMap<&str, &Item>, nonconformity: &str) -> bool {
    if links(nc, audit) {
        return true;
    }
    let audit_names_ncs = audit.related.iter().any(|id| {
        by_id.get(id.as_str()).is_some_and(|i| {
            i.kind == Kind::Record && i.record_type.as_deref() == Some(nonconformity)
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
        assert!(raised_by(&nc, &audit, &by_id, "nonconformity"));
        let listed = record("IA-1", "internal-audit", "2026-09-15", &["NC-2"]);
        let nc2 = record("NC-2", "nonconformity", "2026-01-01", &[]);
        assert!(raised_by(&nc2, &listed, &by_id, "nonconformity"));
        // By date: on the audit day or within 14 days after it, when neither names links.
        for (date, expected) in [
            ("2026-09-15", true),
            ("2026-09-29", true),
            ("2026-09-30", false),
            ("2026-09-14", false),
        ] {
            let nc = record("NC-3", "nonconformity", date, &[]);
            assert_eq!(
                raised_by(&nc, &audit, &by_id, "nonconformity"),
                expected,
                "{date}"
            );
        }
        // A nonconformity linked elsewhere (an incident review) is not taken by date.
        let elsewhere = record("NC-4", "nonconformity", "2026-09-16", &["MI-1"]);
        assert!(!raised_by(&elsewhere, &audit, &by_id, "nonconformity"));
        // An audit that names its nonconformities is taken at its word.
        let named = record("NC-5", "nonconformity", "2026-09-16", &[]);
        let other_nc = record("NC-9", "nonconformity", "2026-09-15", &[]);
        let mut index = HashMap::new();
        index.insert("NC-9", &other_nc);
        let audit_naming = record("IA-2", "internal-audit", "2026-09-15", &["NC-9"]);
        assert!(!raised_by(&named, &audit_naming, &index, "nonconformity"));
    }
}
