//! Writing a pack atomically, as a directory or a zip. Everything is built under a hidden
//! temporary name in the destination directory and renamed to the final name only once
//! complete: a failed or interrupted run never leaves a half pack under the final name, and
//! a failed run removes its temporary files.
//!
//! A zip is deterministic: entries sorted by path, every timestamp the `--as-of` date at
//! midnight, permissions 0644, and compression fixed by file type. Files are compressed in
//! parallel, each into a one-entry part archive, and the parts are then copied raw (without
//! recompressing) into the final zip in path order.

use super::manifest::CHUNK;
use super::secrets::{Finding, Scanner};
use jiff::civil::Date;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// How the pack is written, chosen by the name of `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Directory,
    Zip,
}

impl Format {
    /// `*.zip` (any case) is a zip; anything else a directory.
    pub fn of(out: &Path) -> Format {
        let zip = out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        if zip { Format::Zip } else { Format::Directory }
    }
}

/// Why the destination cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DestinationError {
    #[error("{0} already exists; pass --force to replace it")]
    Exists(PathBuf),
    #[error("{0} is a directory that is not an iso20k pack; refusing to replace it")]
    NotAPack(PathBuf),
    #[error("{0} holds a .git repository; --force never replaces it")]
    HoldsGit(PathBuf),
    #[error("the directory {0} does not exist")]
    NoParent(PathBuf),
    #[error("{0} has no file name")]
    NoName(PathBuf),
}

/// The final path and where its temporary siblings go.
#[derive(Debug, Clone)]
pub struct Destination {
    pub out: PathBuf,
    pub format: Format,
    pub force: bool,
    parent: PathBuf,
    name: String,
}

impl Destination {
    /// Checks `out` before any work is done: its directory exists, and an existing `out` is
    /// replaced only with `force`, and only when it is a pack (or empty) for a directory.
    pub fn new(out: &Path, force: bool) -> Result<Destination, DestinationError> {
        let name = out
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| !n.is_empty() && *n != "." && *n != "..")
            .ok_or_else(|| DestinationError::NoName(out.to_path_buf()))?
            .to_string();
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(DestinationError::NoParent(parent));
        }
        let destination = Destination {
            out: out.to_path_buf(),
            format: Format::of(out),
            force,
            parent,
            name,
        };
        destination.check_existing()?;
        Ok(destination)
    }

    fn check_existing(&self) -> Result<(), DestinationError> {
        let Ok(meta) = fs::symlink_metadata(&self.out) else {
            return Ok(());
        };
        if !self.force {
            return Err(DestinationError::Exists(self.out.clone()));
        }
        if meta.is_dir() {
            if fs::symlink_metadata(self.out.join(".git")).is_ok() {
                return Err(DestinationError::HoldsGit(self.out.clone()));
            }
            let empty = fs::read_dir(&self.out).is_ok_and(|mut d| d.next().is_none());
            if !empty && !is_pack(&self.out) {
                return Err(DestinationError::NotAPack(self.out.clone()));
            }
        }
        Ok(())
    }

    /// The directory the pack is written in (canonical when it can be resolved).
    pub fn parent(&self) -> &Path {
        &self.parent
    }

    /// A fresh hidden name beside the output: `.NAME.iso20k-PID-N.SUFFIX`, created by
    /// `create` (which must fail when the path exists, so two runs never share one).
    fn fresh<T>(
        &self,
        suffix: &str,
        create: impl Fn(&Path) -> io::Result<T>,
    ) -> io::Result<(PathBuf, T)> {
        let pid = std::process::id();
        for n in 0..1000 {
            let path = self
                .parent
                .join(format!(".{}.iso20k-{pid}-{n}.{suffix}", self.name));
            match create(&path) {
                Ok(made) => return Ok((path, made)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free temporary name in the destination directory",
        ))
    }
}

/// What streaming one file produced.
#[derive(Debug)]
pub struct Copied {
    pub size: u64,
    pub sha256: String,
    pub secrets: Vec<Finding>,
}

/// A pack under construction. Dropping it without [`Staging::commit`] removes everything
/// it wrote.
pub struct Staging {
    destination: Destination,
    /// Directory format: the pack itself. Zip format: the part archives.
    dir: PathBuf,
    /// Zip format: the generated files, added to the zip at commit.
    generated: Vec<(String, Vec<u8>)>,
    timestamp: zip::DateTime,
    committed: bool,
}

impl Staging {
    pub fn create(destination: Destination, as_of: Date) -> io::Result<Staging> {
        let suffix = match destination.format {
            Format::Directory => "tmp",
            Format::Zip => "parts",
        };
        let (dir, ()) = destination.fresh(suffix, |p| fs::create_dir(p))?;
        super::cleanup::remember(&dir);
        Ok(Staging {
            destination,
            dir,
            generated: Vec::new(),
            timestamp: zip_time(as_of),
            committed: false,
        })
    }

    fn part(&self, index: usize) -> PathBuf {
        self.dir.join(format!("{index:07}.zip"))
    }

    /// Streams `source` into the pack as `pack_path`: one read, which hashes, scans for
    /// secrets and writes. `index` names the zip part; it must be unique per file.
    pub fn copy(
        &self,
        index: usize,
        pack_path: &str,
        source: &mut File,
        size_hint: u64,
        progress: &dyn Fn(u64),
    ) -> io::Result<Copied> {
        match self.destination.format {
            Format::Directory => {
                let target = self.dir.join(pack_path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut file = File::create_new(&target)?;
                stream(source, &mut file, progress)
            }
            Format::Zip => {
                let part = File::create_new(self.part(index))?;
                let mut zip = ZipWriter::new(BufWriter::with_capacity(CHUNK, part));
                zip.start_file(pack_path, self.options(pack_path, size_hint))
                    .map_err(io::Error::other)?;
                let copied = stream(source, &mut zip, progress)?;
                zip.finish().map_err(io::Error::other)?.flush()?;
                Ok(copied)
            }
        }
    }

    /// Adds a file made by iso20k (index, manifests).
    pub fn add_generated(&mut self, pack_path: &str, bytes: Vec<u8>) -> io::Result<()> {
        if self.destination.format == Format::Directory {
            fs::write(self.dir.join(pack_path), &bytes)?;
        }
        self.generated.push((pack_path.to_string(), bytes));
        Ok(())
    }

    fn options(&self, pack_path: &str, size: u64) -> SimpleFileOptions {
        let method = if is_compressed_format(pack_path) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        SimpleFileOptions::default()
            .compression_method(method)
            .compression_level((method == CompressionMethod::Deflated).then_some(3))
            .last_modified_time(self.timestamp)
            .unix_permissions(0o644)
            .large_file(size >= LARGE_FILE)
    }

    /// Finishes the pack and moves it to its final name. `copied` lists the copied files as
    /// (part index, pack path).
    pub fn commit(mut self, copied: &[(usize, String)]) -> io::Result<()> {
        match self.destination.format {
            Format::Directory => {
                sync_dir(&self.dir);
                install(&self.dir, &self.destination)?;
                super::cleanup::forget(&self.dir);
            }
            Format::Zip => {
                let (tmp, file) = self.destination.fresh("tmp", |p| File::create_new(p))?;
                super::cleanup::remember(&tmp);
                let written = self.assemble(file, copied).and_then(|file| {
                    file.sync_all()?;
                    install(&tmp, &self.destination)
                });
                super::cleanup::forget(&tmp);
                if let Err(e) = written {
                    let _ = fs::remove_file(&tmp);
                    return Err(e);
                }
                let _ = fs::remove_dir_all(&self.dir);
                super::cleanup::forget(&self.dir);
            }
        }
        self.committed = true;
        Ok(())
    }

    /// Writes the final zip: every entry in path order, parts copied raw.
    fn assemble(&mut self, file: File, copied: &[(usize, String)]) -> io::Result<File> {
        enum Source<'a> {
            Part(usize),
            Bytes(&'a [u8]),
        }
        let mut entries: Vec<(&str, Source)> = copied
            .iter()
            .map(|(index, path)| (path.as_str(), Source::Part(*index)))
            .chain(
                self.generated
                    .iter()
                    .map(|(path, bytes)| (path.as_str(), Source::Bytes(bytes))),
            )
            .collect();
        entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut zip = ZipWriter::new(BufWriter::with_capacity(4 * CHUNK, file));
        for (path, source) in entries {
            match source {
                Source::Part(index) => {
                    let part_path = self.part(index);
                    let mut part =
                        ZipArchive::new(BufReader::with_capacity(CHUNK, File::open(&part_path)?))
                            .map_err(io::Error::other)?;
                    let entry = part.by_index_raw(0).map_err(io::Error::other)?;
                    let size = entry.size();
                    if size >= LARGE_FILE || entry.compressed_size() >= LARGE_FILE {
                        // A raw copy of a ZIP64 entry carries the part's ZIP64 field next to
                        // the one the writer adds, and strict readers (the zip crate itself)
                        // refuse the duplicate: entries of 4 GiB and more are written anew.
                        drop(entry);
                        let mut reader = part.by_index(0).map_err(io::Error::other)?;
                        zip.start_file(path, self.options(path, size))
                            .map_err(io::Error::other)?;
                        io::copy(&mut reader, &mut zip)?;
                    } else {
                        zip.raw_copy_file(entry).map_err(io::Error::other)?;
                    }
                    drop(part);
                    fs::remove_file(&part_path)?;
                }
                Source::Bytes(bytes) => {
                    zip.start_file(path, self.options(path, bytes.len() as u64))
                        .map_err(io::Error::other)?;
                    zip.write_all(bytes)?;
                }
            }
        }
        let writer = zip.finish().map_err(io::Error::other)?;
        writer.into_inner().map_err(|e| e.into_error())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            super::cleanup::forget(&self.dir);
        }
    }
}

/// Files of at least this size get zip64 headers.
const LARGE_FILE: u64 = 0xF000_0000;

/// The `--as-of` date at midnight; dates outside what zip can store are clamped.
fn zip_time(as_of: Date) -> zip::DateTime {
    let year = as_of.year().clamp(1980, 2107) as u16;
    zip::DateTime::from_date_and_time(year, as_of.month() as u8, as_of.day() as u8, 0, 0, 0)
        .unwrap_or_default()
}

/// Formats that are compressed already: stored as they are, deflating them gains nothing.
fn is_compressed_format(path: &str) -> bool {
    const STORED: &[&str] = &[
        "7z", "avif", "bz2", "docx", "gif", "gz", "heic", "jpeg", "jpg", "m4a", "mkv", "mov",
        "mp3", "mp4", "odp", "ods", "odt", "pdf", "png", "pptx", "rar", "tgz", "webm", "webp",
        "xlsx", "xz", "zip", "zst",
    ];
    path.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .is_some_and(|ext| STORED.contains(&ext.as_str()))
}

/// One pass over `source`: hash, scan for secrets, write.
fn stream(source: &mut File, sink: &mut impl Write, progress: &dyn Fn(u64)) -> io::Result<Copied> {
    let mut hasher = Sha256::new();
    let mut scanner = Scanner::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = &buf[..n];
        hasher.update(chunk);
        scanner.feed(chunk);
        sink.write_all(chunk)?;
        size += n as u64;
        progress(n as u64);
    }
    sink.flush()?;
    let secrets = scanner.finish_file(source)?;
    Ok(Copied {
        size,
        sha256: super::manifest::hex(&hasher.finalize()),
        secrets,
    })
}

/// Whether `dir` is a pack iso20k wrote: a `MANIFEST.sha256` in `sha256sum` format and a
/// `manifest.json` naming iso20k with its file list, both regular files of reasonable size.
/// One file name alone is not enough: `--force` replaces what this accepts.
fn is_pack(dir: &Path) -> bool {
    const LIMIT: u64 = 64 << 20;
    let read = |name: &str| -> Option<String> {
        let path = dir.join(name);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > LIMIT {
            return None;
        }
        fs::read_to_string(path).ok()
    };
    let sums = read(super::manifest::MANIFEST_SHA256)
        .is_some_and(|text| super::manifest::parse_sha256sum(&text).is_ok());
    let manifest = read(super::manifest::MANIFEST_JSON)
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .is_some_and(|json| json["tool"]["name"] == "iso20k" && json["files"].is_array());
    sums && manifest
}

/// Moves the finished temporary `tmp` to the final name. An existing output (allowed by
/// `--force`, checked before any work) is moved aside first and removed after.
fn install(tmp: &Path, destination: &Destination) -> io::Result<()> {
    let out = &destination.out;
    let existing = fs::symlink_metadata(out).ok();
    let Some(existing) = existing else {
        return fs::rename(tmp, out);
    };
    if !destination.force {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} appeared while packing; not replaced", out.display()),
        ));
    }
    if !existing.is_dir() && destination.format == Format::Zip {
        // Renaming a file over a file replaces it atomically.
        return fs::rename(tmp, out);
    }
    let (aside, ()) = destination.fresh("old", |p| {
        if fs::symlink_metadata(p).is_ok() {
            Err(io::ErrorKind::AlreadyExists.into())
        } else {
            Ok(())
        }
    })?;
    fs::rename(out, &aside)?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&aside, out);
        return Err(e);
    }
    if existing.is_dir() {
        fs::remove_dir_all(&aside)
    } else {
        fs::remove_file(&aside)
    }
}

/// Flushes a directory's entries where the platform allows it (best effort).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a/pack.zip")), Format::Zip);
        assert_eq!(Format::of(Path::new("pack.ZIP")), Format::Zip);
        assert_eq!(Format::of(Path::new("pack")), Format::Directory);
        assert_eq!(Format::of(Path::new("pack.zip.d")), Format::Directory);
    }

    #[test]
    fn compressed_formats_are_stored() {
        assert!(is_compressed_format("evidence/report.PDF"));
        assert!(is_compressed_format("x/photo.jpeg"));
        assert!(!is_compressed_format("registers/changes.yaml"));
        assert!(!is_compressed_format("README"));
    }

    #[test]
    fn zip_time_is_the_as_of_date() {
        let t = zip_time(crate::dates::parse_date("2026-11-23").unwrap());
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2026, 11, 23, 0));
        let old = zip_time(crate::dates::parse_date("1970-01-01").unwrap());
        assert_eq!(old.year(), 1980);
    }
}
