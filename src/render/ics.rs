//! RFC 5545 iCalendar output for `iso20k calendar --ics`: one all-day VEVENT per obligation,
//! CRLF line ends, TEXT values escaped (RFC 5545 3.3.11) and content lines folded at 75
//! octets without splitting a UTF-8 character (3.1). A small structured writer: every line
//! goes through [`Writer::property`], which is the only place that escapes and folds.

use crate::calendar::{Calendar, EventKind};

/// Longest content line, in octets, before folding (RFC 5545 3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// Builds the calendar file. `name` is the calendar's display name.
pub fn render(calendar: &Calendar, name: &str) -> String {
    let mut w = Writer::default();
    let stamp = format!("{}T000000Z", compact(calendar.as_of));
    w.raw("BEGIN", "VCALENDAR");
    w.raw("VERSION", "2.0");
    w.raw(
        "PRODID",
        &format!("-//iso20k//iso20k {}//EN", env!("CARGO_PKG_VERSION")),
    );
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", "PUBLISH");
    w.text("X-WR-CALNAME", name);
    for event in &calendar.events {
        w.raw("BEGIN", "VEVENT");
        w.text("UID", &event.uid);
        // DTSTAMP is the as-of date, so the same inputs give the same file.
        w.raw("DTSTAMP", &stamp);
        w.raw("DTSTART;VALUE=DATE", &compact(event.date));
        let end = event.date.tomorrow().unwrap_or(event.date);
        w.raw("DTEND;VALUE=DATE", &compact(end));
        w.text("SUMMARY", &event.title);
        let mut description = event.detail.clone();
        if let Some(path) = &event.path {
            description.push_str(&format!("\nFile: {path}"));
        }
        w.text("DESCRIPTION", &description);
        w.text(
            "CATEGORIES",
            match event.kind {
                EventKind::Certification => "Certification audit",
                EventKind::Review => "Document review",
                EventKind::Record => "Recurring record",
            },
        );
        w.raw("TRANSP", "TRANSPARENT");
        w.raw("END", "VEVENT");
    }
    w.raw("END", "VCALENDAR");
    w.out
}

/// `2026-12-08` → `20261208` (the DATE value form).
fn compact(date: jiff::civil::Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// A property whose value needs no escaping (keywords, dates).
    fn raw(&mut self, name: &str, value: &str) {
        self.property(name, value);
    }

    /// A TEXT property: backslash, semicolon, comma and newline escaped.
    fn text(&mut self, name: &str, value: &str) {
        self.property(name, &escape(value));
    }

    fn property(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{value}");
        fold_into(&mut self.out, &line);
    }
}

/// Escapes a TEXT value (RFC 5545 3.3.11); CR is dropped, other control characters become
/// spaces (they are not allowed in a content line).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded into physical lines of at most 75 octets, each ended by CRLF;
/// continuation lines start with one space, which counts toward their 75.
fn fold_into(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "审核".repeat(40));
        fold_into(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{}", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        let mut short = String::new();
        fold_into(&mut short, "VERSION:2.0");
        assert_eq!(short, "VERSION:2.0\r\n");
        let mut exact = String::new();
        fold_into(&mut exact, &"X".repeat(75));
        assert_eq!(exact, format!("{}\r\n", "X".repeat(75)));
        let mut over = String::new();
        fold_into(&mut over, &"X".repeat(76));
        assert_eq!(over, format!("{}\r\n X\r\n", "X".repeat(75)));
    }
}
