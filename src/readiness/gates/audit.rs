//! Stage 2 gate `internal-audit`: internal audit of the SMS completed and reported.

use crate::i18n::{Arg, Message};
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let record_type = &ctx.roles().internal_audit;
    let within = ctx.interval_of(record_type);
    let from = ctx.window_start(within);
    let mut items = Vec::new();
    for audit in ctx.records_of(record_type) {
        let Some(date) = audit.date else { continue };
        let (ok, detail) = if date > ctx.as_of {
            (
                false,
                Message::new("gate_audit_planned")
                    .text("date", date)
                    .text("as_of", ctx.as_of),
            )
        } else if date < from {
            let why = match ctx.checked.settings.operating_since {
                Some(since) if since > within.before(ctx.as_of) => {
                    Message::new("gate_audit_before_operation").text("since", since)
                }
                _ => Message::new("gate_audit_too_old")
                    .arg("within", Arg::Interval(within))
                    .text("as_of", ctx.as_of),
            };
            (false, why.text("date", date))
        } else {
            (
                true,
                Message::new("gate_audit_done")
                    .text("date", date)
                    .text("path", &audit.path),
            )
        };
        items.push(GateItem::new(ok, Arg::Text(audit.label()), detail).ids(vec![audit.id.clone()]));
    }
    let done: Vec<&GateItem> = items.iter().filter(|i| i.ok).collect();
    let (status, reason) = match done.last() {
        Some(latest) => (
            GateStatus::Pass,
            Message::new("gate_audit_pass")
                .arg("name", latest.name.clone())
                .arg("detail", latest.detail.clone()),
        ),
        None => (
            GateStatus::Fail,
            Message::new("gate_audit_fail")
                .arg("type", Arg::RecordType(record_type.clone()))
                .text("from", from)
                .text("as_of", ctx.as_of),
        ),
    };
    Gate {
        id: "internal-audit",
        stage: Stage::Two,
        title: Message::new("gate_internal_audit"),
        status,
        reason,
        earliest: None,
        items,
    }
}
