//! Discovery: walks the repository honouring `.gitignore` (even outside a git checkout) and
//! `[check] exclude`, never follows symbolic links, and returns files in sorted order.

use crate::diagnostic::{Code, Diagnostic};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

    // Ignore files are read by `Ignores`, not by the walker: it would follow a `.gitignore`
    // that links to /dev/zero, block on one that is a FIFO, and read those above the
    // repository.
    let ignores = Arc::new(Ignores::new(root));
    let filter = Arc::clone(&ignores);
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false)
        .require_git(false)
        .ignore(false)
        .parents(false)
        .follow_links(false)
        .overrides(overrides)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            entry.depth() == 0 || !filter.ignored(entry.path(), is_dir)
        })
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
    for path in ignores.skipped() {
        diagnostics.push(Diagnostic::new(
            Code::IgnoreFileSkipped,
            path,
            "ignore file is not a regular file of at most 1 MiB (a link, a FIFO or a device?); \
             not read, so its rules do not apply",
        ));
    }
    Ok((files, diagnostics))
}

/// A `.gitignore` larger than this is not read (real ones are a few kilobytes).
const MAX_IGNORE_FILE: u64 = 1 << 20;

/// The repository's own ignore rules: the `.gitignore` files from the git top level (when the
/// repository sits inside a git checkout, found by its `.git` entry, without running git) or
/// else from the root, down to each folder, and the checkout's `.git/info/exclude`. Files
/// above that are not the repository's and never count. Each ignore file is read only when it
/// is a regular file of at most 1 MiB: a link, a FIFO or a device is skipped.
pub struct Ignores {
    /// The root as given and as resolved: paths under the given root are mapped without a
    /// system call per path (the walk follows no link, so the mapping is exact).
    given_root: PathBuf,
    root: PathBuf,
    /// Where ignore files start to count.
    top: PathBuf,
    exclude: Option<Gitignore>,
    matchers: Mutex<HashMap<PathBuf, Option<Arc<Gitignore>>>>,
    /// Ignore files that were not read (a link, a FIFO, a device, over 1 MiB).
    skipped: Mutex<Vec<PathBuf>>,
}

impl Ignores {
    pub fn new(given_root: &Path) -> Ignores {
        let root = given_root
            .canonicalize()
            .unwrap_or_else(|_| given_root.to_path_buf());
        let top = root
            .ancestors()
            .find(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
            .unwrap_or(&root)
            .to_path_buf();
        let skipped = Mutex::new(Vec::new());
        let exclude = read_ignore_file(&top, &top.join(".git/info/exclude"), &skipped);
        Ignores {
            given_root: given_root.to_path_buf(),
            root,
            top,
            exclude,
            matchers: Mutex::new(HashMap::new()),
            skipped,
        }
    }

    /// Whether git would ignore `path` (absolute, or relative to the working directory, under
    /// the root); the deepest rule that has a say decides, as in git.
    pub fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let path = match path.strip_prefix(&self.given_root) {
            Ok(inside) => self.root.join(inside),
            Err(_) => {
                let Ok(path) = std::path::absolute(path) else {
                    return false;
                };
                match (
                    path.parent().and_then(|p| p.canonicalize().ok()),
                    path.file_name(),
                ) {
                    (Some(parent), Some(name)) => parent.join(name),
                    _ => path,
                }
            }
        };
        let Ok(inside) = path.strip_prefix(&self.top) else {
            return false;
        };
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut dir = self.top.clone();
        dirs.push(dir.clone());
        if let Some(parent) = inside.parent() {
            for component in parent.components() {
                dir.push(component);
                dirs.push(dir.clone());
            }
        }
        for dir in dirs.iter().rev() {
            if let Some(matcher) = self.matcher(dir) {
                match matcher.matched_path_or_any_parents(&path, is_dir) {
                    ignore::Match::Ignore(_) => return true,
                    ignore::Match::Whitelist(_) => return false,
                    ignore::Match::None => {}
                }
            }
        }
        self.exclude.as_ref().is_some_and(|exclude| {
            exclude
                .matched_path_or_any_parents(&path, is_dir)
                .is_ignore()
        })
    }

    /// The ignore files skipped so far, relative to the root where they lie inside it.
    pub fn skipped(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .skipped
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
            .iter()
            .map(|p| match p.strip_prefix(&self.root) {
                Ok(rel) => relative(Path::new(""), rel),
                Err(_) => p
                    .strip_prefix(&self.top)
                    .map(|rel| relative(Path::new(""), rel))
                    .unwrap_or_else(|_| ".gitignore".into()),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn matcher(&self, dir: &Path) -> Option<Arc<Gitignore>> {
        let mut matchers = self.matchers.lock().ok()?;
        matchers
            .entry(dir.to_path_buf())
            .or_insert_with(|| {
                read_ignore_file(dir, &dir.join(".gitignore"), &self.skipped).map(Arc::new)
            })
            .clone()
    }
}

/// The rules of one ignore file, relative to `dir`; `None` when there is none, or when it is
/// not a regular file of reasonable size.
fn read_ignore_file(dir: &Path, file: &Path, skipped: &Mutex<Vec<PathBuf>>) -> Option<Gitignore> {
    use std::io::Read as _;
    let meta = std::fs::symlink_metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_IGNORE_FILE {
        if let Ok(mut skipped) = skipped.lock() {
            skipped.push(file.to_path_buf());
        }
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(file)
        .ok()?
        .take(MAX_IGNORE_FILE)
        .read_to_string(&mut text)
        .ok()?;
    let mut builder = GitignoreBuilder::new(dir);
    for line in text.lines() {
        let _ = builder.add_line(Some(file.to_path_buf()), line);
    }
    builder.build().ok()
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
