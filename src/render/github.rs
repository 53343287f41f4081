//! `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::…`) that show
//! diagnostics and unmet clauses as annotations on the pull request, and the Markdown job
//! summary that `cli` appends to the file named by `GITHUB_STEP_SUMMARY`.

use super::{clause_anchor, md_cell, md_code, repo_path};
use crate::Checked;
use crate::config::FailOn;
use crate::diagnostic::{Diagnostic, Severity};
use crate::evaluate::{ClauseResult, ClauseStatus};
use std::fmt::Write;

/// Rows of the job summary's diagnostics table; the step summary is limited to 1 MiB.
const MAX_SUMMARY_ROWS: usize = 200;

/// Escapes the message of a workflow command (`%`, carriage return, line feed).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command: as data, plus `:` and `,`, which would
/// otherwise end the value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(
    level: &str,
    file: Option<&str>,
    line: Option<u32>,
    column: Option<u32>,
    title: &str,
    message: &str,
) -> String {
    let mut properties = Vec::new();
    if let Some(file) = file {
        properties.push(format!("file={}", escape_property(file)));
        if let Some(line) = line {
            properties.push(format!("line={line}"));
            if let Some(column) = column {
                properties.push(format!("col={column}"));
            }
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{level} {}::{}\n",
        properties.join(","),
        escape_data(message)
    )
}

fn diagnostic_command(root: &str, d: &Diagnostic) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    command(
        level,
        Some(&repo_path(root, &d.path)),
        d.line,
        d.column,
        &format!("iso20k {}", d.code),
        &message,
    )
}

fn clause_command(checked: &Checked, clause: &ClauseResult, fail_on: FailOn) -> Option<String> {
    let level = match clause.status {
        ClauseStatus::Gap if fail_on == FailOn::Gap => "error",
        ClauseStatus::Gap => "warning",
        ClauseStatus::Partial => "notice",
        ClauseStatus::Met | ClauseStatus::Manual => return None,
    };
    let message = clause
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.check, f.message))
        .collect::<Vec<_>>()
        .join("\n");
    let anchor = clause_anchor(checked, &clause.id);
    let file = anchor.map(|(path, _)| repo_path(&checked.root, path));
    Some(command(
        level,
        file.as_deref(),
        anchor.map(|(_, line)| line),
        None,
        &format!(
            "iso20k {} {} ({})",
            clause.id,
            clause.title,
            clause.status.as_str()
        ),
        &message,
    ))
}

/// The workflow commands, one per diagnostic and one per partial or gap clause, then the
/// summary line. Gaps are errors when `--fail-on gap` makes them fail the job.
pub fn render(checked: &Checked, fail_on: FailOn) -> String {
    let evaluation = &checked.evaluation;
    let mut out = String::new();
    for diagnostic in &evaluation.diagnostics {
        out.push_str(&diagnostic_command(&checked.root, diagnostic));
    }
    for clause in &evaluation.clauses {
        out.extend(clause_command(checked, clause, fail_on));
    }
    out.push_str(&super::terminal::plain_summary(
        &evaluation.summary,
        &evaluation.as_of.to_string(),
    ));
    out.push('\n');
    out
}

/// The Markdown job summary: the counts and score, the clauses not met with their findings,
/// and the diagnostics.
pub fn summary(checked: &Checked) -> String {
    let evaluation = &checked.evaluation;
    let s = &evaluation.summary;
    let mut out = String::new();
    let _ = writeln!(out, "### iso20k check: {}\n", md_code(&checked.root));
    let _ = writeln!(
        out,
        "| score | met | partial | gap | manual | errors | warnings | items | as of |"
    );
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    let _ = writeln!(
        out,
        "| {:.1} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.score, s.met, s.partial, s.gap, s.manual, s.errors, s.warnings, s.items, evaluation.as_of
    );
    let unmet: Vec<&ClauseResult> = evaluation
        .clauses
        .iter()
        .filter(|c| matches!(c.status, ClauseStatus::Partial | ClauseStatus::Gap))
        .collect();
    if unmet.is_empty() {
        let _ = writeln!(out, "Every clause with automated checks is met.\n");
    } else {
        let _ = writeln!(out, "#### Clauses not met ({})\n", unmet.len());
        let _ = writeln!(out, "| clause | status | findings |");
        let _ = writeln!(out, "|---|---|---|");
        for clause in unmet {
            let findings = clause
                .findings
                .iter()
                .map(|f| format!("{}: {}", md_code(&f.check), md_cell(&f.message)))
                .collect::<Vec<_>>()
                .join("<br>");
            let _ = writeln!(
                out,
                "| {} {} | {} | {findings} |",
                clause.id,
                md_cell(&clause.title),
                clause.status.as_str()
            );
        }
        out.push('\n');
    }
    if evaluation.diagnostics.is_empty() {
        let _ = writeln!(out, "No diagnostics.");
    } else {
        let _ = writeln!(out, "#### Diagnostics ({})\n", evaluation.diagnostics.len());
        let more = super::md_diagnostic_table(
            &mut out,
            &checked.root,
            &evaluation.diagnostics,
            MAX_SUMMARY_ROWS,
        );
        if more > 0 {
            let _ = writeln!(
                out,
                "\n…and {more} more: run `iso20k check` for the full list."
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_command_values_are_escaped() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        let line = command(
            "error",
            Some("dir/x, y.md"),
            Some(3),
            Some(7),
            "iso20k t",
            "one\ntwo",
        );
        assert_eq!(
            line,
            "::error file=dir/x%2C y.md,line=3,col=7,title=iso20k t::one%0Atwo\n"
        );
    }

    #[test]
    fn a_command_without_file_has_no_line() {
        let line = command("warning", None, Some(3), None, "t", "m");
        assert_eq!(line, "::warning title=t::m\n");
    }
}
