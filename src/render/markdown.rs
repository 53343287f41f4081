//! `report --format md`: the gap report as GitHub-flavoured Markdown, through
//! `templates/report/report.md`.

use crate::i18n::Localizer;
use crate::report::Report;

pub fn render(report: &Report, t: &Localizer) -> anyhow::Result<String> {
    let text = super::templates::render("report.md", report, t)?;
    Ok(tidy(&text))
}

/// At most one blank line in a row, no trailing spaces, one final newline: the template's
/// optional sections leave gaps that Markdown does not need.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidy_keeps_one_blank_line() {
        assert_eq!(super::tidy("\n\na  \n\n\n\nb\n\n"), "a\n\nb\n");
    }
}
