//! The rules (`rules.toml`, mostly gitleaks' provider rules) compiled once, the keyword
//! prefilter in front of them, and the checks a generic assignment's value must pass.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::Regex;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

const RULES_TOML: &str = include_str!("rules.toml");
const WORDS: &str = include_str!("words.txt");

#[derive(Deserialize)]
struct RulesFile {
    #[serde(default)]
    allow: Vec<String>,
    rules: Vec<RuleData>,
}

#[derive(Deserialize)]
struct RuleData {
    id: String,
    description: String,
    regex: String,
    #[serde(default)]
    entropy: Option<f64>,
    keywords: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    generic: bool,
}

/// One compiled rule.
pub struct Rule {
    pub id: String,
    pub description: String,
    regex: Regex,
    entropy: Option<f64>,
    allow: Vec<Regex>,
    /// The value must also pass [`Rules::looks_like_credential`] and not be followed by prose.
    pub generic: bool,
    /// The group named `rest` (what follows a generic value), which is not the secret.
    rest_group: Option<usize>,
}

/// Every rule, the keyword automaton, and which rules each automaton pattern starts.
pub struct Rules {
    pub rules: Vec<Rule>,
    allow: Vec<Regex>,
    keywords: AhoCorasick,
    /// The bits of the generic rules.
    generic: u64,
    /// For each automaton pattern, a bit set of the rules it starts.
    starts: Vec<u64>,
    words: HashSet<&'static str>,
}

pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| build(RULES_TOML).expect("the embedded rules.toml is valid"))
}

/// ASCII semantics (`\w`, `\b`, `(?i)`): tokens are ASCII, and it keeps the automata small.
fn compile(pattern: &str) -> Result<Regex, String> {
    regex::bytes::RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(32 << 20)
        .build()
        .map_err(|e| format!("{pattern}: {e}"))
}

fn build(toml_text: &str) -> Result<Rules, String> {
    let file: RulesFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
    if file.rules.len() > 64 {
        return Err("at most 64 rules (one bit each)".into());
    }
    let mut rules = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut starts: Vec<u64> = Vec::new();
    for (index, data) in file.rules.into_iter().enumerate() {
        for keyword in &data.keywords {
            let mut capitalised = keyword.to_ascii_lowercase();
            capitalised[..1].make_ascii_uppercase();
            for form in [
                keyword.clone(),
                keyword.to_ascii_lowercase(),
                keyword.to_ascii_uppercase(),
                capitalised,
            ] {
                match texts.iter().position(|t| *t == form) {
                    Some(at) => starts[at] |= 1 << index,
                    None => {
                        texts.push(form);
                        starts.push(1 << index);
                    }
                }
            }
        }
        let regex = compile(&data.regex)?;
        rules.push(Rule {
            rest_group: regex.capture_names().position(|n| n == Some("rest")),
            regex,
            allow: data
                .allow
                .iter()
                .map(|a| compile(a))
                .collect::<Result<_, _>>()?,
            id: data.id,
            description: data.description,
            entropy: data.entropy,
            generic: data.generic,
        });
    }
    // A DFA: overlapping search (every keyword, also inside another) is one table lookup a
    // byte, where the default automaton took most of a pack's time on binary evidence.
    let keywords = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&texts)
        .map_err(|e| e.to_string())?;
    let generic = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.generic)
        .fold(0u64, |bits, (i, _)| bits | 1 << i);
    Ok(Rules {
        generic,
        rules,
        allow: file
            .allow
            .iter()
            .map(|a| compile(a))
            .collect::<Result<_, _>>()?,
        keywords,
        starts,
        words: WORDS
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect(),
    })
}

/// A rule's match in a text: where the secret starts.
pub struct Hit {
    pub rule: u16,
    pub start: usize,
}

/// Long lines are handed to the rules in windows of three buckets (a token is shorter).
const BUCKET: usize = 2048;

impl Rules {
    /// Runs the prefilter over `text`, then every rule a keyword starts over the keyword's
    /// line (once per line and rule). Hits are in no particular order.
    pub fn scan(&self, text: &[u8], hits: &mut Vec<Hit>) {
        let mut line = usize::MAX;
        let mut done = 0u64;
        for m in self.keywords.find_overlapping_iter(text) {
            // The keyword's line; a long line in overlapping windows of 3 * BUCKET aligned
            // on BUCKET, so a run of keywords on one long line runs each rule once a bucket
            // (linear, not quadratic, in the line's length).
            let reach = m.start().saturating_sub(BUCKET);
            let line_start = text[reach..m.start()]
                .iter()
                .rposition(|&b| b == b'\n')
                .map(|p| reach + p + 1);
            let start = match line_start {
                Some(s) => s,
                None => (m.start() / BUCKET).saturating_sub(1) * BUCKET,
            };
            let limit = text.len().min(start + 3 * BUCKET).max(m.end());
            let end = text[m.end()..limit]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(limit, |p| m.end() + p);
            if start != line {
                line = start;
                done = 0;
            }
            let mut todo = self.starts[m.pattern().as_usize()] & !done;
            // The generic rule needs an assignment after its keyword: most prose lines that
            // mention passwords have none, and skip its regex.
            if todo & self.generic != 0
                && !text[m.end()..end].iter().any(|&b| b == b'=' || b == b':')
            {
                todo &= !self.generic;
            }
            done |= todo;
            for index in (0..self.rules.len()).filter(|i| todo & (1 << i) != 0) {
                self.run(index, &text[start..end], start, hits);
            }
        }
    }

    fn run(&self, index: usize, line: &[u8], at: usize, hits: &mut Vec<Hit>) {
        let rule = &self.rules[index];
        for caps in rule.regex.captures_iter(line) {
            let whole = caps.get(0).expect("group 0 always matches");
            let rest = caps.name("rest");
            let secret = (1..caps.len())
                .filter(|&i| Some(i) != rule.rest_group)
                .find_map(|i| caps.get(i))
                .unwrap_or(whole);
            let value = secret.as_bytes();
            if rule.entropy.is_some_and(|min| entropy(value) < min)
                || rule.allow.iter().any(|a| a.is_match(value))
                || self.allow.iter().any(|a| a.is_match(value))
            {
                continue;
            }
            if rule.generic {
                let rest = rest.map_or(&[][..], |r| r.as_bytes());
                if !self.looks_like_credential(value) || is_prose(rest) {
                    continue;
                }
            }
            hits.push(Hit {
                rule: index as u16,
                start: at + whole.start(),
            });
        }
    }

    /// Whether a generic assignment's value looks like a credential rather than a word, a
    /// reference or a placeholder.
    pub fn looks_like_credential(&self, value: &[u8]) -> bool {
        if value.len() < 8 || value.len() > 200 || !value.iter().all(u8::is_ascii_graphic) {
            return false;
        }
        let lower = value.to_ascii_lowercase();
        if matches!(value[0], b'<' | b'$' | b'{' | b'%' | b'[' | b'(' | b'@')
            || value
                .iter()
                .all(|b| matches!(b, b'*' | b'x' | b'X' | b'.' | b'-' | b'_' | b'#' | b'?'))
            || lower.starts_with(b"env(")
            || lower.starts_with(b"vault:")
            || lower.starts_with(b"http://") && !value.contains(&b'@')
            || lower.starts_with(b"https://") && !value.contains(&b'@')
            || is_email(value)
        {
            return false;
        }
        let has = |f: fn(&u8) -> bool| value.iter().any(f);
        let classes = [
            has(u8::is_ascii_lowercase),
            value[1..].iter().any(u8::is_ascii_uppercase),
            has(u8::is_ascii_digit),
            value.iter().any(|b| b.is_ascii_punctuation()),
        ];
        if classes.iter().filter(|&&c| c).count() < 2 {
            return false;
        }
        let threshold = (0.8 * (value.len() as f64).log2()).min(3.5);
        if entropy(value) < threshold {
            return false;
        }
        !self.is_words(value) && !is_identifier(value)
    }

    /// A dictionary word whole, or (without digits) words joined by separators or case.
    fn is_words(&self, value: &[u8]) -> bool {
        let text = String::from_utf8_lossy(value).to_ascii_lowercase();
        if self.words.contains(text.as_str()) {
            return true;
        }
        if value.iter().any(u8::is_ascii_digit) {
            return false;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut previous_lower = false;
        for &b in value {
            if !b.is_ascii_alphabetic() {
                if !matches!(b, b'-' | b'_' | b'.' | b'/' | b' ' | b':' | b'+') {
                    return false;
                }
                parts.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                previous_lower = false;
                continue;
            }
            if b.is_ascii_uppercase() && previous_lower {
                parts.push(std::mem::take(&mut current));
            }
            previous_lower = b.is_ascii_lowercase();
            current.push(b.to_ascii_lowercase() as char);
        }
        parts.extend((!current.is_empty()).then_some(current));
        !parts.is_empty() && parts.iter().all(|p| self.words.contains(p.as_str()))
    }
}

/// Shannon entropy of `bytes` in bits a byte, as gitleaks computes it.
pub fn entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// More words after the value: a sentence, not a setting (`Password: at least 12 characters`).
fn is_prose(rest: &[u8]) -> bool {
    let rest = rest.trim_ascii_start();
    !(rest.is_empty()
        || matches!(
            rest[0],
            b';' | b',' | b'&' | b'|' | b'#' | b'}' | b')' | b']' | b'"' | b'\'' | b'<'
        )
        || rest.starts_with(b"//")
        || rest.starts_with(b"\\n"))
}

fn is_email(value: &[u8]) -> bool {
    let Some(at) = value.iter().position(|&b| b == b'@') else {
        return false;
    };
    let (user, domain) = (&value[..at], &value[at + 1..]);
    !user.is_empty()
        && domain.contains(&b'.')
        && user
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && domain
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

/// A reference, not a credential: upper-case letters and digits in separate runs (`INC0012345`,
/// `CHG-2024-0042`, `ISO-27001-A.9.4.3`, `2026-03-01`).
fn is_identifier(value: &[u8]) -> bool {
    if !value.iter().all(|b| {
        b.is_ascii_uppercase()
            || b.is_ascii_digit()
            || matches!(b, b'-' | b'_' | b'.' | b':' | b'/' | b'#')
    }) {
        return false;
    }
    let parts: Vec<&[u8]> = value
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let pure = |p: &&[u8]| p.iter().all(u8::is_ascii_digit) || p.iter().all(u8::is_ascii_uppercase);
    // `INC0012345`: letters then digits.
    let prefixed = |p: &&[u8]| {
        let letters = p.iter().take_while(|b| b.is_ascii_uppercase()).count();
        (1..=6).contains(&letters) && p[letters..].iter().all(u8::is_ascii_digit)
    };
    if parts.len() == 1 {
        return pure(&parts[0]) || prefixed(&parts[0]);
    }
    parts.iter().all(|p| pure(p) || prefixed(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_compile_and_every_rule_has_a_keyword() {
        let rules = rules();
        assert!(rules.rules.len() >= 25);
        for (i, rule) in rules.rules.iter().enumerate() {
            assert!(
                rules.starts.iter().any(|s| s & (1 << i) != 0),
                "{} has no keyword",
                rule.id
            );
            assert!(rule.description.starts_with("a") || rule.description.starts_with("an"));
        }
    }

    #[test]
    fn entropy_is_gitleaks_shannon() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn credential_values() {
        let r = rules();
        for yes in [
            "hunter22",
            "Tr0ub4dor",
            "k-123456789",
            "Summer2024!",
            "Xk9#mP2$vL7q",
        ] {
            assert!(r.looks_like_credential(yes.as_bytes()), "{yes}");
        }
        for no in [
            "Confidential",
            "TopSecret",
            "ReadOnly",
            "PasswordManager",
            "Internal-Use-Only",
            "INC0012345",
            "CHG-2024-0042",
            "ISO-27001-A.9.4.3",
            "2026-03-01",
            "argon2id",
            "it-service-desk@example.com",
            "https://login.example.com/token",
            "aaaa1111",
            "********",
        ] {
            assert!(!r.looks_like_credential(no.as_bytes()), "{no}");
        }
    }
}
