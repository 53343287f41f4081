//! Stage 2 gate `management-review`: management review held after the internal audit.

use crate::i18n::{Arg, Message};
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage, fmt_date};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let audits = ctx.audits();
    let reviews: Vec<&Item> = ctx
        .records_of(&ctx.roles().management_review)
        .into_iter()
        .filter(|r| r.date.is_some_and(|d| d <= ctx.as_of))
        .collect();
    let mut gate = Gate {
        id: "management-review",
        stage: Stage::Two,
        title: Message::new("gate_management_review"),
        status: GateStatus::Fail,
        reason: Message::new("gate_review_no_audit"),
        earliest: None,
        items: Vec::new(),
    };
    // The latest audit that a management review followed: one complete cycle is enough.
    let pair = audits.iter().rev().find_map(|audit| {
        reviews
            .iter()
            .rev()
            .find(|r| r.date >= audit.date)
            .map(|r| (*audit, *r))
    });
    for review in &reviews {
        let after = audits.iter().rev().find(|a| review.date >= a.date);
        let (ok, detail) = match after {
            Some(audit) => (
                true,
                Message::new("gate_review_after")
                    .text("date", fmt_date(review.date))
                    .text("audit", &audit.id)
                    .text("audit_date", fmt_date(audit.date)),
            ),
            None => (
                false,
                Message::new("gate_review_before").text("date", fmt_date(review.date)),
            ),
        };
        gate.items.push(
            GateItem::new(ok, Arg::Text(review.label()), detail).ids(vec![review.id.clone()]),
        );
    }
    match (pair, audits.last()) {
        (Some((audit, review)), _) => {
            gate.status = GateStatus::Pass;
            gate.reason = Message::new("gate_review_pass")
                .text("id", &review.id)
                .text("date", fmt_date(review.date))
                .text("audit", &audit.id)
                .text("audit_date", fmt_date(audit.date));
        }
        (None, Some(latest)) => {
            gate.reason = Message::new("gate_review_fail")
                .arg(
                    "type",
                    Arg::RecordType(ctx.roles().management_review.clone()),
                )
                .text("audit", &latest.id)
                .text("audit_date", fmt_date(latest.date));
        }
        (None, None) => {}
    }
    gate
}
