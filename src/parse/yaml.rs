//! The one place iso20k touches its YAML library, so it can be swapped. Parsing is bounded:
//! the library refuses alias expansion beyond a fixed repetition limit ("billion laughs") and
//! deep nesting, and iso20k never reads a file over the size limit.

pub use yaml_serde::{Mapping, Value};

/// A YAML syntax or shape error with its 1-based position inside the parsed text.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
}

fn convert(err: yaml_serde::Error, text: &str) -> YamlError {
    let mut line = err.location().map(|l| l.line() as u32);
    let column = err.location().map(|l| l.column() as u32);
    let message = err.to_string();
    // The library locates a duplicate key at its mapping; point at the second occurrence.
    if let Some(key) = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.split('"').next())
    {
        line = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1)
            .map(|(i, _)| i as u32 + 1)
            .or(line);
    }
    let mut message = match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    let line_text = line.and_then(|l| text.lines().nth(l.saturating_sub(1) as usize));
    if line_text.is_some_and(|l| l.trim_end().starts_with('\t') || l.contains(":\t")) {
        message.push_str(" (a tab: YAML indents with spaces only)");
    }
    YamlError {
        line,
        column,
        message,
    }
}

/// Parses untyped YAML.
pub fn parse_value(text: &str) -> Result<Value, YamlError> {
    yaml_serde::from_str(text).map_err(|e| convert(e, text))
}

/// Parses YAML into a typed structure (used for the catalogue).
pub fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    yaml_serde::from_str(text).map_err(|e| convert(e, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_bomb_is_refused_quickly() {
        let mut text = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(",");
            text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
        }
        assert!(parse_value(&text).is_err());
    }

    #[test]
    fn duplicate_key_points_at_second_occurrence() {
        let err = parse_value("id: A\ntitle: x\nid: B\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(err.message.contains("duplicate"));
    }

    #[test]
    fn tabs_are_a_located_error() {
        let err = parse_value("id: A\nclauses:\n\t- \"8.1\"\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(
            err.message.contains("YAML indents with spaces only"),
            "{}",
            err.message
        );
    }
}
