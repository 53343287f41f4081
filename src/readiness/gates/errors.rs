//! Stage 1 gate `no-errors`: no error diagnostics.

use crate::diagnostic::Severity;
use crate::i18n::{Arg, Message};
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let items: Vec<GateItem> = ctx
        .checked
        .evaluation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            let at = match d.line {
                Some(line) => format!("{}:{line}", d.path),
                None => d.path.clone(),
            };
            GateItem::new(
                false,
                Arg::Text(at),
                Arg::Text(format!("error[{}]: {}", d.code.as_str(), d.message)),
            )
        })
        .collect();
    let (status, reason) = if items.is_empty() {
        (GateStatus::Pass, Message::new("gate_errors_pass"))
    } else {
        (
            GateStatus::Fail,
            Message::new("gate_errors_fail").count("n", items.len()),
        )
    };
    Gate {
        id: "no-errors",
        stage: Stage::One,
        title: Message::new("gate_no_errors"),
        status,
        reason,
        earliest: None,
        items,
    }
}
