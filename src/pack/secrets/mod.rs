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

mod rules;

use std::io::{self, Read};

/// One suspected secret: which rule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Index of the rule in `rules.toml`.
    rule: u16,
    /// Byte offset in the (decoded) stream.
    pub offset: u64,
    /// 1-based line, once [`locate`] has run (0 before).
    pub line: u64,
}

impl Finding {
    /// The rule's id (`github-pat`, `generic-credential`, ...).
    pub fn rule_id(&self) -> &'static str {
        &rules::rules().rules[self.rule as usize].id
    }

    /// What the secret looks like, as a noun phrase ("a GitHub personal access token").
    pub fn describe(&self) -> String {
        rules::rules().rules[self.rule as usize].description.clone()
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
        self.findings.sort_by_key(|f| (f.offset, f.rule));
        self.findings
    }

    /// Scans `text`, found at `offset` in the stream (whole lines, or a window of an overlong
    /// line); only matches starting before `accept_below` count (the others are rescanned
    /// with the next window).
    fn scan(&mut self, text: &[u8], offset: u64, accept_below: usize) {
        let mut hits = Vec::new();
        rules::rules().scan(text, &mut hits);
        hits.retain(|h| h.start < accept_below);
        hits.sort_by_key(|h| (h.start, h.rule));
        hits.dedup_by_key(|h| h.start);
        for hit in hits {
            if self.findings.len() >= MAX_FINDINGS {
                break;
            }
            self.findings.push(Finding {
                rule: hit.rule,
                offset: offset + hit.start as u64,
                line: 0,
            });
        }
    }
}

/// Sets the line of each finding by reading the stream again (only done when there are
/// findings), then keeps one finding per line and kind.
pub fn locate(reader: &mut impl Read, findings: &mut Vec<Finding>) -> io::Result<()> {
    findings.sort_by_key(|f| (f.offset, f.rule));
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
        let mut found = s.finish();
        locate(&mut text.as_bytes(), &mut found).unwrap();
        found
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
            let mut found = s.finish();
            locate(&mut text.as_bytes(), &mut found).unwrap();
            let found: Vec<_> = found.into_iter().map(|f| (f.rule_id(), f.line)).collect();
            assert_eq!(
                found,
                vec![("generic-credential", 3), ("private-key", 4)],
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
