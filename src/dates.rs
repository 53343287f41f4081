//! Calendar dates and review intervals: `YYYY-MM-DD` parsing that rejects impossible dates,
//! and intervals such as `"12 months"` with end-of-month clamping (2026-01-31 + 1 month =
//! 2026-02-28), so every date-dependent result is a pure function of the data and `--as-of`.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use std::fmt;

/// Parses a strict ISO date (`2026-05-04`). Returns a message saying what is wrong otherwise.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{text}` is not a date in YYYY-MM-DD form"));
    }
    let year: i16 = text[0..4]
        .parse()
        .map_err(|_| format!("`{text}`: bad year"))?;
    let month: i8 = text[5..7]
        .parse()
        .map_err(|_| format!("`{text}`: bad month"))?;
    let day: i8 = text[8..10]
        .parse()
        .map_err(|_| format!("`{text}`: bad day"))?;
    Date::new(year, month, day).map_err(|_| format!("`{text}` is not a real calendar date"))
}

/// The audit period ending on `as_of`: the 12 months before it, or since `operating_since`
/// when the SMS started operating later. Used for stage 2 packs and the default of `sample`.
pub fn audit_period(as_of: Date, operating_since: Option<Date>) -> (Date, Date) {
    let year_before = Interval::months(12).before(as_of);
    let from = operating_since.map_or(year_before, |since| since.max(year_before));
    (from.min(as_of), as_of)
}

/// The unit of an [`Interval`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A period such as `12 months` or `90 days`, used for review intervals and record windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    pub count: u32,
    pub unit: Unit,
}

impl Interval {
    pub const fn months(count: u32) -> Self {
        Interval {
            count,
            unit: Unit::Months,
        }
    }

    /// Parses `"6 months"`, `"1 year"`, `"90 days"`, `"2 weeks"` (singular or plural, any case).
    pub fn parse(text: &str) -> Result<Interval, String> {
        let err = || {
            format!(
                "`{text}` is not an interval; write e.g. \"12 months\", \"90 days\", \"1 year\""
            )
        };
        let mut parts = text.split_whitespace();
        let (Some(count), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err());
        };
        let count: u32 = count.parse().map_err(|_| err())?;
        if count == 0 || count > 1200 {
            return Err(err());
        }
        let unit = match unit.to_ascii_lowercase().trim_end_matches('s') {
            "day" => Unit::Days,
            "week" => Unit::Weeks,
            "month" => Unit::Months,
            "year" => Unit::Years,
            _ => return Err(err()),
        };
        Ok(Interval { count, unit })
    }

    fn span(self) -> Span {
        let n = i64::from(self.count);
        match self.unit {
            Unit::Days => n.days(),
            Unit::Weeks => n.weeks(),
            Unit::Months => n.months(),
            Unit::Years => n.years(),
        }
    }

    /// `date + self`, clamped to the last day of a short month; saturates at the calendar's end.
    pub fn after(self, date: Date) -> Date {
        date.checked_add(self.span()).unwrap_or(Date::MAX)
    }

    /// `date - self`, clamped like [`Interval::after`]; saturates at the calendar's start.
    pub fn before(self, date: Date) -> Date {
        date.checked_sub(self.span()).unwrap_or(Date::MIN)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

impl serde::Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_dates() {
        assert_eq!(parse_date("2026-05-04").unwrap().to_string(), "2026-05-04");
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("2026-5-4").is_err());
        assert!(parse_date("04/05/2026").is_err());
        assert_eq!(parse_date("2028-02-29").unwrap().to_string(), "2028-02-29");
        assert!(parse_date("2027-02-29").is_err());
    }

    #[test]
    fn audit_period_is_a_year_or_since_operation() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(
            audit_period(d("2026-11-23"), None),
            (d("2025-11-23"), d("2026-11-23"))
        );
        assert_eq!(
            audit_period(d("2026-11-23"), Some(d("2026-05-04"))),
            (d("2026-05-04"), d("2026-11-23"))
        );
        assert_eq!(
            audit_period(d("2026-11-23"), Some(d("2020-01-01"))),
            (d("2025-11-23"), d("2026-11-23"))
        );
        assert_eq!(
            audit_period(d("2026-11-23"), Some(d("2027-01-01"))),
            (d("2026-11-23"), d("2026-11-23"))
        );
    }

    #[test]
    fn intervals_clamp_at_month_end() {
        let i = Interval::parse("1 month").unwrap();
        assert_eq!(
            i.after(parse_date("2026-01-31").unwrap()).to_string(),
            "2026-02-28"
        );
        assert_eq!(
            i.after(parse_date("2028-01-31").unwrap()).to_string(),
            "2028-02-29"
        );
        let y = Interval::parse("1 year").unwrap();
        assert_eq!(
            y.after(parse_date("2028-02-29").unwrap()).to_string(),
            "2029-02-28"
        );
        assert_eq!(
            Interval::parse("3 Months")
                .unwrap()
                .before(parse_date("2026-05-31").unwrap())
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(Interval::parse("90 days").unwrap().to_string(), "90 days");
        assert!(Interval::parse("soon").is_err());
        assert!(Interval::parse("0 months").is_err());
        assert!(Interval::parse("12").is_err());
    }
}
