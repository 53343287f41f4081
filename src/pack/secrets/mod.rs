//! The secret scanner run over every file going into an audit pack. Its rules are data
//! (`rules.toml`): high-precision provider rules taken from gitleaks' default configuration
//! (PEM private keys, AWS, GitHub, GitLab, Slack, Stripe, Google, JWT, npm, PyPI, SendGrid,
//! Twilio, ...) and one generic assignment rule (`password=`, `secret:`, `api_key`) whose value
//! must look like a credential (entropy, length, character classes, not words). A keyword
//! prefilter (one aho-corasick pass) decides which lines the rules' regexes run on.
//!
//! It streams (a file is fed chunk by chunk, never held whole) and reports each finding with
//! its line. The false-positive corpus (`ordinary.txt`) and the true secrets in `corpus.rs`
//! measure it.

mod container;
mod encoding;
mod rules;

use encoding::{Text, Utf16};
use std::io::{self, Read, Seek};

/// One suspected secret: which rule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in `rules.toml`.
    rule: u16,
    /// Byte offset in the (decoded) stream.
    pub offset: u64,
    /// 1-based line, once located (0 before).
    pub line: u64,
    /// Found in a base64 run, once decoded.
    pub encoded: bool,
    /// Inside a container: the entry (`word/document.xml`, `inner.zip!notes.txt`, `obj 12`);
    /// the line is then the line of the entry's text.
    pub entry: Option<String>,
}

impl Finding {
    /// The rule's id (`github-pat`, `generic-credential`, ...).
    pub fn rule_id(&self) -> &'static str {
        &rules::rules().rules[self.rule as usize].id
    }

    /// What the secret looks like, as a noun phrase ("a GitHub personal access token").
    pub fn describe(&self) -> String {
        let what = &rules::rules().rules[self.rule as usize].description;
        if self.encoded {
            format!("{what}, base64-encoded")
        } else {
            what.clone()
        }
    }

    fn generic(&self) -> bool {
        rules::rules().rules[self.rule as usize].generic
    }
}

/// At most this many findings are kept per file: enough to point at the problem.
const MAX_FINDINGS: usize = 20;
/// A line longer than this (minified data, binary files) is scanned in windows.
const MAX_CARRY: usize = 64 * 1024;
/// Bytes kept between windows of an overlong line, so a secret across the cut is found.
const OVERLAP: usize = 512;

/// Scans a stream fed in chunks of any size. Lines are scanned whole when they end in the
/// chunk; the unfinished last line is carried to the next chunk. Findings carry their byte
/// offset; [`locate`] turns offsets into lines afterwards, so the common case (no finding)
/// never counts lines.
#[derive(Default)]
pub struct Scanner {
    carry: Vec<u8>,
    /// Offset in the stream of `carry[0]`.
    carry_offset: u64,
    findings: Vec<Finding>,
    /// The first bytes, kept until the encoding is decided.
    head: Vec<u8>,
    text: Text,
    utf16: Utf16,
    /// Reused buffer for decoded UTF-16.
    decoded: Vec<u8>,
    /// The stream is binary (NUL bytes in its first bytes, not UTF-16): base64 runs are not
    /// looked for, since random bytes are full of short ones and none decodes to a text.
    binary: bool,
}

impl Scanner {
    pub fn new() -> Self {
        Scanner::default()
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        if self.text == Text::Undecided {
            self.head.extend_from_slice(chunk);
            if self.head.len() >= encoding::HEAD {
                self.decide();
            }
            return;
        }
        self.feed_decoded(chunk);
    }

    /// Decides how to read the stream from its first bytes, and scans them.
    fn decide(&mut self) {
        self.text = encoding::detect(&self.head);
        self.binary = self.text == Text::Bytes && self.head.contains(&0);
        self.utf16 = Utf16::new(self.text);
        let head = std::mem::take(&mut self.head);
        self.feed_decoded(&head);
        self.head = head;
        self.head.truncate(encoding::HEAD);
    }

    fn feed_decoded(&mut self, chunk: &[u8]) {
        if self.text == Text::Bytes {
            return self.feed_text(chunk);
        }
        let mut decoded = std::mem::take(&mut self.decoded);
        decoded.clear();
        self.utf16.decode(chunk, &mut decoded);
        self.feed_text(&decoded);
        self.decoded = decoded;
    }

    /// Feeds text (decoded if need be), line by line.
    fn feed_text(&mut self, chunk: &[u8]) {
        if self.findings.len() >= MAX_FINDINGS || chunk.is_empty() {
            return;
        }
        let Some(last_newline) = chunk.iter().rposition(|&b| b == b'\n') else {
            self.carry.extend_from_slice(chunk);
            if self.carry.len() > MAX_CARRY {
                // An overlong line: scan all but an overlap, which the next window rescans.
                let carry = std::mem::take(&mut self.carry);
                let keep_from = carry.len() - OVERLAP;
                self.scan(&carry, self.carry_offset, keep_from);
                self.carry = carry[keep_from..].to_vec();
                self.carry_offset += keep_from as u64;
            }
            return;
        };
        let (complete, rest) = chunk.split_at(last_newline + 1);
        // Offset of `chunk[0]` in the stream.
        let chunk_offset = self.carry_offset + self.carry.len() as u64;
        let (body, body_offset) = if self.carry.is_empty() {
            (complete, chunk_offset)
        } else {
            // Join the carried start of a line with its end, then scan the rest in place.
            let first_newline = complete.iter().position(|&b| b == b'\n').unwrap_or(0);
            let mut joined = std::mem::take(&mut self.carry);
            joined.extend_from_slice(&complete[..=first_newline]);
            self.scan(&joined, self.carry_offset, joined.len());
            (
                &complete[first_newline + 1..],
                chunk_offset + first_newline as u64 + 1,
            )
        };
        self.scan(body, body_offset, body.len());
        self.carry.clear();
        self.carry.extend_from_slice(rest);
        self.carry_offset = chunk_offset + complete.len() as u64;
    }

    /// Scans what is left and returns the findings in stream order, lines not yet known.
    pub fn finish(mut self) -> Vec<Finding> {
        self.finish_stream();
        self.findings
    }

    /// Scans what is left of the stream; then, when something was found, reads `source`
    /// again (from its start) to give each finding its line.
    /// A zip-based file (docx, xlsx, zip...) or a PDF is then also scanned inside, within
    /// bounds (see `container.rs`).
    pub fn finish_file<R: Read + Seek>(self, source: &mut R) -> io::Result<Vec<Finding>> {
        let kind = container::detect(&self.head);
        let mut findings = self.finish_located(source)?;
        if let Some(kind) = kind
            && findings.len() < MAX_FINDINGS
        {
            source.seek(io::SeekFrom::Start(0))?;
            container::scan(kind, source, &mut container::Budget::new(), &mut findings)?;
        }
        Ok(findings)
    }

    /// [`Scanner::finish_file`] without looking inside containers.
    fn finish_located<R: Read + Seek>(mut self, source: &mut R) -> io::Result<Vec<Finding>> {
        self.finish_stream();
        let mut findings = std::mem::take(&mut self.findings);
        if !findings.is_empty() {
            source.seek(io::SeekFrom::Start(0))?;
            locate(source, &mut findings, self.text)?;
        }
        Ok(findings)
    }

    fn finish_stream(&mut self) {
        if self.text == Text::Undecided {
            self.decide();
        }
        let carry = std::mem::take(&mut self.carry);
        self.scan(&carry, self.carry_offset, carry.len());
        self.findings.sort_by_key(|f| (f.offset, f.rule));
    }

    /// Scans `text`, found at `offset` in the stream (whole lines, or a window of an overlong
    /// line); only matches starting before `accept_below` count (the others are rescanned
    /// with the next window).
    fn scan(&mut self, text: &[u8], offset: u64, accept_below: usize) {
        let rules = rules::rules();
        let mut hits = Vec::new();
        rules.scan(text, &mut hits);
        let direct = hits.len();
        // Base64 runs, decoded once: a hit inside counts at the run's start.
        let searched = if self.binary {
            0
        } else {
            accept_below.min(text.len())
        };
        encoding::base64_runs(&text[..searched], |start, end| {
            if let Some(decoded) = encoding::decode_base64(&text[start..end]) {
                let before = hits.len();
                rules.scan(&decoded, &mut hits);
                for hit in &mut hits[before..] {
                    hit.start = start;
                }
            }
        });
        for (i, hit) in hits.iter().enumerate() {
            if hit.start >= accept_below || self.findings.len() >= MAX_FINDINGS {
                continue;
            }
            let offset = offset + hit.start as u64;
            if self.findings.iter().any(|f| f.offset == offset) {
                continue;
            }
            self.findings.push(Finding {
                rule: hit.rule,
                offset,
                line: 0,
                encoded: i >= direct,
                entry: None,
            });
        }
    }
}

/// Sets the line of each finding by reading the stream again, decoded as it was scanned
/// (only done when there are findings), then keeps one finding per line.
fn locate(reader: &mut impl Read, findings: &mut Vec<Finding>, text: Text) -> io::Result<()> {
    findings.sort_by_key(|f| (f.offset, f.rule));
    let mut raw = vec![0u8; super::manifest::CHUNK];
    let mut utf16 = Utf16::new(text);
    let mut decoded = Vec::new();
    let mut newlines = 0u64;
    let mut at = 0u64;
    let mut next = 0;
    while next < findings.len() {
        let n = match reader.read(&mut raw) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let buf = if text == Text::Bytes {
            &raw[..n]
        } else {
            decoded.clear();
            utf16.decode(&raw[..n], &mut decoded);
            &decoded[..]
        };
        let n = buf.len();
        let end = at + n as u64;
        while next < findings.len() && findings[next].offset < end {
            let upto = (findings[next].offset - at) as usize;
            findings[next].line = newlines + count_newlines(&buf[..upto]) + 1;
            next += 1;
        }
        newlines += count_newlines(&buf[..n]);
        at = end;
    }
    // One finding a line: a provider rule's rather than the generic rule's
    // (`GITHUB_TOKEN=ghp_...` is a GitHub token).
    findings.sort_by_key(|f| (f.line, f.generic(), f.offset));
    findings.dedup_by_key(|f| f.line);
    Ok(())
}

/// Counts `\n` in blocks whose per-lane byte counters cannot overflow (255 rounds of 32
/// lanes), a shape the compiler turns into SIMD compares: this runs over every packed byte.
fn count_newlines(bytes: &[u8]) -> u64 {
    const LANES: usize = 32;
    let mut total = 0u64;
    for block in bytes.chunks(255 * LANES) {
        let mut counters = [0u8; LANES];
        let mut lanes = block.chunks_exact(LANES);
        for lane in &mut lanes {
            for (counter, &b) in counters.iter_mut().zip(lane) {
                *counter += u8::from(b == b'\n');
            }
        }
        total += counters.iter().map(|&c| u64::from(c)).sum::<u64>();
        total += lanes.remainder().iter().filter(|&&b| b == b'\n').count() as u64;
    }
    total
}

#[cfg(test)]
mod corpus;

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Finding> {
        let mut s = Scanner::new();
        s.feed(text.as_bytes());
        s.finish_file(&mut io::Cursor::new(text)).unwrap()
    }

    fn kinds(text: &str) -> Vec<(&'static str, u64)> {
        scan(text)
            .into_iter()
            .map(|f| (f.rule_id(), f.line))
            .collect()
    }

    /// A made-up token: `prefix` then `body`, joined here so this file holds no token.
    fn token(prefix: &str, body: &str) -> String {
        format!("{prefix}{body}")
    }

    #[test]
    fn finds_pem_private_keys() {
        let text =
            "notes\n-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(kinds(text), vec![("private-key", 2)]);
        assert_eq!(
            kinds("-----BEGIN OPENSSH PRIVATE KEY-----\n"),
            vec![("private-key", 1)]
        );
        assert_eq!(
            kinds("-----BEGIN PGP PRIVATE KEY BLOCK-----\n"),
            vec![("private-key", 1)]
        );
        // Certificates and public keys are not secrets.
        assert!(kinds("-----BEGIN CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\n").is_empty());
    }

    #[test]
    fn finds_password_assignments() {
        for text in [
            "password=hunter22",
            "DB_PASSWORD=s3cr3t!x",
            "  passwd : letmein1",
            "Server=db;Uid=app;Pwd=Tr0ub4dor;",
            "client_secret = 'abcd1234efgh'",
            "\"api_key\": \"k-123456789\",",
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG",
            "$password = \"Xk9#mP2$vL7q\";",
            "<add key=\"token\" value=\"x\"/> token=8f14e45fceea167a",
        ] {
            assert_eq!(
                kinds(text),
                vec![("generic-credential", 1)],
                "should flag: {text}"
            );
        }
    }

    #[test]
    fn ignores_prose_placeholders_words_and_references() {
        for text in [
            "Password: at least 12 characters, changed every 90 days",
            "password_policy: strict",
            "passwords: managed in the vault",
            "password: ********",
            "password: <from the vault>",
            "password=${DB_PASSWORD}",
            "password: {{ vault.db }}",
            "password:",
            "password: yes",
            "secret: \"rotate every year\"",
            "if password == expected:",
            "token => value",
            "| Passwords | Stored in the password manager |",
            // Dictionary words and phrases (the brief's rule: not a credential).
            "password: \"correct-horse\"",
            "secret: Confidential",
            "Secret: TopSecret",
            "token: INC0012345",
        ] {
            assert!(kinds(text).is_empty(), "should not flag: {text}");
        }
    }

    #[test]
    fn finds_cloud_and_service_tokens() {
        let aws = token("AKIA", "3XSZJPHX53XOA66S");
        assert_eq!(
            kinds(&format!("aws_access_key_id {aws}\n")),
            vec![("aws-access-token", 1)]
        );
        assert!(kinds(&aws[..19]).is_empty(), "15 characters");
        assert!(kinds(&format!("X{aws}")).is_empty(), "inside a word");
        assert!(kinds(&format!("{aws}X")).is_empty(), "17 characters");
        // The AWS documentation's example key is allowed, as in gitleaks.
        assert!(kinds(&token("AKIA", "IOSFODNN7EXAMPLE")).is_empty());
        assert_eq!(
            kinds(&token("key AIza", "oNrEDzPZ8CmKhBdBXdH6qKWSiHG20FX0GQP")),
            vec![("gcp-api-key", 1)]
        );
        assert_eq!(
            kinds(&token("ghp_", "sJxXjhQ265TO5CD1kU8BpmjgIP6a1rn5o9XD")),
            vec![("github-pat", 1)]
        );
        // Low entropy: not a token (gitleaks' entropy 3 for GitHub tokens).
        assert!(kinds(&token("ghp_", &"a".repeat(36))).is_empty());
        assert_eq!(
            kinds(&token(
                "GITHUB_TOKEN=ghp_",
                "sJxXjhQ265TO5CD1kU8BpmjgIP6a1rn5o9XD"
            )),
            vec![("github-pat", 1)],
            "one finding a line, the provider's"
        );
        assert_eq!(
            kinds(&token(
                "xoxb-",
                "887131857177-084213203531-X1lSkf6wwNMWvwbMUMHu82g7"
            )),
            vec![("slack-bot-token", 1)]
        );
    }

    #[test]
    fn secrets_across_chunk_boundaries_are_found_with_their_line() {
        let text = "line one\nline two\npassword=hunter22\n-----BEGIN EC PRIVATE KEY-----\n";
        for size in [1, 2, 3, 5, 7, 64] {
            let mut s = Scanner::new();
            for chunk in text.as_bytes().chunks(size) {
                s.feed(chunk);
            }
            let found = s.finish_file(&mut io::Cursor::new(text)).unwrap();
            let found: Vec<_> = found.into_iter().map(|f| (f.rule_id(), f.line)).collect();
            assert_eq!(
                found,
                vec![("generic-credential", 3), ("private-key", 4)],
                "chunk size {size}"
            );
        }
    }

    #[test]
    fn utf16_files_are_decoded_with_their_lines() {
        let text = token(
            "notes\r\nmore notes\r\nGITHUB=ghp_",
            "sJxXjhQ265TO5CD1kU8BpmjgIP6a1rn5o9XD\r\n",
        );
        for bom in [true, false] {
            for big_endian in [false, true] {
                let mut bytes: Vec<u8> = Vec::new();
                if bom {
                    bytes.extend(if big_endian {
                        [0xFE, 0xFF]
                    } else {
                        [0xFF, 0xFE]
                    });
                }
                for unit in text.encode_utf16() {
                    bytes.extend(if big_endian {
                        unit.to_be_bytes()
                    } else {
                        unit.to_le_bytes()
                    });
                }
                for size in [1, 7, 4096] {
                    let mut s = Scanner::new();
                    for chunk in bytes.chunks(size) {
                        s.feed(chunk);
                    }
                    let found: Vec<_> = s
                        .finish_file(&mut io::Cursor::new(&bytes))
                        .unwrap()
                        .into_iter()
                        .map(|f| (f.rule_id(), f.line))
                        .collect();
                    assert_eq!(
                        found,
                        vec![("github-pat", 3)],
                        "bom {bom} be {big_endian} size {size}"
                    );
                }
            }
        }
    }

    #[test]
    fn base64_runs_are_decoded_once_and_rescanned() {
        // `password=hunter22` and a GitHub token, base64-encoded.
        let encoded = "line\nconfig: cGFzc3dvcmQ9aHVudGVyMjI=\n";
        let found = scan(encoded);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].rule_id(), found[0].line),
            ("generic-credential", 2)
        );
        assert!(found[0].describe().ends_with("base64-encoded"));
        let token = token("ghp_", "sJxXjhQ265TO5CD1kU8BpmjgIP6a1rn5o9XD");
        let b64 = base64_of(token.as_bytes());
        assert_eq!(kinds(&format!("x = {b64}\n")), vec![("github-pat", 1)]);
        // Encoded twice: decoded once only.
        let twice = base64_of(b64.as_bytes());
        assert!(kinds(&twice).is_empty());
        // Base64 of ordinary text is still ordinary.
        let ordinary = base64_of(b"secret: Confidential; password: see the vault");
        assert!(kinds(&ordinary).is_empty());
    }

    fn base64_of(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for group in bytes.chunks(3) {
            let n = group
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
            for i in 0..=group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        while !out.len().is_multiple_of(4) {
            out.push('=');
        }
        out
    }

    #[test]
    fn newlines_are_counted_exactly() {
        let mut data = vec![b'\n'; 255 * 32 * 3 + 17];
        data[5] = b'x';
        assert_eq!(count_newlines(&data), data.len() as u64 - 1);
        assert_eq!(count_newlines(b"a\nb\n"), 2);
        assert_eq!(count_newlines(b""), 0);
    }

    #[test]
    fn overlong_lines_are_scanned_in_windows() {
        let aws = token(" AKIA", "3XSZJPHX53XOA66S ");
        let mut data = vec![b'x'; MAX_CARRY * 3];
        // Across the first window's cut, and well inside the second window.
        for at in [MAX_CARRY + 4096 - 10, 2 * MAX_CARRY + 10] {
            data[at..at + aws.len()].copy_from_slice(aws.as_bytes());
        }
        let mut s = Scanner::new();
        for chunk in data.chunks(4096) {
            s.feed(chunk);
        }
        let found = s.finish();
        let offsets: Vec<u64> = found.iter().map(|f| f.offset).collect();
        assert_eq!(
            offsets,
            vec![MAX_CARRY as u64 + 4096 - 9, 2 * MAX_CARRY as u64 + 11]
        );
    }
}
