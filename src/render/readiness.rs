//! `iso20k readiness` output: the verdict first, then the gates that block the requested
//! stage with the items behind them, then the gates that pass, then the dates that matter.

use crate::Checked;
use crate::i18n::{Localizer, Message};
use crate::readiness::{Gate, Readiness};
use serde::Serialize;
use std::fmt::Write;

/// How many failing items a blocking gate shows in the terminal (JSON has all of them).
const SHOWN_ITEMS: usize = 12;

pub fn human(checked: &Checked, readiness: &Readiness, t: &Localizer) -> String {
    let mut out = String::new();
    let name = super::repository_name(checked);
    let _ = writeln!(
        out,
        "{}",
        t.fill(
            "readiness_heading",
            &[("name", &name), ("date", &readiness.as_of.to_string())]
        )
    );
    let _ = writeln!(out);
    let stage = readiness.stage.number().to_string();
    let asked = if readiness.ready {
        t.fill("readiness_asked_ready", &[("stage", &stage)])
    } else {
        t.message(
            &Message::new("readiness_asked_not_ready")
                .text("stage", &stage)
                .count("n", readiness.blocking.len()),
        )
    };
    let _ = writeln!(
        out,
        "{}",
        t.fill(
            "readiness_verdict_line",
            &[
                ("verdict", &t.ui(readiness.verdict.key())),
                ("asked", &asked)
            ]
        )
    );

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
        let _ = writeln!(out, "\n{}", t.ui("readiness_blocking"));
        for gate in blocking {
            write_failing(&mut out, gate, t);
        }
    }
    if !later.is_empty() {
        let _ = writeln!(out, "\n{}", t.ui("readiness_later"));
        for gate in later {
            write_failing(&mut out, gate, t);
        }
    }
    if !passed.is_empty() {
        let _ = writeln!(out, "\n{}", t.ui("readiness_passed"));
        for gate in passed {
            write_gate_line(&mut out, "✓", gate, t);
        }
    }

    let _ = writeln!(out, "\n{}", t.ui("readiness_dates"));
    match readiness.operating_since {
        Some(since) => {
            let since = since.to_string();
            let _ = writeln!(
                out,
                "  {}",
                t.fill("readiness_operating_since", &[("date", &since)])
            );
        }
        None => {
            let _ = writeln!(out, "  {}", t.ui("readiness_operating_unset"));
        }
    }
    for milestone in &readiness.milestones {
        let _ = writeln!(out, "  {}", t.message(&milestone.message));
    }
    let settings = &checked.settings;
    for (key, date) in [
        ("readiness_stage1_booked", settings.stage1),
        ("readiness_stage2_booked", settings.stage2),
    ] {
        if let Some(date) = date {
            let _ = writeln!(out, "  {}", t.fill(key, &[("date", &date.to_string())]));
        }
    }
    for note in &readiness.notes {
        let _ = writeln!(out, "  ! {}", t.message(note));
    }
    out
}

/// `  ✓ stage 1  Scope of the SMS defined and approved  [scope-approved]` and its reason.
fn write_gate_line(out: &mut String, mark: &str, gate: &Gate, t: &Localizer) {
    let stage = t.fill(
        "readiness_stage",
        &[("stage", &gate.stage.number().to_string())],
    );
    let _ = writeln!(
        out,
        "  {mark} {stage}  {}  [{}]",
        t.message(&gate.title),
        gate.id
    );
    let _ = writeln!(out, "      {}", t.message(&gate.reason));
}

fn write_failing(out: &mut String, gate: &Gate, t: &Localizer) {
    write_gate_line(out, "✗", gate, t);
    let failing: Vec<_> = gate.items.iter().filter(|i| !i.ok).collect();
    for item in failing.iter().take(SHOWN_ITEMS) {
        let _ = writeln!(
            out,
            "      - {}{}{}",
            t.arg(&item.name),
            t.ui("readiness_item_colon"),
            t.arg(&item.detail)
        );
    }
    if failing.len() > SHOWN_ITEMS {
        let more = (failing.len() - SHOWN_ITEMS).to_string();
        let _ = writeln!(out, "      {}", t.fill("readiness_more", &[("n", &more)]));
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
