//! What goes into an audit pack: the items for the stage, the files that hold them, the
//! evidence files they reference, and what is withheld as confidential. Pure: reads the
//! repository model, touches no file.

use crate::model::{Classification, Item, Kind, Repo, Status};
pub use crate::stage::Stage;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

/// Why a file is in the pack. Ordered: a file that is both a document and evidence is shown
/// as a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Document,
    Records,
    Evidence,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Document => "document",
            Role::Records => "records",
            Role::Evidence => "evidence",
        }
    }
}

/// One repository file chosen for the pack.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub role: Role,
    /// Ids of the items that brought it in.
    pub items: BTreeSet<String>,
    pub clauses: BTreeSet<String>,
}

/// The outcome of selection.
#[derive(Debug, Default)]
pub struct Selection {
    /// Packed documents (indexes into `repo.items`), in repository order.
    pub documents: Vec<usize>,
    /// Packed records and reports of the audit period (stage 2), in repository order.
    pub records: Vec<usize>,
    /// Repository-relative path → why it is packed. Sorted by path.
    pub files: BTreeMap<String, Chosen>,
    /// Items left out as confidential or restricted (indexes), sorted by id.
    pub withheld: Vec<usize>,
    /// Evidence URLs of packed items (item id, URL): listed, not fetched.
    pub urls: Vec<(String, String)>,
}

/// Whether an item is left out of packs unless `--include-confidential`.
pub fn is_sensitive(item: &Item) -> bool {
    matches!(
        item.classification,
        Classification::Confidential | Classification::Restricted
    )
}

/// Approved documented information of any kind but records, registers, evidence and
/// assessments (whose verdicts are in the pack's evaluation), that addresses at least one
/// clause; and the scope statement (4.3) whatever its status, since a stage 1 auditor reviews
/// it first.
fn is_stage1(item: &Item, scope_clause: &str) -> bool {
    item.kind.is_documentary()
        && !item.clauses.is_empty()
        && (item.is_approved()
            || (item.status != Some(Status::Retired)
                && item.clauses.iter().any(|c| c == scope_clause)))
}

/// Records (and dated reports) of the audit period.
fn is_stage2_record(item: &Item, period: (Date, Date)) -> bool {
    matches!(item.kind, Kind::Record | Kind::Report)
        && item.date.is_some_and(|d| d >= period.0 && d <= period.1)
}

/// Chooses the content of a pack. `period` is the audit period for stage 2.
/// `scope_clause` is the catalogue's scope clause (4.3): its documents go into stage 1 even
/// as drafts.
pub fn select(
    repo: &Repo,
    stage: Stage,
    period: Option<(Date, Date)>,
    include_confidential: bool,
    scope_clause: &str,
) -> Selection {
    let mut selection = Selection::default();
    // Files holding any sensitive item: copying them would ship that item.
    let sensitive_files: BTreeSet<&str> = if include_confidential {
        BTreeSet::new()
    } else {
        repo.items
            .iter()
            .filter(|i| is_sensitive(i))
            .map(|i| i.path.as_str())
            .collect()
    };
    let mut withheld = BTreeSet::new();
    let mut packed: Vec<(usize, Role)> = Vec::new();

    for (index, item) in repo.items.iter().enumerate() {
        let document = is_stage1(item, scope_clause);
        let record = stage == Stage::Two && period.is_some_and(|p| is_stage2_record(item, p));
        if !document && !record {
            continue;
        }
        if sensitive_files.contains(item.path.as_str()) {
            withheld.insert(index);
            continue;
        }
        if document {
            selection.documents.push(index);
            packed.push((index, Role::Document));
        } else {
            selection.records.push(index);
            packed.push((index, Role::Records));
        }
    }

    // The file of each packed item; a register file is listed under its register's id too.
    let register_of: BTreeMap<&str, &Item> = repo
        .items
        .iter()
        .filter(|i| i.kind == Kind::Register)
        .map(|i| (i.path.as_str(), i))
        .collect();
    for &(index, role) in &packed {
        let item = &repo.items[index];
        let chosen = choose(&mut selection.files, &item.path, role);
        chosen.items.insert(item.id.clone());
        chosen.clauses.extend(item.clauses.iter().cloned());
        if item.kind == Kind::Record
            && let Some(register) = register_of.get(item.path.as_str())
        {
            chosen.items.insert(register.id.clone());
        }
    }

    // Evidence the packed items reference; a sensitive file stays out even as evidence.
    let items_by_path: BTreeMap<&str, Vec<usize>> =
        repo.items
            .iter()
            .enumerate()
            .fold(BTreeMap::new(), |mut map, (index, item)| {
                map.entry(item.path.as_str())
                    .or_insert_with(Vec::new)
                    .push(index);
                map
            });
    for &(index, _) in &packed {
        let item = &repo.items[index];
        for reference in &item.evidence {
            if reference.contains("://") {
                selection.urls.push((item.id.clone(), reference.clone()));
                continue;
            }
            if sensitive_files.contains(reference.as_str()) {
                withheld.extend(
                    items_by_path
                        .get(reference.as_str())
                        .into_iter()
                        .flatten()
                        .copied()
                        .filter(|&i| is_sensitive(&repo.items[i])),
                );
                continue;
            }
            let chosen = choose(&mut selection.files, reference, Role::Evidence);
            chosen.items.insert(item.id.clone());
            chosen.clauses.extend(item.clauses.iter().cloned());
        }
    }
    selection.urls.sort();
    selection.urls.dedup();
    let mut withheld: Vec<usize> = withheld.into_iter().collect();
    withheld.sort_by(|&a, &b| repo.items[a].id.cmp(&repo.items[b].id));
    selection.withheld = withheld;
    selection
}

fn choose<'a>(files: &'a mut BTreeMap<String, Chosen>, path: &str, role: Role) -> &'a mut Chosen {
    let chosen = files.entry(path.to_string()).or_insert_with(|| Chosen {
        role,
        items: BTreeSet::new(),
        clauses: BTreeSet::new(),
    });
    chosen.role = chosen.role.min(role);
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn item(id: &str, kind: Kind, path: &str) -> Item {
        Item {
            title: Some(format!("{id} title")),
            clauses: vec!["8.1".into()],
            status: kind.is_document().then_some(Status::Approved),
            ..Item::bare(id, kind, path)
        }
    }

    fn record(id: &str, date: &str, path: &str) -> Item {
        Item {
            record_type: Some("change".into()),
            date: Some(parse_date(date).unwrap()),
            ..item(id, Kind::Record, path)
        }
    }

    fn period() -> Option<(Date, Date)> {
        Some((
            parse_date("2026-01-01").unwrap(),
            parse_date("2026-12-31").unwrap(),
        ))
    }

    fn repo(items: Vec<Item>) -> Repo {
        Repo::build(items)
    }

    #[test]
    fn stage1_takes_approved_documents_and_the_scope() {
        let mut draft = item("POL-2", Kind::Policy, "b.md");
        draft.status = Some(Status::Draft);
        let mut scope = item("CTX-1", Kind::Other, "scope.md");
        scope.clauses = vec!["4.3".into()];
        scope.status = Some(Status::Draft);
        let repo = repo(vec![
            item("POL-1", Kind::Policy, "a.md"),
            draft,
            scope,
            record("CHG-1", "2026-05-01", "r.yaml"),
        ]);
        let s = select(&repo, Stage::One, period(), false, "4.3");
        let files: Vec<&str> = s.files.keys().map(String::as_str).collect();
        assert_eq!(files, vec!["a.md", "scope.md"]);
        assert!(s.records.is_empty());
    }

    #[test]
    fn stage2_adds_records_of_the_period_and_their_evidence() {
        let mut inside = record("CHG-1", "2026-05-01", "r.yaml");
        inside.evidence = vec!["evidence/x.pdf".into(), "https://example.org/y".into()];
        let mut outside = record("CHG-0", "2025-05-01", "r.yaml");
        outside.evidence = vec!["evidence/old.pdf".into()];
        let mut register = item("REG-1", Kind::Register, "r.yaml");
        register.clauses = vec![];
        let repo = repo(vec![register, inside, outside]);
        let s = select(&repo, Stage::Two, period(), false, "4.3");
        let files: Vec<&str> = s.files.keys().map(String::as_str).collect();
        assert_eq!(files, vec!["evidence/x.pdf", "r.yaml"]);
        let register_file = &s.files["r.yaml"];
        assert_eq!(register_file.role, Role::Records);
        assert!(register_file.items.contains("REG-1") && register_file.items.contains("CHG-1"));
        assert!(!register_file.items.contains("CHG-0"));
        assert_eq!(s.files["evidence/x.pdf"].role, Role::Evidence);
        assert_eq!(s.urls.len(), 1);
    }

    #[test]
    fn confidential_items_and_their_files_are_withheld() {
        let mut secret = item("AGR-9", Kind::Agreement, "contract.md");
        secret.classification = Classification::Confidential;
        secret.evidence = vec!["evidence/price-list.csv".into()];
        let mut cites = item("POL-1", Kind::Policy, "a.md");
        cites.evidence = vec!["contract.md".into()];
        let repo = repo(vec![secret, cites]);
        let s = select(&repo, Stage::Two, period(), false, "4.3");
        let files: Vec<&str> = s.files.keys().map(String::as_str).collect();
        assert_eq!(files, vec!["a.md"], "neither the contract nor its evidence");
        let withheld: Vec<&str> = s
            .withheld
            .iter()
            .map(|&i| repo.items[i].id.as_str())
            .collect();
        assert_eq!(withheld, vec!["AGR-9"]);

        let s = select(&repo, Stage::Two, period(), true, "4.3");
        assert!(s.withheld.is_empty());
        assert!(s.files.contains_key("contract.md"));
        assert!(s.files.contains_key("evidence/price-list.csv"));
    }

    #[test]
    fn one_confidential_record_withholds_its_whole_register() {
        let mut secret = record("SEC-2", "2026-03-01", "sec.yaml");
        secret.classification = Classification::Restricted;
        let repo = repo(vec![record("SEC-1", "2026-02-01", "sec.yaml"), secret]);
        let s = select(&repo, Stage::Two, period(), false, "4.3");
        assert!(s.files.is_empty());
        assert_eq!(s.withheld.len(), 2);
    }
}
