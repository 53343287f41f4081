//! The report templates (tera, `templates/report/`), embedded in the binary, and the engine
//! with the filters they use. Markdown and HTML are only ever produced through these.

use crate::i18n::Localizer;
use crate::report::Report;
use anyhow::Context as _;
use tera::{Context, Kwargs, State, Tera};

pub const MARKDOWN: &str = include_str!("../../templates/report/report.md");
pub const HTML: &str = include_str!("../../templates/report/report.html");
pub const STYLE: &str = include_str!("../../templates/report/style.css");

/// Jinja's `trim_blocks` + `lstrip_blocks`: a line holding nothing but a `{% %}` tag or a
/// `{# #}` comment leaves no blank line behind, so templates can be laid out readably.
fn trim_blocks(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        let tag_only = (trimmed.starts_with("{%") && trimmed.ends_with("%}"))
            || (trimmed.starts_with("{#") && trimmed.ends_with("#}"));
        let single = trimmed.matches("{%").count() + trimmed.matches("{#").count() == 1;
        if tag_only && single {
            out.push_str(trimmed);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Escapes text for inline Markdown: no stray emphasis, links, HTML or headings.
fn markdown_inline(text: &str) -> String {
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

fn engine() -> anyhow::Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    tera.register_filter("md", |s: &str, _: Kwargs, _: &State| markdown_inline(s));
    tera.register_filter("cell", |s: &str, _: Kwargs, _: &State| markdown_inline(s));
    tera.add_raw_templates([
        ("report.md", trim_blocks(MARKDOWN)),
        ("report.html", trim_blocks(HTML)),
        ("style.css", STYLE.to_string()),
    ])
    .context("the report templates do not compile")?;
    Ok(tera)
}

/// Renders one report template with the report and the UI strings (`t`).
pub fn render(name: &str, report: &Report, t: &Localizer) -> anyhow::Result<String> {
    let tera = engine()?;
    let mut context = Context::new();
    context.insert("t", &t.all_ui());
    context.insert("report", report);
    let value = tera::Value::from_serializable(report);
    if let Some(map) = value.as_map() {
        for (key, value) in map.iter() {
            context.insert_value(key.to_string(), value.clone());
        }
    }
    tera.render(name, &context)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("cannot render the {name} template"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_lines_leave_no_blank_lines() {
        let source = "a\n{% if x %}\n  b\n  {% endif %}\nc {% if y %}d{% endif %}\n";
        assert_eq!(
            trim_blocks(source),
            "a\n{% if x %}  b\n{% endif %}c {% if y %}d{% endif %}\n"
        );
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            markdown_inline("# a|b *c* <x> [l](u) has_no"),
            "\\# a\\|b \\*c\\* &lt;x&gt; \\[l\\](u) has\\_no"
        );
    }
}
