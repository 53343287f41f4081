//! Rules across items: one item per id (the first in path order is kept, the others
//! reported naming both places), and `related` ids that name an item.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Item;
use std::collections::HashMap;

/// Keeps the first item of each id, in (path, line, id) order, and reports the rest and every
/// `related` id no item has.
pub(super) fn check(mut items: Vec<Item>) -> (Vec<Item>, Vec<Diagnostic>) {
    items.sort_by(|a, b| (&a.path, a.line, &a.id).cmp(&(&b.path, b.line, &b.id)));
    let mut diagnostics = Vec::new();
    let mut first: HashMap<String, (String, u32)> = HashMap::with_capacity(items.len());
    items.retain(|item| match first.get(&item.id) {
        Some((path, line)) => {
            diagnostics.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &item.path,
                    format!("duplicate id {}: already used in {path}:{line}", item.id),
                )
                .at(Some(item.line)),
            );
            false
        }
        None => {
            first.insert(item.id.clone(), (item.path.clone(), item.line));
            true
        }
    });
    for item in &items {
        for related in &item.related {
            if !first.contains_key(related) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnknownRelated,
                        &item.path,
                        format!("{}: related id {related} does not exist", item.id),
                    )
                    .at(Some(item.line))
                    .help(crate::suggest::did_you_mean(
                        related,
                        first.keys().map(String::as_str),
                    )),
                );
            }
        }
    }
    (items, diagnostics)
}
