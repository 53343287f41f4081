//! What every readiness gate reads: the finished check, `--as-of`, the items by id, and the
//! lookups several gates share (mandatory checks by 7.5.4 letter, records by type, windows).

use super::GateItem;
use crate::Checked;
use crate::catalogue::{Mandatory, Roles};
use crate::dates::Interval;
use crate::evaluate::{CheckResult, Outcome};
use crate::i18n::Arg;
use crate::model::Item;
use jiff::civil::Date;
use std::collections::HashMap;

/// What every gate reads.
pub(super) struct Ctx<'a> {
    pub(super) checked: &'a Checked,
    roles: &'a Roles,
    pub(super) as_of: Date,
    pub(super) by_id: HashMap<&'a str, &'a Item>,
}

impl<'a> Ctx<'a> {
    /// What the catalogue says the standard's roles are (scope, audits, reviews, processes).
    pub(super) fn roles(&self) -> &'a Roles {
        self.roles
    }

    pub(super) fn new(checked: &'a Checked, roles: &'a Roles) -> Self {
        Ctx {
            checked,
            roles,
            as_of: checked.evaluation.as_of,
            by_id: checked
                .repo
                .items
                .iter()
                .map(|i| (i.id.as_str(), i))
                .collect(),
        }
    }

    /// Checks marking mandatory documented information with 7.5.4 item `letter` (every one
    /// when `None`), sorted by item.
    pub(super) fn mandatory(&self, letter: Option<char>) -> Vec<(&'a Mandatory, &'a CheckResult)> {
        let mut found: Vec<(&Mandatory, &CheckResult)> = self
            .checked
            .evaluation
            .clauses
            .iter()
            .flat_map(|c| &c.checks)
            .filter_map(|c| c.mandatory.as_ref().map(|m| (m, c)))
            .filter(|(m, _)| letter.is_none_or(|l| m.letter == l))
            .collect();
        found.sort_by(|a, b| (a.0, &a.1.check).cmp(&(b.0, &b.1.check)));
        found
    }

    pub(super) fn mandatory_items(checks: &[(&Mandatory, &CheckResult)]) -> Vec<GateItem> {
        checks
            .iter()
            .map(|(item, c)| {
                GateItem::new(
                    c.outcome == Outcome::Pass,
                    Arg::Mandatory((*item).clone()),
                    Arg::Reason(Box::new(c.reason.clone())),
                )
                .ids(c.evidence.clone())
            })
            .collect()
    }

    /// Whether `approved_by` names one of the configured top managers (case-insensitive
    /// substring, so "Managing Director" matches "Daniel Reeves (Managing Director)").
    pub(super) fn is_top_management(&self, approved_by: &str) -> bool {
        let approver = approved_by.to_lowercase();
        self.checked
            .settings
            .top_management
            .iter()
            .any(|name| !name.trim().is_empty() && approver.contains(&name.trim().to_lowercase()))
    }

    /// Operational records dated in `[from, to]`, oldest first.
    pub(super) fn operational_between(&self, from: Date, to: Date) -> Vec<&'a Item> {
        let mut found: Vec<&Item> = self
            .roles()
            .operational_processes
            .iter()
            .flat_map(|process| &process.record_types)
            .flat_map(|rt| self.checked.repo.records_between(rt, from, to))
            .collect();
        found.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        found
    }

    /// Start of the window a stage 2 audit looks at: the later of `operating_since` and
    /// `within` before `--as-of`.
    pub(super) fn window_start(&self, within: Interval) -> Date {
        let floor = within.before(self.as_of);
        match self.checked.settings.operating_since {
            Some(since) if since > floor => since,
            _ => floor,
        }
    }

    pub(super) fn interval_of(&self, record_type: &str) -> Interval {
        self.checked
            .catalogue
            .record_types
            .get(record_type)
            .and_then(|rt| rt.interval.as_deref())
            .and_then(|text| Interval::parse(text).ok())
            .unwrap_or(Interval::months(12))
    }

    /// Records of `record_type`, oldest first (every date, also after `--as-of`).
    pub(super) fn records_of(&self, record_type: &str) -> Vec<&'a Item> {
        self.checked
            .repo
            .record_dates
            .get(record_type)
            .into_iter()
            .flatten()
            .map(|&(_, i)| &self.checked.repo.items[i])
            .collect()
    }

    /// Completed internal audits that count: dated in the window before `--as-of`.
    pub(super) fn audits(&self) -> Vec<&'a Item> {
        let audit = &self.roles().internal_audit;
        let from = self.window_start(self.interval_of(audit));
        self.records_of(audit)
            .into_iter()
            .filter(|a| a.date.is_some_and(|d| d >= from && d <= self.as_of))
            .collect()
    }
}
