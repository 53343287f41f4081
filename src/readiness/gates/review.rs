//! Stage 2 gate `management-review`: management review held after the internal audit.

use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, fmt_date};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let audits = ctx.audits();
    let reviews: Vec<&Item> = ctx
        .records_of("management-review")
        .into_iter()
        .filter(|r| r.date.is_some_and(|d| d <= ctx.as_of))
        .collect();
    let mut gate = Gate {
        id: "management-review",
        stage: 2,
        title: "Management review held after the internal audit",
        status: GateStatus::Fail,
        reason: String::new(),
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
                format!(
                    "held on {}, after internal audit {} ({})",
                    fmt_date(review.date),
                    audit.id,
                    fmt_date(audit.date)
                ),
            ),
            None => (
                false,
                format!(
                    "held on {}, before any internal audit that counts",
                    fmt_date(review.date)
                ),
            ),
        };
        gate.items
            .push(GateItem::new(ok, review.label(), detail).ids(vec![review.id.clone()]));
    }
    match (pair, audits.last()) {
        (Some((audit, review)), _) => {
            gate.status = GateStatus::Pass;
            gate.reason = format!(
                "management review {} on {} followed internal audit {} of {}",
                review.id,
                fmt_date(review.date),
                audit.id,
                fmt_date(audit.date)
            );
        }
        (None, Some(latest)) => {
            gate.reason = format!(
                "no management-review record on or after internal audit {} of {}",
                latest.id,
                fmt_date(latest.date)
            );
        }
        (None, None) => {
            gate.reason =
                "no completed internal audit yet, so no management review can follow it".into();
        }
    }
    gate
}
