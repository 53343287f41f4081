//! The report templates (tera, `templates/report/`), embedded in the binary, and the engine
//! with the filters they use. Markdown and HTML are only ever produced through these.

use super::escape::markdown_inline;
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

/// The one template engine of iso20k (the report's and the pack index's templates): HTML
/// autoescaped, and the `md`/`cell` filters escaping text for Markdown
/// ([`super::escape::markdown_inline`]). With `trim`, a line holding only a tag leaves no blank
/// line ([`trim_blocks`]; the report's templates are written for it, the pack's are not).
pub fn engine(templates: &[(&str, &str)], trim: bool) -> anyhow::Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html"]);
    tera.register_filter("md", |s: &str, _: Kwargs, _: &State| markdown_inline(s));
    tera.register_filter("cell", |s: &str, _: Kwargs, _: &State| markdown_inline(s));
    let templates: Vec<(&str, String)> = templates
        .iter()
        .map(|(name, source)| {
            let source = if trim {
                trim_blocks(source)
            } else {
                source.to_string()
            };
            (*name, source)
        })
        .collect();
    tera.add_raw_templates(templates)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .context("the templates do not compile")?;
    Ok(tera)
}

fn report_engine() -> anyhow::Result<Tera> {
    engine(
        &[
            ("report.md", MARKDOWN),
            ("report.html", HTML),
            ("style.css", STYLE),
        ],
        true,
    )
}

/// Renders one report template with the report and the UI strings (`t`).
pub fn render(name: &str, report: &Report, t: &Localizer) -> anyhow::Result<String> {
    let tera = report_engine()?;
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
}
