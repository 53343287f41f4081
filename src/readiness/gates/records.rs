//! Stage 2 gate `operational-records`: records for each operational process.

use crate::dates::Interval;
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{
    Gate, GateItem, GateStatus, OPERATIONAL_PROCESSES, failing_names, fmt_date,
};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let from = ctx.window_start(Interval::months(12));
    let mut items = Vec::new();
    for (process, types) in OPERATIONAL_PROCESSES {
        let mut found: Vec<&Item> = types
            .iter()
            .flat_map(|rt| ctx.checked.repo.records_between(rt, from, ctx.as_of))
            .collect();
        found.sort_by(|a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
        let kinds = types.join("/");
        let item = match found.first() {
            Some(latest) => GateItem::new(
                true,
                *process,
                format!(
                    "{} {kinds} record{} since {from}, latest {} on {}",
                    found.len(),
                    if found.len() == 1 { "" } else { "s" },
                    latest.id,
                    fmt_date(latest.date)
                ),
            )
            .ids(vec![latest.id.clone()]),
            None => GateItem::new(false, *process, format!("no {kinds} record since {from}")),
        };
        items.push(item);
    }
    let missing: Vec<&str> = failing_names(&items);
    let (status, reason) = if missing.is_empty() {
        (
            GateStatus::Pass,
            format!(
                "records for all {} operational processes since {from}",
                items.len()
            ),
        )
    } else {
        (
            GateStatus::Fail,
            format!("no records since {from} for: {}", missing.join(", ")),
        )
    };
    Gate {
        id: "operational-records",
        stage: 2,
        title: "Records for each operational process",
        status,
        reason,
        earliest: None,
        items,
    }
}
