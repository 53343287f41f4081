//! Stage 2 gate `corrective-actions`: corrective actions recorded for the audit's nonconformities.

use crate::i18n::{Arg, Message};
use crate::model::Item;
use crate::readiness::context::Ctx;
use crate::readiness::{Gate, GateItem, GateStatus, NC_AFTER_AUDIT_DAYS, Stage, raised_by};
use jiff::ToSpan;
use jiff::civil::Date;
use std::collections::HashMap;

pub(in crate::readiness) fn gate<'a>(ctx: &Ctx<'a>) -> Gate {
    let audits = ctx.audits();
    let roles = ctx.roles();
    let ncs = ctx.records_of(&roles.nonconformity);
    let cas = ctx.records_of(&roles.corrective_action);
    let mut gate = Gate {
        id: "corrective-actions",
        stage: Stage::Two,
        title: Message::new("gate_corrective_actions"),
        status: GateStatus::Fail,
        reason: Message::new("gate_corrective_no_audit"),
        earliest: None,
        items: Vec::new(),
    };
    if audits.is_empty() {
        return gate;
    }
    // Indexes, so thousands of audits, nonconformities and actions stay linear.
    let mut by_related: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, nc) in ncs.iter().enumerate() {
        for id in &nc.related {
            by_related.entry(id.as_str()).or_default().push(index);
        }
    }
    let nc_index: HashMap<&str, usize> = ncs
        .iter()
        .enumerate()
        .map(|(i, nc)| (nc.id.as_str(), i))
        .collect();
    let mut answers: HashMap<&str, Vec<&Item>> = HashMap::new();
    for ca in &cas {
        for id in &ca.related {
            answers.entry(id.as_str()).or_default().push(ca);
        }
    }
    let ca_ids: HashMap<&str, &Item> = cas.iter().map(|ca| (ca.id.as_str(), *ca)).collect();
    // Each nonconformity once, with the first audit (by date) that raised it.
    let mut raised: Vec<(usize, &Item)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for audit in &audits {
        let mut candidates: Vec<usize> = audit
            .related
            .iter()
            .filter_map(|id| nc_index.get(id.as_str()).copied())
            .collect();
        candidates.extend(by_related.get(audit.id.as_str()).into_iter().flatten());
        if let Some(date) = audit.date {
            // `ncs` is sorted by date: the date fallback's window is a slice of it.
            let start = ncs.partition_point(|nc| nc.date < Some(date));
            let last = date
                .checked_add(NC_AFTER_AUDIT_DAYS.days())
                .unwrap_or(Date::MAX);
            let end = ncs.partition_point(|nc| nc.date <= Some(last));
            candidates.extend(start..end.max(start));
        }
        candidates.sort_unstable();
        candidates.dedup();
        for index in candidates {
            if raised_by(ncs[index], audit, &ctx.by_id, &roles.nonconformity) && seen.insert(index)
            {
                raised.push((index, audit));
            }
        }
    }
    raised.sort_by_key(|(index, _)| *index);
    for (index, audit) in raised {
        let nc = ncs[index];
        let mut found: Vec<&Item> = answers.get(nc.id.as_str()).cloned().unwrap_or_default();
        found.extend(
            nc.related
                .iter()
                .filter_map(|id| ca_ids.get(id.as_str()).copied()),
        );
        found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        found.dedup_by(|a, b| a.id == b.id);
        let mut ids = vec![nc.id.clone()];
        ids.extend(found.iter().map(|ca| ca.id.clone()));
        let item = if found.is_empty() {
            GateItem::new(
                false,
                Arg::Text(nc.label()),
                Message::new("gate_corrective_open").text("audit", &audit.id),
            )
        } else {
            GateItem::new(
                true,
                Arg::Text(nc.label()),
                Message::new("gate_corrective_answered")
                    .text("audit", &audit.id)
                    .arg("actions", Arg::texts(found.iter().map(|ca| &ca.id))),
            )
        };
        gate.items.push(item.ids(ids));
    }
    let open: Vec<&str> = gate
        .items
        .iter()
        .filter(|i| !i.ok)
        .map(|i| i.ids[0].as_str())
        .collect();
    let audit_ids = Arg::texts(audits.iter().map(|a| &a.id));
    if gate.items.is_empty() {
        gate.status = GateStatus::Pass;
        gate.reason = Message::new("gate_corrective_none").arg("audits", audit_ids);
    } else if open.is_empty() {
        gate.status = GateStatus::Pass;
        gate.reason = Message::new("gate_corrective_pass")
            .count("count", gate.items.len())
            .arg("audits", audit_ids);
    } else {
        gate.reason = Message::new("gate_corrective_fail").arg("open", Arg::texts(open));
    }
    gate
}
