//! Why a check passed or failed, as data. `check` shows the English sentence ([`Reason`]'s
//! `Display`); reports render the same reason in their own language (`crate::i18n`), so a
//! finding never has to be parsed back out of an English message.

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

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issue::Draft => f.write_str("is a draft"),
            Issue::Retired => f.write_str("is retired"),
            Issue::NoStatus => f.write_str("has no status"),
            Issue::NoApprovedBy => f.write_str("has no approved_by"),
            Issue::NoApprovedOn => f.write_str("has no approved_on"),
            Issue::ApprovedLater(date) => write!(f, "is approved only on {date}"),
            Issue::ReviewDue(date) => write!(f, "was due for review on {date}"),
        }
    }
}

/// `4.4`, `4.4 or 8.1`, or `4.4, 8.1, 8.2.1 or 28 other clauses`: short enough to read.
pub fn clause_list(clauses: &[String]) -> String {
    match clauses {
        [] => String::new(),
        [one] => one.clone(),
        [first @ .., last] if clauses.len() <= 3 => format!("{} or {last}", first.join(", ")),
        _ => format!(
            "{} or {} other clauses",
            clauses[..3].join(", "),
            clauses.len() - 3
        ),
    }
}

fn problems(f: &mut fmt::Formatter<'_>, problems: &[Problem]) -> fmt::Result {
    if problems.is_empty() {
        return Ok(());
    }
    let text: Vec<String> = problems
        .iter()
        .map(|p| format!("{} {}", p.id, p.issue))
        .collect();
    write!(f, ": {}", text.join("; "))
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoDocument { kinds, clauses } => write!(
                f,
                "no {} document addresses {}",
                kinds.join("/"),
                clause_list(clauses)
            ),
            Reason::DocumentsApproved { ids } => {
                write!(f, "approved and in review: {}", ids.join(", "))
            }
            Reason::TooFewDocuments {
                approved,
                min,
                kinds,
                problems: list,
            } => {
                write!(
                    f,
                    "{approved} approved {} document(s) found, {min} needed",
                    kinds.join("/")
                )?;
                problems(f, list)
            }
            Reason::NoApprovedDocument {
                kinds,
                clauses,
                problems: list,
            } => {
                write!(
                    f,
                    "no approved, in-review {} document addresses {}",
                    kinds.join("/"),
                    clause_list(clauses)
                )?;
                problems(f, list)
            }
            Reason::RecordsFound {
                count,
                types,
                within,
                as_of,
            } => write!(
                f,
                "{count} {} record(s) in the {within} before {as_of}",
                types.join("/")
            ),
            Reason::TooFewRecords {
                count,
                min,
                types,
                within,
                as_of,
                latest,
            } => {
                let types = types.join("/");
                if *count == 0 {
                    write!(f, "no {types} record in the {within} before {as_of}")?;
                } else {
                    write!(
                        f,
                        "{count} {types} record(s) in the {within} before {as_of}, {min} needed"
                    )?;
                }
                match latest {
                    Some(latest) => write!(f, " (latest: {latest})"),
                    None => Ok(()),
                }
            }
            Reason::NoTopicDocument { clauses, topics } => write!(
                f,
                "no document addresses {} to cover: {}",
                clause_list(clauses),
                topics.join(", ")
            ),
            Reason::TopicsCovered { count, ids } => {
                write!(f, "all {count} topics covered by {}", ids.join(", "))
            }
            Reason::TopicsMissing { missing, searched } => write!(
                f,
                "not covered: {} (searched {})",
                missing.join(", "),
                searched.join(", ")
            ),
            Reason::Manual { description } => write!(f, "auditor to judge: {description}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn clause_lists_stay_short() {
        assert_eq!(clause_list(&ids(&["4.4"])), "4.4");
        assert_eq!(clause_list(&ids(&["4.4", "8.1"])), "4.4 or 8.1");
        assert_eq!(
            clause_list(&ids(&["4.4", "8.1", "8.2", "8.3", "8.4"])),
            "4.4, 8.1, 8.2 or 2 other clauses"
        );
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
