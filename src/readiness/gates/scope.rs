//! Stage 1 gate `scope-approved`: scope of the SMS defined and approved.

use crate::evaluate::Outcome;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, failing_names};

/// Defined: the topics checks of the clause holding 7.5.4 a) (what a scope must say) pass;
/// approved: the a) document check passes.
pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let checks = ctx.mandatory("a)");
    let mut items = Ctx::mandatory_items(&checks);
    let holders: Vec<&str> = checks.iter().map(|(_, c)| c.check.as_str()).collect();
    for clause in &ctx.checked.evaluation.clauses {
        if !clause
            .checks
            .iter()
            .any(|c| holders.contains(&c.check.as_str()))
        {
            continue;
        }
        for topics in clause.checks.iter().filter(|c| c.kind == "topics") {
            items.push(
                GateItem::new(
                    topics.outcome == Outcome::Pass,
                    format!("scope content ({})", clause.id),
                    &topics.message,
                )
                .ids(topics.evidence.clone()),
            );
        }
    }
    let (status, reason) = if checks.is_empty() {
        (
            GateStatus::Fail,
            "the catalogue marks no check as 7.5.4 a) scope of the SMS".to_string(),
        )
    } else if items.iter().all(|i| i.ok) {
        let mut ids: Vec<&str> = items
            .iter()
            .flat_map(|i| &i.ids)
            .map(String::as_str)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        (
            GateStatus::Pass,
            format!("scope defined and approved: {}", ids.join(", ")),
        )
    } else {
        let why: Vec<&str> = failing_names(&items);
        (GateStatus::Fail, format!("not met: {}", why.join("; ")))
    };
    Gate {
        id: "scope-approved",
        stage: 1,
        title: "Scope of the SMS defined and approved",
        status,
        reason,
        earliest: None,
        items,
    }
}
