//! Stage 2 gate `operating-period`: SMS operating for the minimum period, shown by records.

use crate::dates::Interval;
use crate::i18n::{Arg, Message};
use crate::readiness::context::Ctx;
use crate::readiness::{
    Gate, GateItem, GateStatus, Stage, fmt_date, month_list, month_windows, operating_period_end,
};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let months = ctx.checked.settings.min_operating_months;
    let mut gate = Gate {
        id: "operating-period",
        stage: Stage::Two,
        title: Message::new("gate_operating_period"),
        status: GateStatus::Fail,
        reason: Message::new("gate_operating_unset"),
        earliest: None,
        items: Vec::new(),
    };
    let Some(since) = ctx.checked.settings.operating_since else {
        return gate;
    };
    let end = operating_period_end(since, months);
    gate.earliest = Some(end);
    let mut empty = Vec::new();
    for (index, (from, to)) in month_windows(since, months).into_iter().enumerate() {
        let name = Message::new("gate_item_month")
            .count("month", index + 1)
            .text("from", from)
            .text("to", to);
        if from > ctx.as_of {
            gate.items.push(GateItem::new(
                false,
                name,
                Arg::Ui("gate_operating_month_ahead"),
            ));
            continue;
        }
        let records = ctx.operational_between(from, to.min(ctx.as_of));
        let item = if records.is_empty() {
            empty.push(index + 1);
            GateItem::new(false, name, Arg::Ui("gate_operating_month_empty"))
        } else {
            let shown: Vec<String> = records.iter().take(3).map(|r| r.id.clone()).collect();
            GateItem::new(
                true,
                name,
                Message::new("gate_operating_month_records").count("n", records.len()),
            )
            .ids(shown)
        };
        gate.items.push(item);
    }
    let span = Arg::Interval(Interval::months(months));
    if end > ctx.as_of {
        gate.reason = Message::new("gate_operating_ahead")
            .text("since", since)
            .arg("span", span)
            .text("end", end);
    } else if !empty.is_empty() {
        gate.reason = Message::new("gate_operating_unconfirmed")
            .text("since", since)
            .arg("months", month_list(&empty).into())
            .arg("span", span);
        if let Some(first) = ctx.operational_between(since, ctx.as_of).first() {
            gate.reason = Message::new("gate_operating_first_record")
                .arg("reason", gate.reason.into())
                .text("id", &first.id)
                .text("date", fmt_date(first.date));
        }
    } else {
        gate.status = GateStatus::Pass;
        gate.reason = Message::new("gate_operating_pass")
            .text("since", since)
            .arg("span", span)
            .text("end", end);
    }
    if end > ctx.as_of && !empty.is_empty() {
        gate.reason = Message::new("gate_operating_empty_so_far")
            .arg("reason", gate.reason.into())
            .arg("months", month_list(&empty).into());
    }
    gate
}
