//! Stage 1 gate `policy-and-objectives-approved`: service management policy and objectives approved by top management.

use crate::evaluate::Outcome;
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, failing_names};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let configured = !ctx.checked.settings.top_management.is_empty();
    let checks = ctx.mandatory("b)");
    let mut items = Vec::new();
    for (label, check) in &checks {
        if check.outcome != Outcome::Pass {
            items.push(GateItem::new(false, *label, &check.message));
            continue;
        }
        let docs: Vec<&Item> = check
            .evidence
            .iter()
            .filter_map(|id| ctx.by_id.get(id.as_str()).copied())
            .collect();
        let approval = |d: &Item| {
            format!(
                "{} approved by {} on {}",
                d.id,
                d.approved_by.as_deref().unwrap_or("?"),
                d.approved_on.map(|d| d.to_string()).unwrap_or_default()
            )
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
            let seen: Vec<String> = docs.iter().map(|d| approval(d)).collect();
            GateItem::new(
                false,
                *label,
                format!(
                    "{}; none of them is listed in [readiness] top_management ({})",
                    seen.join("; "),
                    ctx.checked.settings.top_management.join(", ")
                ),
            )
        } else {
            let mut detail: Vec<String> = top.iter().map(|d| approval(d)).collect();
            if !configured {
                detail.push(
                    "top management not verified: list it under [readiness] top_management".into(),
                );
            }
            GateItem::new(true, *label, detail.join("; "))
        }
        .ids(top.iter().map(|d| d.id.clone()).collect());
        items.push(item);
    }
    let failing: Vec<&str> = failing_names(&items);
    let (status, reason) = if checks.is_empty() {
        (
            GateStatus::Fail,
            "the catalogue marks no check as 7.5.4 b) policy and objectives".to_string(),
        )
    } else if failing.is_empty() {
        let how = if configured {
            "approved by top management"
        } else {
            "approved (approver not verified as top management)"
        };
        (
            GateStatus::Pass,
            format!("service management policy and objectives {how}"),
        )
    } else {
        (
            GateStatus::Fail,
            format!("not approved by top management: {}", failing.join("; ")),
        )
    };
    Gate {
        id: "policy-and-objectives-approved",
        stage: 1,
        title: "Service management policy and objectives approved by top management",
        status,
        reason,
        earliest: None,
        items,
    }
}
