//! `iso20k verify`: recomputes the SHA-256 of every file of a pack (a directory or a zip)
//! and compares with its `MANIFEST.sha256`: missing, extra and modified files. Hashing
//! streams and runs in parallel; symbolic links in a pack directory are never followed, and
//! only regular files are opened. A zip's structure is read first ([`structure`]): a forged
//! archive is reported as tampered, and one whose entries overlap is never inflated.

mod structure;

pub use structure::Tampered;

use crate::pack::manifest::{self, MANIFEST_SHA256};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use zip::ZipArchive;

/// `MANIFEST.sha256` larger than this is not a manifest iso20k wrote (64 bytes of hash and a
/// path per file: a million files fit).
const MAX_MANIFEST: u64 = 64 * 1024 * 1024;

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
pub struct Verification {
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
    /// A zip's structure is not what `pack` writes: duplicate, absolute or `..` names,
    /// symbolic links, folders with data, a local header naming another file, overlapping
    /// entries. Any of them means the pack is not intact.
    pub tampered: Vec<Tampered>,
}

/// What was found for one file of the pack.
enum Found {
    Hash(String),
    Problem(String),
}

pub fn verify(pack: &Path) -> Result<Verification, VerifyError> {
    let unreadable = |e: &dyn std::fmt::Display| VerifyError::Unreadable {
        path: pack.display().to_string(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(pack).map_err(|e| unreadable(&e))?;
    let (format, manifest_bytes, found, tampered) = if meta.is_dir() {
        let (bytes, found) = directory(pack)?;
        ("directory", bytes, found, Vec::new())
    } else {
        let (bytes, found, tampered) = zip_file(pack)?;
        ("zip", bytes, found, tampered)
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

    let mut report = Verification {
        pack: pack.display().to_string(),
        format,
        intact: false,
        listed: expected.len(),
        manifest_sha256: manifest::sha256_hex(text.as_bytes()),
        missing: Vec::new(),
        extra: Vec::new(),
        modified: Vec::new(),
        tampered,
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
    report.intact = report.missing.is_empty()
        && report.extra.is_empty()
        && report.modified.is_empty()
        && report.tampered.is_empty();
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
        entries.push((rel, entry.into_path(), file_type));
    }
    let found = entries
        .into_par_iter()
        .map(|(rel, path, file_type)| {
            let found = if file_type.is_symlink() {
                Found::Problem("is a symbolic link (not followed)".into())
            } else if !file_type.is_file() {
                // A FIFO would block the read forever and a device never end: never opened.
                Found::Problem("is not a regular file (a FIFO, socket or device); not read".into())
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

/// A zip pack: its structural problems, every file entry (hashed in parallel, one archive
/// handle per worker) and the manifest's bytes. An entry that fails its CRC, cannot be
/// decompressed or inflates past its declared size is modified; when entries overlap,
/// nothing is inflated at all.
type ZipFindings = (Vec<u8>, BTreeMap<String, Found>, Vec<Tampered>);

fn zip_file(path: &Path) -> Result<ZipFindings, VerifyError> {
    let unreadable = |e: &dyn std::fmt::Display| VerifyError::Unreadable {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let structure = File::open(path)
        .and_then(|mut file| structure::read(&mut file))
        .map_err(|e| unreadable(&format!("not a readable zip archive ({e})")))?;
    let open = || -> Result<ZipArchive<BufReader<File>>, VerifyError> {
        let file = File::open(path).map_err(|e| unreadable(&e))?;
        ZipArchive::new(BufReader::with_capacity(manifest::CHUNK, file))
            .map_err(|e| unreadable(&format!("not a readable zip archive ({e})")))
    };
    let manifest_entry = structure
        .entries
        .iter()
        .find(|e| e.name == MANIFEST_SHA256)
        .ok_or_else(|| VerifyError::NoManifest(path.display().to_string()))?;
    if manifest_entry.size > MAX_MANIFEST {
        return Err(VerifyError::BadManifest {
            line: 1,
            message: format!("{} bytes is too large for a manifest", manifest_entry.size),
        });
    }
    let mut archive = open()?;
    let bytes = {
        let mut entry = archive
            .by_name(MANIFEST_SHA256)
            .map_err(|_| VerifyError::NoManifest(path.display().to_string()))?;
        let size = entry.size();
        read_manifest(&mut entry, size, path)?
    };
    if structure.overlapping {
        // A zip bomb or a forgery: no other entry is inflated.
        let found = structure
            .entries
            .iter()
            .filter(|e| !e.is_dir() && e.name != MANIFEST_SHA256)
            .map(|e| {
                let problem = "not read: the archive's entries overlap".to_string();
                (e.name.clone(), Found::Problem(problem))
            })
            .collect();
        return Ok((bytes, found, structure.tampered));
    }
    let declared: BTreeMap<String, u64> = structure
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.size))
        .collect();
    let names: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|i| {
            let entry = archive.by_index_raw(i).ok()?;
            (!entry.is_dir()).then(|| (i, String::from_utf8_lossy(entry.name_raw()).into_owned()))
        })
        .collect();
    let found = names
        .into_par_iter()
        .map_init(
            || open().ok(),
            |archive, (index, name)| {
                let limit = declared.get(&name).copied().unwrap_or(0);
                let found = match archive.as_mut() {
                    None => Found::Problem("cannot reopen the archive".into()),
                    Some(archive) => match archive.by_index(index) {
                        Ok(entry) => bounded_hash(entry, limit),
                        Err(e) => Found::Problem(format!("cannot be read: {e}")),
                    },
                };
                (name, found)
            },
        )
        .collect();
    Ok((bytes, found, structure.tampered))
}

/// Hashes an entry, reading at most one byte more than its declared size: an entry that
/// inflates further is reported instead of read on.
fn bounded_hash(entry: impl Read, declared: u64) -> Found {
    let mut counted = entry.take(declared.saturating_add(1));
    match manifest::hash_reader(&mut counted, &|_| {}) {
        Ok((read, _)) if read > declared => Found::Problem(format!(
            "inflates past its declared size of {declared} bytes"
        )),
        Ok((_, hash)) => Found::Hash(hash),
        Err(e) => Found::Problem(format!("cannot be read: {e}")),
    }
}
