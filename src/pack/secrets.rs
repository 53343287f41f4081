//! The secret scanner run over every file going into an audit pack: PEM private keys,
//! password-style assignments and well-known cloud and service tokens. It streams (a file is
//! fed chunk by chunk, never held whole) and reports each finding with its line.
//!
//! The aim is to stop obvious credentials from being shipped to an external auditor by
//! accident, not to be a complete secret scanner: the patterns are few, specific and cheap.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::io::{self, Read};
use std::sync::OnceLock;

/// What a finding looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretKind {
    PrivateKey,
    Password,
    AwsAccessKey,
    GoogleApiKey,
    GitHubToken,
    SlackToken,
    StripeKey,
}

impl SecretKind {
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::PrivateKey => "a PEM private key block",
            SecretKind::Password => "a password or secret assignment",
            SecretKind::AwsAccessKey => "an AWS access key id",
            SecretKind::GoogleApiKey => "a Google API key",
            SecretKind::GitHubToken => "a GitHub token",
            SecretKind::SlackToken => "a Slack token",
            SecretKind::StripeKey => "a Stripe secret key",
        }
    }
}

/// One suspected secret: what and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: SecretKind,
    /// Byte offset in the file.
    pub offset: u64,
    /// 1-based line, once [`locate`] has run (0 before).
    pub line: u64,
}

/// Anchors searched for; each hit is then confirmed by the checks below. Credential keywords
/// are searched in lower, upper and capitalised forms (`password`, `PASSWORD`, `Password`),
/// token prefixes exactly: one case-sensitive automaton keeps the SIMD prefilter, which
/// makes the scan cost little next to hashing.
const KEYWORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "private_key",
];
const PREFIXES: &[(&str, SecretKind)] = &[
    ("-----BEGIN ", SecretKind::PrivateKey),
    ("AKIA", SecretKind::AwsAccessKey),
    ("ASIA", SecretKind::AwsAccessKey),
    ("AIza", SecretKind::GoogleApiKey),
    ("ghp_", SecretKind::GitHubToken),
    ("gho_", SecretKind::GitHubToken),
    ("ghu_", SecretKind::GitHubToken),
    ("ghs_", SecretKind::GitHubToken),
    ("ghr_", SecretKind::GitHubToken),
    ("github_pat_", SecretKind::GitHubToken),
    ("xoxb-", SecretKind::SlackToken),
    ("xoxp-", SecretKind::SlackToken),
    ("xoxa-", SecretKind::SlackToken),
    ("xoxr-", SecretKind::SlackToken),
    ("xoxs-", SecretKind::SlackToken),
    ("sk_live_", SecretKind::StripeKey),
];

/// The automaton and, for each of its patterns, the token kind (`None`: a keyword).
struct Patterns {
    automaton: AhoCorasick,
    kinds: Vec<Option<SecretKind>>,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut texts: Vec<String> = Vec::new();
        let mut kinds = Vec::new();
        for (prefix, kind) in PREFIXES {
            texts.push(prefix.to_string());
            kinds.push(Some(*kind));
        }
        for keyword in KEYWORDS {
            let mut capitalised = keyword.to_string();
            capitalised[..1].make_ascii_uppercase();
            for form in [
                keyword.to_string(),
                keyword.to_ascii_uppercase(),
                capitalised,
            ] {
                if !texts.contains(&form) {
                    texts.push(form);
                    kinds.push(None);
                }
            }
        }
        Patterns {
            automaton: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&texts)
                .expect("fixed patterns build"),
            kinds,
        }
    })
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
}

impl Scanner {
    pub fn new() -> Self {
        Scanner::default()
    }

    pub fn feed(&mut self, chunk: &[u8]) {
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

    /// Scans what is left and returns the findings in stream order, lines not yet known
    /// (see [`locate`]).
    pub fn finish(mut self) -> Vec<Finding> {
        let carry = std::mem::take(&mut self.carry);
        self.scan(&carry, self.carry_offset, carry.len());
        self.findings.sort_by_key(|f| (f.offset, f.kind));
        self.findings
    }

    /// Scans `text`, found at `offset` in the stream (whole lines, or a window of an overlong
    /// line); only matches starting before `accept_below` count (the others are rescanned
    /// with the next window).
    fn scan(&mut self, text: &[u8], offset: u64, accept_below: usize) {
        let patterns = patterns();
        for m in patterns.automaton.find_iter(text) {
            let (start, end) = (m.start(), m.end());
            let kind = patterns.kinds[m.pattern().as_usize()];
            if start >= accept_below || self.findings.len() >= MAX_FINDINGS {
                continue;
            }
            let confirmed = match kind {
                Some(kind) => confirm_prefix(kind, text, start, end),
                None => confirm_assignment(text, end).then_some(SecretKind::Password),
            };
            if let Some(kind) = confirmed {
                self.findings.push(Finding {
                    kind,
                    offset: offset + start as u64,
                    line: 0,
                });
            }
        }
    }
}

/// Sets the line of each finding by reading the stream again (only done when there are
/// findings), then keeps one finding per line and kind.
pub fn locate(reader: &mut impl Read, findings: &mut Vec<Finding>) -> io::Result<()> {
    findings.sort_by_key(|f| (f.offset, f.kind));
    let mut buf = vec![0u8; super::manifest::CHUNK];
    let mut newlines = 0u64;
    let mut at = 0u64;
    let mut next = 0;
    while next < findings.len() {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let end = at + n as u64;
        while next < findings.len() && findings[next].offset < end {
            let upto = (findings[next].offset - at) as usize;
            findings[next].line = newlines + count_newlines(&buf[..upto]) + 1;
            next += 1;
        }
        newlines += count_newlines(&buf[..n]);
        at = end;
    }
    findings.sort_by_key(|f| (f.line, f.kind));
    findings.dedup_by_key(|f| (f.line, f.kind));
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

/// The rest of the line from `from` (without the newline).
fn line_from(text: &[u8], from: usize) -> &[u8] {
    let rest = &text[from.min(text.len())..];
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    &rest[..end]
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Confirms a token prefix: the right characters follow, and the token is a whole word.
fn confirm_prefix(kind: SecretKind, text: &[u8], start: usize, end: usize) -> Option<SecretKind> {
    if start > 0 && is_word(text[start - 1]) && kind != SecretKind::PrivateKey {
        return None;
    }
    let rest = line_from(text, end);
    let run = |allowed: fn(u8) -> bool| rest.iter().take_while(|&&b| allowed(b)).count();
    let ok = match kind {
        SecretKind::PrivateKey => {
            // `-----BEGIN RSA PRIVATE KEY-----`, `-----BEGIN PGP PRIVATE KEY BLOCK-----`...
            let header = rest.split(|&b| b == b'-').next().unwrap_or(&[]);
            let dashes = &rest[header.len()..];
            header.windows(11).any(|w| w == b"PRIVATE KEY") && dashes.starts_with(b"-----")
        }
        SecretKind::AwsAccessKey => {
            let n = run(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            n == 16 && rest.get(16).is_none_or(|&b| !is_word(b))
        }
        SecretKind::GoogleApiKey => {
            run(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') == 35
        }
        SecretKind::GitHubToken => run(|b| b.is_ascii_alphanumeric() || b == b'_') >= 22,
        SecretKind::SlackToken => run(|b| b.is_ascii_alphanumeric() || b == b'-') >= 10,
        SecretKind::StripeKey => run(|b| b.is_ascii_alphanumeric()) >= 16,
        SecretKind::Password => false,
    };
    ok.then_some(kind)
}

/// Values that are clearly not secrets.
const NOT_SECRETS: &[&str] = &[
    "true", "false", "yes", "no", "null", "none", "nil", "required", "optional", "redacted",
    "changeit", "example", "n/a",
];

/// Confirms `KEY = value` / `KEY: value` where KEY ends with a credential keyword, and the
/// value looks like a credential: a single token of at least four characters, not a
/// placeholder (`<...>`, `${VAR}`, `{{ var }}`, `****`), not prose (more words after it).
fn confirm_assignment(text: &[u8], end: usize) -> bool {
    // The keyword ends the key (`DB_PASSWORD`, `client_secret`), so a separator follows it
    // at once, after an optional closing quote (`"password": ...`); `password_policy` is not.
    let line = line_from(text, end);
    let mut i = 0;
    if matches!(line.first(), Some(b'"' | b'\'')) {
        i += 1;
    }
    while line.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    match line.get(i) {
        Some(b'=') => i += 1,
        Some(b':') => {
            i += 1;
            if line.get(i) == Some(&b'=') {
                i += 1;
            }
        }
        _ => return false,
    }
    // Not `==` comparisons or `=>` arrows.
    if matches!(line.get(i), Some(b'=' | b'>')) {
        return false;
    }
    while line.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    let value_and_rest = &line[i.min(line.len())..];
    let (value, rest) = match value_and_rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let inner = &value_and_rest[1..];
            match inner.iter().position(|&b| b == q) {
                Some(close) => (&inner[..close], &inner[close + 1..]),
                None => return false,
            }
        }
        _ => {
            let n = value_and_rest
                .iter()
                .position(|&b| matches!(b, b' ' | b'\t' | b'\r' | b';' | b',' | b'&' | b'|'))
                .unwrap_or(value_and_rest.len());
            (&value_and_rest[..n], &value_and_rest[n..])
        }
    };
    if value.len() < 4 || value.iter().any(|&b| b == b' ' || b == b'\t') {
        return false;
    }
    // More words after the value: prose (`Password: at least 12 characters`).
    let rest = rest.trim_ascii_start();
    let structured = rest.is_empty()
        || matches!(rest[0], b';' | b',' | b'&' | b'|' | b'#' | b'}' | b')')
        || rest.starts_with(b"//");
    if !structured {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if NOT_SECRETS.iter().any(|s| lower == s.as_bytes()) {
        return false;
    }
    let placeholder = matches!(value[0], b'<' | b'$' | b'{' | b'%' | b'[')
        || value
            .iter()
            .all(|b| matches!(b, b'*' | b'x' | b'X' | b'.' | b'-' | b'_' | b'#' | b'?'))
        || lower.starts_with(b"env(")
        || lower.starts_with(b"vault:");
    !placeholder
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Finding> {
        let mut s = Scanner::new();
        s.feed(text.as_bytes());
        let mut found = s.finish();
        locate(&mut text.as_bytes(), &mut found).unwrap();
        found
    }

    fn kinds(text: &str) -> Vec<(SecretKind, u64)> {
        scan(text).into_iter().map(|f| (f.kind, f.line)).collect()
    }

    #[test]
    fn finds_pem_private_keys() {
        let text =
            "notes\n-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(kinds(text), vec![(SecretKind::PrivateKey, 2)]);
        assert_eq!(
            kinds("-----BEGIN OPENSSH PRIVATE KEY-----\n"),
            vec![(SecretKind::PrivateKey, 1)]
        );
        assert_eq!(
            kinds("-----BEGIN PGP PRIVATE KEY BLOCK-----\n"),
            vec![(SecretKind::PrivateKey, 1)]
        );
        // Certificates and public keys are not secrets.
        assert!(kinds("-----BEGIN CERTIFICATE-----\n-----BEGIN PUBLIC KEY-----\n").is_empty());
    }

    #[test]
    fn finds_password_assignments() {
        for text in [
            "password=hunter22",
            "DB_PASSWORD=s3cr3t!",
            "password: \"correct-horse\"",
            "  passwd : letmein1",
            "Server=db;Uid=app;Pwd=Tr0ub4dor;",
            "client_secret = 'abcd1234efgh'",
            "\"api_key\": \"k-123456789\",",
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG",
        ] {
            assert_eq!(
                kinds(text),
                vec![(SecretKind::Password, 1)],
                "should flag: {text}"
            );
        }
    }

    #[test]
    fn ignores_prose_and_placeholders() {
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
        ] {
            assert!(kinds(text).is_empty(), "should not flag: {text}");
        }
    }

    #[test]
    fn finds_cloud_and_service_tokens() {
        assert_eq!(
            kinds("aws_access_key_id AKIAIOSFODNN7EXAMPLE\n"),
            vec![(SecretKind::AwsAccessKey, 1)]
        );
        assert!(kinds("AKIAIOSFODNN7EXAMPL").is_empty(), "15 characters");
        assert!(kinds("XAKIAIOSFODNN7EXAMPLE").is_empty(), "inside a word");
        assert!(kinds("AKIAIOSFODNN7EXAMPLEX").is_empty(), "17 characters");
        assert_eq!(
            kinds("key AIzaSyA1234567890abcdefghijklmnopqrstuv"),
            vec![(SecretKind::GoogleApiKey, 1)]
        );
        assert_eq!(
            kinds(&format!("ghp_{}", "a".repeat(36))),
            vec![(SecretKind::GitHubToken, 1)]
        );
        assert_eq!(
            kinds("xoxb-1234567890-abcdef"),
            vec![(SecretKind::SlackToken, 1)]
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
            let mut found = s.finish();
            locate(&mut text.as_bytes(), &mut found).unwrap();
            let found: Vec<_> = found.into_iter().map(|f| (f.kind, f.line)).collect();
            assert_eq!(
                found,
                vec![(SecretKind::Password, 3), (SecretKind::PrivateKey, 4)],
                "chunk size {size}"
            );
        }
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
        let mut data = vec![b'x'; MAX_CARRY * 3];
        let at = MAX_CARRY + 10;
        data[at..at + 20].copy_from_slice(b" AKIAIOSFODNN7EXAMPL");
        data[at + 20] = b'E';
        data[at + 21] = b' ';
        let mut s = Scanner::new();
        for chunk in data.chunks(4096) {
            s.feed(chunk);
        }
        let mut found = s.finish();
        locate(&mut data.as_slice(), &mut found).unwrap();
        assert_eq!(
            found,
            vec![Finding {
                kind: SecretKind::AwsAccessKey,
                offset: at as u64 + 1,
                line: 1
            }]
        );
    }
}
