//! What a packed file should make its author look twice at: hidden files (`.env`), files the
//! repository's `.gitignore` ignores (local or generated data that was never meant to be
//! shared), and files with several hard links (whose content may be shared with a file
//! outside the repository). They are packed, with a warning each; git's own files are never
//! packed at all (see `resolve` in the parent module).

use crate::diagnostic::{Code, Diagnostic};
use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Component, Path};

/// A `.gitignore` larger than this is not read (a hostile repository could point it at a
/// huge file); real ones are a few kilobytes.
const MAX_GITIGNORE: u64 = 1 << 20;

/// The repository's own ignore files, read on demand, one matcher per folder.
pub struct Cautions<'a> {
    root: &'a Path,
    matchers: HashMap<String, Option<Gitignore>>,
}

impl<'a> Cautions<'a> {
    pub fn new(root: &'a Path) -> Self {
        Cautions {
            root,
            matchers: HashMap::new(),
        }
    }

    /// The warnings for packing the repository file `rel` (resolved to `real`, whose
    /// metadata is `meta`).
    pub fn of(&mut self, rel: &str, meta: &std::fs::Metadata) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let hidden = Path::new(rel).components().any(
            |c| matches!(c, Component::Normal(name) if name.to_string_lossy().starts_with('.')),
        );
        if hidden {
            out.push(Diagnostic::new(
                Code::PackHiddenFile,
                rel,
                "is a hidden file; packed as evidence: check that it belongs in an audit pack",
            ));
        }
        if self.ignored(rel) {
            out.push(Diagnostic::new(
                Code::PackIgnoredFile,
                rel,
                "is ignored by the repository's .gitignore; packed as evidence: check that it \
                 belongs in an audit pack",
            ));
        }
        if links(meta) > 1 {
            out.push(Diagnostic::new(
                Code::PackHardLink,
                rel,
                format!(
                    "has {} hard links, so its content may be shared with a file outside the \
                     repository; packed: check what it holds",
                    links(meta)
                ),
            ));
        }
        out
    }

    /// Whether the `.gitignore` files of the folders from the root down to `rel` ignore it;
    /// the deepest file that has a say decides, as in git.
    fn ignored(&mut self, rel: &str) -> bool {
        let path = Path::new(rel);
        let mut folders = vec![String::new()];
        let mut prefix = String::new();
        if let Some(parent) = path.parent() {
            for component in parent.components() {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(&component.as_os_str().to_string_lossy());
                folders.push(prefix.clone());
            }
        }
        let full = self.root.join(path);
        for folder in folders.iter().rev() {
            let matcher = self.matcher(folder);
            if let Some(matcher) = matcher {
                match matcher.matched_path_or_any_parents(&full, false) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        false
    }

    fn matcher(&mut self, folder: &str) -> Option<&Gitignore> {
        let root = self.root;
        self.matchers
            .entry(folder.to_string())
            .or_insert_with(|| {
                let dir = root.join(folder);
                let file = dir.join(".gitignore");
                // Only a regular file of sane size: never a link, a FIFO or a device.
                let meta = std::fs::symlink_metadata(&file).ok()?;
                if !meta.is_file() || meta.len() > MAX_GITIGNORE {
                    return None;
                }
                let text = std::fs::read_to_string(&file).ok()?;
                let mut builder = GitignoreBuilder::new(&dir);
                for line in text.lines() {
                    let _ = builder.add_line(Some(file.clone()), line);
                }
                builder.build().ok()
            })
            .as_ref()
    }
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &std::fs::Metadata) -> u64 {
    1
}
