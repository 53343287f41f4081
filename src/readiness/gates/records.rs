//! Stage 2 gate `operational-records`: records for each operational process.

use crate::dates::Interval;
use crate::i18n::{Arg, Message};
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, Stage, failing_names, fmt_date};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let from = ctx.window_start(Interval::months(12));
    let mut items = Vec::new();
    for process in &ctx.roles().operational_processes {
        let types = &process.record_types;
        let mut found: Vec<&Item> = types
            .iter()
            .flat_map(|rt| ctx.checked.repo.records_between(rt, from, ctx.as_of))
            .collect();
        found.sort_by(|a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
        let kinds = Arg::List {
            items: types
                .iter()
                .map(|t| Arg::RecordType(t.to_string()))
                .collect(),
            separator: "list_kinds_separator",
        };
        let item = match found.first() {
            Some(latest) => GateItem::new(
                true,
                Arg::Process(process.name.clone()),
                Message::new("gate_records_found")
                    .count("n", found.len())
                    .arg("kinds", kinds)
                    .text("from", from)
                    .text("id", &latest.id)
                    .text("date", fmt_date(latest.date)),
            )
            .ids(vec![latest.id.clone()]),
            None => GateItem::new(
                false,
                Arg::Process(process.name.clone()),
                Message::new("gate_records_none")
                    .arg("kinds", kinds)
                    .text("from", from),
            ),
        };
        items.push(item);
    }
    let missing = failing_names(&items);
    let (status, reason) = if missing.is_empty() {
        (
            GateStatus::Pass,
            Message::new("gate_records_pass")
                .count("count", items.len())
                .text("from", from),
        )
    } else {
        let missing = Arg::list(missing.into_iter().cloned());
        (
            GateStatus::Fail,
            Message::new("gate_records_fail")
                .text("from", from)
                .arg("missing", missing),
        )
    };
    Gate {
        id: "operational-records",
        stage: Stage::Two,
        title: Message::new("gate_operational_records"),
        status,
        reason,
        earliest: None,
        items,
    }
}
