//! The clause catalogue: loading (embedded, `--catalogue FILE`, plus the repository's
//! `iso20k.controls.yaml`) and validation, so evaluation can trust every reference in it.

pub mod checks;

use crate::model::Kind;
use crate::parse::yaml;
use checks::Check;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use checks::{DocumentCheck, Mandatory, ManualCheck, RecordsCheck, Topic, TopicsCheck};

/// The built-in catalogue, compiled into the binary so iso20k runs from anywhere.
pub const EMBEDDED: &str = include_str!("../../controls/iso20000-1-2018.yaml");

/// Organisation-specific controls at the root of the checked repository.
pub const CONTROLS_FILE: &str = "iso20k.controls.yaml";

/// An `iso20k.controls.yaml` larger than this is not read (the whole built-in catalogue is
/// about 300 KB).
pub const MAX_CONTROLS_BYTES: u64 = 16 << 20;

/// What a record type means and which clauses a record of it addresses by default.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RecordType {
    #[serde(default)]
    pub clauses: Vec<String>,
    #[serde(default)]
    pub interval: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Whether records are made on a schedule (the calendar lists the next one as due) or when
    /// work arrives (an incident, a change request).
    #[serde(default)]
    pub schedule: Schedule,
}

/// When records of a type are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Schedule {
    /// At an interval: a review, a test, a report.
    #[default]
    Periodic,
    /// When work arrives: `check` judges their frequency, the calendar lists no due date.
    OnDemand,
}

/// The parts of the standard that commands rely on by role rather than by check: where the
/// scope is defined, which 7.5.4 items are the scope and the policy, which record types are
/// audits, reviews, nonconformities and corrective actions, which clauses a report ranks first,
/// and which processes a stage 2 auditor samples. Data, so that `--catalogue FILE` keeps
/// readiness, report, pack and calendar working, and validated, so that a catalogue that
/// cannot serve them is refused with a reason instead of breaking them silently.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roles {
    /// The clause whose documents define the scope of the SMS (4.3).
    pub scope_clause: String,
    /// The 7.5.4 item of the scope (a).
    pub scope_mandatory: char,
    /// The 7.5.4 item of the service management policy and objectives (b).
    pub policy_mandatory: char,
    pub internal_audit: String,
    pub management_review: String,
    pub nonconformity: String,
    pub corrective_action: String,
    /// Clauses a report ranks right after missing mandatory documented information.
    #[serde(default)]
    pub priority_clauses: Vec<String>,
    /// The operational processes whose records a stage 2 auditor samples, in the order
    /// they are shown.
    #[serde(default)]
    pub operational_processes: Vec<Process>,
}

/// An operational process and the record types that show it running.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Process {
    /// Its English name (translated in `controls/<lang>.yaml` under `processes`).
    pub name: String,
    pub record_types: Vec<String>,
}

/// One clause or subclause of the standard (or an organisation's own control).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub summary: String,
    /// The standard numbers this paragraph without giving it a title.
    #[serde(default)]
    pub untitled: bool,
    /// `mostly-manual` when an auditor's judgement decides most of the clause.
    #[serde(default)]
    pub judgement: Option<String>,
    #[serde(default)]
    pub checks: Vec<Check>,
}

impl Clause {
    /// Evaluated clauses carry checks; the others are headings.
    pub fn is_evaluated(&self) -> bool {
        !self.checks.is_empty()
    }

    /// The top-level clause (4 to 10) this one belongs to.
    pub fn group(&self) -> &str {
        self.id.split('.').next().unwrap_or(&self.id)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    id: String,
    title: String,
    #[serde(default)]
    record_types: BTreeMap<String, RecordType>,
    /// Optional in a catalogue of one's own: the built-in roles are then used, and validated
    /// against that catalogue like any others.
    #[serde(default)]
    roles: Option<Roles>,
    clauses: Vec<Clause>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawControls {
    #[serde(default)]
    record_types: BTreeMap<String, RecordType>,
    clauses: Vec<Clause>,
}

/// A validated catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub id: String,
    pub title: String,
    pub clauses: Vec<Clause>,
    pub record_types: BTreeMap<String, RecordType>,
    /// `None` for a catalogue of one's own without a `roles` block: `check` works, the
    /// commands that need roles say so ([`Catalogue::roles`]).
    roles: Option<Roles>,
    index: HashMap<String, usize>,
}

/// Why a catalogue or controls file was refused.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct CatalogueError {
    pub line: Option<u32>,
    pub message: String,
}

fn error(message: impl Into<String>) -> CatalogueError {
    CatalogueError {
        line: None,
        message: message.into(),
    }
}

impl Catalogue {
    /// The catalogue compiled into the binary.
    pub fn embedded() -> Catalogue {
        Catalogue::parse(EMBEDDED).expect("the embedded catalogue is validated by its tests")
    }

    /// The standard's roles, or why the command that needs them cannot run on this catalogue.
    pub fn roles(&self) -> Result<&Roles, CatalogueError> {
        self.roles.as_ref().ok_or_else(|| {
            error(format!(
                "catalogue `{}` has no `roles` block: readiness, report and pack need to know \
                 the scope clause, the audit, review, nonconformity and corrective-action \
                 record types and the operational processes (see docs/catalogue.md, Roles)",
                self.id
            ))
        })
    }

    /// Parses and validates a catalogue file's text.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawCatalogue = yaml::from_str(text).map_err(|e| CatalogueError {
            line: e.line,
            message: e.message,
        })?;
        let catalogue = Catalogue {
            index: HashMap::new(),
            id: raw.id,
            title: raw.title,
            clauses: raw.clauses,
            record_types: raw.record_types,
            roles: raw.roles,
        }
        .normalised()
        .reindexed();
        catalogue.validate()?;
        Ok(catalogue)
    }

    /// Adds an organisation's controls file: new clauses are appended, checks on existing
    /// clauses are added to them. The result is validated as a whole.
    pub fn extend(&self, text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawControls = yaml::from_str(text).map_err(|e| CatalogueError {
            line: e.line,
            message: e.message,
        })?;
        let mut merged = self.clone();
        for (name, rt) in raw.record_types {
            merged.record_types.insert(name, rt);
        }
        for clause in raw.clauses {
            match merged.index.get(&clause.id) {
                Some(&i) => merged.clauses[i].checks.extend(clause.checks),
                None => {
                    if clause.title.trim().is_empty() {
                        return Err(error(format!("new control `{}` needs a title", clause.id)));
                    }
                    merged.index.insert(clause.id.clone(), merged.clauses.len());
                    merged.clauses.push(clause);
                }
            }
        }
        merged = merged.normalised();
        merged.validate()?;
        Ok(merged)
    }

    /// Topic phrases are matched against lower-cased text: lower-case them once here.
    fn normalised(mut self) -> Catalogue {
        for check in self.clauses.iter_mut().flat_map(|c| c.checks.iter_mut()) {
            if let Check::Topics(topics) = check {
                for phrase in topics.topics.iter_mut().flat_map(|t| t.any.iter_mut()) {
                    *phrase = phrase.to_lowercase();
                }
            }
        }
        self
    }

    fn reindexed(mut self) -> Catalogue {
        self.index = self
            .clauses
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        self
    }

    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.index.get(id).map(|&i| &self.clauses[i])
    }

    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Clause ids in catalogue order (for suggestions).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().map(|c| c.id.as_str())
    }

    /// Clauses that carry checks, in catalogue order.
    pub fn evaluated(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.is_evaluated())
    }

    /// Children of `id`, in catalogue order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Clause> + 'a {
        self.clauses
            .iter()
            .filter(move |c| c.parent.as_deref() == Some(id))
    }

    /// Leaf clauses whose checks are all manual. The built-in catalogue has none (a test
    /// holds it to that); an organisation's own controls may be judged by an auditor only,
    /// and are then reported with status `manual`.
    pub fn manual_only_leaves(&self) -> Vec<&str> {
        let parents: HashSet<&str> = self
            .clauses
            .iter()
            .filter_map(|c| c.parent.as_deref())
            .collect();
        self.clauses
            .iter()
            .filter(|c| !parents.contains(c.id.as_str()))
            .filter(|c| !c.checks.iter().any(Check::is_automated))
            .map(|c| c.id.as_str())
            .collect()
    }

    /// Every role names a clause, 7.5.4 item, record type and process the catalogue has.
    fn validate_roles(&self) -> Result<(), CatalogueError> {
        let Some(roles) = &self.roles else {
            return Ok(());
        };
        let at = |m: String| error(format!("roles: {m}"));
        for id in std::iter::once(&roles.scope_clause).chain(&roles.priority_clauses) {
            if !self.index.contains_key(id) {
                return Err(at(format!("unknown clause `{id}`")));
            }
        }
        for letter in [roles.scope_mandatory, roles.policy_mandatory] {
            let used = self
                .clauses
                .iter()
                .flat_map(|c| &c.checks)
                .any(|c| c.mandatory().is_some_and(|m| m.letter == letter));
            if !used {
                return Err(at(format!("no check is 7.5.4 item `{letter})`")));
            }
        }
        for name in [
            &roles.internal_audit,
            &roles.management_review,
            &roles.nonconformity,
            &roles.corrective_action,
        ] {
            if !self.record_types.contains_key(name) {
                return Err(at(format!("unknown record type `{name}`")));
            }
        }
        for process in &roles.operational_processes {
            if process.record_types.is_empty() {
                return Err(at(format!(
                    "process `{}` names no record type",
                    process.name
                )));
            }
            for name in &process.record_types {
                if !self.record_types.contains_key(name) {
                    return Err(at(format!(
                        "process `{}`: unknown record type `{name}`",
                        process.name
                    )));
                }
            }
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), CatalogueError> {
        if self.clauses.is_empty() {
            return Err(error("the catalogue has no clauses"));
        }
        let mut seen = HashSet::new();
        let mut check_ids = HashSet::new();
        for clause in &self.clauses {
            let here = |m: String| error(format!("clause {}: {m}", clause.id));
            if clause.id.trim().is_empty() {
                return Err(error("a clause has an empty id"));
            }
            if !seen.insert(clause.id.as_str()) {
                return Err(here("listed twice".into()));
            }
            if let Some(parent) = &clause.parent
                && !seen.contains(parent.as_str())
            {
                return Err(here(format!("parent `{parent}` is not listed before it")));
            }
            if clause.title.trim().is_empty() {
                return Err(here("has no title".into()));
            }
            for check in &clause.checks {
                let id = check.id();
                let at = |m: String| error(format!("clause {}, check `{id}`: {m}", clause.id));
                if id.is_empty()
                    || !id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    return Err(at("check ids are kebab-case".into()));
                }
                if !check_ids.insert(id.to_string()) {
                    return Err(at("check id used twice".into()));
                }
                let (kinds, clauses): (&[String], &[String]) = match check {
                    Check::Document(c) => (&c.kinds, &c.clauses),
                    Check::Topics(c) => {
                        if c.topics.is_empty() || c.topics.iter().any(|t| t.any.is_empty()) {
                            return Err(at("every topic needs at least one phrase".into()));
                        }
                        (&c.kinds, &c.clauses)
                    }
                    Check::Records(c) => {
                        for rt in &c.record_types {
                            if !self.record_types.contains_key(rt) {
                                return Err(at(format!("unknown record type `{rt}`")));
                            }
                        }
                        if c.record_types.is_empty() {
                            return Err(at("needs at least one record type".into()));
                        }
                        (&[], &[])
                    }
                    Check::Manual(_) => (&[], &[]),
                };
                if let Check::Document(c) = check
                    && c.kinds.is_empty()
                {
                    return Err(at("needs at least one kind".into()));
                }
                for kind in kinds {
                    if Kind::parse(kind).is_none() {
                        return Err(at(format!("unknown kind `{kind}`")));
                    }
                }
                for id in clauses {
                    if !self.index.contains_key(id) {
                        return Err(at(format!("unknown clause `{id}`")));
                    }
                }
            }
        }
        self.validate_roles()?;
        for (name, rt) in &self.record_types {
            for id in &rt.clauses {
                if !self.index.contains_key(id) {
                    return Err(error(format!(
                        "record type `{name}` names unknown clause `{id}`"
                    )));
                }
            }
            if let Some(interval) = &rt.interval {
                crate::dates::Interval::parse(interval)
                    .map_err(|m| error(format!("record type `{name}`: {m}")))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_is_complete() {
        let catalogue = Catalogue::embedded();
        assert_eq!(catalogue.id, "iso20000-1:2018");
        assert_eq!(catalogue.clauses.len(), 79);
        let tops: Vec<&str> = catalogue
            .clauses
            .iter()
            .filter(|c| c.parent.is_none())
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(tops, ["4", "5", "6", "7", "8", "9", "10"]);
        for id in [
            "5.2.1", "7.5.4", "8.3.4.1", "8.5.1.3", "8.7.3.2", "9.4", "10.2", "8.2.3.2",
        ] {
            assert!(
                catalogue.clause(id).is_some_and(Clause::is_evaluated),
                "{id}"
            );
        }
    }

    #[test]
    fn titles_that_are_easy_to_get_wrong() {
        let catalogue = Catalogue::embedded();
        let title = |id: &str| catalogue.clause(id).unwrap().title.as_str();
        assert_eq!(title("6.3"), "Plan the service management system");
        assert_eq!(title("10.1"), "Nonconformity and corrective action");
        assert_eq!(title("10.2"), "Continual improvement");
        assert_eq!(
            title("7.5.2"),
            "Creating and updating documented information"
        );
        assert_eq!(
            title("8.3.4.2"),
            "Management of internal suppliers and customers acting as a supplier"
        );
    }

    #[test]
    fn mandatory_documented_information_is_fully_encoded() {
        let catalogue = Catalogue::embedded();
        let letters: std::collections::BTreeSet<char> = catalogue
            .clauses
            .iter()
            .flat_map(|c| &c.checks)
            .filter_map(|c| c.mandatory())
            .map(|item| item.letter)
            .collect();
        assert_eq!(letters.into_iter().collect::<String>(), "abcdefghijkl");
        let scope = catalogue.clause("4.3").unwrap();
        assert!(
            scope
                .checks
                .iter()
                .any(|c| c.mandatory().is_some_and(|m| m.letter == 'a'))
        );
        let roles = catalogue.roles().unwrap();
        assert_eq!(
            (roles.scope_clause.as_str(), roles.scope_mandatory),
            ("4.3", 'a')
        );
    }

    /// A catalogue of one's own may leave roles out (`check` needs none), but roles it gives
    /// must name what it has, and a command that needs missing roles says so.
    #[test]
    fn roles_are_optional_but_validated() {
        let own = EMBEDDED.replace("\nroles:\n", "\nunused_roles:\n");
        let without: String = {
            let start = EMBEDDED.find("\nroles:\n").unwrap();
            let end = EMBEDDED[start + 1..].find("\n\n").unwrap() + start + 1;
            format!("{}{}", &EMBEDDED[..start], &EMBEDDED[end..])
        };
        assert!(Catalogue::parse(&own).is_err(), "unknown key");
        let catalogue = Catalogue::parse(&without).unwrap();
        let err = catalogue.roles().unwrap_err().to_string();
        assert!(err.contains("has no `roles` block"), "{err}");
        for (from, to, expected) in [
            (
                "scope_clause: \"4.3\"",
                "scope_clause: \"4.33\"",
                "unknown clause `4.33`",
            ),
            (
                "policy_mandatory: b",
                "policy_mandatory: z",
                "no check is 7.5.4 item `z)`",
            ),
            (
                "internal_audit: internal-audit",
                "internal_audit: internal-audits",
                "unknown record type `internal-audits`",
            ),
            (
                "record_types: [capacity-review]",
                "record_types: [capacity]",
                "process `capacity management`: unknown record type `capacity`",
            ),
        ] {
            let err = Catalogue::parse(&EMBEDDED.replace(from, to))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn amendment_1_climate_change_is_encoded() {
        let catalogue = Catalogue::embedded();
        for id in ["4.1", "4.2"] {
            let covered = catalogue
                .clause(id)
                .unwrap()
                .checks
                .iter()
                .any(|c| match c {
                    Check::Topics(t) => t
                        .topics
                        .iter()
                        .any(|topic| topic.any.iter().any(|p| p.contains("climate"))),
                    _ => false,
                });
            assert!(covered, "{id} has no climate-change topic");
        }
    }

    #[test]
    fn every_built_in_leaf_has_an_automated_check() {
        assert_eq!(
            Catalogue::embedded().manual_only_leaves(),
            Vec::<&str>::new()
        );
        let text = "id: x\ntitle: x\nclauses:\n  - id: \"1\"\n    title: One\n    checks:\n      - id: only-manual\n        type: manual\n        description: d\n        recommendation: r\n";
        assert_eq!(Catalogue::parse(text).unwrap().manual_only_leaves(), ["1"]);
    }

    #[test]
    fn unknown_fields_and_types_are_refused() {
        let text = "id: x\ntitle: x\nclauses:\n  - id: \"1\"\n    title: One\n    checks:\n      - id: a\n        type: document\n        kind: [policy]\n        description: d\n        recommendation: r\n";
        assert!(Catalogue::parse(text).is_err());
        let text = text.replace("type: document", "type: magic");
        assert!(Catalogue::parse(&text).is_err());
    }

    #[test]
    fn controls_extend_existing_clauses_and_add_new_ones() {
        let base = Catalogue::embedded();
        let controls = r#"
clauses:
  - id: "8.5.1.1"
    checks:
      - id: org-cab-charter
        type: document
        kinds: [other]
        description: A CAB charter exists.
        recommendation: Write the CAB charter.
  - id: ORG-1
    title: Penetration testing
    summary: Yearly penetration test of customer-facing services.
    checks:
      - id: org-pentest
        type: records
        record_types: [security-risk-assessment]
        within: "12 months"
        description: A penetration test in the last year.
        recommendation: Commission a penetration test.
"#;
        let merged = base.extend(controls).unwrap();
        assert_eq!(merged.clauses.len(), 80);
        assert!(
            merged
                .clause("8.5.1.1")
                .unwrap()
                .checks
                .iter()
                .any(|c| c.id() == "org-cab-charter")
        );
        assert!(merged.clause("ORG-1").unwrap().is_evaluated());
        let clash = controls.replace("org-cab-charter", "change-policy-approved");
        assert!(base.extend(&clash).is_err());
    }
}
