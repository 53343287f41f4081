//! The pack's two manifests: `MANIFEST.sha256` in the text format of `sha256sum` (so
//! `sha256sum -c MANIFEST.sha256` checks an unpacked pack with no iso20k at hand), and
//! `manifest.json`, which adds size, role, item ids and clauses for each file.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::{self, Read};

pub const MANIFEST_SHA256: &str = "MANIFEST.sha256";
pub const MANIFEST_JSON: &str = "manifest.json";

/// Read and hash in chunks of this size: memory stays flat whatever the file size.
pub const CHUNK: usize = 256 * 1024;

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Streams `reader` through SHA-256; returns the byte count and the hex digest.
pub fn hash_reader(reader: &mut impl Read, progress: &dyn Fn(u64)) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
        progress(n as u64);
    }
    Ok((size, hex(&hasher.finalize())))
}

/// `MANIFEST.sha256`: one `HASH  PATH` line per file, sorted by path (byte order). A path
/// holding a backslash or a line break is escaped the way GNU sha256sum does it: the line
/// starts with `\` and those characters are written `\\`, `\n`, `\r`.
pub fn sha256sum_text(entries: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::new();
    for (path, hash) in sorted {
        if path.contains(['\\', '\n', '\r']) {
            let escaped = path
                .replace('\\', "\\\\")
                .replace('\n', "\\n")
                .replace('\r', "\\r");
            out.push_str(&format!("\\{hash}  {escaped}\n"));
        } else {
            out.push_str(&format!("{hash}  {path}\n"));
        }
    }
    out
}

/// A line of `MANIFEST.sha256` that is not in sha256sum's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: usize,
    pub message: String,
}

/// Parses `MANIFEST.sha256` into (path, hash) pairs. Accepts text (`HASH  PATH`) and binary
/// (`HASH *PATH`) mode lines and GNU escapes; blank lines are ignored.
pub fn parse_sha256sum(text: &str) -> Result<Vec<(String, String)>, FormatError> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line_no = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        let bad = |message: &str| FormatError {
            line: line_no,
            message: message.to_string(),
        };
        let (escaped, line) = match raw.strip_prefix('\\') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        if line.len() < 66 || !line.is_char_boundary(64) {
            return Err(bad(
                "expected a 64-digit SHA-256 hash, two characters, a path",
            ));
        }
        let (hash, rest) = line.split_at(64);
        if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad("the hash is not 64 hexadecimal digits"));
        }
        let Some(path) = rest.strip_prefix("  ").or_else(|| rest.strip_prefix(" *")) else {
            return Err(bad(
                "the hash must be followed by two spaces (or ` *`) and a path",
            ));
        };
        if path.is_empty() {
            return Err(bad("the path is empty"));
        }
        let path = if escaped {
            unescape(path).ok_or_else(|| bad("bad escape sequence in the path"))?
        } else {
            path.to_string()
        };
        out.push((path, hash.to_ascii_lowercase()));
    }
    Ok(out)
}

fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            _ => return None,
        }
    }
    Some(out)
}

/// `manifest.json`: what is in the pack and why.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: Tool,
    pub stage: u8,
    pub as_of: String,
    pub root: String,
    pub organization: Option<String>,
    /// The audit period of a stage 2 pack (records dated within it are packed).
    pub period: Option<Period>,
    pub include_confidential: bool,
    /// Every file of the pack but the two manifests, sorted by path.
    pub files: Vec<FileEntry>,
    /// Items left out because they are confidential or restricted: id and title only.
    pub withheld: Vec<Withheld>,
    /// Files selected for the pack that were not copied, and why.
    pub not_copied: Vec<NotCopied>,
}

#[derive(Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// Path inside the pack: for a copied file, its path in the repository.
    pub path: String,
    pub size: u64,
    pub sha256: String,
    /// `document`, `records`, `evidence` or `generated`.
    pub role: &'static str,
    /// Ids of the items that brought the file into the pack.
    pub items: Vec<String>,
    /// Clauses those items address.
    pub clauses: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Withheld {
    pub id: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotCopied {
    pub path: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn sha256sum_format_is_sorted_and_round_trips() {
        let entries = vec![
            ("index.html".to_string(), H.to_string()),
            ("MANIFEST-x".to_string(), H.to_string()),
            ("files/a b.txt".to_string(), H.to_string()),
            ("files/odd\\name\nx".to_string(), H.to_string()),
        ];
        let text = sha256sum_text(&entries);
        assert_eq!(
            text,
            format!(
                "{H}  MANIFEST-x\n{H}  files/a b.txt\n\\{H}  files/odd\\\\name\\nx\n{H}  index.html\n"
            )
        );
        let mut parsed = parse_sha256sum(&text).unwrap();
        parsed.sort();
        let mut expected = entries.clone();
        expected.sort();
        assert_eq!(parsed, expected);
    }

    #[test]
    fn parse_rejects_malformed_lines() {
        assert_eq!(parse_sha256sum("nothing here\n").unwrap_err().line, 1);
        let bad_hash = format!("{}  x\n", "g".repeat(64));
        assert!(parse_sha256sum(&bad_hash).is_err());
        assert!(parse_sha256sum(&format!("{H}x\n")).is_err());
        assert_eq!(
            parse_sha256sum(&format!("{H} *bin\n\n")).unwrap(),
            vec![("bin".to_string(), H.to_string())]
        );
    }

    #[test]
    fn hashing_streams() {
        let data = vec![7u8; CHUNK * 2 + 5];
        let (size, hash) = hash_reader(&mut data.as_slice(), &|_| {}).unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(hash, sha256_hex(&data));
        assert_eq!(sha256_hex(b""), H);
    }
}
