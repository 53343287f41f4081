//! `verify` against forged packs: archives built byte by byte the way an attacker would (the
//! zip library refuses to write most of them), each of which an earlier `verify` either called
//! intact or could not finish. Every one must be NOT intact (exit 1), quickly.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const BASIC: &str = "tests/fixtures/pack-basic";

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// One stored entry of a hand-made zip.
#[derive(Clone)]
struct Raw {
    name: String,
    data: Vec<u8>,
    /// Unix mode in the external attributes (`0o120777` makes a symbolic link).
    mode: u32,
    /// A different name in the local header than in the central directory.
    local_name: Option<String>,
    /// Point the central record at the local header of this earlier entry (overlap).
    same_data_as: Option<usize>,
}

impl Raw {
    fn new(name: &str, data: &[u8]) -> Raw {
        Raw {
            name: name.into(),
            data: data.to_vec(),
            mode: 0o100644,
            local_name: None,
            same_data_as: None,
        }
    }
}

/// Writes stored entries, their central directory and the end record, as zip tools do.
fn write_zip(path: &Path, entries: &[Raw]) {
    let mut out = Vec::new();
    let mut central = Vec::new();
    let mut offsets = Vec::new();
    for entry in entries {
        let crc = crc32(&entry.data);
        let offset = match entry.same_data_as {
            Some(i) => offsets[i],
            None => {
                let offset = out.len() as u32;
                let local = entry.local_name.as_deref().unwrap_or(&entry.name);
                out.extend(0x0403_4b50u32.to_le_bytes());
                out.extend(20u16.to_le_bytes());
                out.extend([0u8; 4]); // flags, method (stored)
                out.extend([0u8; 4]); // time, date
                out.extend(crc.to_le_bytes());
                out.extend((entry.data.len() as u32).to_le_bytes());
                out.extend((entry.data.len() as u32).to_le_bytes());
                out.extend((local.len() as u16).to_le_bytes());
                out.extend(0u16.to_le_bytes());
                out.extend(local.as_bytes());
                out.extend(&entry.data);
                offset
            }
        };
        offsets.push(offset);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend([20u8, 3]); // made by: unix
        central.extend(20u16.to_le_bytes());
        central.extend([0u8; 4]);
        central.extend([0u8; 4]);
        central.extend(crc.to_le_bytes());
        central.extend((entry.data.len() as u32).to_le_bytes());
        central.extend((entry.data.len() as u32).to_le_bytes());
        central.extend((entry.name.len() as u16).to_le_bytes());
        central.extend([0u8; 6]); // extra, comment, disk
        central.extend([0u8; 2]); // internal attributes
        central.extend((entry.mode << 16).to_le_bytes());
        central.extend(offset.to_le_bytes());
        central.extend(entry.name.as_bytes());
    }
    let dir_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(dir_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    fs::write(path, out).unwrap();
}

/// The files of a genuine stage 1 pack of the basic fixture, sorted by path.
fn genuine(dir: &Path) -> Vec<Raw> {
    let pack = dir.join("genuine");
    let status = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "pack",
            BASIC,
            "--stage",
            "1",
            "--as-of",
            "2026-11-23",
            "-q",
            "-o",
        ])
        .arg(&pack)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let mut files = Vec::new();
    let mut stack = vec![pack.clone()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(&pack)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push(Raw::new(&rel, &fs::read(&path).unwrap()));
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn verify(pack: &Path) -> (Option<i32>, String, Duration) {
    let start = Instant::now();
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args(["verify", "--format", "json"])
        .arg(pack)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        start.elapsed(),
    )
}

fn not_intact(pack: &Path, problem: &str) {
    let (code, text, took) = verify(pack);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(problem), "expected {problem:?}:\n{text}");
    assert!(took < Duration::from_secs(30), "took {took:?}");
}

#[test]
fn the_genuine_rebuilt_archive_is_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("p.zip");
    write_zip(&zip, &genuine(tmp.path()));
    let (code, text, _) = verify(&zip);
    assert_eq!(code, Some(0), "{text}");
}

/// The reported attack: a forged manifest and doctored file first, the genuine entries after.
#[test]
fn forged_entries_before_the_genuine_ones_are_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let files = genuine(tmp.path());
    let doc = files
        .iter()
        .find(|f| f.name.ends_with(".md") && f.name.contains('/'))
        .unwrap();
    let doctored = b"---\nid: POL-001\n---\nDoctored.\n".to_vec();
    let genuine_manifest = files.iter().find(|f| f.name == "MANIFEST.sha256").unwrap();
    let hash = {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(&doctored);
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let forged_manifest = String::from_utf8(genuine_manifest.data.clone())
        .unwrap()
        .lines()
        .map(|line| {
            if line.ends_with(&format!("  {}", doc.name)) {
                format!("{hash}  {}", doc.name)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let mut entries = vec![
        Raw::new("MANIFEST.sha256", forged_manifest.as_bytes()),
        Raw::new(&doc.name, &doctored),
    ];
    entries.extend(files.iter().cloned());
    let zip = tmp.path().join("forged.zip");
    write_zip(&zip, &entries);
    not_intact(&zip, "more than once");
    // And the genuine entries first, the forged ones after.
    entries.rotate_left(2);
    write_zip(&zip, &entries);
    not_intact(&zip, "more than once");
}

#[test]
fn names_links_folders_and_headers_pack_never_writes_are_tampering() {
    let tmp = tempfile::tempdir().unwrap();
    let files = genuine(tmp.path());
    let link = Raw {
        mode: 0o120777,
        ..Raw::new("evidence/link", b"/etc/passwd")
    };
    let other_name = Raw {
        local_name: Some("evidence/zzz.txt".into()),
        ..Raw::new("evidence/aaa.txt", b"x")
    };
    for (extra, problem) in [
        (Raw::new("/etc/cron.d/x", b"x"), "absolute path"),
        (Raw::new("evidence/../../x", b"x"), "`..`"),
        (Raw::new("evidence\\x.txt", b"x"), "backslash"),
        (Raw::new("evidence/\u{1b}[2Kx", b"x"), "control characters"),
        (link, "symbolic link"),
        (
            Raw::new("evidence/folder/", b"hidden data"),
            "folder entry that carries data",
        ),
        (other_name, "local header naming another file"),
    ] {
        let mut entries = files.clone();
        entries.push(extra);
        let zip = tmp.path().join("t.zip");
        write_zip(&zip, &entries);
        not_intact(&zip, problem);
    }
}

/// Entries sharing one stretch of data (the construction of a small file that inflates to
/// gigabytes) are reported without inflating anything.
#[test]
fn overlapping_entries_are_tampering_and_never_inflated() {
    let tmp = tempfile::tempdir().unwrap();
    let mut entries = genuine(tmp.path());
    let first = entries.len();
    entries.push(Raw::new("evidence/a.bin", &vec![0u8; 4096]));
    for i in 0..2000 {
        entries.push(Raw {
            same_data_as: Some(first),
            ..Raw::new(&format!("evidence/copy-{i:04}.bin"), &vec![0u8; 4096])
        });
    }
    let zip = tmp.path().join("bomb.zip");
    write_zip(&zip, &entries);
    not_intact(&zip, "overlapping entries");
}

/// A directory pack holding a FIFO is reported, not read (reading it would block forever).
#[cfg(unix)]
#[test]
fn a_fifo_in_a_directory_pack_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    genuine(tmp.path());
    let pack: PathBuf = tmp.path().join("genuine");
    // A listed file replaced by a FIFO, and an extra one.
    let listed = pack.join("index.md");
    fs::remove_file(&listed).unwrap();
    for fifo in [listed, pack.join("evidence-pipe")] {
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
    }
    not_intact(&pack, "not a regular file");
}
