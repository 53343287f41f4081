//! What a packed file should make its author look twice at: hidden files (`.env`), files the
//! repository's `.gitignore` ignores (local or generated data that was never meant to be
//! shared), and files with several hard links (whose content may be shared with a file
//! outside the repository). They are packed, with a warning each; git's own files are never
//! packed at all (see `resolve` in the parent module).

use crate::diagnostic::{Code, Diagnostic};
use crate::discover::Ignores;
use std::path::{Component, Path};

/// The repository's own ignore rules, and the paths of what is packed.
pub struct Cautions<'a> {
    root: &'a Path,
    ignores: Ignores,
}

impl<'a> Cautions<'a> {
    pub fn new(root: &'a Path) -> Self {
        Cautions {
            root,
            ignores: Ignores::new(root),
        }
    }

    /// The warnings for packing the repository file `rel` (resolved to `real`, whose
    /// metadata is `meta`).
    pub fn of(&self, rel: &str, meta: &std::fs::Metadata) -> Vec<Diagnostic> {
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
        if self.ignores.ignored(&self.root.join(rel), false) {
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
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_meta: &std::fs::Metadata) -> u64 {
    1
}
