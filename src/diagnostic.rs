//! The one `Diagnostic` model carried from discovery and parsing to every output format,
//! and the single list of stable diagnostic codes.

use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is. Ordered so that `Error > Warning > Note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! codes {
    ($( $variant:ident = $name:literal, $sev:ident, $doc:literal; )*) => {
        /// Stable, kebab-case diagnostic codes. Users filter and suppress on these names, so a
        /// code is never renamed; new codes are added at the end of their group.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $doc] $variant, )* }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name shown to users (`unknown-clause`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// One sentence saying what the code means (for docs and SARIF rules).
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }
        }
    };
}

codes! {
    // Reading files
    Unreadable = "unreadable", Error, "The file or directory could not be read (permissions, I/O error, walk error).";
    FileTooLarge = "file-too-large", Warning, "A Markdown or YAML file is larger than the 50 MB limit and was skipped without being read.";
    NotUtf8 = "not-utf8", Error, "The file is not valid UTF-8 text.";
    BinaryFile = "binary-file", Error, "A file named .md/.yaml contains binary data (NUL bytes).";
    SymlinkOutsideRoot = "symlink-outside-root", Warning, "A symbolic link points outside the repository root; it is not followed.";
    BrokenSymlink = "broken-symlink", Warning, "A symbolic link is dangling or part of a loop; it is not followed.";
    ReadBudgetExceeded = "read-budget-exceeded", Error, "The Markdown and YAML files of the repository together exceed the 64 MiB one run reads; this file and the ones after it in path order were skipped, so the evaluation is incomplete.";
    IgnoreFileSkipped = "ignore-file-skipped", Warning, "An ignore file (.gitignore, .git/info/exclude) is a symbolic link, a FIFO, a device or over 1 MiB; it is not read and its rules do not apply.";
    // Syntax
    FrontMatterUnclosed = "front-matter-unclosed", Error, "Front matter starts with `---` but has no closing `---` or `...` line.";
    FrontMatterEmpty = "front-matter-empty", Error, "Front matter is present but empty.";
    YamlSyntax = "yaml-syntax", Error, "The YAML (front matter or file) cannot be parsed: syntax error, tab indentation, duplicate key, alias bomb.";
    NotAMapping = "not-a-mapping", Error, "Front matter is a list or a scalar where a mapping of keys is expected.";
    // Item contents
    MissingKey = "missing-key", Error, "A required key (id, title, kind, clauses, status, owner, record_type, date...) is missing.";
    InvalidValue = "invalid-value", Error, "A key has a value of the wrong type or shape (e.g. a list where text is expected).";
    UnknownKind = "unknown-kind", Error, "`kind` is not one of the documented kinds.";
    UnknownStatus = "unknown-status", Error, "`status` is not draft, approved or retired.";
    UnknownClassification = "unknown-classification", Error, "`classification` is not public, internal, confidential or restricted.";
    UnknownRecordType = "unknown-record-type", Warning, "`record_type` is not in the core vocabulary nor in `[check] record_types`.";
    UnknownClause = "unknown-clause", Error, "A clause id is not a clause of the catalogue.";
    NumericClause = "numeric-clause", Warning, "A clause id is written as a YAML number (8.5) instead of a string (\"8.5\"); 8.50 would silently become 8.5.";
    DuplicateId = "duplicate-id", Error, "Two items share the same id.";
    InvalidDate = "invalid-date", Error, "A date is not a real calendar date in YYYY-MM-DD form (e.g. 2026-02-30).";
    InvalidInterval = "invalid-interval", Error, "An interval is not a count and a unit such as `6 months`, `90 days`, `2 weeks` or `1 year`.";
    RecordsNotList = "records-not-list", Error, "A register's `records` is not a list of mappings.";
    UnknownRelated = "unknown-related", Warning, "`related` names an id that no item has.";
    UnknownResult = "unknown-result", Error, "An assessment's `result` is not met, partial or gap.";
    AssessmentHeading = "assessment-heading", Warning, "An assessment names a heading clause that has no checks of its own; it is not applied (assess its subclauses).";
    // Lifecycle
    ApprovalIncomplete = "approval-incomplete", Error, "`status: approved` without `approved_by` or `approved_on`.";
    ReviewOverdue = "review-overdue", Warning, "An approved document's next review date is before --as-of.";
    RecordInFuture = "record-in-future", Warning, "A record is dated after --as-of.";
    ApprovedInFuture = "approved-in-future", Warning, "`approved_on` is after --as-of.";
    AssessmentExpired = "assessment-expired", Warning, "The latest assessment of a clause is older than its review interval (`[sms] review_interval` by default); it no longer refines the clause.";
    AssessmentInFuture = "assessment-in-future", Warning, "An assessment is dated after --as-of; it is not applied.";
    // Evidence
    EvidenceMissing = "evidence-missing", Error, "An evidence path does not exist in the repository.";
    EvidenceOutsideRoot = "evidence-outside-root", Error, "An evidence path is absolute, climbs out of the repository with `..`, or is a symlink that leaves it; it is refused and never read.";
    EvidenceInsecureUrl = "evidence-insecure-url", Warning, "An evidence URL does not use https://.";
    // Configuration and catalogue
    UnknownConfigKey = "unknown-config-key", Warning, "iso20k.toml has a key iso20k does not know (ignored).";
    ControlsInvalid = "controls-invalid", Error, "iso20k.controls.yaml (organisation-specific controls) is malformed and was not applied.";
    // Audit packs
    SecretDetected = "secret-detected", Error, "A file going into an audit pack looks like it holds a secret (PEM private key, password assignment, cloud access key or token); the pack is refused unless --allow-secrets names the file.";
    SecretAllowed = "secret-allowed", Note, "A suspected secret in a file named by --allow-secrets was packed on request.";
    PackOutsideRoot = "pack-outside-root", Warning, "A file selected for an audit pack resolves outside the repository root (through a symbolic link); it is never copied.";
    PackNotAFile = "pack-not-a-file", Warning, "A path selected for an audit pack is not a regular file (a directory, for example); it is not copied.";
    PackNameTaken = "pack-name-taken", Warning, "A repository file at the root has the name of a file the pack generates (index.html, index.md, evaluation.json, manifest.json, MANIFEST.sha256); it is not copied.";
    PackGitInternal = "pack-git-internal", Error, "A file selected for an audit pack lies inside .git (git's own files, which may hold access tokens); it is never copied.";
    PackHiddenFile = "pack-hidden-file", Warning, "A file packed as evidence is hidden (a name or folder starting with a dot, such as .env); check that it belongs in an audit pack.";
    PackIgnoredFile = "pack-ignored-file", Warning, "A file packed as evidence is ignored by the repository's .gitignore (often local or generated data); check that it belongs in an audit pack.";
    PackHardLink = "pack-hard-link", Warning, "A packed file has more than one hard link, so its content may be shared with a file outside the repository; check what was packed.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A problem found in one file of the repository, located like a compiler error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// 1-based line when known. A problem with a whole file (binary, too large, a symlink)
    /// has none; JSON shows it as line 1 so every diagnostic has an integer line.
    #[serde(serialize_with = "line_or_first")]
    pub line: Option<u32>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// A hint on how to fix it ("did you mean ...").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn line_or_first<S: serde::Serializer>(line: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(line.unwrap_or(1))
}

impl Diagnostic {
    /// A diagnostic at the code's default severity.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            path: path.into(),
            line: None,
            column: None,
            help: None,
        }
    }

    pub fn at(mut self, line: Option<u32>) -> Self {
        self.line = line;
        self
    }

    pub fn col(mut self, column: Option<u32>) -> Self {
        self.column = column;
        self
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The order every output uses: path, line, column, code, message.
    pub fn sort_key(&self) -> (&str, u32, u32, &str, &str) {
        (
            &self.path,
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.code.as_str(),
            &self.message,
        )
    }
}

/// Sorts diagnostics into the stable output order and drops exact duplicates.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{name} is not kebab-case"
            );
            assert!(seen.insert(name), "{name} listed twice");
        }
    }
}
