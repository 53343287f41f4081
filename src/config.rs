//! `iso20k.toml`: read once at the root, validated into [`Settings`]. A malformed file is a
//! [`ConfigError`] (exit 2) with its line; an unknown key is only a warning, so a file written
//! for a newer iso20k still works with this one.

use crate::dates::{Interval, parse_date};
use crate::diagnostic::{Code, Diagnostic};
use crate::suggest::did_you_mean;
use jiff::civil::Date;
use std::fmt;
use std::path::Path;

pub const FILE_NAME: &str = "iso20k.toml";

/// Three months of operation is a common certification-body expectation before stage 2; it
/// is not a clause of the standard, hence configurable.
pub const DEFAULT_MIN_OPERATING_MONTHS: u32 = 3;

/// The threshold at which `check` exits 1. Ordered from lenient to strict: each level fails
/// on everything the previous level fails on, plus more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum FailOn {
    /// Never fail (report only).
    Never,
    /// Fail on error diagnostics.
    #[default]
    Error,
    /// Fail on error or warning diagnostics.
    Warning,
    /// Fail on diagnostics of any severity above note, or on any clause with status `gap`.
    Gap,
}

impl FailOn {
    pub const NAMES: &'static [&'static str] = &["error", "warning", "gap", "never"];

    pub fn parse(text: &str) -> Option<FailOn> {
        match text {
            "never" => Some(FailOn::Never),
            "error" => Some(FailOn::Error),
            "warning" => Some(FailOn::Warning),
            "gap" => Some(FailOn::Gap),
            _ => None,
        }
    }
}

/// Validated settings; every key has a default.
#[derive(Debug, Clone)]
pub struct Settings {
    pub organization: Option<String>,
    pub operating_since: Option<Date>,
    pub review_interval: Interval,
    pub stage1: Option<Date>,
    pub stage2: Option<Date>,
    pub certified_on: Option<Date>,
    pub exclude: Vec<String>,
    pub fail_on: FailOn,
    pub extra_record_types: Vec<String>,
    /// Whether the settings come from an `iso20k.toml` (false: all defaults).
    pub from_file: bool,
    /// Months of operation a certification body expects before stage 2 (`[readiness]`).
    pub min_operating_months: u32,
    /// Names or roles that count as top management when checking approvals (`[readiness]`).
    pub top_management: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization: None,
            operating_since: None,
            review_interval: Interval::months(12),
            stage1: None,
            stage2: None,
            certified_on: None,
            exclude: Vec::new(),
            fail_on: FailOn::Error,
            extra_record_types: Vec::new(),
            from_file: false,
            min_operating_months: DEFAULT_MIN_OPERATING_MONTHS,
            top_management: Vec::new(),
        }
    }
}

/// Why `iso20k.toml` could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: Option<u32>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{FILE_NAME}:{line}: {}", self.message),
            None => write!(f, "{FILE_NAME}: {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Known sections and their keys; anything else earns an `unknown-config-key` warning.
const SCHEMA: &[(&str, &[&str])] = &[
    ("organization", &["name"]),
    ("sms", &["operating_since", "review_interval"]),
    ("certification", &["stage1", "stage2", "certified_on"]),
    ("check", &["exclude", "fail_on", "record_types"]),
    ("readiness", &["min_operating_months", "top_management"]),
];

/// Loads `iso20k.toml` from `root`, or the defaults when there is none.
pub fn load(root: &Path) -> Result<(Settings, Vec<Diagnostic>), ConfigError> {
    let path = root.join(FILE_NAME);
    let unreadable = |message: String| ConfigError {
        line: None,
        message,
    };
    match read_regular(&path, MAX_CONFIG_BYTES).map_err(unreadable)? {
        Some(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                let bytes = e.as_bytes();
                let valid = &bytes[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                let column =
                    valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
                ConfigError {
                    line: Some(line),
                    message: format!(
                        "the file is not valid UTF-8 (first bad byte at column {column})"
                    ),
                }
            })?;
            let (mut settings, warnings) = parse(&text)?;
            settings.from_file = true;
            Ok((settings, warnings))
        }
        None => Ok((Settings::default(), vec![])),
    }
}

/// `iso20k.toml` larger than this is not a configuration (real ones are a few hundred bytes).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// Reads a file the repository configures iso20k with (`iso20k.toml`, `iso20k.controls.yaml`):
/// `None` when there is none; an error when it is a symbolic link (it could name any file on
/// the machine, whose first line would then show in messages), not a regular file (a FIFO
/// would hang, a device never end), or over `limit` bytes (also when it grows while read).
pub fn read_regular(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, String> {
    use std::io::Read as _;
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    if meta.is_symlink() {
        return Err(
            "it is a symbolic link; iso20k reads its configuration only from a regular \
                    file in the repository, never through a link"
                .into(),
        );
    }
    if !meta.is_file() {
        return Err("it is not a regular file (a FIFO or device?); not read".into());
    }
    if meta.len() > limit {
        return Err(format!(
            "it is {} bytes, over the {limit}-byte limit; not read",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read it: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read it: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "it grew over the {limit}-byte limit while read; not read"
        ));
    }
    Ok(Some(bytes))
}

/// Parses the text of `iso20k.toml`.
pub fn parse(text: &str) -> Result<(Settings, Vec<Diagnostic>), ConfigError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| ConfigError {
        line: e.span().map(|s| line_of_offset(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let mut settings = Settings::default();
    let mut warnings = Vec::new();
    let sections: Vec<&str> = SCHEMA.iter().map(|(s, _)| *s).collect();

    for (section, value) in &table {
        let Some((_, keys)) = SCHEMA.iter().find(|(s, _)| s == section) else {
            warnings.push(
                Diagnostic::new(
                    Code::UnknownConfigKey,
                    FILE_NAME,
                    format!("unknown section or key `{section}` (ignored)"),
                )
                .at(find_line(text, None, section))
                .help(did_you_mean(section, sections.iter().copied())),
            );
            continue;
        };
        let Some(body) = value.as_table() else {
            return Err(ConfigError {
                line: find_line(text, None, section),
                message: format!("`{section}` must be a table (`[{section}]`)"),
            });
        };
        for (key, value) in body {
            let line = find_line(text, Some(section), key);
            let bad = |what: &str| ConfigError {
                line,
                message: format!("`{section}.{key}` must be {what}"),
            };
            match (section.as_str(), key.as_str()) {
                ("organization", "name") => {
                    settings.organization =
                        Some(value.as_str().ok_or_else(|| bad("a string"))?.to_string());
                }
                ("sms", "operating_since") => settings.operating_since = Some(date(value, &bad)?),
                ("sms", "review_interval") => {
                    let text = value
                        .as_str()
                        .ok_or_else(|| bad("a string such as \"12 months\""))?;
                    settings.review_interval =
                        Interval::parse(text).map_err(|m| ConfigError { line, message: m })?;
                }
                ("certification", "stage1") => settings.stage1 = Some(date(value, &bad)?),
                ("certification", "stage2") => settings.stage2 = Some(date(value, &bad)?),
                ("certification", "certified_on") => {
                    settings.certified_on = Some(date(value, &bad)?)
                }
                ("readiness", "min_operating_months") => {
                    settings.min_operating_months = value
                        .as_integer()
                        .filter(|n| (1..=120).contains(n))
                        .map(|n| n as u32)
                        .ok_or_else(|| bad("a whole number of months from 1 to 120"))?;
                }
                ("readiness", "top_management") => settings.top_management = strings(value, &bad)?,
                ("check", "exclude") => settings.exclude = exclude_globs(value, line, &bad)?,
                ("check", "record_types") => settings.extra_record_types = strings(value, &bad)?,
                ("check", "fail_on") => {
                    let text = value.as_str().ok_or_else(|| bad("a string"))?;
                    settings.fail_on = FailOn::parse(text).ok_or_else(|| ConfigError {
                        line,
                        message: format!(
                            "`check.fail_on` is `{text}`; expected one of {}{}",
                            FailOn::NAMES.join(", "),
                            did_you_mean(text, FailOn::NAMES.iter().copied())
                                .map(|h| format!(" ({h})"))
                                .unwrap_or_default()
                        ),
                    })?;
                }
                _ => warnings.push(
                    Diagnostic::new(
                        Code::UnknownConfigKey,
                        FILE_NAME,
                        format!("unknown key `{section}.{key}` (ignored)"),
                    )
                    .at(line)
                    .help(did_you_mean(key, keys.iter().copied())),
                ),
            }
        }
    }
    Ok((settings, warnings))
}

fn date(value: &toml::Value, bad: &dyn Fn(&str) -> ConfigError) -> Result<Date, ConfigError> {
    let text = match value {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return Err(bad("a date (YYYY-MM-DD)")),
    };
    parse_date(&text).map_err(|_| bad("a date (YYYY-MM-DD)"))
}

/// `[check] exclude`: globs relative to the root, validated here so a typo is reported with
/// its line. A leading `./` is dropped (gitignore syntax has no `./`).
fn exclude_globs(
    value: &toml::Value,
    line: Option<u32>,
    bad: &dyn Fn(&str) -> ConfigError,
) -> Result<Vec<String>, ConfigError> {
    let mut globs = strings(value, bad)?;
    for glob in &mut globs {
        if let Some(rest) = glob.strip_prefix("./") {
            *glob = rest.to_string();
        }
        globset::Glob::new(glob).map_err(|e| ConfigError {
            line,
            message: format!(
                "`check.exclude` pattern `{glob}` is not a valid glob: {}",
                e.kind()
            ),
        })?;
    }
    Ok(globs)
}

fn strings(
    value: &toml::Value,
    bad: &dyn Fn(&str) -> ConfigError,
) -> Result<Vec<String>, ConfigError> {
    value
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| bad("a list of strings"))
}

fn line_of_offset(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

/// Line of `key` (inside `[section]` when given, or the section header itself): a textual
/// search, good enough for the flat files iso20k.toml is.
fn find_line(text: &str, section: Option<&str>, key: &str) -> Option<u32> {
    let mut in_section = section.is_none();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            let name = header.trim_end_matches(']').trim();
            if section.is_none() && name == key {
                return Some(index as u32 + 1);
            }
            in_section = section == Some(name);
            continue;
        }
        if in_section
            && let Some(rest) = line.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(index as u32 + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_example_parses() {
        let text = r#"
[organization]
name = "Acme IT Services Ltd"

[sms]
operating_since = 2026-05-04
review_interval = "12 months"

[certification]
stage1 = 2026-12-08
stage2 = 2027-01-19
certified_on = 2027-02-15

[check]
exclude = ["drafts/**", "archive/**"]
fail_on = "error"
record_types = ["penetration-test"]
"#;
        let (s, warnings) = parse(text).unwrap();
        assert_eq!(s.min_operating_months, 3);
        assert!(s.top_management.is_empty());
        assert!(warnings.is_empty());
        assert_eq!(s.organization.as_deref(), Some("Acme IT Services Ltd"));
        assert_eq!(s.operating_since.unwrap().to_string(), "2026-05-04");
        assert_eq!(s.certified_on.unwrap().to_string(), "2027-02-15");
        assert_eq!(s.exclude.len(), 2);
        assert_eq!(s.extra_record_types, vec!["penetration-test"]);
    }

    #[test]
    fn malformed_toml_has_a_line() {
        let err = parse("[sms]\noperating_since = 2026-05-04\nreview_interval = \n").unwrap_err();
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn wrong_types_and_values_are_errors_with_lines() {
        let err = parse("[check]\nfail_on = \"warnings\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("did you mean `warning`"),
            "{}",
            err.message
        );
        let err = parse("[sms]\noperating_since = \"2026-02-30\"\n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn exclude_globs_are_checked_and_normalised() {
        let err = parse("[check]\nexclude = [\"[abc\"]\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("`[abc` is not a valid glob"),
            "{}",
            err.message
        );
        let (s, _) = parse("[check]\nexclude = [\"./drafts/**\"]\n").unwrap();
        assert_eq!(s.exclude, ["drafts/**"]);
    }

    #[test]
    fn unknown_keys_warn_with_suggestion() {
        let (_, warnings) = parse("[check]\nfail_onn = \"error\"\n").unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(2));
        assert_eq!(warnings[0].help.as_deref(), Some("did you mean `fail_on`?"));
    }

    #[test]
    fn readiness_section() {
        let (s, warnings) = parse(
            "[readiness]\nmin_operating_months = 6\ntop_management = [\"Managing Director\"]\n",
        )
        .unwrap();
        assert!(warnings.is_empty());
        assert_eq!(s.min_operating_months, 6);
        assert_eq!(s.top_management, vec!["Managing Director"]);
        for bad in ["0", "121", "\"3\"", "2.5"] {
            let err = parse(&format!("[readiness]\nmin_operating_months = {bad}\n")).unwrap_err();
            assert_eq!(err.line, Some(2), "{bad}");
        }
    }
}
