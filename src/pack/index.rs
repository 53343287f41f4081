//! The pack's `index.html` and `index.md`: a view model built from the evaluation and the
//! selection, rendered through the tera templates in `templates/pack/`. The HTML is
//! self-contained (inline style, no script, no remote resource) so it opens offline, and
//! every link points to a file inside the pack (copied files keep their repository paths).

use super::manifest::{NotCopied, Period, Withheld};
use super::select::{Role, Selection, Stage};
use crate::Checked;
use crate::evaluate::Outcome;
use crate::model::Item;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const HTML_TEMPLATE: &str = include_str!("../../templates/pack/index.html.tera");
const MD_TEMPLATE: &str = include_str!("../../templates/pack/index.md.tera");

/// A relative URL for a path inside the pack: each segment percent-encoded, so names with
/// spaces, `#` or `?` still open.
pub fn href(pack_path: &str) -> String {
    let mut out = String::with_capacity(pack_path.len());
    for (i, segment) in pack_path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for &b in segment.as_bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[derive(Debug, Serialize)]
struct Link {
    label: String,
    href: Option<String>,
    title: Option<String>,
    /// Left out of the pack as confidential or restricted.
    withheld: bool,
}

/// Records of one type addressing a clause; the type links to its list in the index.
#[derive(Debug, Serialize)]
struct RecordGroup {
    record_type: String,
    count: usize,
}

#[derive(Debug, Serialize)]
struct ClauseRow {
    id: String,
    title: String,
    status: &'static str,
    findings: Vec<String>,
    documents: Vec<Link>,
    records: Vec<RecordGroup>,
    evidence: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct MandatoryRow {
    label: String,
    clause: String,
    check: String,
    present: bool,
    message: String,
    evidence: Vec<Link>,
}

#[derive(Debug, Serialize)]
struct DocumentRow {
    id: String,
    title: String,
    kind: &'static str,
    status: &'static str,
    owner: String,
    version: String,
    approved_by: String,
    approved_on: String,
    review_due: String,
    /// The review date is before `--as-of`.
    overdue: bool,
    classification: &'static str,
    clauses: String,
    path: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct RecordRow {
    id: String,
    date: String,
    title: String,
    path: String,
    href: String,
}

#[derive(Debug, Serialize)]
struct RecordType {
    record_type: String,
    records: Vec<RecordRow>,
}

#[derive(Debug, Serialize)]
struct EvidenceRow {
    path: String,
    href: String,
    items: String,
    clauses: String,
}

#[derive(Debug, Serialize)]
struct UrlRow {
    item: String,
    url: String,
}

#[derive(Debug, Serialize)]
struct Summary {
    met: usize,
    partial: usize,
    gap: usize,
    manual: usize,
    score: f64,
    errors: usize,
    warnings: usize,
    items: usize,
}

/// Everything the templates show.
#[derive(Debug, Serialize)]
struct View {
    tool_version: &'static str,
    organization: Option<String>,
    root: String,
    stage: u8,
    as_of: String,
    period: Option<Period>,
    stage1_date: Option<String>,
    stage2_date: Option<String>,
    include_confidential: bool,
    summary: Summary,
    scope: Vec<Link>,
    mandatory: Vec<MandatoryRow>,
    clauses: Vec<ClauseRow>,
    not_met: usize,
    documents: Vec<DocumentRow>,
    record_types: Vec<RecordType>,
    record_count: usize,
    evidence: Vec<EvidenceRow>,
    urls: Vec<UrlRow>,
    withheld: Vec<Withheld>,
    not_copied: Vec<NotCopied>,
}

/// What the index needs besides the check result.
pub struct Inputs<'a> {
    pub stage: Stage,
    pub period: Option<Period>,
    pub include_confidential: bool,
    pub selection: &'a Selection,
    /// Repository paths actually copied (a selected file may have been refused).
    pub copied: &'a BTreeSet<String>,
    pub withheld: &'a [Withheld],
    pub not_copied: &'a [NotCopied],
}

/// Renders `(index.html, index.md)`.
pub fn render(checked: &Checked, inputs: &Inputs) -> anyhow::Result<(String, String)> {
    let view = view(checked, inputs);
    let tera = crate::render::templates::engine(
        &[("index.html", HTML_TEMPLATE), ("index.md", MD_TEMPLATE)],
        false,
    )?;
    let context = tera::Context::from_serialize(&view)
        .map_err(|e| anyhow::anyhow!("cannot build the pack index context: {e:?}"))?;
    let render = |name: &str| {
        tera.render(name, &context)
            .map_err(|e| anyhow::anyhow!("cannot render the pack's {name}: {e:?}"))
    };
    Ok((render("index.html")?, render("index.md")?))
}

fn view(checked: &Checked, inputs: &Inputs) -> View {
    let repo = &checked.repo;
    let selection = inputs.selection;
    let copied = |path: &str| inputs.copied.contains(path);
    let file_href = |path: &str| copied(path).then(|| href(path));

    // id → link target, for every packed item.
    let mut item_href: HashMap<&str, String> = HashMap::new();
    for &i in selection.documents.iter().chain(&selection.records) {
        let item = &repo.items[i];
        if let Some(h) = file_href(&item.path) {
            item_href.insert(item.id.as_str(), h);
        }
    }
    let withheld_ids: BTreeSet<&str> = inputs.withheld.iter().map(|w| w.id.as_str()).collect();
    let item_link = |id: &str| Link {
        label: id.to_string(),
        href: item_href.get(id).cloned(),
        title: None,
        withheld: withheld_ids.contains(id),
    };

    let documents: Vec<&Item> = {
        let mut docs: Vec<&Item> = selection
            .documents
            .iter()
            .map(|&i| &repo.items[i])
            .filter(|item| copied(&item.path))
            .collect();
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        docs
    };
    let records: Vec<&Item> = selection
        .records
        .iter()
        .map(|&i| &repo.items[i])
        .filter(|item| copied(&item.path))
        .collect();

    // Per clause: packed documents, record groups, evidence files.
    let mut clause_docs: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for item in &documents {
        for clause in &item.clauses {
            clause_docs.entry(clause).or_default().push(item);
        }
    }
    let mut clause_records: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for item in &records {
        let record_type = item.record_type.as_deref().unwrap_or(item.kind.as_str());
        for clause in &item.clauses {
            *clause_records
                .entry(clause)
                .or_default()
                .entry(record_type)
                .or_default() += 1;
        }
    }
    let mut clause_evidence: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (path, chosen) in &selection.files {
        if chosen.role == Role::Evidence && copied(path) {
            for clause in &chosen.clauses {
                clause_evidence.entry(clause).or_default().push(path);
            }
        }
    }

    let evaluation = &checked.evaluation;
    let clauses: Vec<ClauseRow> = evaluation
        .clauses
        .iter()
        .map(|c| ClauseRow {
            id: c.id.clone(),
            title: c.title.clone(),
            status: c.status.as_str(),
            findings: c.findings.iter().map(|f| f.message.clone()).collect(),
            documents: clause_docs
                .get(c.id.as_str())
                .into_iter()
                .flatten()
                .map(|item| Link {
                    label: item.id.clone(),
                    href: file_href(&item.path),
                    title: item.title.clone(),
                    withheld: false,
                })
                .collect(),
            records: clause_records
                .get(c.id.as_str())
                .into_iter()
                .flatten()
                .map(|(record_type, count)| RecordGroup {
                    record_type: record_type.to_string(),
                    count: *count,
                })
                .collect(),
            evidence: clause_evidence
                .get(c.id.as_str())
                .into_iter()
                .flatten()
                .map(|path| Link {
                    label: path.to_string(),
                    href: Some(href(path)),
                    title: None,
                    withheld: false,
                })
                .collect(),
        })
        .collect();

    let mut mandatory: Vec<MandatoryRow> = evaluation
        .clauses
        .iter()
        .flat_map(|c| c.checks.iter().map(move |check| (c, check)))
        .filter_map(|(c, check)| {
            let label = check.mandatory.as_ref()?.to_string();
            Some(MandatoryRow {
                label,
                clause: c.id.clone(),
                check: check.check.clone(),
                present: check.outcome == Outcome::Pass,
                message: check.message.clone(),
                evidence: check.evidence.iter().map(|id| item_link(id)).collect(),
            })
        })
        .collect();
    mandatory.sort_by(|a, b| (&a.label, &a.clause).cmp(&(&b.label, &b.clause)));

    let review_interval = checked.settings.review_interval;
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let document_rows = documents
        .iter()
        .map(|item| DocumentRow {
            id: item.id.clone(),
            title: text(&item.title),
            kind: item.kind.as_str(),
            status: match item.status {
                Some(crate::model::Status::Approved) => "approved",
                Some(crate::model::Status::Draft) => "draft",
                Some(crate::model::Status::Retired) => "retired",
                None => "",
            },
            owner: text(&item.owner),
            version: text(&item.version),
            approved_by: text(&item.approved_by),
            approved_on: item.approved_on.map(|d| d.to_string()).unwrap_or_default(),
            review_due: item
                .review_due(review_interval)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            overdue: item
                .review_due(review_interval)
                .is_some_and(|due| due < evaluation.as_of),
            classification: classification(item),
            clauses: item.clauses.join(", "),
            path: item.path.clone(),
            href: href(&item.path),
        })
        .collect();

    let mut by_type: BTreeMap<String, Vec<RecordRow>> = BTreeMap::new();
    let mut sorted_records = records.clone();
    sorted_records.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    for item in &sorted_records {
        let record_type = item
            .record_type
            .clone()
            .unwrap_or_else(|| item.kind.as_str().to_string());
        by_type.entry(record_type).or_default().push(RecordRow {
            id: item.id.clone(),
            date: item.date.map(|d| d.to_string()).unwrap_or_default(),
            title: text(&item.title),
            path: item.path.clone(),
            href: href(&item.path),
        });
    }

    let evidence = selection
        .files
        .iter()
        .filter(|(path, chosen)| chosen.role == Role::Evidence && copied(path))
        .map(|(path, chosen)| EvidenceRow {
            path: path.clone(),
            href: href(path),
            items: chosen.items.iter().cloned().collect::<Vec<_>>().join(", "),
            clauses: chosen
                .clauses
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();

    let scope_clause = checked
        .catalogue
        .roles()
        .map(|roles| roles.scope_clause.as_str())
        .unwrap_or_default();
    let scope = documents
        .iter()
        .filter(|item| item.clauses.iter().any(|c| c == scope_clause))
        .map(|item| Link {
            label: item.id.clone(),
            href: file_href(&item.path),
            title: item.title.clone(),
            withheld: false,
        })
        .collect();

    let s = &evaluation.summary;
    View {
        tool_version: env!("CARGO_PKG_VERSION"),
        organization: checked.settings.organization.clone(),
        root: checked.root.clone(),
        stage: inputs.stage.number(),
        as_of: evaluation.as_of.to_string(),
        period: inputs.period.clone(),
        stage1_date: checked.settings.stage1.map(|d| d.to_string()),
        stage2_date: checked.settings.stage2.map(|d| d.to_string()),
        include_confidential: inputs.include_confidential,
        summary: Summary {
            met: s.met,
            partial: s.partial,
            gap: s.gap,
            manual: s.manual,
            score: s.score,
            errors: s.errors,
            warnings: s.warnings,
            items: s.items,
        },
        scope,
        mandatory,
        not_met: clauses.iter().filter(|c| c.status != "met").count(),
        clauses,
        documents: document_rows,
        record_count: sorted_records.len(),
        record_types: by_type
            .into_iter()
            .map(|(record_type, records)| RecordType {
                record_type,
                records,
            })
            .collect(),
        evidence,
        urls: selection
            .urls
            .iter()
            .map(|(item, url)| UrlRow {
                item: item.clone(),
                url: url.clone(),
            })
            .collect(),
        withheld: inputs.withheld.to_vec(),
        not_copied: inputs.not_copied.to_vec(),
    }
}

fn classification(item: &Item) -> &'static str {
    match item.classification {
        crate::model::Classification::Public => "public",
        crate::model::Classification::Internal => "internal",
        crate::model::Classification::Confidential => "confidential",
        crate::model::Classification::Restricted => "restricted",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_percent_encoded_per_segment() {
        assert_eq!(href("evidence/a b/c#1?.pdf"), "evidence/a%20b/c%231%3F.pdf");
        assert_eq!(href("evidence/ünï.md"), "evidence/%C3%BCn%C3%AF.md");
        assert_eq!(href("index.html"), "index.html");
    }
}
