//! `iso20k pack`: the audit pack for a stage 1 or stage 2 certification audit. Copied files
//! keep their repository paths, beside the generated index, evaluation and manifests. Selects the
//! content ([`select`]), copies it with hashing and secret scanning in one streaming pass per
//! file, in parallel ([`output`]), writes the index ([`index`]), the evaluation and the two
//! manifests ([`manifest`]), and moves the finished pack to its final name atomically.

mod caution;
pub mod cleanup;
pub mod index;
pub mod manifest;
pub mod output;
pub mod secrets;
pub mod select;

use crate::Checked;
use crate::diagnostic::{Code, Diagnostic};
use anyhow::Context as _;
use manifest::{FileEntry, Manifest, NotCopied, Period, Withheld};
use output::{Destination, Format, Staging};
use rayon::prelude::*;
use select::Stage;
use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The files iso20k writes at the top of every pack, beside the copied repository files.
pub const GENERATED: &[&str] = &[
    "evaluation.json",
    "index.html",
    "index.md",
    manifest::MANIFEST_JSON,
    manifest::MANIFEST_SHA256,
];

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub stage: Stage,
    pub out: PathBuf,
    pub include_confidential: bool,
    /// Repository-relative paths whose suspected secrets are shipped anyway.
    pub allow_secrets: Vec<String>,
    pub force: bool,
}

/// Reports progress of the copy (bytes); the command line draws it, the library never does.
pub trait Progress: Sync {
    fn start(&self, total_bytes: u64);
    fn advance(&self, bytes: u64);
    fn finish(&self);
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// A written pack, for the summary the command prints.
#[derive(Debug)]
pub struct Packed {
    pub out: PathBuf,
    pub format: Format,
    pub stage: Stage,
    pub period: Option<Period>,
    /// Every file in the pack, the manifests included.
    pub files: usize,
    /// Bytes of the copied repository files.
    pub bytes: u64,
    pub documents: usize,
    pub records: usize,
    pub evidence: usize,
    pub withheld: Vec<Withheld>,
    pub not_copied: Vec<NotCopied>,
    /// SHA-256 of `MANIFEST.sha256`: one value that pins the whole pack.
    pub manifest_sha256: String,
    /// Warnings and notes (files not copied, secrets shipped on request).
    pub diagnostics: Vec<Diagnostic>,
}

/// A pack is written, or refused because files hold suspected secrets.
#[derive(Debug)]
pub enum PackOutcome {
    Written(Packed),
    Refused(Vec<Diagnostic>),
}

/// A selected file that passed the path checks.
struct Source {
    rel: String,
    path: PathBuf,
    size: u64,
}

/// Builds the pack. Errors are the cases where the command cannot do its job (exit 2);
/// nothing is left under the output name, nor any temporary file, when it fails.
pub fn pack(
    checked: &Checked,
    root: &Path,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<PackOutcome> {
    // Before anything else, whatever --force says: the pack never replaces the repository,
    // a folder inside it or a folder holding it.
    crate::atomic::outside_repository(&options.out, root)?;
    let destination = Destination::new(&options.out, options.force)?;
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))?;

    let as_of = checked.evaluation.as_of;
    let period = (options.stage == Stage::Two)
        .then(|| crate::dates::audit_period(as_of, checked.settings.operating_since));
    let selection = select::select(
        &checked.repo,
        options.stage,
        period,
        options.include_confidential,
        &checked.catalogue.roles()?.scope_clause,
    );

    let mut diagnostics = Vec::new();
    let mut not_copied = Vec::new();
    let mut sources = Vec::new();
    let cautions = caution::Cautions::new(&canonical_root);
    for rel in selection.files.keys() {
        if GENERATED.iter().any(|name| name.eq_ignore_ascii_case(rel)) {
            let reason = "has the name of a file the pack generates; not copied (rename it in the repository)";
            not_copied.push(NotCopied {
                path: rel.clone(),
                reason: reason.into(),
            });
            diagnostics.push(Diagnostic::new(Code::PackNameTaken, rel, reason));
            continue;
        }
        match resolve(&canonical_root, rel) {
            Ok((path, meta)) => {
                diagnostics.extend(cautions.of(rel, &meta));
                sources.push(Source {
                    rel: rel.clone(),
                    path,
                    size: meta.len(),
                })
            }
            Err(refusal) => {
                not_copied.push(NotCopied {
                    path: rel.clone(),
                    reason: refusal.reason.clone(),
                });
                diagnostics.push(Diagnostic::new(refusal.code, rel, refusal.reason));
            }
        }
    }

    progress.start(sources.iter().map(|s| s.size).sum());
    let staging = Staging::create(destination.clone(), as_of)
        .with_context(|| format!("cannot write in {}", destination.parent().display()))?;
    let advance = |n: u64| progress.advance(n);
    let copied: Vec<output::Copied> = sources
        .par_iter()
        .enumerate()
        .map(|(index, source)| {
            let mut file =
                File::open(&source.path).with_context(|| format!("cannot read {}", source.rel))?;
            staging
                .copy(index, &source.rel, &mut file, source.size, &advance)
                .with_context(|| format!("cannot pack {}", source.rel))
        })
        .collect::<anyhow::Result<_>>()?;
    progress.finish();

    let mut refused = Vec::new();
    for (source, copy) in sources.iter().zip(&copied) {
        let allowed = options
            .allow_secrets
            .iter()
            .any(|a| a.trim_start_matches("./") == source.rel);
        for finding in &copy.secrets {
            let what = finding.describe();
            // Inside a container: `evidence/contract.docx!word/document.xml`.
            let at = match &finding.entry {
                Some(entry) => format!("{}!{entry}", source.rel),
                None => source.rel.clone(),
            };
            let diagnostic = if allowed {
                Diagnostic::new(
                    Code::SecretAllowed,
                    &at,
                    format!("looks like {what}; packed because --allow-secrets names it"),
                )
            } else {
                Diagnostic::new(
                    Code::SecretDetected,
                    &at,
                    format!("looks like {what}; the pack is refused"),
                )
                .help(Some(format!(
                    "remove the secret from the file, or pass --allow-secrets {} if it must be shipped",
                    source.rel
                )))
            };
            let diagnostic = diagnostic.at(u32::try_from(finding.line).ok());
            if allowed {
                diagnostics.push(diagnostic);
            } else {
                refused.push(diagnostic);
            }
        }
    }
    if !refused.is_empty() {
        return Ok(PackOutcome::Refused(refused));
    }

    let withheld: Vec<Withheld> = selection
        .withheld
        .iter()
        .map(|&i| {
            let item = &checked.repo.items[i];
            Withheld {
                id: item.id.clone(),
                title: item.title.clone(),
            }
        })
        .collect();
    let copied_paths: BTreeSet<String> = sources.iter().map(|s| s.rel.clone()).collect();
    let period_view = period.map(|(from, to)| Period {
        from: from.to_string(),
        to: to.to_string(),
    });
    let (html, md) = index::render(
        checked,
        &index::Inputs {
            stage: options.stage,
            period: period_view.clone(),
            include_confidential: options.include_confidential,
            selection: &selection,
            copied: &copied_paths,
            withheld: &withheld,
            not_copied: &not_copied,
        },
    )?;
    let evaluation = crate::render::json::render(checked)?;

    let mut files: Vec<FileEntry> = sources
        .iter()
        .zip(&copied)
        .map(|(source, copy)| {
            let chosen = &selection.files[&source.rel];
            FileEntry {
                path: source.rel.clone(),
                size: copy.size,
                sha256: copy.sha256.clone(),
                role: chosen.role.as_str(),
                items: chosen.items.iter().cloned().collect(),
                clauses: chosen.clauses.iter().cloned().collect(),
            }
        })
        .collect();
    let mut generated: Vec<(&str, Vec<u8>)> = vec![
        ("evaluation.json", evaluation.into_bytes()),
        ("index.html", html.into_bytes()),
        ("index.md", md.into_bytes()),
    ];
    for (path, bytes) in &generated {
        files.push(FileEntry {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: manifest::sha256_hex(bytes),
            role: "generated",
            items: Vec::new(),
            clauses: Vec::new(),
        });
    }
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    let manifest = Manifest {
        tool: manifest::Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        stage: options.stage.number(),
        as_of: as_of.to_string(),
        root: checked.root.clone(),
        organization: checked.settings.organization.clone(),
        period: period_view.clone(),
        include_confidential: options.include_confidential,
        files,
        withheld: withheld.clone(),
        not_copied: not_copied.clone(),
    };
    let mut manifest_json = serde_json::to_string_pretty(&manifest)?;
    manifest_json.push('\n');
    let mut sums: Vec<(String, String)> = manifest
        .files
        .iter()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .collect();
    sums.push((
        manifest::MANIFEST_JSON.to_string(),
        manifest::sha256_hex(manifest_json.as_bytes()),
    ));
    let sha256sums = manifest::sha256sum_text(&sums);
    let manifest_sha256 = manifest::sha256_hex(sha256sums.as_bytes());
    generated.push((manifest::MANIFEST_JSON, manifest_json.into_bytes()));
    generated.push((manifest::MANIFEST_SHA256, sha256sums.into_bytes()));

    let file_count = copied.len() + generated.len();
    let mut staging = staging;
    for (path, bytes) in generated {
        staging
            .add_generated(path, bytes)
            .with_context(|| format!("cannot write {path}"))?;
    }
    let parts: Vec<(usize, String)> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.rel.clone()))
        .collect();
    staging
        .commit(&parts)
        .with_context(|| format!("cannot write {}", options.out.display()))?;

    let count = |role: select::Role| {
        sources
            .iter()
            .filter(|s| selection.files[&s.rel].role == role)
            .count()
    };
    Ok(PackOutcome::Written(Packed {
        out: options.out.clone(),
        format: destination.format,
        stage: options.stage,
        period: period_view,
        files: file_count,
        bytes: copied.iter().map(|c| c.size).sum(),
        documents: selection
            .documents
            .iter()
            .filter(|&&i| copied_paths.contains(&checked.repo.items[i].path))
            .count(),
        records: selection
            .records
            .iter()
            .filter(|&&i| copied_paths.contains(&checked.repo.items[i].path))
            .count(),
        evidence: count(select::Role::Evidence),
        withheld,
        not_copied,
        manifest_sha256,
        diagnostics,
    }))
}

/// Why a selected file is not copied.
struct Refusal {
    code: Code,
    reason: String,
}

/// Resolves a repository-relative path to the real file, refusing anything that leaves the
/// root: `..` or absolute paths (never produced by parsing, checked again here), and symbolic
/// links, of the file or of a folder above it, that point outside.
fn resolve(canonical_root: &Path, rel: &str) -> Result<(PathBuf, std::fs::Metadata), Refusal> {
    let outside = || Refusal {
        code: Code::PackOutsideRoot,
        reason: "resolves outside the repository root; never copied".into(),
    };
    let git_internal = || Refusal {
        code: Code::PackGitInternal,
        reason: "lies inside .git (git's own files may hold access tokens); never copied".into(),
    };
    let in_git = |path: &Path| path.components().any(|c| c.as_os_str() == ".git");
    let relative = Path::new(rel);
    if relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(outside());
    }
    if in_git(relative) {
        return Err(git_internal());
    }
    let real = canonical_root
        .join(relative)
        .canonicalize()
        .map_err(|e| Refusal {
            code: Code::PackNotAFile,
            reason: format!("cannot be resolved ({e}); not copied"),
        })?;
    if real.strip_prefix(canonical_root).is_ok_and(in_git) {
        // A link inside the repository to git's files.
        return Err(git_internal());
    }
    if !real.starts_with(canonical_root) {
        return Err(Refusal {
            reason: format!(
                "is a symbolic link (or inside one) to {}, outside the repository root; never copied",
                real.display()
            ),
            ..outside()
        });
    }
    let meta = std::fs::metadata(&real).map_err(|e| Refusal {
        code: Code::PackNotAFile,
        reason: format!("cannot be read ({e}); not copied"),
    })?;
    if !meta.is_file() {
        return Err(Refusal {
            code: Code::PackNotAFile,
            reason: "is not a regular file (a directory?); not copied".into(),
        });
    }
    Ok((real, meta))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_escapes_and_non_files() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("evidence/folder")).unwrap();
        std::fs::write(root.join("evidence/ok.csv"), "a\n").unwrap();
        let root = root.canonicalize().unwrap();
        let (path, meta) = resolve(&root, "evidence/ok.csv").ok().unwrap();
        assert_eq!((path, meta.len()), (root.join("evidence/ok.csv"), 2));
        for rel in [
            "../x",
            "/etc/hostname",
            "evidence/../../x",
            "./evidence/ok.csv",
        ] {
            let refusal = resolve(&root, rel).err().unwrap();
            assert_eq!(refusal.code, Code::PackOutsideRoot, "{rel}");
        }
        let refusal = resolve(&root, "evidence/folder").err().unwrap();
        assert_eq!(refusal.code, Code::PackNotAFile);
        assert_eq!(
            resolve(&root, "evidence/missing.csv").err().unwrap().code,
            Code::PackNotAFile
        );
    }

    #[cfg(unix)]
    #[test]
    fn resolve_refuses_a_file_under_a_symlinked_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "x").unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("linked")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("link.txt")).unwrap();
        let root = root.canonicalize().unwrap();
        for rel in ["linked/secret.txt", "link.txt"] {
            let refusal = resolve(&root, rel).err().unwrap();
            assert_eq!(refusal.code, Code::PackOutsideRoot, "{rel}");
            assert!(refusal.reason.contains("outside the repository root"));
        }
    }
}
