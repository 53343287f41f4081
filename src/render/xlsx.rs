//! `report --format xlsx`: the workbook a consultant would otherwise build by hand, one sheet
//! per view (summary, clauses, mandatory documents, findings, diagnostics), each with a
//! frozen header row, filters, coloured status cells and set column widths. Written with
//! rust_xlsxwriter; the creation date is the as-of date, so the same inputs give the same
//! bytes.

use crate::i18n::Localizer;
use crate::report::Report;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// A4 in Excel's paper size numbering.
const A4: u8 = 9;

/// Cell formats shared by every sheet.
struct Formats {
    header: Format,
    text: Format,
    wrap: Format,
    number: Format,
    integer: Format,
    met: Format,
    partial: Format,
    gap: Format,
    manual: Format,
    neutral: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xD9DEE5))
            .set_align(FormatAlign::Top);
        let fill = |bg: u32, fg: u32| {
            base.clone()
                .set_background_color(Color::RGB(bg))
                .set_font_color(Color::RGB(fg))
                .set_bold()
        };
        Formats {
            header: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(0x1D4E89))
                .set_text_wrap(),
            text: base.clone(),
            wrap: base.clone().set_text_wrap(),
            number: base.clone().set_num_format("0.0"),
            integer: base.clone().set_num_format("0"),
            met: fill(0xC6EFCE, 0x006100),
            partial: fill(0xFFEB9C, 0x9C5700),
            gap: fill(0xFFC7CE, 0x9C0006),
            manual: fill(0xDDEBF7, 0x1F4E78),
            neutral: base.set_bold(),
        }
    }

    /// The colour of a status (`met`, `partial`, `gap`, `manual`) or a like-named state.
    fn status(&self, key: &str) -> &Format {
        match key {
            "met" | "covered" | "holds" => &self.met,
            "partial" | "not-current" | "warning" | "unknown" => &self.partial,
            "gap" | "missing" | "fails" | "error" => &self.gap,
            "manual" | "note" => &self.manual,
            _ => &self.neutral,
        }
    }
}

/// One cell to write: text, a number, or coloured text.
enum Cell<'a> {
    Text(String),
    Wrap(String),
    Number(f64),
    Integer(u64),
    Status(String, &'a str),
}

/// Writes a sheet: header row, rows, widths, frozen header, filters, A4 print set-up.
fn sheet(
    sheet: &mut Worksheet,
    formats: &Formats,
    name: &str,
    columns: &[(String, f64)],
    rows: Vec<Vec<Cell>>,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, (title, width)) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, title, &formats.header)?;
        sheet.set_column_width(col, *width)?;
    }
    let last_col = columns.len().saturating_sub(1) as u16;
    for (index, row) in rows.iter().enumerate() {
        let r = index as u32 + 1;
        // Spreadsheets do not all grow a row for wrapped text on opening: size it here.
        let lines = row
            .iter()
            .zip(columns)
            .filter_map(|(cell, (_, width))| match cell {
                Cell::Wrap(text) => Some(wrapped_lines(text, *width)),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, 15.0 * lines.min(30) as f64)?;
        }
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string_with_format(r, col, excel_text(text), &formats.text)?
                }
                Cell::Wrap(text) => {
                    sheet.write_string_with_format(r, col, excel_text(text), &formats.wrap)?
                }
                Cell::Number(n) => sheet.write_number_with_format(r, col, *n, &formats.number)?,
                Cell::Integer(n) => {
                    sheet.write_number_with_format(r, col, *n as f64, &formats.integer)?
                }
                Cell::Status(text, key) => {
                    sheet.write_string_with_format(r, col, text, formats.status(key))?
                }
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, last_col)?;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// How many lines `text` takes in a column `width` characters wide (CJK characters count
/// twice), wrapping at word boundaries roughly as a spreadsheet does.
/// Excel refuses cells over 32,767 characters; a huge title or message in the repository
/// must not cost the whole workbook, so longer text is cut with a marker.
fn excel_text(text: &str) -> std::borrow::Cow<'_, str> {
    const LIMIT: usize = 32_767;
    if text.chars().count() <= LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let marker = " [… cut at Excel's cell limit]";
    let keep: String = text.chars().take(LIMIT - marker.chars().count()).collect();
    std::borrow::Cow::Owned(keep + marker)
}

fn wrapped_lines(text: &str, width: f64) -> usize {
    let width = (width - 1.0).max(4.0);
    let mut lines = 0usize;
    for paragraph in text.split('\n') {
        let mut used = 0.0f64;
        let mut count = 1usize;
        for word in paragraph.split(' ') {
            let w: f64 = word
                .chars()
                .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
                .sum();
            if used > 0.0 && used + 1.0 + w > width {
                count += 1;
                used = 0.0;
            }
            used += if used > 0.0 { 1.0 + w } else { w };
            while used > width {
                count += 1;
                used -= width;
            }
        }
        lines += count;
    }
    lines.max(1)
}

pub fn render(report: &Report, t: &Localizer) -> anyhow::Result<Vec<u8>> {
    Ok(workbook(report, t)?)
}

fn columns(t: &Localizer, list: &[(&str, f64)]) -> Vec<(String, f64)> {
    list.iter().map(|(key, w)| (t.ui(key), *w)).collect()
}

fn workbook(report: &Report, t: &Localizer) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::parse_from_str(&report.cover.as_of)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(t.ui("report_title"))
            .set_company(report.cover.organization.clone().unwrap_or_default())
            .set_creation_datetime(&created),
    );

    // Summary: the cover, the score and counts, the audit preconditions.
    let cover = &report.cover;
    let mut rows: Vec<Vec<Cell>> = vec![
        vec![
            Cell::Text(t.ui("cover_organization")),
            Cell::Text(
                cover
                    .organization
                    .clone()
                    .unwrap_or_else(|| t.ui("not_set")),
            ),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(t.ui("cover_standard")),
            Cell::Text(t.ui("cover_standard_value")),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(t.ui("cover_catalogue")),
            Cell::Text(cover.catalogue_id.clone()),
            Cell::Text(cover.catalogue_title.clone()),
        ],
        vec![
            Cell::Text(t.ui("cover_as_of")),
            Cell::Text(cover.as_of.clone()),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(t.ui("cover_tool")),
            Cell::Text(cover.tool.clone()),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(t.ui("cover_commit")),
            Cell::Text(
                cover
                    .commit
                    .clone()
                    .unwrap_or_else(|| t.ui("cover_commit_none")),
            ),
            Cell::Text(String::new()),
        ],
        vec![
            Cell::Text(t.ui("readiness_score")),
            Cell::Number(report.summary.score.parse().unwrap_or(0.0)),
            Cell::Wrap(report.summary.explained.clone()),
        ],
    ];
    for count in &report.summary.counts {
        rows.push(vec![
            Cell::Text(t.ui("clause_counts")),
            Cell::Integer(count.count as u64),
            Cell::Status(count.label.clone(), count.status),
        ]);
    }
    for stage in &report.stages {
        for condition in &stage.conditions {
            rows.push(vec![
                Cell::Text(format!("{} ({})", stage.name, stage.date)),
                Cell::Status(condition.state_label.clone(), condition.state),
                Cell::Wrap(format!("{}: {}", condition.label, condition.detail)),
            ]);
        }
    }
    sheet(
        workbook.add_worksheet(),
        &formats,
        &t.ui("sheet_summary"),
        &columns(
            t,
            &[
                ("col_field", 34.0),
                ("col_value", 30.0),
                ("col_detail", 80.0),
            ],
        ),
        rows,
    )?;

    // Clauses: one row per evaluated clause.
    let rows = report
        .groups
        .iter()
        .flat_map(|g| g.clauses.iter().map(move |c| (g, c)))
        .map(|(group, c)| {
            let a = c.assessment.as_ref();
            vec![
                Cell::Text(c.id.clone()),
                Cell::Wrap(c.title.clone()),
                Cell::Text(format!("{} {}", group.id, group.title)),
                Cell::Status(c.status_label.clone(), c.status),
                Cell::Status(c.automated_label.clone(), c.automated),
                match a {
                    Some(a) => Cell::Status(a.result_label.clone(), a.result),
                    None => Cell::Text(String::new()),
                },
                Cell::Text(a.map(|a| a.assessor.clone()).unwrap_or_default()),
                Cell::Text(a.map(|a| a.date.clone()).unwrap_or_default()),
                Cell::Integer(c.findings.len() as u64),
                Cell::Wrap(
                    c.evidence
                        .iter()
                        .map(|l| l.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::Wrap(c.summary.clone()),
            ]
        })
        .collect();
    sheet(
        workbook.add_worksheet(),
        &formats,
        &t.ui("sheet_clauses"),
        &columns(
            t,
            &[
                ("col_clause", 10.0),
                ("col_title", 40.0),
                ("col_group", 30.0),
                ("col_status", 14.0),
                ("col_automated", 14.0),
                ("col_assessed", 14.0),
                ("col_assessor", 16.0),
                ("col_assessment_date", 13.0),
                ("col_findings_count", 11.0),
                ("col_evidence", 36.0),
                ("col_requirement", 80.0),
            ],
        ),
        rows,
    )?;

    // Mandatory documented information: one row per covering document.
    let mut rows = Vec::new();
    for m in &report.mandatory {
        let head = |rows: &mut Vec<Vec<Cell>>, tail: Vec<Cell<'static>>| {
            let mut row = vec![
                Cell::Wrap(m.label.clone()),
                Cell::Text(m.clause.clone()),
                Cell::Status(m.state_label.clone(), m.state),
            ];
            row.extend(tail);
            rows.push(row);
        };
        if m.documents.is_empty() {
            head(
                &mut rows,
                vec![
                    Cell::Text(String::new()),
                    Cell::Wrap(m.records.clone().unwrap_or_default()),
                ],
            );
        }
        for d in &m.documents {
            let mut status = d.status.clone();
            if d.overdue {
                status = format!("{status} ({})", t.ui("review_overdue"));
            }
            head(
                &mut rows,
                vec![
                    Cell::Text(d.id.clone()),
                    Cell::Wrap(d.title.clone()),
                    if d.overdue {
                        Cell::Status(status, "warning")
                    } else {
                        Cell::Text(status)
                    },
                    Cell::Text(d.owner.clone()),
                    Cell::Text(d.approved_by.clone()),
                    Cell::Text(d.approved_on.clone()),
                    Cell::Text(d.next_review.clone()),
                ],
            );
        }
    }
    sheet(
        workbook.add_worksheet(),
        &formats,
        &t.ui("sheet_mandatory"),
        &columns(
            t,
            &[
                ("col_item", 36.0),
                ("col_clause", 10.0),
                ("col_coverage", 18.0),
                ("col_document", 12.0),
                ("col_document_title", 40.0),
                ("col_document_status", 18.0),
                ("col_owner", 24.0),
                ("col_approved_by", 28.0),
                ("col_approved_on", 13.0),
                ("col_next_review", 13.0),
            ],
        ),
        rows,
    )?;

    // Findings: the CSV rows, with the statuses coloured.
    let rows = super::csv::rows(report)
        .into_iter()
        .map(|row| {
            let (status, automated, assessed) = (row.status, row.automated, row.assessed);
            row.cells
                .into_iter()
                .enumerate()
                .map(|(i, text)| match (i, assessed) {
                    (2, _) => Cell::Status(text, status),
                    (3, _) => Cell::Status(text, automated),
                    (4, Some(key)) => Cell::Status(text, key),
                    (1 | 9..=13, _) => Cell::Wrap(text),
                    _ => Cell::Text(text),
                })
                .collect()
        })
        .collect();
    let widths = [
        10.0, 34.0, 14.0, 14.0, 14.0, 16.0, 13.0, 30.0, 12.0, 24.0, 60.0, 70.0, 30.0, 50.0,
    ];
    let findings_columns: Vec<(&str, f64)> =
        super::csv::COLUMNS.iter().copied().zip(widths).collect();
    sheet(
        workbook.add_worksheet(),
        &formats,
        &t.ui("sheet_findings"),
        &columns(t, &findings_columns),
        rows,
    )?;

    // Diagnostics.
    let rows = report
        .diagnostics
        .iter()
        .map(|d| {
            vec![
                Cell::Status(d.severity_label.clone(), d.severity),
                Cell::Text(d.code.to_string()),
                Cell::Text(d.path.clone()),
                d.line
                    .map(|l| Cell::Integer(u64::from(l)))
                    .unwrap_or_else(|| Cell::Text(String::new())),
                Cell::Wrap(d.message.clone()),
            ]
        })
        .collect();
    sheet(
        workbook.add_worksheet(),
        &formats,
        &t.ui("sheet_diagnostics"),
        &columns(
            t,
            &[
                ("col_severity", 12.0),
                ("col_code", 24.0),
                ("col_file", 50.0),
                ("col_line", 8.0),
                ("col_problem", 90.0),
            ],
        ),
        rows,
    )?;

    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::wrapped_lines;

    #[test]
    fn wrapped_text_gets_enough_lines() {
        assert_eq!(wrapped_lines("short", 20.0), 1);
        assert_eq!(wrapped_lines("one two three four five six", 11.0), 3);
        assert_eq!(wrapped_lines("a\nb", 20.0), 2);
        assert_eq!(wrapped_lines("服务管理体系范围服务管理体系范围", 17.0), 2);
    }
}
