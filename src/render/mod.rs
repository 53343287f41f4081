//! Renderers: each reads a finished [`crate::Checked`] (or the catalogue) and returns text.
//! One module per output format; nothing here decides a result.

pub mod calendar;
pub mod clauses;
pub mod csv;
pub mod html;
pub mod ics;
pub mod init;
pub mod json;
pub mod markdown;
pub mod readiness;
pub mod templates;
pub mod terminal;
pub mod xlsx;

/// `a, b, c and 4 more`: keeps long evidence lists readable in a terminal.
pub fn abbreviated(ids: &[String], max: usize) -> String {
    if ids.len() <= max {
        ids.join(", ")
    } else {
        format!("{} and {} more", ids[..max].join(", "), ids.len() - max)
    }
}
