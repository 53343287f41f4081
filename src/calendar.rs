//! The certification calendar: the dated obligations of the management system (document
//! reviews, recurring records, audit dates and the certificate cycle) as events relative to
//! `--as-of`. Pure: rendering (terminal, JSON, RFC 5545) lives in `render::calendar`.

use crate::Checked;
use crate::catalogue::Schedule;
use crate::dates::Interval;
use crate::model::{Item, Status};
use jiff::civil::Date;
use serde::Serialize;
use std::fmt::Write as _;

/// The human output's look-ahead.
pub const HORIZON_DAYS: i64 = 90;

/// What kind of obligation an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Certification,
    Review,
    Record,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Certification => "certification",
            EventKind::Review => "review",
            EventKind::Record => "record",
        }
    }
}

/// Where an event stands as of `--as-of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// A review or record whose due date has passed.
    Overdue,
    /// A review or record due on or after `--as-of`.
    Due,
    /// An audit date on or after `--as-of`.
    Planned,
    /// An audit date before `--as-of` (kept for the calendar file; not a finding).
    Past,
}

/// One dated obligation.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    /// Stable identity of the obligation (not of its date), so a calendar re-imported after a
    /// review updates the event instead of adding one.
    pub uid: String,
    pub date: Date,
    pub kind: EventKind,
    pub status: EventStatus,
    pub title: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// Every event, sorted by date, then kind, then uid.
#[derive(Debug, Clone, Serialize)]
pub struct Calendar {
    pub as_of: Date,
    /// The last day of the human output's look-ahead.
    pub horizon: Date,
    pub events: Vec<Event>,
}

impl Calendar {
    pub fn overdue(&self) -> impl Iterator<Item = &Event> {
        self.events
            .iter()
            .filter(|e| e.status == EventStatus::Overdue)
    }

    /// Events from `--as-of` to the horizon, overdue ones left out.
    pub fn upcoming(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(|e| {
            e.date >= self.as_of && e.date <= self.horizon && e.status != EventStatus::Overdue
        })
    }
}

/// Builds the calendar of a checked repository.
pub fn build(checked: &Checked) -> Calendar {
    let as_of = checked.evaluation.as_of;
    let domain = domain_part(checked.settings.organization.as_deref().unwrap_or("sms"));
    let uid = |local: &str| format!("{local}@{domain}.iso20k");
    let mut events = Vec::new();
    reviews(checked, as_of, &uid, &mut events);
    records(checked, as_of, &uid, &mut events);
    certification(checked, as_of, &uid, &mut events);
    events.sort_by(|a, b| (a.date, a.kind, &a.uid).cmp(&(b.date, b.kind, &b.uid)));
    Calendar {
        as_of,
        horizon: as_of
            .checked_add(jiff::Span::new().days(HORIZON_DAYS))
            .unwrap_or(Date::MAX),
        events,
    }
}

fn due_status(date: Date, as_of: Date) -> EventStatus {
    if date < as_of {
        EventStatus::Overdue
    } else {
        EventStatus::Due
    }
}

fn audit_status(date: Date, as_of: Date) -> EventStatus {
    if date < as_of {
        EventStatus::Past
    } else {
        EventStatus::Planned
    }
}

/// Approved documents: `next_review`, else approval date plus the interval.
fn reviews(checked: &Checked, as_of: Date, uid: &dyn Fn(&str) -> String, out: &mut Vec<Event>) {
    let default = checked.settings.review_interval;
    for item in &checked.repo.items {
        if !item.kind.is_document() || item.status != Some(Status::Approved) {
            continue;
        }
        let Some(due) = item.review_due(default) else {
            continue;
        };
        let mut parts = Vec::new();
        if let Some(owner) = &item.owner {
            parts.push(format!("owner: {owner}"));
        }
        match (item.next_review, item.approved_on) {
            (Some(_), Some(approved)) => {
                parts.push(format!("approved on {approved}, next_review set"))
            }
            (None, Some(approved)) => parts.push(format!(
                "approved on {approved}, reviewed every {}",
                item.review_interval.unwrap_or(default)
            )),
            _ => {}
        }
        let detail = parts.join("; ");
        out.push(Event {
            uid: uid(&format!("review-{}", uid_part(&item.id))),
            date: due,
            kind: EventKind::Review,
            status: due_status(due, as_of),
            title: format!("Review {}", item.label()),
            detail,
            id: Some(item.id.clone()),
            path: Some(item.path.clone()),
        });
    }
}

/// Scheduled record types (the catalogue's `interval`): the next one is due an interval after
/// the latest record, or after `operating_since` when there is none yet.
fn records(checked: &Checked, as_of: Date, uid: &dyn Fn(&str) -> String, out: &mut Vec<Event>) {
    for (name, record_type) in &checked.catalogue.record_types {
        // Records made when work arrives (an incident, a change request) are not obligations
        // with a due date: `check` judges their frequency.
        if record_type.schedule == Schedule::OnDemand {
            continue;
        }
        let Some(interval) = record_type
            .interval
            .as_deref()
            .and_then(|text| Interval::parse(text).ok())
        else {
            continue;
        };
        let latest: Option<&Item> = checked
            .repo
            .record_dates
            .get(name)
            .and_then(|dates| dates.iter().rev().find(|(d, _)| *d <= as_of))
            .map(|&(_, i)| &checked.repo.items[i]);
        let (date, detail, id, path) = match (latest, checked.settings.operating_since) {
            (Some(record), _) => {
                let last = record.date.unwrap_or(as_of);
                (
                    interval.after(last),
                    format!("every {interval}; latest {} on {last}", record.id),
                    Some(record.id.clone()),
                    Some(record.path.clone()),
                )
            }
            (None, Some(since)) => (
                interval.after(since),
                format!("every {interval}; no record yet (operating since {since})"),
                None,
                None,
            ),
            (None, None) => (
                as_of,
                format!("every {interval}; no record yet"),
                None,
                None,
            ),
        };
        out.push(Event {
            uid: uid(&format!("record-{}", uid_part(name))),
            date,
            kind: EventKind::Record,
            status: due_status(date, as_of),
            title: format!("{} due", sentence(name)),
            detail,
            id,
            path,
        });
    }
}

/// `internal-audit` → `Internal audit`, `sla-review` → `SLA review`.
fn sentence(name: &str) -> String {
    let text = name
        .split('-')
        .map(|word| if word == "sla" { "SLA" } else { word })
        .collect::<Vec<_>>()
        .join(" ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Surveillance audits fall due within 12 and 24 months of certification; the
/// recertification audit is planned 3 months before the 3-year expiry so the decision is made
/// in time.
const SURVEILLANCE_MONTHS: [u32; 2] = [12, 24];
const RECERTIFICATION_MONTHS: u32 = 33;
const CERTIFICATE_MONTHS: u32 = 36;

fn certification(
    checked: &Checked,
    as_of: Date,
    uid: &dyn Fn(&str) -> String,
    out: &mut Vec<Event>,
) {
    let settings = &checked.settings;
    for (local, title, date) in [
        (
            "stage1",
            "Stage 1 audit (documentation review)",
            settings.stage1,
        ),
        ("stage2", "Stage 2 audit (implementation)", settings.stage2),
    ] {
        if let Some(date) = date {
            out.push(Event {
                uid: uid(local),
                date,
                kind: EventKind::Certification,
                status: audit_status(date, as_of),
                title: title.into(),
                detail: "booked in iso20k.toml [certification]".into(),
                id: None,
                path: None,
            });
        }
    }
    let Some(certified) = settings.certified_on else {
        return;
    };
    // The current 3-year cycle, assuming each recertification was on time.
    let cycle = Interval::months(CERTIFICATE_MONTHS);
    let mut start = certified;
    loop {
        let next = cycle.after(start);
        if next > as_of || next <= start {
            break;
        }
        start = next;
    }
    let assumed = if start == certified {
        String::new()
    } else {
        format!(" (cycle from {start}, assuming recertification on time after {certified})")
    };
    let expiry = cycle.after(start);
    let mut push = |local: String, title: String, date: Date, detail: String| {
        out.push(Event {
            uid: uid(&local),
            date,
            kind: EventKind::Certification,
            status: audit_status(date, as_of),
            title,
            detail,
            id: None,
            path: None,
        })
    };
    for (n, months) in SURVEILLANCE_MONTHS.iter().enumerate() {
        push(
            format!("cycle-{start}-surveillance-{}", n + 1),
            format!("Surveillance audit {}", n + 1),
            Interval::months(*months).after(start),
            format!("due within {months} months of certification on {start}{assumed}"),
        );
    }
    push(
        format!("cycle-{start}-recertification"),
        "Recertification audit".into(),
        Interval::months(RECERTIFICATION_MONTHS).after(start),
        format!(
            "complete it, and the certification decision, before the certificate expires on {expiry}{assumed}"
        ),
    );
    push(
        format!("cycle-{start}-expiry"),
        "Certificate expires".into(),
        expiry,
        format!("3 years after certification on {start}{assumed}"),
    );
}

/// A piece of an RFC 5545 UID: ASCII letters, digits, `-`, `.` and `_` kept as they are,
/// every other byte percent-encoded, so distinct ids stay distinct and the UID needs no
/// escaping.
pub fn uid_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.trim().bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The organisation as the domain part of every UID: `Acme IT Services Ltd` →
/// `acme-it-services-ltd`; letters outside ASCII are percent-encoded so a Chinese name stays
/// distinct.
pub fn domain_part(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else if c.is_ascii() {
            if !dash && !out.is_empty() {
                out.push('-');
                dash = true;
            }
        } else {
            out.push_str(&uid_part(&c.to_string()));
            dash = false;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "sms".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_parts_are_safe_and_distinct() {
        assert_eq!(uid_part("POL-001"), "POL-001");
        assert_eq!(
            uid_part("Acme IT Services Ltd"),
            "Acme%20IT%20Services%20Ltd"
        );
        assert_ne!(uid_part("a b"), uid_part("a_b"));
        assert_eq!(uid_part("流程"), "%E6%B5%81%E7%A8%8B");
        assert_eq!(uid_part("x;y,z"), "x%3By%2Cz");
    }

    #[test]
    fn domains() {
        assert_eq!(domain_part("Acme IT Services Ltd."), "acme-it-services-ltd");
        assert_eq!(domain_part("  "), "sms");
        assert_eq!(domain_part("云服务"), "%E4%BA%91%E6%9C%8D%E5%8A%A1");
    }

    #[test]
    fn sentences() {
        assert_eq!(sentence("internal-audit"), "Internal audit");
        assert_eq!(sentence("sla-review"), "SLA review");
    }
}
