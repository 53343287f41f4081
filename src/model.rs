//! The repository model: items of documented information (documents and records) and the
//! indexes evaluation needs (by id, by clause, by record type).

use crate::dates::Interval;

use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// What an item is. `Document` kinds carry approval and review; records carry a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Policy,
    Plan,
    Process,
    Procedure,
    Agreement,
    Catalogue,
    Register,
    Record,
    Report,
    Evidence,
    Other,
    /// An auditor's or consultant's judgement of one clause (`assessments/*.yaml`).
    Assessment,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &[
        "policy",
        "plan",
        "process",
        "procedure",
        "agreement",
        "catalogue",
        "register",
        "record",
        "report",
        "evidence",
        "other",
        "assessment",
    ];

    pub fn parse(text: &str) -> Option<Kind> {
        Some(match text {
            "policy" => Kind::Policy,
            "plan" => Kind::Plan,
            "process" => Kind::Process,
            "procedure" => Kind::Procedure,
            "agreement" => Kind::Agreement,
            "catalogue" => Kind::Catalogue,
            "register" => Kind::Register,
            "record" => Kind::Record,
            "report" => Kind::Report,
            "evidence" => Kind::Evidence,
            "other" => Kind::Other,
            "assessment" => Kind::Assessment,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Plan => "plan",
            Kind::Process => "process",
            Kind::Procedure => "procedure",
            Kind::Agreement => "agreement",
            Kind::Catalogue => "catalogue",
            Kind::Register => "register",
            Kind::Record => "record",
            Kind::Report => "report",
            Kind::Evidence => "evidence",
            Kind::Other => "other",
            Kind::Assessment => "assessment",
        }
    }

    /// Documented information that states how things are done (everything but records, the
    /// registers that hold them, evidence files and assessments): what topic checks read when
    /// no kinds are named, and what a stage 1 auditor receives.
    pub fn is_documentary(self) -> bool {
        !matches!(
            self,
            Kind::Record | Kind::Register | Kind::Evidence | Kind::Assessment
        )
    }

    /// Items whose body is searched for topics and that need an accountable `owner`: all but
    /// records and assessments.
    pub fn has_text_and_owner(self) -> bool {
        !matches!(self, Kind::Record | Kind::Assessment)
    }

    /// Items that carry a `record_type`: records and the registers that list them.
    pub fn has_record_type(self) -> bool {
        matches!(self, Kind::Record | Kind::Register)
    }

    /// Documents are maintained (status, owner, approval, review); the rest are retained.
    pub fn is_document(self) -> bool {
        matches!(
            self,
            Kind::Policy
                | Kind::Plan
                | Kind::Process
                | Kind::Procedure
                | Kind::Agreement
                | Kind::Catalogue
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Approved,
    Retired,
}

impl Status {
    pub const NAMES: &'static [&'static str] = &["draft", "approved", "retired"];

    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "draft" => Some(Status::Draft),
            "approved" => Some(Status::Approved),
            "retired" => Some(Status::Retired),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    Public,
    #[default]
    Internal,
    Confidential,
    Restricted,
}

impl Classification {
    pub const NAMES: &'static [&'static str] =
        &["public", "internal", "confidential", "restricted"];

    pub fn parse(text: &str) -> Option<Classification> {
        match text {
            "public" => Some(Classification::Public),
            "internal" => Some(Classification::Internal),
            "confidential" => Some(Classification::Confidential),
            "restricted" => Some(Classification::Restricted),
            _ => None,
        }
    }
}

/// What an assessor concluded about a clause. There is no `manual`: judging is the point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessedAs {
    Met,
    Partial,
    Gap,
}

impl AssessedAs {
    pub const NAMES: &'static [&'static str] = &["met", "partial", "gap"];

    pub fn parse(text: &str) -> Option<AssessedAs> {
        match text {
            "met" => Some(AssessedAs::Met),
            "partial" => Some(AssessedAs::Partial),
            "gap" => Some(AssessedAs::Gap),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AssessedAs::Met => "met",
            AssessedAs::Partial => "partial",
            AssessedAs::Gap => "gap",
        }
    }
}

/// The judgement an item of kind `assessment` records. Its date is the item's `date`, its
/// evidence the item's `evidence`.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// The one clause judged (also the item's only entry in `clauses`).
    pub clause: String,
    pub result: AssessedAs,
    pub assessor: String,
    pub note: String,
}

/// Lines of an item's date keys (`None` when the key is absent or its line unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateLines {
    pub date: Option<u32>,
    pub approved_on: Option<u32>,
    pub next_review: Option<u32>,
}

/// One evidence reference of an item, as parsing leaves it: where it points, and what was
/// written and on which line, for the diagnostics of `validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRef {
    pub target: Evidence,
    pub written: String,
    pub line: Option<u32>,
}

/// What an evidence reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// A file, by its repository-relative `/`-separated path (it may not exist).
    Path(String),
    /// An `https://` (or, with a warning, other) URL.
    Url(String),
}

/// One item of documented information: a document, a record (standalone or an entry of a
/// register), or a register itself.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub id: String,
    pub title: Option<String>,
    pub kind: Kind,
    /// Clause ids as written (validated against the catalogue), plus those implied by the
    /// record type when the item names none.
    pub clauses: Vec<String>,
    pub status: Option<Status>,
    pub owner: Option<String>,
    pub version: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<Date>,
    pub next_review: Option<Date>,
    pub review_interval: Option<Interval>,
    pub record_type: Option<String>,
    pub date: Option<Date>,
    /// Evidence that exists: repository-relative paths of files inside the root, and URLs.
    /// Filled by `validate` from [`Item::evidence_refs`].
    pub evidence: Vec<String>,
    /// Evidence as the parser read it (lexically checked, not yet looked up on disk).
    #[serde(skip)]
    pub evidence_refs: Vec<EvidenceRef>,
    pub classification: Classification,
    pub related: Vec<String>,
    /// Set for items of kind `assessment` that have every required key.
    #[serde(skip)]
    pub assessment: Option<Assessment>,
    /// File the item lives in, relative to the root, `/`-separated.
    pub path: String,
    /// Line of the item's start (1 for a file, the entry's line inside a register).
    pub line: u32,
    /// Lines of the date keys, so date-dependent diagnostics point at the date itself.
    #[serde(skip)]
    pub date_lines: DateLines,
    /// Lower-cased headings and text of a document's Markdown body, for topic checks.
    #[serde(skip)]
    pub text: Option<String>,
}

impl Item {
    /// The date a document is next due for review: `next_review`, else approval date plus
    /// its own interval or the repository default.
    pub fn review_due(&self, default_interval: Interval) -> Option<Date> {
        if let Some(date) = self.next_review {
            return Some(date);
        }
        let approved = self.approved_on?;
        Some(
            self.review_interval
                .unwrap_or(default_interval)
                .after(approved),
        )
    }

    pub fn is_approved(&self) -> bool {
        self.status == Some(Status::Approved)
    }

    /// The name to show for the item: `POL-001 "Service management policy"`.
    pub fn label(&self) -> String {
        match &self.title {
            Some(t) => format!("{} \"{}\"", self.id, t),
            None => self.id.clone(),
        }
    }
}

#[cfg(test)]
impl Item {
    /// An item with only its id, kind and path, for unit tests to fill in what they need.
    pub(crate) fn bare(id: &str, kind: Kind, path: &str) -> Item {
        Item {
            id: id.into(),
            title: None,
            kind,
            clauses: Vec::new(),
            status: None,
            owner: None,
            version: None,
            approved_by: None,
            approved_on: None,
            next_review: None,
            review_interval: None,
            record_type: None,
            date: None,
            evidence: Vec::new(),
            evidence_refs: Vec::new(),
            classification: Classification::Internal,
            related: Vec::new(),
            assessment: None,
            path: path.into(),
            line: 1,
            date_lines: DateLines::default(),
            text: None,
        }
    }
}

/// The parsed repository with the indexes evaluation needs. Items are sorted by (path, line).
#[derive(Debug, Default)]
pub struct Repo {
    pub items: Vec<Item>,
    /// clause id → indexes into `items` of the items addressing it.
    pub by_clause: BTreeMap<String, Vec<usize>>,
    /// record type → dates of records of that type, sorted ascending.
    pub record_dates: BTreeMap<String, Vec<(Date, usize)>>,
    /// clause id → indexes of the valid assessments of that clause, oldest first.
    pub assessments: BTreeMap<String, Vec<usize>>,
}

impl Repo {
    /// Builds the repository from validated items: sorted (path, line, id) and indexed.
    pub fn build(mut items: Vec<Item>) -> Repo {
        items.sort_by(|a, b| (&a.path, a.line, &a.id).cmp(&(&b.path, b.line, &b.id)));
        Repo::index(items)
    }

    fn index(items: Vec<Item>) -> Repo {
        let mut by_clause: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut record_dates: BTreeMap<String, Vec<(Date, usize)>> = BTreeMap::new();
        let mut assessments: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, item) in items.iter().enumerate() {
            if let (Some(assessment), Some(_)) = (&item.assessment, item.date) {
                assessments
                    .entry(assessment.clause.clone())
                    .or_default()
                    .push(index);
            }
            for clause in &item.clauses {
                by_clause.entry(clause.clone()).or_default().push(index);
            }
            if item.kind == Kind::Record
                && let (Some(rt), Some(date)) = (&item.record_type, item.date)
            {
                record_dates
                    .entry(rt.clone())
                    .or_default()
                    .push((date, index));
            }
        }
        for dates in record_dates.values_mut() {
            dates.sort();
        }
        for list in assessments.values_mut() {
            list.sort_by(|&a, &b| {
                (items[a].date, &items[a].id).cmp(&(items[b].date, &items[b].id))
            });
        }
        Repo {
            items,
            by_clause,
            record_dates,
            assessments,
        }
    }

    /// Items that list `clause` under `clauses`.
    pub fn addressing<'a>(&'a self, clause: &str) -> impl Iterator<Item = &'a Item> + 'a {
        self.by_clause
            .get(clause)
            .into_iter()
            .flatten()
            .map(|&i| &self.items[i])
    }

    /// Valid assessments of `clause`, oldest first (by date, then id).
    pub fn assessments_of<'a>(&'a self, clause: &str) -> impl Iterator<Item = &'a Item> + 'a {
        self.assessments
            .get(clause)
            .into_iter()
            .flatten()
            .map(|&i| &self.items[i])
    }

    /// Records of `record_type` dated in `[from, to]`, oldest first.
    pub fn records_between<'a>(
        &'a self,
        record_type: &str,
        from: Date,
        to: Date,
    ) -> impl Iterator<Item = &'a Item> + 'a {
        let dates = self
            .record_dates
            .get(record_type)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let start = dates.partition_point(|(d, _)| *d < from);
        let end = dates.partition_point(|(d, _)| *d <= to);
        dates[start..end.max(start)]
            .iter()
            .map(|&(_, i)| &self.items[i])
    }
}
