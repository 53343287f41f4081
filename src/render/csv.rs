//! `report --format csv`: one row per clause finding, for a project team's tracker, quoted
//! and terminated (CRLF) as RFC 4180 says. A clause without findings still gets one row with
//! the finding columns empty, so every evaluated clause is in the file.

use crate::i18n::Localizer;
use crate::report::{ClauseView, FindingView, Report};

/// The column headers' UI string keys, in order.
pub const COLUMNS: [&str; 14] = [
    "col_clause",
    "col_title",
    "col_status",
    "col_automated",
    "col_assessed",
    "col_assessor",
    "col_assessment_date",
    "col_check",
    "col_check_type",
    "col_mandatory",
    "col_finding",
    "col_recommendation",
    "col_evidence",
    "col_assessment_note",
];

pub fn render(report: &Report, t: &Localizer) -> anyhow::Result<String> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(COLUMNS.iter().map(|key| t.ui(key)))?;
    for row in rows(report) {
        writer.write_record(row.cells.iter().map(|cell| inert(cell).into_owned()))?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}

/// A cell a spreadsheet will not evaluate: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with `'`, as OWASP's CSV-injection guidance says, because ids,
/// titles and messages come from the repository and Excel or LibreOffice would run `=HYPERLINK(…)`
/// or `@SUM(…)` found there. The XLSX report needs no such care: it writes cells as strings.
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// One row of the CSV file and of the workbook's findings sheet.
pub struct Row {
    /// The cells, in [`COLUMNS`] order.
    pub cells: [String; 14],
    /// Status keys (`met`, `partial`, ...) of the clause, to colour the cells.
    pub status: &'static str,
    pub automated: &'static str,
    pub assessed: Option<&'static str>,
}

/// The rows of the CSV file and of the workbook's findings sheet.
pub fn rows(report: &Report) -> Vec<Row> {
    let mut out = Vec::new();
    for clause in report.groups.iter().flat_map(|g| &g.clauses) {
        let findings: Vec<&FindingView> = if clause.status == "manual" {
            clause.findings.iter().chain(&clause.to_judge).collect()
        } else {
            clause.findings.iter().collect()
        };
        if findings.is_empty() {
            out.push(row(clause, None));
        }
        for finding in findings {
            out.push(row(clause, Some(finding)));
        }
    }
    out
}

fn row(clause: &ClauseView, finding: Option<&FindingView>) -> Row {
    let assessment = clause.assessment.as_ref();
    let evidence: Vec<&str> = clause.evidence.iter().map(|l| l.id.as_str()).collect();
    let cells = [
        clause.id.clone(),
        clause.title.clone(),
        clause.status_label.clone(),
        clause.automated_label.clone(),
        assessment
            .map(|a| a.result_label.clone())
            .unwrap_or_default(),
        assessment.map(|a| a.assessor.clone()).unwrap_or_default(),
        assessment.map(|a| a.date.clone()).unwrap_or_default(),
        finding.map(|f| f.check.clone()).unwrap_or_default(),
        finding.map(|f| f.check_type.clone()).unwrap_or_default(),
        finding
            .and_then(|f| f.mandatory.clone())
            .unwrap_or_default(),
        finding.map(|f| f.finding.clone()).unwrap_or_default(),
        finding
            .map(|f| f.recommendation.clone())
            .unwrap_or_default(),
        evidence.join(", "),
        assessment.map(|a| a.note.clone()).unwrap_or_default(),
    ];
    Row {
        cells,
        status: clause.status,
        automated: clause.automated,
        assessed: assessment.map(|a| a.result),
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_neutralised() {
        for cell in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(inert(cell), format!("'{cell}"));
        }
        for cell in ["POL-001", "8.5.1", "", "a=b", "Change management"] {
            assert_eq!(inert(cell), cell);
        }
    }
}
