//! `report --format html`: one self-contained page (inline CSS and SVG, no script, no
//! network) through `templates/report/report.html`, with a print stylesheet for A4.

use crate::i18n::Localizer;
use crate::report::Report;

pub fn render(report: &Report, t: &Localizer) -> anyhow::Result<String> {
    let text = super::templates::render("report.html", report, t)?;
    // Blank lines left by optional sections mean nothing in HTML; keep the file tidy.
    Ok(super::markdown::tidy(&text))
}
