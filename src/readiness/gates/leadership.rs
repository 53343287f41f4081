//! Stage 1 gate `policy-and-objectives-approved`: service management policy and objectives
//! approved by top management.

use crate::evaluate::Outcome;
use crate::i18n::{Arg, Message};
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage, failing_names};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let configured = !ctx.checked.settings.top_management.is_empty();
    let checks = ctx.mandatory(Some(ctx.roles().policy_mandatory));
    let mut items = Vec::new();
    for (label, check) in &checks {
        let name = Arg::Mandatory((*label).clone());
        if check.outcome != Outcome::Pass {
            items.push(GateItem::new(
                false,
                name,
                Arg::Reason(Box::new(check.reason.clone())),
            ));
            continue;
        }
        let docs: Vec<&Item> = check
            .evidence
            .iter()
            .filter_map(|id| ctx.by_id.get(id.as_str()).copied())
            .collect();
        let approval = |d: &Item| -> Arg {
            Message::new("gate_leadership_approval")
                .text("id", &d.id)
                .text("by", d.approved_by.as_deref().unwrap_or("?"))
                .text(
                    "date",
                    d.approved_on.map(|d| d.to_string()).unwrap_or_default(),
                )
                .into()
        };
        let top: Vec<&Item> = docs
            .iter()
            .copied()
            .filter(|d| {
                !configured
                    || d.approved_by
                        .as_deref()
                        .is_some_and(|a| ctx.is_top_management(a))
            })
            .collect();
        let item = if top.is_empty() {
            let seen = docs.iter().map(|d| approval(d));
            GateItem::new(
                false,
                name,
                Message::new("gate_leadership_not_top")
                    .arg("approvals", Arg::clauses(seen))
                    .arg("names", Arg::texts(&ctx.checked.settings.top_management)),
            )
        } else {
            let mut detail: Vec<Arg> = top.iter().map(|d| approval(d)).collect();
            if !configured {
                detail.push(Arg::Ui("gate_leadership_unverified"));
            }
            GateItem::new(true, name, Arg::clauses(detail))
        }
        .ids(top.iter().map(|d| d.id.clone()).collect());
        items.push(item);
    }
    let failing = failing_names(&items);
    let (status, reason) = if checks.is_empty() {
        (GateStatus::Fail, Message::new("gate_leadership_no_check"))
    } else if failing.is_empty() {
        let key = if configured {
            "gate_leadership_pass"
        } else {
            "gate_leadership_pass_unverified"
        };
        (GateStatus::Pass, Message::new(key))
    } else {
        (
            GateStatus::Fail,
            Message::new("gate_leadership_fail")
                .arg("failing", Arg::clauses(failing.into_iter().cloned())),
        )
    };
    Gate {
        id: "policy-and-objectives-approved",
        stage: Stage::One,
        title: Message::new("gate_policy_and_objectives_approved"),
        status,
        reason,
        earliest: None,
        items,
    }
}
