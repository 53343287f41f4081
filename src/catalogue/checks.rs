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
    pub mandatory: Option<Mandatory>,
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
    pub mandatory: Option<Mandatory>,
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

/// An item of the standard's list of mandatory documented information (7.5.4 a to l): its
/// letter, which commands use to find the scope (a) or the policy (b) without reading labels,
/// and its label. Written in a catalogue as `"a) Scope of the SMS"` or as
/// `{letter: a, label: Scope of the SMS}`; shown and serialised as `a) Scope of the SMS`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mandatory {
    pub letter: char,
    pub label: String,
}

impl std::fmt::Display for Mandatory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}) {}", self.letter, self.label)
    }
}

impl serde::Serialize for Mandatory {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Mandatory {
    /// Reads `a) Scope of the SMS`: one lower-case letter, `)`, a space and a label.
    pub fn parse(text: &str) -> Result<Mandatory, String> {
        let mut chars = text.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(letter), Some(')'), Some(' '))
                if letter.is_ascii_lowercase() && !chars.as_str().trim().is_empty() =>
            {
                Ok(Mandatory {
                    letter,
                    label: chars.as_str().trim().to_string(),
                })
            }
            _ => Err(format!(
                "mandatory `{text}` is not a 7.5.4 item such as `a) Scope of the SMS`"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Mandatory {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Mandatory, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Parts { letter: char, label: String },
        }
        match Raw::deserialize(d)? {
            Raw::Text(text) => Mandatory::parse(&text).map_err(serde::de::Error::custom),
            Raw::Parts { letter, label } => {
                Mandatory::parse(&format!("{letter}) {label}")).map_err(serde::de::Error::custom)
            }
        }
    }
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

    /// The 7.5.4 item when this check encodes mandatory documented information.
    pub fn mandatory(&self) -> Option<&Mandatory> {
        match self {
            Check::Document(c) => c.mandatory.as_ref(),
            Check::Records(c) => c.mandatory.as_ref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mandatory_items_have_a_letter_and_a_label() {
        let item = Mandatory::parse("a) Scope of the SMS").unwrap();
        assert_eq!(
            (item.letter, item.label.as_str()),
            ('a', "Scope of the SMS")
        );
        assert_eq!(item.to_string(), "a) Scope of the SMS");
        let parts: Mandatory =
            crate::parse::yaml::from_str("{letter: b, label: Policy and objectives}").unwrap();
        assert_eq!(parts.to_string(), "b) Policy and objectives");
        for bad in ["Scope of the SMS", "A) Scope", "a)Scope", "a) ", "ab) x"] {
            assert!(Mandatory::parse(bad).is_err(), "{bad}");
        }
    }
}
