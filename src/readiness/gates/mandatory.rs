//! Stage 1 gate `mandatory-documents`: mandatory documented information (7.5.4) present and approved.

use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateStatus, failing_names, letters};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let checks = ctx.mandatory("");
    let items = Ctx::mandatory_items(&checks);
    let missing: Vec<&str> = failing_names(&items);
    let (status, reason) = if checks.is_empty() {
        (
            GateStatus::Fail,
            "the catalogue marks no check as mandatory documented information".to_string(),
        )
    } else if missing.is_empty() {
        (
            GateStatus::Pass,
            format!(
                "all {} checks of mandatory documented information (7.5.4 a to l) pass",
                items.len()
            ),
        )
    } else {
        (
            GateStatus::Fail,
            format!(
                "{} of {} checks fail: {}",
                missing.len(),
                items.len(),
                letters(&missing)
            ),
        )
    };
    Gate {
        id: "mandatory-documents",
        stage: 1,
        title: "Mandatory documented information (7.5.4) present and approved",
        status,
        reason,
        earliest: None,
        items,
    }
}
