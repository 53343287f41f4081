//! Turns a parsed YAML mapping (front matter, a YAML item, or one entry of a register) into
//! an [`Item`], reporting every problem with its line. Unknown keys are kept and ignored, as
//! the input contract says; a missing `id` or `kind` means there is no item to keep.

use super::Context;
use super::yaml::{self, Mapping, Value};
use crate::dates::{Interval, parse_date};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    AssessedAs, Classification, DateLines, Evidence, EvidenceRef, Item, Kind, Status,
};
use crate::suggest::did_you_mean;
use jiff::civil::Date;
use std::path::{Component, Path, PathBuf};

/// Collects the items and diagnostics of one file.
pub struct Sink<'a> {
    path: &'a str,
    ctx: &'a Context<'a>,
    items: Vec<Item>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(path: &'a str, ctx: &'a Context<'a>) -> Self {
        Sink {
            path,
            ctx,
            items: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn finish(self) -> super::Parsed {
        super::Parsed {
            items: self.items,
            diagnostics: self.diagnostics,
        }
    }

    fn report(&mut self, code: Code, line: Option<u32>, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::new(code, self.path, message).at(line));
    }

    fn report_help(
        &mut self,
        code: Code,
        line: Option<u32>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::new(code, self.path, message)
                .at(line)
                .help(help),
        );
    }
}

/// A Markdown file: front matter makes it an item; without front matter it is plain text.
pub fn from_markdown(text: &str, sink: &mut Sink) {
    let split = match super::front_matter::split(text) {
        Ok(Some(split)) => split,
        Ok(None) => return,
        Err(super::front_matter::SplitError::Unclosed) => {
            sink.report(
                Code::FrontMatterUnclosed,
                Some(1),
                "front matter opened with `---` is never closed; add a `---` line after it",
            );
            return;
        }
    };
    let value = match yaml::parse_value(split.yaml) {
        Ok(value) => value,
        Err(e) => {
            // Errors without a position (an alias bomb) point at the start of the front matter.
            let line = Some(e.line.map_or(split.yaml_line, |l| l + split.yaml_line - 1));
            sink.diagnostics.push(
                Diagnostic::new(
                    Code::YamlSyntax,
                    sink.path,
                    format!("front matter: {}", e.message),
                )
                .at(line)
                .col(e.column),
            );
            return;
        }
    };
    let map = match value {
        Value::Mapping(map) => map,
        Value::Null => {
            sink.report(
                Code::FrontMatterEmpty,
                Some(1),
                "front matter is empty; add at least id, title, kind and clauses",
            );
            return;
        }
        other => {
            sink.report(
                Code::NotAMapping,
                Some(split.yaml_line),
                format!(
                    "front matter is {} but must be a mapping of keys (`id: ...`)",
                    describe(&other)
                ),
            );
            return;
        }
    };
    let lines = Lines::new(split.yaml, split.yaml_line);
    let whole = 0..lines.len();
    if let Some(mut item) = convert(&map, &lines, whole, 1, None, sink) {
        if item.kind.has_text_and_owner() {
            item.text = Some(super::markdown::searchable_text(split.body));
        }
        sink.items.push(item);
    }
}

/// A YAML file: a mapping with `id` and `kind` is an item; `kind: register` holds records.
/// Other YAML (a list, a mapping without either key) is not documented information.
pub fn from_yaml_file(text: &str, sink: &mut Sink) {
    let value = match yaml::parse_value(text) {
        Ok(value) => value,
        Err(e) => {
            sink.diagnostics.push(
                Diagnostic::new(Code::YamlSyntax, sink.path, e.message)
                    .at(Some(e.line.unwrap_or(1)))
                    .col(e.column),
            );
            return;
        }
    };
    let Value::Mapping(map) = value else {
        return;
    };
    if !looks_like_an_item(&map) {
        return;
    }
    let lines = Lines::new(text, 1);
    let whole = 0..lines.len();
    let Some(mut item) = convert(&map, &lines, whole, 1, None, sink) else {
        return;
    };
    if item.kind == Kind::Register {
        register_records(&map, &item, &lines, sink);
    } else if item.kind.has_text_and_owner() {
        item.text = Some(text.to_lowercase());
    }
    sink.items.push(item);
}

/// A YAML mapping is an item when it has `id` and `kind`. With only one of them it is an
/// item missing the other only when it is clearly meant as one (an iso20k kind, or iso20k's
/// own keys); a Kubernetes manifest (`kind: Deployment`) or a data file with an `id` is not.
fn looks_like_an_item(map: &Mapping) -> bool {
    match (map.get("id"), map.get("kind")) {
        (Some(_), Some(_)) => true,
        (None, Some(kind)) => kind.as_str().and_then(Kind::parse).is_some(),
        (Some(_), None) => ["clauses", "record_type", "records"]
            .iter()
            .any(|key| map.get(*key).is_some()),
        (None, None) => false,
    }
}

/// The entries of a register's `records:` list, each an item of kind `record`.
fn register_records(map: &Mapping, register: &Item, lines: &Lines, sink: &mut Sink) {
    let records_line = lines.top_key("records");
    let entries = match map.get("records") {
        Some(Value::Sequence(entries)) => entries,
        Some(Value::Null) => return,
        None => {
            sink.report(
                Code::MissingKey,
                Some(register.line),
                format!("register {} has no `records:` list", register.id),
            );
            return;
        }
        Some(other) => {
            sink.report(
                Code::RecordsNotList,
                records_line,
                format!(
                    "`records` is {}; it must be a list of records",
                    describe(other)
                ),
            );
            return;
        }
    };
    let starts = lines.list_entries("records", entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let (from, to) = match &starts {
            Some(starts) => (
                starts[index],
                starts.get(index + 1).copied().unwrap_or(lines.len()),
            ),
            None => (0, lines.len()),
        };
        let line = starts
            .as_ref()
            .map(|s| lines.file_line(s[index]))
            .or(records_line)
            .unwrap_or(1);
        let Value::Mapping(entry) = entry else {
            sink.report(
                Code::RecordsNotList,
                Some(line),
                format!(
                    "record #{} is {}; each record must be a mapping with id and date",
                    index + 1,
                    describe(entry)
                ),
            );
            continue;
        };
        let range = if starts.is_some() { from..to } else { 0..0 };
        if let Some(record) = convert(entry, lines, range, line, Some(register), sink) {
            sink.items.push(record);
        }
    }
}

/// Converts one mapping. `register` is set for the entries of a register, whose record type,
/// clauses and classification they inherit.
fn convert(
    map: &Mapping,
    lines: &Lines,
    range: std::ops::Range<usize>,
    item_line: u32,
    register: Option<&Item>,
    sink: &mut Sink,
) -> Option<Item> {
    let key_line = |key: &str| {
        if register.is_some() {
            lines.key_in(range.clone(), key).or(Some(item_line))
        } else {
            lines.top_key(key).or(Some(item_line))
        }
    };
    // The line of one value of a list key (a clause id, an evidence path): the first line at
    // or after the key that contains it.
    let value_line = |key: &str, needle: &str| {
        let key_at = key_line(key)?;
        let from = key_at.saturating_sub(lines.first) as usize;
        // On the key's own line only the part after the key counts (`evidence: [a, b]`), so a
        // value that repeats the key's name is not found in the key itself.
        let after_key = lines
            .lines
            .get(from)
            .and_then(|l| l.split_once(':'))
            .is_some_and(|(_, rest)| rest.contains(needle));
        if after_key {
            return Some(key_at);
        }
        let to = if register.is_some() {
            range.end
        } else {
            lines.len()
        };
        lines
            .containing((from + 1).min(to)..to, needle)
            .or(Some(key_at))
    };
    let what = if register.is_some() { "record" } else { "item" };

    let id = match map.get("id").map(scalar_text) {
        Some(Some(id)) if !id.trim().is_empty() => id.trim().to_string(),
        Some(_) => {
            sink.report(
                Code::InvalidValue,
                key_line("id"),
                format!("`id` of this {what} must be a non-empty string"),
            );
            return None;
        }
        None => {
            sink.report(
                Code::MissingKey,
                Some(item_line),
                format!("this {what} has no `id`; every item needs a unique id"),
            );
            return None;
        }
    };

    let kind = if register.is_some() {
        Kind::Record
    } else {
        match map.get("kind").map(scalar_text) {
            Some(Some(text)) => match Kind::parse(text.trim()) {
                Some(kind) => kind,
                None => {
                    sink.report_help(
                        Code::UnknownKind,
                        key_line("kind"),
                        format!(
                            "{id}: unknown kind `{text}`; expected one of {}",
                            Kind::NAMES.join(", ")
                        ),
                        did_you_mean(&text, Kind::NAMES.iter().copied()),
                    );
                    return None;
                }
            },
            Some(None) => {
                sink.report(
                    Code::InvalidValue,
                    key_line("kind"),
                    format!("{id}: `kind` must be a string"),
                );
                return None;
            }
            None => {
                sink.report(
                    Code::MissingKey,
                    Some(item_line),
                    format!("{id} has no `kind` (policy, plan, process, procedure, record, ...)"),
                );
                return None;
            }
        }
    };

    let mut fields = Fields {
        map,
        id: &id,
        key_line: &key_line,
        value_line: &value_line,
        sink,
    };

    let title = fields.text("title");
    let owner = fields.text("owner");
    let version = fields.text("version");
    let approved_by = fields.text("approved_by");
    let mut approved_on = fields.date("approved_on");
    let next_review = fields.date("next_review");
    let mut date = fields.date("date");
    let review_interval = fields.interval("review_interval");
    let related = fields.list("related");
    let written_evidence = fields.list("evidence");
    // Records carry their own workflow states (`closed`, `successful`): free text for them.
    let status = if kind == Kind::Record {
        fields
            .map
            .get("status")
            .and_then(Value::as_str)
            .and_then(Status::parse)
    } else {
        fields.choice("status", Status::NAMES, Status::parse, Code::UnknownStatus)
    };
    let classification = fields
        .choice(
            "classification",
            Classification::NAMES,
            Classification::parse,
            Code::UnknownClassification,
        )
        .or(register.map(|r| r.classification))
        .unwrap_or_default();
    let record_type = fields
        .record_type()
        .or_else(|| register.and_then(|r| r.record_type.clone()));
    let mut clauses = fields.clauses();
    let assessment = if kind == Kind::Assessment {
        fields.assessment(date.is_some())
    } else {
        None
    };

    // `--git-dates`: a file's last commit date stands in for a date the file does not give.
    // Only whole files: a register's commit date says when any entry changed, not when each
    // activity took place. A date that is present but invalid stays an error.
    if register.is_none()
        && let Some(git_date) = fields
            .sink
            .ctx
            .git_dates
            .and_then(|dates| dates.get(fields.sink.path))
    {
        let absent = |key: &str| map.get(key).is_none_or(Value::is_null);
        if kind == Kind::Record && date.is_none() && absent("date") {
            date = Some(*git_date);
        }
        if kind != Kind::Record
            && status == Some(Status::Approved)
            && approved_on.is_none()
            && absent("approved_on")
        {
            approved_on = Some(*git_date);
        }
    }

    // A key that is present but invalid was reported already; only absence is reported here.
    let required = |sink: &mut Sink, present: bool, key: &str, why: &str| {
        if !present && map.get(key).is_none_or(Value::is_null) {
            sink.report(
                Code::MissingKey,
                Some(item_line),
                format!("{id} has no `{key}` ({why})"),
            );
        }
    };
    let sink = &mut *fields.sink;
    if !matches!(kind, Kind::Record | Kind::Assessment) {
        required(
            sink,
            title.is_some(),
            "title",
            "required for every item but records",
        );
    }
    if kind.is_document() {
        required(
            sink,
            status.is_some(),
            "status",
            "documents are draft, approved or retired",
        );
        required(
            sink,
            owner.is_some(),
            "owner",
            "documents need an accountable owner",
        );
    }
    if kind.has_record_type() {
        required(
            sink,
            record_type.is_some(),
            "record_type",
            "what activity the records show",
        );
    }
    if kind == Kind::Record {
        required(sink, date.is_some(), "date", "when the activity took place");
    }
    if kind == Kind::Assessment {
        required(sink, date.is_some(), "date", "when the clause was assessed");
    }
    if status == Some(Status::Approved) && (approved_by.is_none() || approved_on.is_none()) {
        let missing: Vec<&str> = [
            approved_by.is_none().then_some("approved_by"),
            approved_on.is_none().then_some("approved_on"),
        ]
        .into_iter()
        .flatten()
        .collect();
        sink.report(
            Code::ApprovalIncomplete,
            key_line("status"),
            format!(
                "{id} is `status: approved` but has no {}",
                missing.join(" and ")
            ),
        );
    }

    if clauses.is_none()
        && let Some(r) = register
        && !r.clauses.is_empty()
    {
        clauses = Some(r.clauses.clone());
    }
    let clauses = match (clauses, &assessment) {
        // An assessment addresses exactly the clause it judges.
        (_, Some(a)) => vec![a.clause.clone()],
        (_, None) if kind == Kind::Assessment => Vec::new(),
        (Some(clauses), None) => clauses,
        (None, None) => {
            let implied = record_type
                .as_deref()
                .and_then(|rt| sink.ctx.catalogue.record_types.get(rt))
                .map(|rt| rt.clauses.clone())
                .unwrap_or_default();
            // An unknown record type was reported already; its missing clauses follow from it.
            let unknown_type = record_type.as_deref().is_some_and(|rt| {
                !sink.ctx.catalogue.record_types.contains_key(rt)
                    && !sink.ctx.extra_record_types.iter().any(|t| t == rt)
            });
            if implied.is_empty()
                && !unknown_type
                && !matches!(kind, Kind::Register | Kind::Evidence)
            {
                sink.report(
                    Code::MissingKey,
                    Some(item_line),
                    format!(
                        "{id} has no `clauses` (the clause ids it addresses, e.g. [\"8.5.1\"])"
                    ),
                );
            }
            implied
        }
    };

    let evidence_refs = written_evidence
        .iter()
        .filter_map(|reference| {
            let line = value_line("evidence", reference);
            check_evidence(reference, line, sink)
        })
        .collect();

    Some(Item {
        id,
        title,
        kind,
        clauses,
        status,
        owner,
        version,
        approved_by,
        approved_on,
        next_review,
        review_interval,
        record_type,
        date,
        evidence: Vec::new(),
        evidence_refs,
        classification,
        related,
        assessment,
        path: sink.path.to_string(),
        line: item_line,
        date_lines: DateLines {
            date: map.get("date").and(key_line("date")),
            approved_on: map.get("approved_on").and(key_line("approved_on")),
            next_review: map.get("next_review").and(key_line("next_review")),
        },
        text: None,
    })
}

/// Typed access to the keys of one mapping, reporting wrong types with their line.
struct Fields<'m, 's, 'c> {
    map: &'m Mapping,
    id: &'m str,
    key_line: &'m dyn Fn(&str) -> Option<u32>,
    value_line: &'m dyn Fn(&str, &str) -> Option<u32>,
    sink: &'s mut Sink<'c>,
}

impl Fields<'_, '_, '_> {
    fn text(&mut self, key: &str) -> Option<String> {
        match self.map.get(key)? {
            Value::Null => None,
            value => match scalar_text(value) {
                Some(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
                Some(_) => None,
                None => {
                    self.sink.report(
                        Code::InvalidValue,
                        (self.key_line)(key),
                        format!("{}: `{key}` must be text, not {}", self.id, describe(value)),
                    );
                    None
                }
            },
        }
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let value = self.map.get(key)?;
        if value.is_null() {
            return None;
        }
        let parsed = match value {
            Value::String(text) => parse_date(text),
            other => Err(format!(
                "{} is not a date in YYYY-MM-DD form",
                describe(other)
            )),
        };
        match parsed {
            Ok(date) => Some(date),
            Err(message) => {
                self.sink.report(
                    Code::InvalidDate,
                    (self.key_line)(key),
                    format!("{}: `{key}`: {message}", self.id),
                );
                None
            }
        }
    }

    fn interval(&mut self, key: &str) -> Option<Interval> {
        let text = self.text(key)?;
        match Interval::parse(&text) {
            Ok(interval) => Some(interval),
            Err(message) => {
                self.sink.report(
                    Code::InvalidInterval,
                    (self.key_line)(key),
                    format!("{}: `{key}`: {message}", self.id),
                );
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Vec<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(values)) => {
                let mut out = Vec::new();
                for value in values {
                    match scalar_text(value) {
                        Some(text) => out.push(text.trim().to_string()),
                        None => self.sink.report(
                            Code::InvalidValue,
                            (self.key_line)(key),
                            format!(
                                "{}: entries of `{key}` must be text, not {}",
                                self.id,
                                describe(value)
                            ),
                        ),
                    }
                }
                out
            }
            Some(value) => match scalar_text(value) {
                Some(text) => vec![text.trim().to_string()],
                None => {
                    self.sink.report(
                        Code::InvalidValue,
                        (self.key_line)(key),
                        format!("{}: `{key}` must be a list", self.id),
                    );
                    Vec::new()
                }
            },
        }
    }

    fn choice<T>(
        &mut self,
        key: &str,
        names: &[&str],
        parse: fn(&str) -> Option<T>,
        code: Code,
    ) -> Option<T> {
        let text = self.text(key)?;
        let parsed = parse(&text);
        if parsed.is_none() {
            self.sink.report_help(
                code,
                (self.key_line)(key),
                format!(
                    "{}: unknown {key} `{text}`; expected one of {}",
                    self.id,
                    names.join(", ")
                ),
                did_you_mean(&text, names.iter().copied()),
            );
        }
        parsed
    }

    fn record_type(&mut self) -> Option<String> {
        let text = self.text("record_type")?;
        let ctx = self.sink.ctx;
        let known = ctx.catalogue.record_types.contains_key(&text)
            || ctx.extra_record_types.contains(&text);
        if !known {
            let candidates = ctx
                .catalogue
                .record_types
                .keys()
                .map(String::as_str)
                .chain(ctx.extra_record_types.iter().map(String::as_str));
            self.sink.report_help(
                Code::UnknownRecordType,
                (self.key_line)("record_type"),
                format!(
                    "{}: record type `{text}` is not in the core vocabulary; add it to `[check] record_types` in iso20k.toml if it is intended",
                    self.id
                ),
                did_you_mean(&text, candidates),
            );
        }
        Some(text)
    }

    /// The keys of an `assessment` item (`clause`, `result`, `assessor`, `note`), each
    /// reported when missing or wrong. `None` unless every key is usable and the clause is
    /// evaluated: an incomplete assessment must not change a verdict.
    fn assessment(&mut self, has_date: bool) -> Option<crate::model::Assessment> {
        let clause = self.assessment_clause();
        let result = self.choice(
            "result",
            AssessedAs::NAMES,
            AssessedAs::parse,
            Code::UnknownResult,
        );
        let assessor = self.text("assessor");
        let note = self.text("note");
        let line = (self.key_line)("id");
        for (key, present, why) in [
            (
                "clause",
                clause.is_some(),
                "the clause id judged, e.g. \"5.1\"",
            ),
            ("result", result.is_some(), "met, partial or gap"),
            ("assessor", assessor.is_some(), "who judged it"),
            ("note", note.is_some(), "what was seen and why"),
        ] {
            if !present && self.map.get(key).is_none_or(Value::is_null) {
                self.sink.report(
                    Code::MissingKey,
                    line,
                    format!("assessment {} has no `{key}` ({why})", self.id),
                );
            }
        }
        let clause = clause?.filter(|_| has_date)?;
        Some(crate::model::Assessment {
            clause,
            result: result?,
            assessor: assessor?,
            note: note?,
        })
    }

    /// One clause id as written: a string, or a YAML number (accepted with a warning, since
    /// `8.50` reads as `8.5`). `None` when it is unusable or not a clause of the catalogue;
    /// both are reported at `line`.
    fn clause_id(&mut self, value: &Value, line: Option<u32>) -> Option<String> {
        let text = match value {
            Value::String(text) => text.trim().to_string(),
            Value::Number(number) => {
                let text = number.to_string();
                self.sink.report_help(
                    Code::NumericClause,
                    line,
                    format!(
                        "{}: clause {text} is written as a number; YAML reads 8.50 as 8.5, so quote clause ids",
                        self.id
                    ),
                    Some(format!("write \"{text}\"")),
                );
                text
            }
            other => {
                self.sink.report(
                    Code::InvalidValue,
                    line,
                    format!("{}: a clause id cannot be {}", self.id, describe(other)),
                );
                return None;
            }
        };
        let catalogue = self.sink.ctx.catalogue;
        if catalogue.contains(&text) {
            Some(text)
        } else {
            self.sink.report_help(
                Code::UnknownClause,
                line,
                format!("{}: `{text}` is not a clause of {}", self.id, catalogue.id),
                did_you_mean(&text, catalogue.ids()),
            );
            None
        }
    }

    /// `clause` of an assessment. `Some(None)` when the key is present but unusable (already
    /// reported), `None` when it is absent.
    fn assessment_clause(&mut self) -> Option<Option<String>> {
        let value = self.map.get("clause")?;
        if value.is_null() {
            return None;
        }
        let line = (self.key_line)("clause");
        let Some(text) = self.clause_id(value, line) else {
            return Some(None);
        };
        let catalogue = self.sink.ctx.catalogue;
        if catalogue.clause(&text).is_some_and(|c| c.is_evaluated()) {
            return Some(Some(text));
        }
        let subclauses: Vec<&str> = catalogue.children(&text).map(|c| c.id.as_str()).collect();
        self.sink.report_help(
            Code::AssessmentHeading,
            line,
            format!(
                "{}: clause {text} is a heading without checks of its own; the assessment is not applied",
                self.id
            ),
            Some(format!("assess its subclauses: {}", subclauses.join(", "))),
        );
        Some(None)
    }

    /// `None` when the key is absent; unknown clause ids are reported and dropped.
    fn clauses(&mut self) -> Option<Vec<String>> {
        let value = self.map.get("clauses")?;
        let key_line = (self.key_line)("clauses");
        let values: Vec<&Value> = match value {
            Value::Sequence(values) => values.iter().collect(),
            Value::Null => return None,
            single => vec![single],
        };
        let mut out = Vec::new();
        for value in values {
            let line = scalar_text(value)
                .and_then(|text| (self.value_line)("clauses", &text))
                .or(key_line);
            if let Some(text) = self.clause_id(value, line)
                && !out.contains(&text)
            {
                out.push(text);
            }
        }
        Some(out)
    }
}

/// Reads one evidence reference lexically: an empty entry or a path that is absolute or
/// climbs out of the repository is refused here without touching the disk; whether the file
/// exists, and where it really is, is for `validate`.
fn check_evidence(reference: &str, line: Option<u32>, sink: &mut Sink) -> Option<EvidenceRef> {
    let evidence = |target| EvidenceRef {
        target,
        written: reference.to_string(),
        line,
    };
    if reference.is_empty() {
        sink.report(Code::InvalidValue, line, "an `evidence` entry is empty");
        return None;
    }
    if let Some((scheme, _)) = reference.split_once("://") {
        if scheme != "https" {
            sink.report(
                Code::EvidenceInsecureUrl,
                line,
                format!("evidence `{reference}` is not an https:// URL"),
            );
        }
        return Some(evidence(Evidence::Url(reference.to_string())));
    }
    let outside = |sink: &mut Sink, why: &str| {
        sink.report(
            Code::EvidenceOutsideRoot,
            line,
            format!(
                "evidence `{reference}` {why}; refused (only files inside the repository count)"
            ),
        );
    };
    let written = Path::new(reference);
    if written.is_absolute() || reference.starts_with('/') || reference.starts_with('\\') {
        outside(sink, "is an absolute path");
        return None;
    }
    let base = Path::new(sink.path).parent().unwrap_or(Path::new(""));
    let Some(relative) = normalise(&base.join(written)) else {
        outside(sink, "climbs out of the repository with `..`");
        return None;
    };
    let path = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Some(evidence(Evidence::Path(path)))
}

/// Resolves `.` and `..` lexically; `None` when the path climbs above its start.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Text of a scalar: strings as they are, numbers and booleans printed.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Line lookup in YAML text by a textual scan: the YAML library keeps no positions for
/// values, and keys in SMS files are plain, so a scan finds them reliably and cheaply.
struct Lines<'t> {
    lines: Vec<&'t str>,
    /// File line of `lines[0]`.
    first: u32,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str, first: u32) -> Self {
        Lines {
            lines: text.lines().collect(),
            first,
        }
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    fn file_line(&self, index: usize) -> u32 {
        self.first + index as u32
    }

    fn is_key(line: &str, key: &str) -> bool {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    }

    /// A top-level (unindented) key.
    fn top_key(&self, key: &str) -> Option<u32> {
        self.lines
            .iter()
            .position(|l| Self::is_key(l, key))
            .map(|i| self.file_line(i))
    }

    /// A key anywhere in `range` (the lines of one register entry).
    fn key_in(&self, range: std::ops::Range<usize>, key: &str) -> Option<u32> {
        let end = range.end.min(self.lines.len());
        let start = range.start.min(end);
        self.lines[start..end]
            .iter()
            .position(|l| Self::is_key(l.trim_start().trim_start_matches("- "), key))
            .map(|i| self.file_line(start + i))
    }

    /// First line in `range` that contains `needle`.
    fn containing(&self, range: std::ops::Range<usize>, needle: &str) -> Option<u32> {
        let end = range.end.min(self.lines.len());
        let start = range.start.min(end);
        self.lines[start..end]
            .iter()
            .position(|l| l.contains(needle))
            .map(|i| self.file_line(start + i))
    }

    /// Indexes of the lines starting each entry of the block list under top-level `key`;
    /// `None` when the layout is not the plain block style (then lines fall back to the key).
    fn list_entries(&self, key: &str, expected: usize) -> Option<Vec<usize>> {
        let key_index = self.lines.iter().position(|l| Self::is_key(l, key))?;
        let mut starts = Vec::new();
        let mut dash_indent = None;
        for (i, line) in self.lines.iter().enumerate().skip(key_index + 1) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let is_dash = trimmed == "-" || trimmed.starts_with("- ");
            match dash_indent {
                None if is_dash => {
                    dash_indent = Some(indent);
                    starts.push(i);
                }
                None => return None,
                Some(d) if indent == d && is_dash => starts.push(i),
                Some(d) if indent < d || (indent == d && !is_dash) => break,
                Some(_) => {}
            }
        }
        (starts.len() == expected).then_some(starts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_refuses_escape() {
        assert_eq!(
            normalise(Path::new("records/../evidence/a.pdf")),
            Some(PathBuf::from("evidence/a.pdf"))
        );
        assert_eq!(normalise(Path::new("records/../../etc/passwd")), None);
    }

    #[test]
    fn list_entries_finds_each_record() {
        let text = "id: R\nrecords:\n  - id: A\n    date: 2026-01-01\n\n  - id: B\n    date: x\nother: 1\n";
        let lines = Lines::new(text, 1);
        assert_eq!(lines.list_entries("records", 2), Some(vec![2, 5]));
        assert_eq!(lines.key_in(5..7, "date"), Some(7));
        let flush = Lines::new("records:\n- id: A\n- id: B\n", 1);
        assert_eq!(flush.list_entries("records", 2), Some(vec![1, 2]));
    }
}
