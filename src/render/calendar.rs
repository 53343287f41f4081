//! `iso20k calendar` output: overdue obligations first, then the next 90 days (human), or
//! every event (JSON). The ICS file is `render::ics`.

use super::readiness::ToolInfo;
use crate::Checked;
use crate::calendar::{Calendar, Event};
use serde::Serialize;
use std::fmt::Write;

pub fn human(checked: &Checked, calendar: &Calendar) -> String {
    let mut out = String::new();
    let name = super::repository_name(checked);
    let _ = writeln!(out, "Calendar of {name} as of {}", calendar.as_of);
    let overdue: Vec<&Event> = calendar.overdue().collect();
    let upcoming: Vec<&Event> = calendar.upcoming().collect();
    let _ = writeln!(out, "\nOverdue ({})", overdue.len());
    if overdue.is_empty() {
        let _ = writeln!(out, "  nothing overdue");
    }
    for event in &overdue {
        let days = (calendar.as_of - event.date).get_days();
        write_event(&mut out, event, Some(days));
    }
    let _ = writeln!(
        out,
        "\nNext 90 days, to {} ({})",
        calendar.horizon,
        upcoming.len()
    );
    if upcoming.is_empty() {
        let _ = writeln!(out, "  nothing due");
    }
    for event in &upcoming {
        write_event(&mut out, event, None);
    }
    let later = calendar
        .events
        .iter()
        .filter(|e| e.date > calendar.horizon)
        .count();
    let _ = writeln!(
        out,
        "\n{} event{} in all; {later} later (see --format json or --ics FILE)",
        calendar.events.len(),
        if calendar.events.len() == 1 { "" } else { "s" },
    );
    out
}

fn write_event(out: &mut String, event: &Event, overdue_days: Option<i32>) {
    let _ = write!(
        out,
        "  {}  {:<13} {}",
        event.date,
        event.kind.as_str(),
        event.title
    );
    if let Some(days) = overdue_days {
        let _ = write!(
            out,
            " ({days} day{} overdue)",
            if days == 1 { "" } else { "s" }
        );
    }
    out.push('\n');
    let mut detail = event.detail.clone();
    if let Some(path) = &event.path {
        let _ = write!(detail, " · {path}");
    }
    if !detail.is_empty() {
        let _ = writeln!(out, "  {:10}  {:<13} {detail}", "", "");
    }
}

#[derive(Serialize)]
struct Summary {
    overdue: usize,
    next_90_days: usize,
    events: usize,
}

#[derive(Serialize)]
struct Document<'a> {
    tool: ToolInfo,
    root: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<&'a str>,
    as_of: String,
    horizon: String,
    summary: Summary,
    events: &'a [Event],
}

pub fn json(checked: &Checked, calendar: &Calendar) -> anyhow::Result<String> {
    let document = Document {
        tool: ToolInfo::current(),
        root: &checked.root,
        organization: checked.settings.organization.as_deref(),
        as_of: calendar.as_of.to_string(),
        horizon: calendar.horizon.to_string(),
        summary: Summary {
            overdue: calendar.overdue().count(),
            next_90_days: calendar.upcoming().count(),
            events: calendar.events.len(),
        },
        events: &calendar.events,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

/// The calendar's display name in a calendar application.
pub fn ics_name(checked: &Checked) -> String {
    match checked.settings.organization.as_deref() {
        Some(org) => format!("{org}: ISO/IEC 20000-1 SMS calendar"),
        None => "ISO/IEC 20000-1 SMS calendar".to_string(),
    }
}
