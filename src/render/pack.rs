//! What `pack`, `verify` and `sample` print: short human summaries and the JSON documents
//! of `verify --format json` and `sample --format json`.

use crate::pack::Packed;
use crate::pack::output::Format;
use crate::sample::Sample;
use crate::verify::Verification;
use std::fmt::Write;

/// `1.2 MB`: sizes for people (decimal units).
pub fn size(bytes: u64) -> String {
    const UNITS: &[&str] = &["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The lines printed after a pack is written; `quiet` keeps the first only.
pub fn packed(p: &Packed, quiet: bool) -> String {
    let mut out = String::new();
    let what = match p.format {
        Format::Zip => "zip",
        Format::Directory => "directory",
    };
    let _ = writeln!(
        out,
        "iso20k: stage {} pack written to {} ({what}, {}, {} copied)",
        p.stage.number(),
        p.out.display(),
        plural(p.files, "file", "files"),
        size(p.bytes)
    );
    if quiet {
        return out;
    }
    let mut contents = vec![plural(p.documents, "document", "documents")];
    if let Some(period) = &p.period {
        contents.push(format!(
            "{} from {} to {}",
            plural(p.records, "record", "records"),
            period.from,
            period.to
        ));
    }
    contents.push(plural(p.evidence, "evidence file", "evidence files"));
    let _ = writeln!(out, "  contents: {}", contents.join(" · "));
    if !p.withheld.is_empty() {
        let _ = writeln!(
            out,
            "  left out: {} confidential or restricted (listed in the index; --include-confidential packs them)",
            plural(p.withheld.len(), "item", "items")
        );
    }
    if !p.not_copied.is_empty() {
        let _ = writeln!(
            out,
            "  not copied: {} (see the warnings above and the index)",
            plural(p.not_copied.len(), "file", "files")
        );
    }
    let _ = writeln!(
        out,
        "  MANIFEST.sha256: sha256 {} (record it; `iso20k verify` shows it again)",
        p.manifest_sha256
    );
    out
}

/// `verify` in human form: one line per problem, then the verdict.
pub fn verify_human(r: &Verification) -> String {
    let mut out = String::new();
    for m in &r.modified {
        let detail = match (&m.actual, &m.problem) {
            (_, Some(problem)) => problem.clone(),
            (Some(actual), None) => format!("sha256 {actual}, expected {}", m.expected),
            (None, None) => String::new(),
        };
        let _ = writeln!(out, "modified  {}  ({detail})", m.path);
    }
    for path in &r.missing {
        let _ = writeln!(out, "missing   {path}");
    }
    for path in &r.extra {
        let _ = writeln!(out, "extra     {path}  (not in MANIFEST.sha256)");
    }
    for t in &r.tampered {
        let _ = writeln!(out, "tampered  {}  ({})", t.path, t.problem);
    }
    if r.intact {
        let _ = writeln!(
            out,
            "iso20k: {} is intact: {} match MANIFEST.sha256 (sha256 {})",
            r.pack,
            plural(r.listed, "file", "files"),
            r.manifest_sha256
        );
    } else {
        let _ = writeln!(
            out,
            "iso20k: {} is NOT intact: {}{} modified, {} missing, {} extra of {} listed in MANIFEST.sha256 (sha256 {})",
            r.pack,
            if r.tampered.is_empty() {
                String::new()
            } else {
                format!("{} tampered zip entries, ", r.tampered.len())
            },
            r.modified.len(),
            r.missing.len(),
            r.extra.len(),
            plural(r.listed, "file", "files"),
            r.manifest_sha256
        );
    }
    out
}

pub fn verify_json(r: &Verification) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(r)?;
    text.push('\n');
    Ok(text)
}

/// `sample` in human form: what was drawn from what, the records, how to repeat it.
pub fn sample_human(s: &Sample) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sample of {} {} record{} dated {} to {} · population {} · seed {}",
        s.records.len(),
        s.record_type,
        if s.records.len() == 1 { "" } else { "s" },
        s.from,
        s.to,
        s.population,
        s.seed
    );
    if s.population == 0 {
        let _ = writeln!(
            out,
            "  no {} record is dated in the period: nothing to sample",
            s.record_type
        );
    } else if s.population <= s.requested {
        let _ = writeln!(
            out,
            "  {} requested, {} in the period: every record is listed",
            s.requested, s.population
        );
    }
    let id_width = s.records.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &s.records {
        let _ = writeln!(
            out,
            "  {:<id_width$}  {}  {}  {}:{}",
            r.id,
            r.date,
            r.title.as_deref().unwrap_or("-"),
            r.file,
            r.line
        );
    }
    let _ = writeln!(
        out,
        "Method: {}. Repeat with --seed {} --from {} --to {}.",
        s.method, s.seed, s.from, s.to
    );
    out
}

pub fn sample_json(s: &Sample) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(s)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(size(999), "999 B");
        assert_eq!(size(1_500), "1.5 kB");
        assert_eq!(size(1_073_741_824), "1.1 GB");
    }
}
