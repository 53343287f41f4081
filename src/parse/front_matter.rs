//! Splits a Markdown file into its YAML front matter and body, keeping line numbers.

/// The two halves of a Markdown file with front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line (2: right after the opening `---`).
    pub yaml_line: u32,
    pub body: &'a str,
}

/// Why front matter could not be split out.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// Opening `---` with no closing `---`/`...`.
    Unclosed,
}

/// `Ok(None)` when the file has no front matter (first line is not `---`).
/// `text` must already have its BOM stripped and CRLF normalised to LF.
pub fn split(text: &str) -> Result<Option<Split<'_>>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Ok(None);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i)
            .unwrap_or(text.len());
        let line = text[offset..end].trim_end();
        if line == "---" || line == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Some(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
            }));
        }
        offset = end + 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_finds_body() {
        let s = split("---\nid: A\n---\n# Title\n").unwrap().unwrap();
        assert_eq!(s.yaml, "id: A\n");
        assert_eq!(s.body, "# Title\n");
    }

    #[test]
    fn dots_close_too() {
        let s = split("---\nid: A\n...\nbody").unwrap().unwrap();
        assert_eq!(s.body, "body");
    }

    #[test]
    fn no_front_matter_and_unclosed() {
        assert_eq!(split("# Just markdown\n---\n"), Ok(None));
        assert_eq!(split(""), Ok(None));
        assert_eq!(split("---\nid: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Unclosed));
    }

    #[test]
    fn empty_front_matter() {
        assert_eq!(split("---\n---\n").unwrap().unwrap().yaml, "");
    }
}
