//! Escaping, in one place: text for a terminal ([`terminal`]) and text for Markdown, inline
//! ([`markdown_inline`], the templates' `md`/`cell` filters) and in hand-built tables
//! ([`md_cell`], [`md_code`]).
//!
//! Terminal safety for everything printed for people: ids, titles, paths and messages come
//! from the repository (or from a pack being verified), so a crafted value could carry escape
//! sequences that move the cursor, rewrite a line, retitle the window, ring the bell or reverse
//! the text direction, and so fake a verdict such as "intact". Every human output passes
//! through [`terminal`] once, just before it is written; machine formats (JSON, SARIF, JUnit)
//! are escaped by their serialisers and keep the data exact.

use std::borrow::Cow;

/// The SGR colour sequences iso20k's own human output uses (bold, dim, red, yellow, cyan,
/// green, reset). With colour on, exactly these are kept; any other escape sequence is shown
/// escaped. A repository value can at most change a colour, never hide or rewrite text.
pub const PAINT_CODES: [&str; 10] = [
    "0", "1", "2", "1;31", "1;33", "1;36", "31", "32", "33", "36",
];

/// `text` with every control character other than newline and tab, and every Unicode
/// direction control, written visibly as `\u{…}`. With `keep_colour`, the SGR sequences in
/// [`PAINT_CODES`] are left as they are.
pub fn terminal(text: &str, keep_colour: bool) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b'
            && keep_colour
            && let Some(len) = paint_sequence(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if needs_escape(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// The length of the iso20k colour sequence `text` starts with, if it starts with one.
fn paint_sequence(text: &str) -> Option<usize> {
    let params = text.strip_prefix("\x1b[")?;
    let end = params.find('m')?;
    PAINT_CODES.contains(&&params[..end]).then_some(2 + end + 1)
}

/// Control characters (C0 but newline and tab, DEL, C1) and the invisible characters that
/// change the display order of text (bidi embeddings, overrides, isolates and marks).
fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Escapes text for inline Markdown: no stray emphasis, links, HTML or headings.
pub fn markdown_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '#' if i == 0 => out.push_str("\\#"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Text for one cell of a Markdown table: no line breaks, pipes escaped, and the characters
/// that would start HTML written as entities, so user text cannot change the layout.
pub fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

/// Markdown inline code that survives backticks and pipes in the text (a code span shows
/// everything else literally).
pub fn md_code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ").replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            markdown_inline("# a|b *c* <x> [l](u) has_no"),
            "\\# a\\|b \\*c\\* &lt;x&gt; \\[l\\](u) has\\_no"
        );
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md_cell("a|b\nc <x> & y"), "a\\|b<br>c &lt;x&gt; &amp; y");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("plain"), "`plain`");
        assert_eq!(md_code("a|b<c>"), "`a\\|b<c>`");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "POL-001  Service management policy\n\t变更管理 ✓";
        assert!(matches!(terminal(text, false), Cow::Borrowed(_)));
        assert_eq!(terminal(text, true), text);
    }

    #[test]
    fn controls_and_direction_overrides_are_shown_escaped() {
        assert_eq!(
            terminal("a\x1b[2Kb\rc\x07d\u{9b}e", false),
            "a\\u{1b}[2Kb\\u{d}c\\u{7}d\\u{9b}e"
        );
        assert_eq!(
            terminal("evil\u{202E}txt.exe\u{2066}", false),
            "evil\\u{202e}txt.exe\\u{2066}"
        );
        // A window-title sequence (OSC) ending in BEL.
        assert_eq!(
            terminal("\x1b]0;intact\x07", true),
            "\\u{1b}]0;intact\\u{7}"
        );
    }

    #[test]
    fn only_our_own_colours_survive_with_colour_on() {
        assert_eq!(
            terminal("\x1b[1;31mred\x1b[0m", true),
            "\x1b[1;31mred\x1b[0m"
        );
        assert_eq!(
            terminal("\x1b[1;31mred\x1b[0m", false),
            "\\u{1b}[1;31mred\\u{1b}[0m"
        );
        // Concealed text and cursor movement are not colours.
        assert_eq!(terminal("\x1b[8mhidden", true), "\\u{1b}[8mhidden");
        assert_eq!(terminal("\x1b[1A\x1b[", true), "\\u{1b}[1A\\u{1b}[");
    }
}
