//! Evidence on disk: each file an item references must exist inside the repository, as a
//! file. A reference that resolves through a symbolic link leaving the root is refused without
//! being read; a folder, a missing file or a broken link is reported. What passes becomes the
//! item's `evidence`.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Evidence, EvidenceRef, Item};
use std::path::Path;

/// Resolves the evidence of one item against the repository (`root` canonical when it can be).
pub(super) fn check(
    item: &mut Item,
    root: &Path,
    canonical_root: Option<&Path>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let refs = std::mem::take(&mut item.evidence_refs);
    for reference in &refs {
        let mut report = |code: Code, message: String| {
            diagnostics.push(Diagnostic::new(code, &item.path, message).at(reference.line));
        };
        match &reference.target {
            Evidence::Url(url) => item.evidence.push(url.clone()),
            Evidence::Path(path) => {
                if let Some(found) = on_disk(reference, path, root, canonical_root, &mut report) {
                    item.evidence.push(found);
                }
            }
        }
    }
    item.evidence_refs = refs;
    diagnostics
}

fn on_disk(
    reference: &EvidenceRef,
    path: &str,
    root: &Path,
    canonical_root: Option<&Path>,
    report: &mut impl FnMut(Code, String),
) -> Option<String> {
    let written = &reference.written;
    let mut outside = |why: &str| {
        report(
            Code::EvidenceOutsideRoot,
            format!("evidence `{written}` {why}; refused (only files inside the repository count)"),
        )
    };
    let full = root.join(path);
    match std::fs::symlink_metadata(&full) {
        // Resolved in full, so a symbolic link to a folder above the file (`linked/x.pdf`
        // with `linked -> /elsewhere`) is caught as well as a link at the file itself.
        Ok(meta) => match (full.canonicalize(), canonical_root) {
            (Ok(target), Some(root)) if target.starts_with(root) && target.is_dir() => {
                report(
                    Code::EvidenceMissing,
                    format!("evidence `{written}` is a folder; list the files in it"),
                );
                None
            }
            (Ok(target), Some(root)) if target.starts_with(root) => Some(path.to_string()),
            (Ok(_), _) if meta.file_type().is_symlink() => {
                outside("is a symbolic link that leaves the repository");
                None
            }
            (Ok(_), _) => {
                outside("lies under a symbolic link to a folder outside the repository");
                None
            }
            (Err(_), _) => {
                report(
                    Code::EvidenceMissing,
                    format!("evidence `{written}` is a broken symbolic link"),
                );
                None
            }
        },
        Err(_) => {
            report(
                Code::EvidenceMissing,
                format!("evidence `{written}` does not exist (looked for {path})"),
            );
            None
        }
    }
}
