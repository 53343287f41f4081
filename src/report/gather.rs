//! What the report reads besides the finished check: the git commit (through `git.rs`), the
//! scope statement quoted from the approved scope document, and the prefix that turns
//! repository paths into links from where the report is read.

use super::Inputs;
use crate::Checked;
use crate::evaluate::Outcome;
use crate::model::{Item, Kind};
use std::path::{Component, Path, PathBuf};

/// Runs what the report needs from outside the evaluation: the git commit, the scope
/// statement and the base of file links (`output` is the `-o` file, if any).
pub fn gather(checked: &Checked, root: &Path, output: Option<&Path>) -> Inputs {
    Inputs {
        commit: git_commit(root),
        scope: scope_document(checked).and_then(|item| scope_statement(root, item)),
        link_base: link_base(root, &checked.root, output),
    }
}

/// `git rev-parse HEAD` run in `root`; `None` when git is missing or it is no checkout.
pub fn git_commit(root: &Path) -> Option<String> {
    crate::git::describe(root)
}

/// The approved scope document (the items that pass the scope clause's mandatory check, 4.3
/// in the built-in catalogue), else any document addressing that clause.
pub(super) fn scope_document(checked: &Checked) -> Option<&Item> {
    let scope = &checked.catalogue.roles().ok()?.scope_clause;
    let clause = checked.evaluation.clauses.iter().find(|c| &c.id == scope)?;
    let by_id = |id: &str| checked.repo.items.iter().find(|i| i.id == id);
    clause
        .checks
        .iter()
        .filter(|c| c.mandatory.is_some() && c.outcome == Outcome::Pass)
        .flat_map(|c| &c.evidence)
        .find_map(|id| by_id(id))
        .or_else(|| {
            checked
                .repo
                .addressing(scope)
                .find(|i| i.kind.is_document() || i.kind == Kind::Other)
        })
}

/// The scope statement of the scope document (a Markdown file inside the repository).
fn scope_statement(root: &Path, item: &Item) -> Option<crate::parse::markdown::Statement> {
    if !item.path.ends_with(".md") {
        return None;
    }
    let text = std::fs::read_to_string(root.join(&item.path)).ok()?;
    let text = text.replace("\r\n", "\n");
    let body = match crate::parse::front_matter::split(&text) {
        Ok(Some(split)) => split.body,
        _ => return None,
    };
    crate::parse::markdown::statement(body, &["scope", "范围"])
}

/// The prefix that makes repository paths into links. Written to a file: the way from the
/// file's folder to the root. On stdout: the root as the user wrote it.
pub fn link_base(root: &Path, written_root: &str, output: Option<&Path>) -> String {
    let from_output = output.and_then(|out| {
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        relative(&dir.canonicalize().ok()?, &root.canonicalize().ok()?)
    });
    let base = from_output.unwrap_or_else(|| written_root.replace('\\', "/"));
    let base = base.trim_end_matches('/');
    if base.is_empty() || base == "." {
        String::new()
    } else {
        format!("{base}/")
    }
}

/// The relative path from directory `from` to `to` (both absolute), `/`-separated.
fn relative(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(
            relative(Path::new("/a/b/out"), Path::new("/a/b/repo")).as_deref(),
            Some("../repo")
        );
        assert_eq!(
            relative(Path::new("/a/repo/reports"), Path::new("/a/repo")).as_deref(),
            Some("..")
        );
        assert_eq!(link_base(Path::new("."), ".", None), "");
        assert_eq!(
            link_base(Path::new("x"), "examples/acme-sms", None),
            "examples/acme-sms/"
        );
    }
}
