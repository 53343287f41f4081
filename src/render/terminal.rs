//! Human output: diagnostics first (`path:line`, like a compiler), then clauses grouped under
//! 4 to 10 with status, findings and evidence, then a one-line summary.

use super::abbreviated;
use crate::Checked;
use crate::diagnostic::{Diagnostic, Severity};
use crate::evaluate::{ClauseResult, ClauseStatus, Summary};
use std::fmt::Write;

/// How to print.
pub struct Style {
    /// ANSI colours (only on a terminal, never with NO_COLOR).
    pub color: bool,
    /// Summary line only.
    pub quiet: bool,
}

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        debug_assert!(
            super::escape::PAINT_CODES.contains(&code),
            "colour {code} must be listed in escape::PAINT_CODES or it is escaped away"
        );
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        match severity {
            Severity::Error => self.wrap("1;31", text),
            Severity::Warning => self.wrap("1;33", text),
            Severity::Note => self.wrap("1;36", text),
        }
    }
    fn status(&self, status: ClauseStatus, text: &str) -> String {
        match status {
            ClauseStatus::Met => self.wrap("32", text),
            ClauseStatus::Partial => self.wrap("33", text),
            ClauseStatus::Gap => self.wrap("31", text),
            ClauseStatus::Manual => self.wrap("36", text),
        }
    }
}

pub fn render(checked: &Checked, style: &Style) -> String {
    let paint = Paint(style.color);
    let evaluation = &checked.evaluation;
    let mut out = String::new();
    if !style.quiet {
        for diagnostic in &evaluation.diagnostics {
            write_diagnostic(&mut out, diagnostic, &paint);
        }
        let mut group = None;
        for clause in &evaluation.clauses {
            let top = clause.id.split('.').next().unwrap_or(&clause.id);
            if group != Some(top) {
                group = Some(top);
                let title = checked
                    .catalogue
                    .clause(top)
                    .map(|c| c.title.as_str())
                    .unwrap_or("");
                if !out.is_empty() {
                    out.push('\n');
                }
                let _ = writeln!(out, "{}", paint.bold(&format!("{top}  {title}")));
            }
            write_clause(&mut out, clause, &paint);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}",
        summary_line(&evaluation.summary, &evaluation.as_of.to_string(), &paint)
    );
    out
}

/// Diagnostics alone, compiler style (used by commands other than `check`).
pub fn diagnostics(diagnostics: &[Diagnostic], color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    for diagnostic in diagnostics {
        write_diagnostic(&mut out, diagnostic, &paint);
    }
    out
}

fn write_diagnostic(out: &mut String, d: &Diagnostic, paint: &Paint) {
    let head = format!("{}[{}]", d.severity, d.code);
    let _ = writeln!(out, "{}: {}", paint.severity(d.severity, &head), d.message);
    let location = match (d.line, d.column) {
        (Some(line), Some(column)) => format!("{}:{line}:{column}", d.path),
        (Some(line), None) => format!("{}:{line}", d.path),
        _ => d.path.clone(),
    };
    let _ = writeln!(out, "  {} {location}", paint.dim("-->"));
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  {} help: {help}", paint.dim("="));
    }
}

fn write_clause(out: &mut String, clause: &ClauseResult, paint: &Paint) {
    let status = paint.status(clause.status, &format!("{:<7}", clause.status.as_str()));
    let _ = write!(out, "  {status}  {:<8} {}", clause.id, clause.title);
    if clause.status == ClauseStatus::Met && !clause.evidence.is_empty() {
        let _ = write!(
            out,
            "  {}",
            paint.dim(&format!("[{}]", abbreviated(&clause.evidence, 4)))
        );
    }
    out.push('\n');
    if let Some(a) = &clause.assessment {
        let _ = writeln!(
            out,
            "             {} automated: {}; assessed: {} by {} on {} ({})",
            paint.status(clause.status, "≡"),
            clause.automated.as_str(),
            a.result.as_str(),
            a.assessor,
            a.date,
            paint.dim(&a.id)
        );
    }
    for finding in &clause.findings {
        let mark = match clause.status {
            ClauseStatus::Manual => "?",
            _ => "✗",
        };
        let _ = writeln!(
            out,
            "             {} {}: {}",
            paint.status(clause.status, mark),
            paint.dim(&finding.check),
            finding.message
        );
    }
    if clause.status == ClauseStatus::Partial && !clause.evidence.is_empty() {
        let _ = writeln!(
            out,
            "             {}",
            paint.dim(&format!("evidence: {}", abbreviated(&clause.evidence, 4)))
        );
    }
}

/// The one-line summary without colour, for formats that end with it (`github`).
pub fn plain_summary(s: &Summary, as_of: &str) -> String {
    summary_line(s, as_of, &Paint(false))
}

fn summary_line(s: &Summary, as_of: &str, paint: &Paint) -> String {
    format!(
        "{} {} met, {} partial, {} gap, {} manual · score {:.1} · {} · {} · {} items · as of {as_of}",
        paint.bold("iso20k:"),
        paint.status(ClauseStatus::Met, &s.met.to_string()),
        paint.status(ClauseStatus::Partial, &s.partial.to_string()),
        paint.status(ClauseStatus::Gap, &s.gap.to_string()),
        s.manual,
        s.score,
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        s.items,
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
