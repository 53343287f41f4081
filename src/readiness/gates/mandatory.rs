//! Stage 1 gate `mandatory-documents`: mandatory documented information (7.5.4) present and
//! approved.

use crate::i18n::Message;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateStatus, Stage, failing_names, letters};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let checks = ctx.mandatory(None);
    let items = Ctx::mandatory_items(&checks);
    let missing = failing_names(&items);
    let (status, reason) = if checks.is_empty() {
        (GateStatus::Fail, Message::new("gate_mandatory_no_check"))
    } else if missing.is_empty() {
        (
            GateStatus::Pass,
            Message::new("gate_mandatory_pass").count("count", items.len()),
        )
    } else {
        (
            GateStatus::Fail,
            Message::new("gate_mandatory_fail")
                .count("failing", missing.len())
                .count("count", items.len())
                .arg("letters", letters(&missing)),
        )
    };
    Gate {
        id: "mandatory-documents",
        stage: Stage::One,
        title: Message::new("gate_mandatory_documents"),
        status,
        reason,
        earliest: None,
        items,
    }
}
