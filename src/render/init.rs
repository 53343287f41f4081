//! `iso20k init` output: what was created, what was skipped and why, and what to do next.

use crate::init::{Lang, Scaffolded};
use std::fmt::Write;
use std::path::Path;

pub fn human(dir: &Path, lang: Lang, outcome: &Scaffolded) -> String {
    let mut out = String::new();
    let shown = dir.display();
    let _ = writeln!(
        out,
        "Created {} file{} in {shown} ({} templates):",
        outcome.created.len(),
        if outcome.created.len() == 1 { "" } else { "s" },
        lang.name()
    );
    for path in &outcome.created {
        let _ = writeln!(out, "  {path}");
    }
    if !outcome.skipped.is_empty() {
        let _ = writeln!(
            out,
            "\nSkipped {} file{} (never overwritten):",
            outcome.skipped.len(),
            if outcome.skipped.len() == 1 { "" } else { "s" }
        );
        for (path, reason) in &outcome.skipped {
            let _ = writeln!(out, "  {path}: {reason}");
        }
    }
    let _ = writeln!(out, "\nNext steps:");
    let _ = writeln!(
        out,
        "  1. Set [organization] name and, once the SMS runs, [sms] operating_since in {}.",
        dir.join("iso20k.toml").display()
    );
    let _ = writeln!(
        out,
        "  2. Replace the guidance in each draft, then approve it (status: approved, approved_by, approved_on)."
    );
    let _ = writeln!(
        out,
        "  3. Run `iso20k check {shown}`: every clause starts as gap or partial and moves to met."
    );
    out
}
