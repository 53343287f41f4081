//! Parsing: one discovered file in, its items and diagnostics out. Files are parsed in
//! parallel and independently, so a malformed file never stops the others.

pub mod front_matter;
pub mod item;
pub mod markdown;
pub mod yaml;

use crate::catalogue::Catalogue;
use crate::diagnostic::{Code, Diagnostic};
use crate::discover::{FileClass, SourceFile};
use crate::model::Item;
use rayon::prelude::*;

/// Markdown and YAML files above this size are skipped without being read.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// What parsing needs to know besides the file. Parsing reads one file at a time and never
/// the file system beyond it: evidence on disk is checked by `validate`.
pub struct Context<'a> {
    pub catalogue: &'a Catalogue,
    /// `[check] record_types`: accepted without a warning.
    pub extra_record_types: &'a [String],
    /// `--git-dates`: the last commit date of each file (path relative to the root), used
    /// where a file's item has no `approved_on` (approved documents) or `date` (records).
    pub git_dates: Option<&'a std::collections::HashMap<String, jiff::civil::Date>>,
}

/// Items and diagnostics from one file.
#[derive(Debug, Default)]
pub struct Parsed {
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What one run reads of Markdown and YAML in total. Parsed items take about 25 times their
/// text in memory (two 48 MB registers of 1.2 million records took 2.3 GB in `check`), so the
/// per-file limit alone does not bound a run: past this budget, files are skipped (in path
/// order, so the same files every time) with an error saying the evaluation is incomplete.
pub const MAX_TOTAL_BYTES: u64 = 64 * 1024 * 1024;

/// Parses every Markdown and YAML file in parallel; the result order is the input order.
pub fn parse_all(files: &[SourceFile], ctx: &Context) -> Parsed {
    let mut total = 0u64;
    let mut over_budget = Vec::new();
    let within: Vec<&SourceFile> = files
        .iter()
        .filter(|f| f.class != FileClass::Other)
        .filter(|f| {
            if f.size > MAX_FILE_BYTES {
                return true; // refused by parse_file with its own diagnostic
            }
            total = total.saturating_add(f.size);
            let fits = total <= MAX_TOTAL_BYTES;
            if !fits {
                over_budget.push(Diagnostic::new(
                    Code::ReadBudgetExceeded,
                    &f.rel,
                    format!(
                        "the Markdown and YAML files read so far exceed the {} MiB one run reads; \
                         skipped, so the evaluation is incomplete (exclude archives or split \
                         the repository)",
                        MAX_TOTAL_BYTES >> 20
                    ),
                ));
            }
            fits
        })
        .collect();
    let results: Vec<Parsed> = within.par_iter().map(|f| parse_file(f, ctx)).collect();
    let mut all = Parsed::default();
    for mut parsed in results {
        all.items.append(&mut parsed.items);
        all.diagnostics.append(&mut parsed.diagnostics);
    }
    all.diagnostics.append(&mut over_budget);
    all
}

/// Reads and parses one file.
pub fn parse_file(file: &SourceFile, ctx: &Context) -> Parsed {
    let mut out = Parsed::default();
    if file.size > MAX_FILE_BYTES {
        out.diagnostics.push(Diagnostic::new(
            Code::FileTooLarge,
            &file.rel,
            format!(
                "{} MB is over the {} MB limit; skipped",
                file.size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
        return out;
    }
    let bytes = match std::fs::read(&file.abs) {
        Ok(bytes) => bytes,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(
                Code::Unreadable,
                &file.rel,
                format!("cannot read: {e}"),
            ));
            return out;
        }
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(d) => {
            out.diagnostics.push(d.into_diagnostic(&file.rel));
            return out;
        }
    };
    let mut sink = item::Sink::new(&file.rel, ctx);
    match file.class {
        FileClass::Markdown => item::from_markdown(&text, &mut sink),
        FileClass::Yaml => item::from_yaml_file(&text, &mut sink),
        FileClass::Other => {}
    }
    sink.finish()
}

/// A file that is not text.
enum DecodeError {
    Binary,
    NotUtf8 { line: u32, column: u32 },
}

impl DecodeError {
    fn into_diagnostic(self, path: &str) -> Diagnostic {
        match self {
            DecodeError::Binary => Diagnostic::new(
                Code::BinaryFile,
                path,
                "the file contains binary data (NUL bytes); not parsed",
            ),
            DecodeError::NotUtf8 { line, column } => Diagnostic::new(
                Code::NotUtf8,
                path,
                "the file is not valid UTF-8; save it as UTF-8 (not parsed)",
            )
            .at(Some(line))
            .col(Some(column)),
        }
    }
}

/// Bytes to text: strips a UTF-8 BOM and normalises CRLF line ends.
fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = good
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|p| p + 1)
                .unwrap_or(0);
            let column = (good.len() - line_start) as u32 + 1;
            return Err(DecodeError::NotUtf8 { line, column });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_handles_bom_crlf_and_rejects_binary() {
        assert_eq!(decode(b"\xef\xbb\xbfa\r\nb").ok().unwrap(), "a\nb");
        assert!(matches!(decode(b"a\0b"), Err(DecodeError::Binary)));
        assert!(matches!(
            decode(b"ok\nbad \xff here"),
            Err(DecodeError::NotUtf8 { line: 2, column: 5 })
        ));
    }
}
