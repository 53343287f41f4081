//! Extracts the searchable text of a Markdown body (headings, paragraphs, lists, tables) for
//! topic checks: lower-cased, markup removed, so "**emergency** change" matches "emergency change".

use pulldown_cmark::{Event, Options, Parser, TagEnd};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_removed() {
        let text = searchable_text("# Emergency Changes\n\nAn **emergency** change is *urgent*.\n");
        assert!(text.contains("emergency changes"));
        assert!(text.contains("an emergency change is urgent."));
    }
}
