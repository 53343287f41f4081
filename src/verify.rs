//! `iso20k verify`: recomputes the SHA-256 of every file of a pack (a directory or a zip)
//! and compares with its `MANIFEST.sha256`: missing, extra and modified files. Hashing
//! streams and runs in parallel; symbolic links in a pack directory are never followed.

use crate::pack::manifest::{self, MANIFEST_SHA256};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use zip::ZipArchive;

/// `MANIFEST.sha256` larger than this is not a manifest iso20k wrote.
const MAX_MANIFEST: u64 = 512 * 1024 * 1024;

/// Why a pack cannot be verified at all (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot read {path}: {message}")]
    Unreadable { path: String, message: String },
    #[error("{0} has no MANIFEST.sha256: not an iso20k pack")]
    NoManifest(String),
    #[error("MANIFEST.sha256:{line}: {message}")]
    BadManifest { line: usize, message: String },
}

/// A file whose content does not match the manifest.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Modified {
    pub path: String,
    pub expected: String,
    /// The hash found, when the file could be read.
    pub actual: Option<String>,
    /// Why it could not be read (a zip entry failing its CRC, a symbolic link...); `null`
    /// for a plain hash mismatch.
    pub problem: Option<String>,
}

/// The verdict on one pack.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub pack: String,
    pub format: &'static str,
    pub intact: bool,
    /// Files listed in `MANIFEST.sha256`.
    pub listed: usize,
    /// SHA-256 of `MANIFEST.sha256` itself: compare with the value recorded at hand-over.
    pub manifest_sha256: String,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    pub modified: Vec<Modified>,
}

/// What was found for one file of the pack.
enum Found {
    Hash(String),
    Problem(String),
}

pub fn verify(pack: &Path) -> Result<Report, VerifyError> {
    let unreadable = |e: &dyn std::fmt::Display| VerifyError::Unreadable {
        path: pack.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(pack).map_err(|e| unreadable(&e))?;
    let (format, manifest_bytes, found) = if meta.is_dir() {
        let (bytes, found) = directory(pack)?;
        ("directory", bytes, found)
    } else {
        let (bytes, found) = zip_file(pack)?;
        ("zip", bytes, found)
    };
    let text = String::from_utf8(manifest_bytes).map_err(|_| VerifyError::BadManifest {
        line: 1,
        message: "not UTF-8 text".into(),
    })?;
    let listed = manifest::parse_sha256sum(&text).map_err(|e| VerifyError::BadManifest {
        line: e.line,
        message: e.message,
    })?;
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for (index, (path, hash)) in listed.iter().enumerate() {
        if expected.insert(path.clone(), hash.clone()).is_some() {
            return Err(VerifyError::BadManifest {
                line: index + 1,
                message: format!("{path} is listed twice"),
            });
        }
    }

    let mut report = Report {
        pack: pack.display().to_string(),
        format,
        intact: false,
        listed: expected.len(),
        manifest_sha256: manifest::sha256_hex(text.as_bytes()),
        missing: Vec::new(),
        extra: Vec::new(),
        modified: Vec::new(),
    };
    for (path, hash) in &expected {
        match found.get(path) {
            None => report.missing.push(path.clone()),
            Some(Found::Hash(actual)) if actual == hash => {}
            Some(Found::Hash(actual)) => report.modified.push(Modified {
                path: path.clone(),
                expected: hash.clone(),
                actual: Some(actual.clone()),
                problem: None,
            }),
            Some(Found::Problem(problem)) => report.modified.push(Modified {
                path: path.clone(),
                expected: hash.clone(),
                actual: None,
                problem: Some(problem.clone()),
            }),
        }
    }
    report.extra = found
        .keys()
        .filter(|p| !expected.contains_key(*p) && p.as_str() != MANIFEST_SHA256)
        .cloned()
        .collect();
    report.intact =
        report.missing.is_empty() && report.extra.is_empty() && report.modified.is_empty();
    Ok(report)
}

fn read_manifest(reader: &mut impl Read, size: u64, pack: &Path) -> Result<Vec<u8>, VerifyError> {
    if size > MAX_MANIFEST {
        return Err(VerifyError::BadManifest {
            line: 1,
            message: format!("{size} bytes is too large for a manifest"),
        });
    }
    let mut bytes = Vec::new();
    reader
        .take(MAX_MANIFEST)
        .read_to_end(&mut bytes)
        .map_err(|e| VerifyError::Unreadable {
            path: format!("{}/{MANIFEST_SHA256}", pack.display()),
            message: e.to_string(),
        })?;
    Ok(bytes)
}

/// A pack directory: every entry found (hashed in parallel), and the manifest's bytes.
fn directory(dir: &Path) -> Result<(Vec<u8>, BTreeMap<String, Found>), VerifyError> {
    let manifest_path = dir.join(MANIFEST_SHA256);
    let manifest_meta = std::fs::symlink_metadata(&manifest_path)
        .map_err(|_| VerifyError::NoManifest(dir.display().to_string()))?;
    if !manifest_meta.is_file() {
        return Err(VerifyError::NoManifest(dir.display().to_string()));
    }
    let mut file = File::open(&manifest_path).map_err(|e| VerifyError::Unreadable {
        path: manifest_path.display().to_string(),
        message: e.to_string(),
    })?;
    let bytes = read_manifest(&mut file, manifest_meta.len(), dir)?;

    let mut entries = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .follow_links(false)
        .build()
    {
        let entry = entry.map_err(|e| VerifyError::Unreadable {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let Some(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            continue;
        }
        let rel = crate::discover::relative(dir, entry.path());
        entries.push((rel, entry.into_path(), file_type.is_symlink()));
    }
    let found = entries
        .into_par_iter()
        .map(|(rel, path, symlink)| {
            let found = if symlink {
                Found::Problem("is a symbolic link (not followed)".into())
            } else {
                match File::open(&path).and_then(|mut f| manifest::hash_reader(&mut f, &|_| {})) {
                    Ok((_, hash)) => Found::Hash(hash),
                    Err(e) => Found::Problem(format!("cannot be read: {e}")),
                }
            };
            (rel, found)
        })
        .collect();
    Ok((bytes, found))
}

/// A zip pack: every file entry (hashed in parallel, one archive handle per worker), and
/// the manifest's bytes. An entry that fails its CRC or cannot be decompressed is modified.
fn zip_file(path: &Path) -> Result<(Vec<u8>, BTreeMap<String, Found>), VerifyError> {
    let unreadable = |e: &dyn std::fmt::Display| VerifyError::Unreadable {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let open = || -> Result<ZipArchive<BufReader<File>>, VerifyError> {
        let file = File::open(path).map_err(|e| unreadable(&e))?;
        ZipArchive::new(BufReader::with_capacity(manifest::CHUNK, file))
            .map_err(|e| unreadable(&format!("not a readable zip archive ({e})")))
    };
    let mut archive = open()?;
    let bytes = {
        let mut entry = archive
            .by_name(MANIFEST_SHA256)
            .map_err(|_| VerifyError::NoManifest(path.display().to_string()))?;
        let size = entry.size();
        read_manifest(&mut entry, size, path)?
    };
    let names: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| {
            let entry = archive.by_index_raw(i).ok()?;
            (!entry.is_dir()).then(|| (i, String::from_utf8_lossy(entry.name_raw()).into_owned()))
        })
        .collect();
    let mut seen = BTreeSet::new();
    for (_, name) in &names {
        if !seen.insert(name.as_str()) {
            return Err(unreadable(&format!("the archive holds {name} twice")));
        }
    }
    let found = names
        .into_par_iter()
        .map_init(
            || open().ok(),
            |archive, (index, name)| {
                let found = match archive.as_mut() {
                    None => Found::Problem("cannot reopen the archive".into()),
                    Some(archive) => match archive.by_index(index) {
                        Ok(mut entry) => match manifest::hash_reader(&mut entry, &|_| {}) {
                            Ok((_, hash)) => Found::Hash(hash),
                            Err(e) => Found::Problem(format!("cannot be read: {e}")),
                        },
                        Err(e) => Found::Problem(format!("cannot be read: {e}")),
                    },
                };
                (name, found)
            },
        )
        .collect();
    Ok((bytes, found))
}
