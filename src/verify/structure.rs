//! The structure of a zip pack, read from its bytes rather than through the zip library:
//! the library keeps one entry per name, so a forged `MANIFEST.sha256` and doctored file
//! placed before the genuine ones would be invisible to it. Every central-directory record is
//! read here and checked against what `pack` writes: unique, relative, `/`-separated names
//! without `..` or control characters; no symbolic links; folders without data; a local
//! header naming the same file; entry data that does not overlap another's (the "zip bomb"
//! that makes a small file inflate forever). Reading is bounded by [`MAX_ENTRIES`] and
//! [`MAX_DIRECTORY`], and only the central directory and local headers are read.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// More entries than any pack iso20k writes could hold.
pub const MAX_ENTRIES: u64 = 1_000_000;
/// A central directory larger than this is refused (1,000,000 entries of long names).
pub const MAX_DIRECTORY: u64 = 512 << 20;

const EOCD: u32 = 0x0605_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const ZIP64_EOCD: u32 = 0x0606_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

/// One central-directory record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub compressed: u64,
    pub size: u64,
    offset: u64,
    unix_mode: Option<u32>,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.name.ends_with('/')
    }
}

/// What was wrong with one entry (or with the archive, `path` empty).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tampered {
    pub path: String,
    pub problem: String,
}

/// The archive's entries and every structural problem found.
#[derive(Debug, Default)]
pub struct Structure {
    pub entries: Vec<Entry>,
    pub tampered: Vec<Tampered>,
    /// Entry data overlaps: nothing may be inflated (the archive is a zip bomb or forged).
    pub overlapping: bool,
}

fn le16(b: &[u8], at: usize) -> u64 {
    u16::from_le_bytes([b[at], b[at + 1]]) as u64
}

fn le32(b: &[u8], at: usize) -> u64 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as u64
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(bytes)
}

fn bad(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

fn read_at(file: &mut File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = vec![0u8; len];
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// Reads and checks the structure. An error means the file is not a readable zip at all.
pub fn read(file: &mut File) -> io::Result<Structure> {
    let len = file.metadata()?.len();
    // The end record is in the last 22 + 65,535 (comment) bytes.
    let tail_len = len.min(22 + 65_535);
    let tail = read_at(file, len - tail_len, tail_len as usize)?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| le32(&tail, i) == EOCD as u64)
        .ok_or_else(|| bad("no end of central directory record"))?;
    let eocd_offset = len - tail_len + at as u64;
    let mut count = le16(&tail, at + 10);
    let mut dir_size = le32(&tail, at + 12);
    let mut dir_offset = le32(&tail, at + 16);
    if (count == 0xFFFF || dir_size == 0xFFFF_FFFF || dir_offset == 0xFFFF_FFFF)
        && eocd_offset >= 20
    {
        let locator = read_at(file, eocd_offset - 20, 20)?;
        if le32(&locator, 0) == ZIP64_LOCATOR as u64 {
            let record_offset = le64(&locator, 8);
            let record = read_at(file, record_offset, 56)?;
            if le32(&record, 0) != ZIP64_EOCD as u64 {
                return Err(bad("broken ZIP64 end of central directory"));
            }
            count = le64(&record, 32);
            dir_size = le64(&record, 40);
            dir_offset = le64(&record, 48);
        }
    }
    if count > MAX_ENTRIES {
        return Err(bad(format!(
            "{count} entries is more than the {MAX_ENTRIES} a pack may hold"
        )));
    }
    if dir_size > MAX_DIRECTORY || dir_offset.saturating_add(dir_size) > len {
        return Err(bad(
            "the central directory lies outside the file or is too large",
        ));
    }
    let dir = read_at(file, dir_offset, dir_size as usize)?;
    let mut structure = Structure::default();
    let mut pos = 0usize;
    for _ in 0..count {
        if pos + 46 > dir.len() || le32(&dir, pos) != CENTRAL as u64 {
            return Err(bad("a central directory record is broken"));
        }
        let made_by_unix = dir[pos + 5] == 3;
        let mut compressed = le32(&dir, pos + 20);
        let mut size = le32(&dir, pos + 24);
        let name_len = le16(&dir, pos + 28) as usize;
        let extra_len = le16(&dir, pos + 30) as usize;
        let comment_len = le16(&dir, pos + 32) as usize;
        let external = le32(&dir, pos + 38) as u32;
        let mut offset = le32(&dir, pos + 42);
        let end = pos + 46 + name_len + extra_len + comment_len;
        if end > dir.len() {
            return Err(bad("a central directory record is broken"));
        }
        let name_bytes = &dir[pos + 46..pos + 46 + name_len];
        let extra = &dir[pos + 46 + name_len..pos + 46 + name_len + extra_len];
        // ZIP64 extended information: the fields whose 32-bit value is 0xFFFFFFFF, in order.
        let mut e = 0;
        while e + 4 <= extra.len() {
            let id = le16(extra, e);
            let field_len = le16(extra, e + 2) as usize;
            let body = &extra[(e + 4).min(extra.len())..(e + 4 + field_len).min(extra.len())];
            if id == 1 {
                let mut f = 0;
                for value in [&mut size, &mut compressed, &mut offset] {
                    if *value == 0xFFFF_FFFF && f + 8 <= body.len() {
                        *value = le64(body, f);
                        f += 8;
                    }
                }
            }
            e += 4 + field_len;
        }
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        structure.entries.push(Entry {
            name,
            compressed,
            size,
            offset,
            unix_mode: made_by_unix.then_some(external >> 16),
        });
        pos = end;
    }
    check(file, &mut structure, dir_offset)?;
    Ok(structure)
}

/// Why a name is not one `pack` writes, if it is not.
fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("has an empty name");
    }
    if name.chars().any(char::is_control) {
        return Some("has control characters in its name");
    }
    if name.contains('\\') {
        return Some("has a backslash in its name");
    }
    if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return Some("has an absolute path");
    }
    if name.split('/').any(|part| part == ".." || part == ".") {
        return Some("has `.` or `..` in its path");
    }
    None
}

fn check(file: &mut File, structure: &mut Structure, dir_offset: u64) -> io::Result<()> {
    let mut seen = HashSet::new();
    let mut ranges = Vec::new();
    for entry in &structure.entries {
        let mut flag = |problem: String| {
            structure.tampered.push(Tampered {
                path: entry.name.clone(),
                problem,
            })
        };
        if !seen.insert(entry.name.as_str()) {
            flag("is in the archive more than once (a forged copy may shadow it)".into());
        }
        if let Some(problem) = name_problem(&entry.name) {
            flag(problem.into());
        }
        if entry
            .unix_mode
            .is_some_and(|mode| mode & 0o170000 == 0o120000)
        {
            flag("is a symbolic link".into());
        }
        if entry.is_dir() && (entry.size > 0 || entry.compressed > 0) {
            flag("is a folder entry that carries data".into());
        }
        if entry.offset.saturating_add(30) > dir_offset {
            flag("has its data outside the archive's file area".into());
            continue;
        }
        let header = read_at(file, entry.offset, 30)?;
        if le32(&header, 0) != LOCAL as u64 {
            flag("has no local header where the central directory says".into());
            continue;
        }
        let name_len = le16(&header, 26) as usize;
        let extra_len = le16(&header, 28);
        let local_name = read_at(file, entry.offset + 30, name_len)?;
        if local_name != entry.name.as_bytes() {
            flag(format!(
                "has a local header naming another file ({})",
                String::from_utf8_lossy(&local_name)
            ));
        }
        let start = entry.offset;
        let end = entry.offset + 30 + name_len as u64 + extra_len + entry.compressed;
        if end > dir_offset {
            flag("has data running into the central directory".into());
        }
        ranges.push((start, end, entry.name.clone()));
    }
    ranges.sort();
    for pair in ranges.windows(2) {
        if pair[1].0 < pair[0].1 {
            structure.overlapping = true;
            structure.tampered.push(Tampered {
                path: pair[1].2.clone(),
                problem: format!("shares its data with {} (overlapping entries)", pair[0].2),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pack_never_writes_are_problems() {
        for bad in [
            "",
            "/etc/passwd",
            "C:/x",
            "a/../b",
            "./a",
            "a\\b",
            "a\u{1b}[2K",
        ] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        for good in ["MANIFEST.sha256", "evidence/a b.pdf", "政策/方针.md"] {
            assert_eq!(name_problem(good), None, "{good:?}");
        }
    }
}
