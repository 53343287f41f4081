//! Extracts the searchable text of a Markdown body (headings, paragraphs, lists, tables) for
//! topic checks: lower-cased, markup removed, so "**emergency** change" matches "emergency change".

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

pub fn searchable_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    for event in Parser::new_ext(body, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.to_lowercase()
}

/// A short statement quoted from a document: a paragraph and the list that follows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub paragraph: String,
    pub bullets: Vec<String>,
}

/// The first paragraph after the first heading that contains one of `keywords`
/// (case-insensitive), with the list right after it; else the body's first paragraph.
/// Markup is removed. Used to quote the scope statement on a report's cover.
pub fn statement(body: &str, keywords: &[&str]) -> Option<Statement> {
    const MAX_BULLETS: usize = 12;
    let mut heading = String::new();
    let mut in_heading = false;
    let mut matched = false;
    let mut first: Option<Statement> = None;
    let mut current: Option<Statement> = None;
    let mut text = String::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(body, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                if let Some(found) = current.take()
                    && matched
                {
                    return Some(found);
                }
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let lower = heading.to_lowercase();
                if !matched && keywords.iter().any(|k| lower.contains(k)) {
                    matched = true;
                }
            }
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some(found) = current.take()
                {
                    if matched {
                        return Some(found);
                    }
                    first.get_or_insert(found);
                }
            }
            Event::Start(Tag::Paragraph | Tag::Item) => text.clear(),
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                let paragraph = text.trim().to_string();
                if let Some(found) = current.take() {
                    if matched {
                        return Some(found);
                    }
                    first.get_or_insert(found);
                }
                if !paragraph.is_empty() {
                    current = Some(Statement {
                        paragraph,
                        bullets: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                if let Some(statement) = current.as_mut()
                    && statement.bullets.len() < MAX_BULLETS
                {
                    statement.bullets.push(text.trim().to_string());
                }
                text.clear();
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.push_str(&t);
                } else {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    match current {
        Some(found) if matched => Some(found),
        Some(found) => Some(first.unwrap_or(found)),
        None => first,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_quotes_the_paragraph_under_the_heading() {
        let body = "# Scope\n\nIntro.\n\n## Other\n\nNo.\n\n## Scope statement\n\nThe **SMS** covers:\n\n- Hosting;\n- Desk.\n\n## Exclusions\n\nNone.\n";
        let found = statement(body, &["scope statement"]).unwrap();
        assert_eq!(found.paragraph, "The SMS covers:");
        assert_eq!(found.bullets, ["Hosting;", "Desk."]);
        let first = statement("Just text.\n\nMore.\n", &["scope"]).unwrap();
        assert_eq!(first.paragraph, "Just text.");
        assert_eq!(statement("", &["scope"]), None);
    }

    #[test]
    fn markup_is_removed() {
        let text = searchable_text("# Emergency Changes\n\nAn **emergency** change is *urgent*.\n");
        assert!(text.contains("emergency changes"));
        assert!(text.contains("an emergency change is urgent."));
    }
}
