//! Why a check passed or failed, as data. `check` shows the English sentence ([`Reason`]'s
//! `Display`); reports render the same reason in their own language. Both come from the
//! templates of `templates/report/strings.yaml` through [`crate::i18n::Localizer::reason`], so
//! a finding is worded in one place and never parsed back out of an English message.

use crate::dates::Interval;
use jiff::civil::Date;
use std::fmt;

/// The explanation of one check's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// No document of `kinds` addresses any of `clauses`.
    NoDocument {
        kinds: Vec<String>,
        clauses: Vec<String>,
    },
    /// Enough approved, in-review documents: their ids.
    DocumentsApproved { ids: Vec<String> },
    /// Fewer approved documents than the check's `min` (above 1).
    TooFewDocuments {
        approved: usize,
        min: usize,
        kinds: Vec<String>,
        problems: Vec<Problem>,
    },
    /// Documents address the clause, but none is approved and in review.
    NoApprovedDocument {
        kinds: Vec<String>,
        clauses: Vec<String>,
        problems: Vec<Problem>,
    },
    /// Enough records in the window.
    RecordsFound {
        count: usize,
        types: Vec<String>,
        within: Interval,
        as_of: Date,
    },
    /// Too few records (`count` may be 0) in the window; `latest` is an older one, if any.
    TooFewRecords {
        count: usize,
        min: usize,
        types: Vec<String>,
        within: Interval,
        as_of: Date,
        latest: Option<Date>,
    },
    /// No document with text addresses the clause, so no topic can be covered.
    NoTopicDocument {
        clauses: Vec<String>,
        topics: Vec<String>,
    },
    /// Every topic is covered by the documents `ids`.
    TopicsCovered { count: usize, ids: Vec<String> },
    /// Topics no document covers, and the documents searched.
    TopicsMissing {
        missing: Vec<String>,
        searched: Vec<String>,
    },
    /// A manual check: the auditor judges what the check describes.
    Manual { description: String },
}

/// Why one document does not count as approved and current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: String,
    pub issue: Issue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Issue {
    Draft,
    Retired,
    NoStatus,
    NoApprovedBy,
    NoApprovedOn,
    /// Approved only after `--as-of`.
    ApprovedLater(Date),
    /// Its review was due on this date, before `--as-of`.
    ReviewDue(Date),
}

impl fmt::Display for Reason {
    /// English, from the same strings.yaml templates every report language uses: the
    /// wording of a finding lives in one place.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::Localizer::new(crate::i18n::Lang::En).reason(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_messages_read_like_check_output() {
        let as_of = crate::dates::parse_date("2026-11-23").unwrap();
        let reason = Reason::TooFewRecords {
            count: 0,
            min: 1,
            types: ids(&["continuity-test"]),
            within: Interval::months(12),
            as_of,
            latest: Some(crate::dates::parse_date("2025-06-01").unwrap()),
        };
        assert_eq!(
            reason.to_string(),
            "no continuity-test record in the 12 months before 2026-11-23 (latest: 2025-06-01)"
        );
        let reason = Reason::NoApprovedDocument {
            kinds: ids(&["process", "procedure"]),
            clauses: ids(&["8.4.2"]),
            problems: vec![Problem {
                id: "PRC-010".into(),
                issue: Issue::Draft,
            }],
        };
        assert_eq!(
            reason.to_string(),
            "no approved, in-review process/procedure document addresses 8.4.2: PRC-010 is a draft"
        );
    }
}
