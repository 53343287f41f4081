//! The validate stage, between parsing and the repository model: the rules that need more
//! than one file's text. Parsing is pure and reads one file at a time; here items are checked
//! against each other (ids, `related`) and against the file system (evidence).

mod evidence;
mod ids;

use crate::diagnostic::Diagnostic;
use crate::model::Item;
use rayon::prelude::*;
use std::path::Path;

/// Checks parsed items; returns the items that stand (with their evidence resolved) and the
/// diagnostics.
pub fn validate(items: Vec<Item>, root: &Path) -> (Vec<Item>, Vec<Diagnostic>) {
    let canonical_root = root.canonicalize().ok();
    let mut items = items;
    let mut diagnostics: Vec<Diagnostic> = items
        .par_iter_mut()
        .flat_map_iter(|item| evidence::check(item, root, canonical_root.as_deref()))
        .collect();
    let (items, id_diagnostics) = ids::check(items);
    diagnostics.extend(id_diagnostics);
    (items, diagnostics)
}
