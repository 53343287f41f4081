//! Discovery: walks the repository honouring `.gitignore` (even outside a git checkout) and
//! `[check] exclude`, never follows symbolic links, and returns files in sorted order.

use crate::diagnostic::{Code, Diagnostic};
use std::path::{Path, PathBuf};

/// How a file takes part in the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileClass {
    /// `*.md`: documented information when it has front matter.
    Markdown,
    /// `*.yaml` / `*.yml`: one item or a register.
    Yaml,
    /// Anything else: evidence, counted only when referenced.
    Other,
}

/// A discovered regular file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the root, `/`-separated: what every diagnostic shows.
    pub rel: String,
    pub abs: PathBuf,
    pub class: FileClass,
    pub size: u64,
}

/// Files at the root that configure iso20k rather than describe the SMS.
pub const RESERVED: &[&str] = &[crate::config::FILE_NAME, crate::catalogue::CONTROLS_FILE];

/// Walks `root`. Fails only when the exclusion globs are invalid (a config error).
pub fn discover(
    root: &Path,
    exclude: &[String],
) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), String> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for glob in exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("`check.exclude` pattern `{glob}` is not a valid glob: {e}"))?;
    }
    let overrides = overrides.build().map_err(|e| e.to_string())?;
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());

    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .ignore(false)
        .parents(true)
        .follow_links(false)
        .overrides(overrides)
        .build();

    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = error_path(&err)
                    .map(|p| relative(root, &p))
                    .unwrap_or_else(|| ".".into());
                diagnostics.push(Diagnostic::new(Code::Unreadable, path, err.to_string()));
                continue;
            }
        };
        let path = entry.path();
        let rel = relative(root, path);
        if entry.path_is_symlink() {
            match path.canonicalize() {
                // The target is not named: an absolute path outside the repository would land
                // in reports and code-scanning results, and says nothing the author can use.
                Ok(target) if !target.starts_with(&canonical_root) => {
                    diagnostics.push(Diagnostic::new(
                        Code::SymlinkOutsideRoot,
                        rel,
                        "symbolic link leaves the repository; not followed",
                    ))
                }
                // Inside the repository: its target is checked where it really lives.
                Ok(_) => {}
                Err(e) => diagnostics.push(Diagnostic::new(
                    Code::BrokenSymlink,
                    rel,
                    format!("symbolic link cannot be resolved ({e}); not followed"),
                )),
            }
            continue;
        }
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if !file_type.is_file() || RESERVED.contains(&rel.as_str()) {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        files.push(SourceFile {
            class: classify(path),
            abs: path.to_path_buf(),
            rel,
            size,
        });
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok((files, diagnostics))
}

fn classify(path: &Path) -> FileClass {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("md") => FileClass::Markdown,
        Some("yaml" | "yml") => FileClass::Yaml,
        _ => FileClass::Other,
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// `path` relative to `root`, with `/` separators on every platform.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() { ".".into() } else { text }
}
