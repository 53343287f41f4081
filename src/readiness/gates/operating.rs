//! Stage 2 gate `operating-period`: SMS operating for the minimum period, shown by records.

use crate::readiness::context::Ctx;
use crate::readiness::{
    Gate, GateItem, GateStatus, fmt_date, month_list, month_windows, operating_period_end, plural,
};

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let months = ctx.checked.settings.min_operating_months;
    let mut gate = Gate {
        id: "operating-period",
        stage: 2,
        title: "SMS operating for the minimum period, shown by records",
        status: GateStatus::Fail,
        reason: String::new(),
        earliest: None,
        items: Vec::new(),
    };
    let Some(since) = ctx.checked.settings.operating_since else {
        gate.reason = "[sms] operating_since is not set in iso20k.toml: the start of \
                       operation is unknown"
            .into();
        return gate;
    };
    let end = operating_period_end(since, months);
    gate.earliest = Some(end);
    let mut empty = Vec::new();
    for (index, (from, to)) in month_windows(since, months).into_iter().enumerate() {
        let name = format!("month {} ({from} to {to})", index + 1);
        if from > ctx.as_of {
            gate.items
                .push(GateItem::new(false, name, "not reached yet"));
            continue;
        }
        let records = ctx.operational_between(from, to.min(ctx.as_of));
        let item = if records.is_empty() {
            empty.push(index + 1);
            GateItem::new(false, name, "no record of an operational process")
        } else {
            let shown: Vec<String> = records.iter().take(3).map(|r| r.id.clone()).collect();
            GateItem::new(
                true,
                name,
                format!(
                    "{} operational record{}",
                    records.len(),
                    if records.len() == 1 { "" } else { "s" }
                ),
            )
            .ids(shown)
        };
        gate.items.push(item);
    }
    let span = plural(months, "month");
    if end > ctx.as_of {
        gate.reason =
            format!("operating since {since}: {span} of operation will be reached on {end}");
    } else if !empty.is_empty() {
        gate.reason = format!(
            "operating since {since} per iso20k.toml, but no operational records in {} of \
             the first {span}: the records do not confirm the start date",
            month_list(&empty)
        );
        if let Some(first) = ctx.operational_between(since, ctx.as_of).first() {
            gate.reason.push_str(&format!(
                " (first operational record: {} on {})",
                first.id,
                fmt_date(first.date)
            ));
        }
    } else {
        gate.status = GateStatus::Pass;
        gate.reason = format!(
            "operating since {since}: {span} reached on {end}, with operational records in \
             every month"
        );
    }
    if end > ctx.as_of && !empty.is_empty() {
        gate.reason.push_str(&format!(
            "; no operational records yet in {}",
            month_list(&empty)
        ));
    }
    gate
}
