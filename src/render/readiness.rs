//! `iso20k readiness` output: the verdict first, then the gates that block the requested
//! stage with the items behind them, then the gates that pass, then the dates that matter.

use crate::Checked;
use crate::readiness::{Gate, Readiness};
use serde::Serialize;
use std::fmt::Write;

/// How many failing items a blocking gate shows in the terminal (JSON has all of them).
const SHOWN_ITEMS: usize = 12;

pub fn human(checked: &Checked, readiness: &Readiness) -> String {
    let mut out = String::new();
    let name = super::repository_name(checked);
    let _ = writeln!(
        out,
        "Certification readiness of {name} as of {}",
        readiness.as_of
    );
    let _ = writeln!(out);
    let asked = if readiness.ready {
        format!("stage {} requested: ready", readiness.stage)
    } else {
        format!(
            "stage {} requested: not ready, {} blocking gate{}",
            readiness.stage,
            readiness.blocking.len(),
            if readiness.blocking.len() == 1 {
                ""
            } else {
                "s"
            }
        )
    };
    let _ = writeln!(out, "Verdict: {} ({asked})", readiness.verdict.describe());

    let blocking: Vec<&Gate> = readiness
        .gates
        .iter()
        .filter(|g| readiness.blocking.contains(&g.id))
        .collect();
    let later: Vec<&Gate> = readiness
        .gates
        .iter()
        .filter(|g| !g.passed() && !readiness.blocking.contains(&g.id))
        .collect();
    let passed: Vec<&Gate> = readiness.gates.iter().filter(|g| g.passed()).collect();

    if !blocking.is_empty() {
        let _ = writeln!(out, "\nBlocking");
        for gate in blocking {
            write_failing(&mut out, gate);
        }
    }
    if !later.is_empty() {
        let _ = writeln!(out, "\nNot yet met (stage 2, not requested)");
        for gate in later {
            write_failing(&mut out, gate);
        }
    }
    if !passed.is_empty() {
        let _ = writeln!(out, "\nPassed");
        for gate in passed {
            let _ = writeln!(
                out,
                "  ✓ stage {}  {}  [{}]",
                gate.stage, gate.title, gate.id
            );
            let _ = writeln!(out, "      {}", gate.reason);
        }
    }

    let _ = writeln!(out, "\nDates");
    match readiness.operating_since {
        Some(since) => {
            let _ = writeln!(out, "  operating since {since} (iso20k.toml [sms])");
        }
        None => {
            let _ = writeln!(
                out,
                "  operating since: not set (add [sms] operating_since to iso20k.toml)"
            );
        }
    }
    for milestone in &readiness.milestones {
        let _ = writeln!(out, "  {}", milestone.message);
    }
    let settings = &checked.settings;
    for (label, date) in [
        ("stage 1 audit booked", settings.stage1),
        ("stage 2 audit booked", settings.stage2),
    ] {
        if let Some(date) = date {
            let _ = writeln!(out, "  {label} for {date}");
        }
    }
    for note in &readiness.notes {
        let _ = writeln!(out, "  ! {note}");
    }
    out
}

fn write_failing(out: &mut String, gate: &Gate) {
    let _ = writeln!(
        out,
        "  ✗ stage {}  {}  [{}]",
        gate.stage, gate.title, gate.id
    );
    let _ = writeln!(out, "      {}", gate.reason);
    let failing: Vec<_> = gate.items.iter().filter(|i| !i.ok).collect();
    for item in failing.iter().take(SHOWN_ITEMS) {
        let _ = writeln!(out, "      - {}: {}", item.name, item.detail);
    }
    if failing.len() > SHOWN_ITEMS {
        let _ = writeln!(
            out,
            "      … and {} more (see --format json)",
            failing.len() - SHOWN_ITEMS
        );
    }
}

/// `{"name": "iso20k", "version": ...}` at the top of every JSON document of this module
/// and `render::calendar`.
#[derive(Serialize)]
pub(crate) struct ToolInfo {
    name: &'static str,
    version: &'static str,
}

impl ToolInfo {
    pub(crate) fn current() -> Self {
        ToolInfo {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    tool: ToolInfo,
    root: &'a str,
    #[serde(flatten)]
    readiness: &'a Readiness,
}

pub fn json(checked: &Checked, readiness: &Readiness) -> anyhow::Result<String> {
    let document = Document {
        tool: ToolInfo::current(),
        root: &checked.root,
        readiness,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}
