//! The closed set of check kinds. Everything about the standard is data in `controls/`; only
//! these four shapes of rule are code. Evaluation of each kind lives in `crate::evaluate`.

use crate::dates::Interval;
use serde::{Deserialize, Deserializer};

/// One check of a clause, as written in the catalogue. Every variant carries `id`,
/// `description` and `recommendation` itself: serde's `deny_unknown_fields` does not work
/// through `flatten`, and strictness matters more for hand-written catalogues.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Check {
    Document(DocumentCheck),
    Records(RecordsCheck),
    Topics(TopicsCheck),
    Manual(ManualCheck),
}

/// An approved, in-review document of one of `kinds` addresses the clause.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentCheck {
    pub id: String,
    pub description: String,
    pub recommendation: String,
    pub kinds: Vec<String>,
    #[serde(default)]
    pub clauses: Vec<String>,
    #[serde(default = "one")]
    pub min: usize,
    #[serde(default)]
    pub mandatory: Option<String>,
}

/// At least `min` records of `record_types` in the window before `--as-of`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordsCheck {
    pub id: String,
    pub description: String,
    pub recommendation: String,
    pub record_types: Vec<String>,
    #[serde(default = "one")]
    pub min: usize,
    #[serde(deserialize_with = "interval")]
    pub within: Interval,
    #[serde(default)]
    pub mandatory: Option<String>,
}

/// The documents addressing the clause mention every topic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicsCheck {
    pub id: String,
    pub description: String,
    pub recommendation: String,
    #[serde(default)]
    pub kinds: Vec<String>,
    #[serde(default)]
    pub clauses: Vec<String>,
    pub topics: Vec<Topic>,
}

/// One enumerated item a document must cover, with the phrases that show it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub name: String,
    pub any: Vec<String>,
}

/// Judged by an auditor (interview, observation); never met by itself.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualCheck {
    pub id: String,
    pub description: String,
    pub recommendation: String,
}

fn one() -> usize {
    1
}

fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Interval, D::Error> {
    let text = String::deserialize(d)?;
    Interval::parse(&text).map_err(serde::de::Error::custom)
}

impl Check {
    pub fn id(&self) -> &str {
        match self {
            Check::Document(c) => &c.id,
            Check::Records(c) => &c.id,
            Check::Topics(c) => &c.id,
            Check::Manual(c) => &c.id,
        }
    }

    pub fn description(&self) -> &str {
        match self {
            Check::Document(c) => &c.description,
            Check::Records(c) => &c.description,
            Check::Topics(c) => &c.description,
            Check::Manual(c) => &c.description,
        }
    }

    pub fn recommendation(&self) -> &str {
        match self {
            Check::Document(c) => &c.recommendation,
            Check::Records(c) => &c.recommendation,
            Check::Topics(c) => &c.recommendation,
            Check::Manual(c) => &c.recommendation,
        }
    }

    /// The rule-language name of the kind (`document`, `records`, `topics`, `manual`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Check::Document(_) => "document",
            Check::Records(_) => "records",
            Check::Topics(_) => "topics",
            Check::Manual(_) => "manual",
        }
    }

    pub fn is_automated(&self) -> bool {
        !matches!(self, Check::Manual(_))
    }

    /// The 7.5.4 label when this check encodes mandatory documented information.
    pub fn mandatory(&self) -> Option<&str> {
        match self {
            Check::Document(c) => c.mandatory.as_deref(),
            Check::Records(c) => c.mandatory.as_deref(),
            _ => None,
        }
    }
}
