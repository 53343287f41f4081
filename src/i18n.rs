//! Report languages: the UI strings (`templates/report/strings.yaml`) and the catalogue
//! translations (`controls/<lang>.yaml`), both embedded, behind one [`Localizer`]. A text
//! with no translation falls back to English and is recorded, never dropped silently: the
//! report command warns about it and the test suite fails on it.

use crate::catalogue::{Clause, Mandatory};
use crate::dates::{Interval, Unit};
use crate::diagnostic::{Code, Severity};
use crate::evaluate::ClauseStatus;
use crate::model::Status;
use crate::reason::{Issue, Problem, Reason};
use serde::Deserialize;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// UI strings of reports, in every language.
pub const STRINGS: &str = include_str!("../templates/report/strings.yaml");

/// Simplified Chinese translation of the built-in catalogue.
pub const ZH_CN: &str = include_str!("../controls/zh-CN.yaml");

/// The one language type of every command (`report --lang`, `init --lang`, translations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Lang {
    /// English.
    En,
    /// Simplified Chinese.
    #[value(name = "zh-CN", alias = "zh-cn")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag, as written on the command line and in the data files.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's English name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "Simplified Chinese",
        }
    }
}

/// One UI string in every language (`{en: ..., zh-CN: ...}`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh_cn: Option<String>,
}

/// A text given only in the other languages (English lives in the catalogue or the code).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Foreign {
    #[serde(rename = "zh-CN")]
    pub zh_cn: Option<String>,
}

/// `templates/report/strings.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strings {
    pub ui: BTreeMap<String, Text>,
    /// 7.5.4 labels as written in the catalogue → translations.
    pub mandatory: BTreeMap<String, Foreign>,
    /// Diagnostic code → translation of its description.
    pub codes: BTreeMap<String, Foreign>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ClauseText {
    pub title: Option<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CheckText {
    pub description: Option<String>,
    pub recommendation: Option<String>,
}

/// `controls/<lang>.yaml`: the catalogue's texts in one language.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Translation {
    pub lang: String,
    #[serde(default)]
    pub clauses: BTreeMap<String, ClauseText>,
    #[serde(default)]
    pub checks: BTreeMap<String, CheckText>,
    #[serde(default)]
    pub record_types: BTreeMap<String, String>,
    /// Names of the operational processes of the catalogue's roles.
    #[serde(default)]
    pub processes: BTreeMap<String, String>,
    /// Names of the topics of `topics` checks (English name → translation).
    #[serde(default)]
    pub topics: BTreeMap<String, String>,
}

/// The embedded UI strings, parsed once.
pub fn strings() -> &'static Strings {
    static STRINGS_PARSED: OnceLock<Strings> = OnceLock::new();
    STRINGS_PARSED.get_or_init(|| {
        crate::parse::yaml::from_str(STRINGS)
            .expect("templates/report/strings.yaml is validated by the i18n tests")
    })
}

/// The embedded catalogue translation for `lang` (`None` for English, the source language).
pub fn translation(lang: Lang) -> Option<&'static Translation> {
    static ZH: OnceLock<Translation> = OnceLock::new();
    match lang {
        Lang::En => None,
        Lang::ZhCn => Some(ZH.get_or_init(|| {
            crate::parse::yaml::from_str(ZH_CN)
                .expect("controls/zh-CN.yaml is validated by the i18n tests")
        })),
    }
}

/// Looks texts up in one language and remembers what had to fall back to English.
pub struct Localizer {
    lang: Lang,
    strings: &'static Strings,
    translation: Option<&'static Translation>,
    missing: RefCell<BTreeSet<String>>,
}

impl Localizer {
    pub fn new(lang: Lang) -> Localizer {
        Localizer {
            lang,
            strings: strings(),
            translation: translation(lang),
            missing: RefCell::new(BTreeSet::new()),
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// What fell back to English so far (`ui:report_title`, `clause 4.2 title`, ...).
    pub fn missing(&self) -> Vec<String> {
        self.missing.borrow().iter().cloned().collect()
    }

    fn miss(&self, what: String) {
        self.missing.borrow_mut().insert(what);
    }

    /// `found` in the report language, else `english` (recorded as missing).
    fn pick(&self, found: Option<&String>, english: &str, what: impl FnOnce() -> String) -> String {
        if self.lang == Lang::En {
            return english.to_string();
        }
        match found.filter(|t| !t.trim().is_empty()) {
            Some(text) => text.trim().to_string(),
            None => {
                self.miss(what());
                english.to_string()
            }
        }
    }

    /// A UI string. An unknown key is a bug in a template or in the report code: it is
    /// recorded (so tests fail) and the key itself is shown.
    pub fn ui(&self, key: &str) -> String {
        let Some(text) = self.strings.ui.get(key) else {
            self.miss(format!("ui:{key} (no such key)"));
            return key.to_string();
        };
        match self.lang {
            Lang::En => text.en.clone(),
            Lang::ZhCn => self.pick(text.zh_cn.as_ref(), &text.en, || format!("ui:{key}")),
        }
    }

    /// A UI string whose English lives elsewhere (in the code that owns it): `english` for
    /// English, else the key's translation, falling back to `english` (recorded).
    pub fn optional_ui(&self, key: &str, english: &str) -> String {
        if self.lang == Lang::En {
            return english.to_string();
        }
        let found = self.strings.ui.get(key).and_then(|t| t.zh_cn.as_ref());
        self.pick(found, english, || format!("ui:{key}"))
    }

    /// A UI string with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(&self.ui(key), args)
    }

    /// Every UI string in the report language, for templates (`t.report_title`).
    pub fn all_ui(&self) -> BTreeMap<String, String> {
        self.strings
            .ui
            .keys()
            .map(|key| (key.clone(), self.ui(key)))
            .collect()
    }

    pub fn clause_title(&self, clause: &Clause) -> String {
        let found = self
            .translation
            .and_then(|t| t.clauses.get(&clause.id))
            .and_then(|c| c.title.as_ref());
        self.pick(found, &clause.title, || {
            format!("clause {} title", clause.id)
        })
    }

    pub fn clause_summary(&self, clause: &Clause) -> String {
        let english = clause.summary.trim();
        if english.is_empty() {
            return String::new();
        }
        let found = self
            .translation
            .and_then(|t| t.clauses.get(&clause.id))
            .and_then(|c| c.summary.as_ref());
        self.pick(found, english, || format!("clause {} summary", clause.id))
    }

    pub fn check_description(&self, id: &str, english: &str) -> String {
        let found = self
            .translation
            .and_then(|t| t.checks.get(id))
            .and_then(|c| c.description.as_ref());
        self.pick(found, english.trim(), || format!("check {id} description"))
    }

    pub fn check_recommendation(&self, id: &str, english: &str) -> String {
        let found = self
            .translation
            .and_then(|t| t.checks.get(id))
            .and_then(|c| c.recommendation.as_ref());
        self.pick(found, english.trim(), || {
            format!("check {id} recommendation")
        })
    }

    pub fn record_type(&self, name: &str) -> String {
        let found = self.translation.and_then(|t| t.record_types.get(name));
        self.pick(found, name, || format!("record type {name}"))
    }

    /// An operational process named in the catalogue's roles.
    pub fn process(&self, name: &str) -> String {
        let found = self.translation.and_then(|t| t.processes.get(name));
        self.pick(found, name, || format!("process {name}"))
    }

    /// A 7.5.4 item such as `a) Scope of the SMS`.
    pub fn mandatory(&self, item: &Mandatory) -> String {
        let english = item.to_string();
        let found = self
            .strings
            .mandatory
            .get(&english)
            .and_then(|f| f.zh_cn.as_ref());
        self.pick(found, &english, || format!("mandatory label {english}"))
    }

    /// What a diagnostic code means.
    pub fn code(&self, code: Code) -> String {
        let found = self
            .strings
            .codes
            .get(code.as_str())
            .and_then(|f| f.zh_cn.as_ref());
        self.pick(found, code.description(), || format!("code {code}"))
    }

    pub fn status(&self, status: ClauseStatus) -> String {
        self.ui(&format!("status_{}", status.as_str()))
    }

    pub fn doc_status(&self, status: Option<Status>) -> String {
        self.ui(match status {
            Some(Status::Draft) => "doc_status_draft",
            Some(Status::Approved) => "doc_status_approved",
            Some(Status::Retired) => "doc_status_retired",
            None => "doc_status_none",
        })
    }

    pub fn severity(&self, severity: Severity) -> String {
        self.ui(&format!("severity_{severity}"))
    }

    pub fn check_type(&self, kind: &str) -> String {
        self.ui(&format!("check_type_{kind}"))
    }

    pub fn interval(&self, interval: Interval) -> String {
        let unit = match interval.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let plural = if interval.count == 1 { "" } else { "s" };
        self.fill(
            &format!("interval_{unit}{plural}"),
            &[("n", &interval.count.to_string())],
        )
    }

    fn list(&self, items: &[String]) -> String {
        items.join(&self.ui("list_separator"))
    }

    /// The name of a topic of a `topics` check.
    pub fn topic(&self, name: &str) -> String {
        let found = self.translation.and_then(|t| t.topics.get(name));
        self.pick(found, name, || format!("topic {name}"))
    }

    /// Topic names, translated, as a list.
    fn topics(&self, names: &[String]) -> String {
        let translated: Vec<String> = names.iter().map(|name| self.topic(name)).collect();
        self.list(&translated)
    }

    fn kinds(&self, kinds: &[String]) -> String {
        let names: Vec<String> = kinds
            .iter()
            .map(|k| self.ui(&format!("kind_{k}")))
            .collect();
        names.join(&self.ui("list_kinds_separator"))
    }

    fn types(&self, types: &[String]) -> String {
        let names: Vec<String> = types.iter().map(|t| self.record_type(t)).collect();
        names.join(&self.ui("list_kinds_separator"))
    }

    /// `4.4`, `4.4 or 8.1`, `4.4, 8.1, 8.2.1 or 28 other clauses`, in the report language.
    fn clauses(&self, clauses: &[String]) -> String {
        match clauses {
            [] => String::new(),
            [one] => one.clone(),
            [first @ .., last] if clauses.len() <= 3 => self.fill(
                "list_or",
                &[("first", &self.list(first)), ("last", last.as_str())],
            ),
            _ => self.fill(
                "list_or_more",
                &[
                    ("first", &self.list(&clauses[..3])),
                    ("n", &(clauses.len() - 3).to_string()),
                ],
            ),
        }
    }

    fn problems(&self, reason: String, problems: &[Problem]) -> String {
        if problems.is_empty() {
            return reason;
        }
        let list: Vec<String> = problems
            .iter()
            .map(|p| {
                let (key, date) = match p.issue {
                    Issue::Draft => ("issue_draft", None),
                    Issue::Retired => ("issue_retired", None),
                    Issue::NoStatus => ("issue_no_status", None),
                    Issue::NoApprovedBy => ("issue_no_approved_by", None),
                    Issue::NoApprovedOn => ("issue_no_approved_on", None),
                    Issue::ApprovedLater(d) => ("issue_approved_later", Some(d)),
                    Issue::ReviewDue(d) => ("issue_review_due", Some(d)),
                };
                let date = date.map(|d| d.to_string()).unwrap_or_default();
                self.fill(key, &[("id", &p.id), ("date", &date)])
            })
            .collect();
        self.fill(
            "reason_problems",
            &[
                ("reason", &reason),
                ("problems", &list.join(&self.ui("problems_separator"))),
            ],
        )
    }

    /// A [`Message`] in the output language.
    pub fn message(&self, message: &Message) -> String {
        let singular = message
            .args
            .iter()
            .any(|(name, arg)| *name == "n" && *arg == Arg::Count(1));
        let one = format!("{}_one", message.key);
        let key = if singular && self.strings.ui.contains_key(&one) {
            one.as_str()
        } else {
            message.key
        };
        let args: Vec<(&str, String)> = message
            .args
            .iter()
            .map(|(name, arg)| (*name, self.arg(arg)))
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.fill(key, &args)
    }

    /// One [`Arg`] in the output language.
    pub fn arg(&self, arg: &Arg) -> String {
        match arg {
            Arg::Text(text) => text.clone(),
            Arg::Count(n) => n.to_string(),
            Arg::Ui(key) => self.ui(key),
            Arg::RecordType(name) => self.record_type(name),
            Arg::Mandatory(label) => self.mandatory(label),
            Arg::Process(name) => self.process(name),
            Arg::Interval(interval) => self.interval(*interval),
            Arg::Reason(reason) => self.reason(reason),
            Arg::Message(message) => self.message(message),
            Arg::List { items, separator } => {
                let items: Vec<String> = items.iter().map(|item| self.arg(item)).collect();
                items.join(&self.ui(separator))
            }
        }
    }

    /// Why a check passed or failed, in the report language. For English it reads exactly
    /// like `iso20k check` (a test holds the two together).
    pub fn reason(&self, reason: &Reason) -> String {
        match reason {
            Reason::NoDocument { kinds, clauses } => self.fill(
                "reason_no_document",
                &[
                    ("kinds", &self.kinds(kinds)),
                    ("clauses", &self.clauses(clauses)),
                ],
            ),
            Reason::DocumentsApproved { ids } => {
                self.fill("reason_documents_approved", &[("ids", &self.list(ids))])
            }
            Reason::TooFewDocuments {
                approved,
                min,
                kinds,
                problems,
            } => {
                let text = self.fill(
                    "reason_too_few_documents",
                    &[
                        ("approved", &approved.to_string()),
                        ("min", &min.to_string()),
                        ("kinds", &self.kinds(kinds)),
                    ],
                );
                self.problems(text, problems)
            }
            Reason::NoApprovedDocument {
                kinds,
                clauses,
                problems,
            } => {
                let text = self.fill(
                    "reason_no_approved_document",
                    &[
                        ("kinds", &self.kinds(kinds)),
                        ("clauses", &self.clauses(clauses)),
                    ],
                );
                self.problems(text, problems)
            }
            Reason::RecordsFound {
                count,
                types,
                within,
                as_of,
            } => self.fill(
                "reason_records_found",
                &[
                    ("count", &count.to_string()),
                    ("types", &self.types(types)),
                    ("within", &self.interval(*within)),
                    ("as_of", &as_of.to_string()),
                ],
            ),
            Reason::TooFewRecords {
                count,
                min,
                types,
                within,
                as_of,
                latest,
            } => {
                let key = if *count == 0 {
                    "reason_no_records"
                } else {
                    "reason_too_few_records"
                };
                let text = self.fill(
                    key,
                    &[
                        ("count", &count.to_string()),
                        ("min", &min.to_string()),
                        ("types", &self.types(types)),
                        ("within", &self.interval(*within)),
                        ("as_of", &as_of.to_string()),
                    ],
                );
                match latest {
                    Some(date) => self.fill(
                        "reason_latest",
                        &[("reason", &text), ("date", &date.to_string())],
                    ),
                    None => text,
                }
            }
            Reason::NoTopicDocument { clauses, topics } => self.fill(
                "reason_no_topic_document",
                &[
                    ("clauses", &self.clauses(clauses)),
                    ("topics", &self.topics(topics)),
                    ("count", &topics.len().to_string()),
                ],
            ),
            Reason::TopicsCovered { count, ids } => self.fill(
                "reason_topics_covered",
                &[("count", &count.to_string()), ("ids", &self.list(ids))],
            ),
            Reason::TopicsMissing { missing, searched } => self.fill(
                "reason_topics_missing",
                &[
                    ("missing", &self.topics(missing)),
                    ("count", &missing.len().to_string()),
                    ("searched", &self.list(searched)),
                ],
            ),
            Reason::Manual { description } => {
                self.fill("reason_manual", &[("description", description)])
            }
        }
    }
}

/// A sentence kept as data until it is shown: a key of strings.yaml's `ui` and its named
/// arguments. Commands decide *what* to say with it; [`Localizer::message`] says it in the
/// output language, and `Display` (and JSON) in English, from the same template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Shown as it is in every language: ids, paths, dates, numbers, names.
    Text(String),
    /// A number; `n` also picks the `<key>_one` template when it is 1.
    Count(usize),
    /// A UI string of strings.yaml, translated.
    Ui(&'static str),
    /// A record type (`internal-audit`), translated.
    RecordType(String),
    /// An operational process of the catalogue's roles (`incident management`), translated.
    Process(String),
    /// A 7.5.4 item of the catalogue (`a) Scope of the SMS`), translated.
    Mandatory(Mandatory),
    /// An interval (`12 months`), translated.
    Interval(Interval),
    /// Why a check passed or failed.
    Reason(Box<Reason>),
    /// A sentence inside a sentence.
    Message(Box<Message>),
    /// Arguments joined by the UI string `separator` (`list_separator`, `problems_separator`).
    List {
        items: Vec<Arg>,
        separator: &'static str,
    },
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
        }
    }

    /// Adds an argument shown as it is.
    pub fn text(self, name: &'static str, value: impl ToString) -> Message {
        self.arg(name, Arg::Text(value.to_string()))
    }

    /// Adds a count (`n` chooses the singular template when it is 1).
    pub fn count(self, name: &'static str, n: usize) -> Message {
        self.arg(name, Arg::Count(n))
    }

    pub fn arg(mut self, name: &'static str, value: Arg) -> Message {
        self.args.push((name, value));
        self
    }

    /// The message in English, as `check`, `readiness` and JSON outputs show it.
    pub fn english(&self) -> String {
        Localizer::new(Lang::En).message(self)
    }
}

impl Arg {
    /// A list of plain texts joined with `, ` (`、` in Chinese).
    pub fn texts<T: ToString>(items: impl IntoIterator<Item = T>) -> Arg {
        Arg::list(items.into_iter().map(|i| Arg::Text(i.to_string())))
    }

    /// Arguments joined with `, ` (`、` in Chinese).
    pub fn list(items: impl IntoIterator<Item = Arg>) -> Arg {
        Arg::List {
            items: items.into_iter().collect(),
            separator: "list_separator",
        }
    }

    /// Arguments joined with `; ` (`；` in Chinese), for lists of clauses of a sentence.
    pub fn clauses(items: impl IntoIterator<Item = Arg>) -> Arg {
        Arg::List {
            items: items.into_iter().collect(),
            separator: "problems_separator",
        }
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::Message(Box::new(message))
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Localizer::new(Lang::En).arg(self))
    }
}

/// JSON carries the English sentence: the readiness JSON keeps its shape.
impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

impl serde::Serialize for Arg {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Replaces `{name}` placeholders; unknown placeholders are left as they are.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(key, _)| *key == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    #[test]
    fn embedded_files_parse() {
        assert!(!strings().ui.is_empty());
        assert_eq!(translation(Lang::ZhCn).unwrap().lang, "zh-CN");
    }

    #[test]
    fn every_ui_string_has_every_language() {
        let missing: Vec<&String> = strings()
            .ui
            .iter()
            .filter(|(_, t)| t.zh_cn.as_deref().is_none_or(|s| s.trim().is_empty()))
            .map(|(k, _)| k)
            .collect();
        assert!(missing.is_empty(), "no zh-CN for {missing:?}");
    }

    #[test]
    fn every_code_and_mandatory_label_is_translated() {
        let strings = strings();
        for code in Code::ALL {
            assert!(
                strings
                    .codes
                    .get(code.as_str())
                    .and_then(|f| f.zh_cn.as_ref())
                    .is_some(),
                "code {code} has no zh-CN description in strings.yaml"
            );
        }
        let catalogue = crate::catalogue::Catalogue::embedded();
        for label in catalogue
            .clauses
            .iter()
            .flat_map(|c| &c.checks)
            .filter_map(|c| c.mandatory())
        {
            assert!(
                strings.mandatory.contains_key(&label.to_string()),
                "mandatory label {label:?} has no entry in strings.yaml"
            );
        }
        let zh = translation(Lang::ZhCn).unwrap();
        for process in &catalogue.roles().unwrap().operational_processes {
            assert!(
                zh.processes.contains_key(&process.name),
                "process {:?} has no zh-CN name in controls/zh-CN.yaml",
                process.name
            );
        }
    }

    /// Every UI string is used: named as a literal in the code, as `t.<key>` in a template,
    /// or built from one of the families below, whose members are checked against the code.
    /// A key left behind by a change of wording fails here instead of rotting in the file.
    #[test]
    fn no_orphan_ui_strings() {
        fn sources(dir: &std::path::Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path
                    .extension()
                    .is_some_and(|e| e == "rs" || e == "html" || e == "md" || e == "tera")
                {
                    out.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut text = String::new();
        sources(&root.join("src"), &mut text);
        sources(&root.join("templates/report"), &mut text);
        sources(&root.join("templates/pack"), &mut text);
        let mut families: Vec<String> = Vec::new();
        for status in ["met", "partial", "gap", "manual"] {
            families.push(format!("status_{status}"));
        }
        for severity in ["error", "warning", "note"] {
            families.push(format!("severity_{severity}"));
        }
        for kind in crate::model::Kind::NAMES {
            families.push(format!("kind_{kind}"));
        }
        for unit in ["day", "week", "month", "year"] {
            families.push(format!("interval_{unit}"));
            families.push(format!("interval_{unit}s"));
        }
        for check in ["document", "records", "topics", "manual"] {
            families.push(format!("check_type_{check}"));
        }
        for state in ["holds", "fails", "unknown"] {
            families.push(format!("state_{state}"));
        }
        let used = |key: &str| {
            text.contains(&format!("\"{key}\""))
                || text.contains(&format!("t.{key}"))
                || families.iter().any(|f| f == key)
        };
        let orphans: Vec<&String> = strings()
            .ui
            .keys()
            .filter(|key| !used(key) && !key.strip_suffix("_one").is_some_and(used))
            .collect();
        assert!(orphans.is_empty(), "UI strings nothing uses: {orphans:?}");
    }

    #[test]
    fn clause_lists_stay_short() {
        let en = Localizer::new(Lang::En);
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(en.clauses(&ids(&["4.4"])), "4.4");
        assert_eq!(en.clauses(&ids(&["4.4", "8.1"])), "4.4 or 8.1");
        assert_eq!(
            en.clauses(&ids(&["4.4", "8.1", "8.2", "8.3", "8.4"])),
            "4.4, 8.1, 8.2 or 2 other clauses"
        );
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(fill("{a} and {b}", &[("a", "x"), ("b", "y")]), "x and y");
        assert_eq!(fill("{a} {unknown}", &[("a", "x")]), "x {unknown}");
        assert_eq!(fill("open { brace", &[]), "open { brace");
    }

    /// What `iso20k check` says (English) for every reason, from the one set of templates.
    #[test]
    fn reasons_in_english_and_chinese() {
        let as_of = parse_date("2026-11-23").unwrap();
        let s = |list: &[&str]| list.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let problems = vec![
            Problem {
                id: "PRC-009".into(),
                issue: Issue::ReviewDue(parse_date("2026-10-31").unwrap()),
            },
            Problem {
                id: "PRC-010".into(),
                issue: Issue::Draft,
            },
            Problem {
                id: "X".into(),
                issue: Issue::ApprovedLater(as_of),
            },
            Problem {
                id: "Y".into(),
                issue: Issue::NoApprovedBy,
            },
            Problem {
                id: "Z".into(),
                issue: Issue::NoStatus,
            },
            Problem {
                id: "W".into(),
                issue: Issue::NoApprovedOn,
            },
            Problem {
                id: "V".into(),
                issue: Issue::Retired,
            },
        ];
        let reasons = vec![
            Reason::NoDocument {
                kinds: s(&["process", "procedure"]),
                clauses: s(&["4.4", "8.1", "8.2", "8.3", "9.1"]),
            },
            Reason::DocumentsApproved {
                ids: s(&["POL-001", "POL-002"]),
            },
            Reason::TooFewDocuments {
                approved: 1,
                min: 3,
                kinds: s(&["agreement"]),
                problems: problems.clone(),
            },
            Reason::NoApprovedDocument {
                kinds: s(&["plan"]),
                clauses: s(&["8.7.2", "8.7.1"]),
                problems,
            },
            Reason::RecordsFound {
                count: 4,
                types: s(&["incident", "major-incident"]),
                within: Interval::months(3),
                as_of,
            },
            Reason::TooFewRecords {
                count: 0,
                min: 1,
                types: s(&["continuity-test"]),
                within: Interval::months(12),
                as_of,
                latest: Some(parse_date("2025-01-02").unwrap()),
            },
            Reason::TooFewRecords {
                count: 1,
                min: 2,
                types: s(&["internal-audit"]),
                within: Interval::parse("1 year").unwrap(),
                as_of,
                latest: None,
            },
            Reason::NoTopicDocument {
                clauses: s(&["7.6"]),
                topics: s(&["a", "b"]),
            },
            Reason::TopicsCovered {
                count: 3,
                ids: s(&["A", "B"]),
            },
            Reason::TopicsMissing {
                missing: s(&["keeping knowledge current"]),
                searched: s(&["PRC-021", "PRC-022"]),
            },
            Reason::Manual {
                description: "Interview top management.".into(),
            },
        ];
        let problems = "PRC-009 was due for review on 2026-10-31; PRC-010 is a draft; \
                        X is approved only on 2026-11-23; Y has no approved_by; Z has no status; \
                        W has no approved_on; V is retired";
        let english = [
            "no process/procedure document addresses 4.4, 8.1, 8.2 or 2 other clauses".to_string(),
            "approved and in review: POL-001, POL-002".into(),
            format!("1 approved agreement document(s) found, 3 needed: {problems}"),
            format!("no approved, in-review plan document addresses 8.7.2 or 8.7.1: {problems}"),
            "4 incident/major-incident record(s) in the 3 months before 2026-11-23".into(),
            "no continuity-test record in the 12 months before 2026-11-23 (latest: 2025-01-02)"
                .into(),
            "1 internal-audit record(s) in the 1 year before 2026-11-23, 2 needed".into(),
            "no document addresses 7.6 to cover: a, b".into(),
            "all 3 topics covered by A, B".into(),
            "not covered: keeping knowledge current (searched PRC-021, PRC-022)".into(),
            "auditor to judge: Interview top management.".into(),
        ];
        let en = Localizer::new(Lang::En);
        let zh = Localizer::new(Lang::ZhCn);
        for (reason, english) in reasons.iter().zip(english) {
            assert_eq!(reason.to_string(), english);
            assert_eq!(en.reason(reason), english);
            assert_ne!(zh.reason(reason), english);
        }
        assert!(en.missing().is_empty(), "{:?}", en.missing());
    }
}
