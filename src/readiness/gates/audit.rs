//! Stage 2 gate `internal-audit`: internal audit of the SMS completed and reported.

use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let within = ctx.interval_of("internal-audit");
    let from = ctx.window_start(within);
    let mut items = Vec::new();
    for audit in ctx.records_of("internal-audit") {
        let Some(date) = audit.date else { continue };
        let (ok, detail) = if date > ctx.as_of {
            (
                false,
                format!(
                    "dated {date}, after {}: planned, not yet completed",
                    ctx.as_of
                ),
            )
        } else if date < from {
            let why = match ctx.checked.settings.operating_since {
                Some(since) if since > within.before(ctx.as_of) => {
                    format!("before operation started on {since}")
                }
                _ => format!("more than {within} before {}", ctx.as_of),
            };
            (false, format!("dated {date}, {why}"))
        } else {
            (
                true,
                format!("completed and reported on {date} in {}", audit.path),
            )
        };
        items.push(GateItem::new(ok, audit.label(), detail).ids(vec![audit.id.clone()]));
    }
    let done: Vec<&GateItem> = items.iter().filter(|i| i.ok).collect();
    let (status, reason) = match done.last() {
        Some(latest) => (
            GateStatus::Pass,
            format!("internal audit {}: {}", latest.name, latest.detail),
        ),
        None => (
            GateStatus::Fail,
            format!(
                "no internal-audit record dated between {from} and {}",
                ctx.as_of
            ),
        ),
    };
    Gate {
        id: "internal-audit",
        stage: 2,
        title: "Internal audit of the SMS completed and reported",
        status,
        reason,
        earliest: None,
        items,
    }
}
