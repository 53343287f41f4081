//! Stage 1 gate `scope-approved`: scope of the SMS defined and approved.

use crate::evaluate::Outcome;
use crate::i18n::{Arg, Message};
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage, failing_names};

/// Defined: the topics checks of the clause holding 7.5.4 a) (what a scope must say) pass;
/// approved: the a) document check passes.
pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let checks = ctx.mandatory(Some(ctx.roles().scope_mandatory));
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
                    Message::new("gate_item_scope_content").text("clause", &clause.id),
                    Arg::Reason(Box::new(topics.reason.clone())),
                )
                .ids(topics.evidence.clone()),
            );
        }
    }
    let (status, reason) = if checks.is_empty() {
        (GateStatus::Fail, Message::new("gate_scope_no_check"))
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
            Message::new("gate_scope_pass").arg("ids", Arg::texts(ids)),
        )
    } else {
        let why = failing_names(&items).into_iter().cloned();
        (
            GateStatus::Fail,
            Message::new("gate_not_met").arg("failing", Arg::clauses(why)),
        )
    };
    Gate {
        id: "scope-approved",
        stage: Stage::One,
        title: Message::new("gate_scope_approved"),
        status,
        reason,
        earliest: None,
        items,
    }
}
