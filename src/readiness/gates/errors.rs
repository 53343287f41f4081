//! Stage 1 gate `no-errors`: no error diagnostics.

use crate::diagnostic::Severity;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus};

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
                at,
                format!("error[{}]: {}", d.code.as_str(), d.message),
            )
        })
        .collect();
    let (status, reason) = if items.is_empty() {
        (GateStatus::Pass, "no error diagnostics".to_string())
    } else {
        (
            GateStatus::Fail,
            format!(
                "{} error diagnostic{} (run `iso20k check`)",
                items.len(),
                if items.len() == 1 { "" } else { "s" }
            ),
        )
    };
    Gate {
        id: "no-errors",
        stage: 1,
        title: "No error diagnostics",
        status,
        reason,
        earliest: None,
        items,
    }
}
