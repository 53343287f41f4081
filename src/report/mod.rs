//! The gap report as data: a language-resolved view of a finished check (cover, executive
//! summary, preconditions, clauses, mandatory documented information, diagnostics). Built
//! once by [`build`]; every report format (Markdown, HTML, CSV, XLSX, JSON) only lays it out.
//! What the report reads besides the check (git commit, scope statement, link base) is
//! gathered in `gather`; the chart and gauge geometry lives in `chart`.

mod chart;
mod gather;

pub use chart::{Chart, ChartRow, Gauge, LegendEntry, Segment};
use chart::{chart, gauge};
use gather::scope_document;
pub use gather::{gather, git_commit, link_base};

use crate::Checked;
use crate::catalogue::checks::Check;
use crate::catalogue::{Catalogue, Clause};
use crate::diagnostic::Severity;
use crate::evaluate::{self, CheckResult, ClauseResult, ClauseStatus, Outcome};
use crate::i18n::{Lang, Localizer};
use crate::model::{Item, Status};
use serde::Serialize;
use std::collections::HashMap;

/// How many blocking findings the executive summary lists.
pub const TOP_GAPS: usize = 10;

/// What the report needs from outside the evaluation: gathered by [`gather`].
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `git rev-parse HEAD` in the repository, when it is a git checkout.
    pub commit: Option<String>,
    /// The scope statement quoted from the approved scope document.
    pub scope: Option<crate::parse::markdown::Statement>,
    /// Prefix that turns a repository path into a link from where the report is read.
    pub link_base: String,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    pub lang: &'static str,
    pub cover: Cover,
    pub summary: ExecSummary,
    pub chart: Chart,
    pub gauge: Gauge,
    pub top_gaps: Vec<Gap>,
    /// Blocking findings beyond the ones listed.
    pub more_gaps: usize,
    pub more_gaps_text: Option<String>,
    /// The readiness verdict as a sentence ("Verdict: ready for stage 1, ...").
    pub verdict: String,
    /// The gates of `iso20k readiness`, by audit stage.
    pub stages: Vec<Stage>,
    pub groups: Vec<Group>,
    pub mandatory: Vec<Mandatory>,
    pub diagnostics: Vec<DiagnosticView>,
    /// Texts that fell back to English (empty for a complete translation).
    #[serde(skip)]
    pub missing_translations: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Cover {
    pub organization: Option<String>,
    pub scope: Option<Scope>,
    pub catalogue_id: String,
    pub catalogue_title: String,
    pub as_of: String,
    pub tool: String,
    pub commit: Option<String>,
    pub root: String,
}

#[derive(Debug, Serialize)]
pub struct Scope {
    pub source: String,
    pub href: String,
    pub paragraph: Option<String>,
    pub bullets: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ExecSummary {
    pub score: String,
    pub automated_score: String,
    /// How the score is computed, with the figures filled in.
    pub explained: String,
    /// How many clauses an assessment decided, as a sentence (`None` when none).
    pub assessed_text: Option<String>,
    /// Errors, warnings and items, as a sentence.
    pub problems_text: String,
    pub evaluated: usize,
    pub counts: Vec<Count>,
    pub assessed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub items: usize,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub status: &'static str,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct Gap {
    pub rank: usize,
    pub clause: String,
    pub anchor: String,
    pub title: String,
    pub status: &'static str,
    pub status_label: String,
    pub mandatory: Option<String>,
    pub finding: String,
    pub recommendation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Stage {
    pub name: String,
    pub date: String,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Serialize)]
pub struct Condition {
    pub label: String,
    /// `holds`, `fails` or `unknown`.
    pub state: &'static str,
    pub state_label: String,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub anchor: String,
    pub clauses: Vec<ClauseView>,
}

#[derive(Debug, Serialize)]
pub struct ClauseView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub status: &'static str,
    pub status_label: String,
    pub automated: &'static str,
    pub automated_label: String,
    pub summary: String,
    pub mostly_manual: bool,
    pub assessment: Option<AssessmentView>,
    pub evidence: Vec<Link>,
    pub findings: Vec<FindingView>,
    pub to_judge: Vec<FindingView>,
}

#[derive(Debug, Serialize)]
pub struct AssessmentView {
    pub id: String,
    pub href: String,
    pub result: &'static str,
    pub result_label: String,
    pub assessor: String,
    pub date: String,
    /// "automated: partial; assessed: met by J. Smith on 2026-10-02", in the report language.
    pub line: String,
    pub valid_until: String,
    pub note: String,
    pub evidence: Vec<Link>,
}

#[derive(Debug, Serialize, Clone)]
pub struct Link {
    pub id: String,
    pub title: Option<String>,
    pub href: String,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub check: String,
    pub check_type: String,
    pub description: String,
    pub finding: String,
    pub recommendation: String,
    pub mandatory: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Mandatory {
    pub label: String,
    pub clause: String,
    pub anchor: String,
    pub check: String,
    /// `covered`, `not-current` or `missing`.
    pub state: &'static str,
    pub state_label: String,
    /// For records (7.5.4 l): how many recent records were found.
    pub records: Option<String>,
    pub documents: Vec<DocumentRow>,
}

#[derive(Debug, Serialize)]
pub struct DocumentRow {
    pub id: String,
    pub title: String,
    pub href: String,
    pub status: String,
    pub owner: String,
    pub approved_by: String,
    pub approved_on: String,
    pub next_review: String,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct DiagnosticView {
    pub severity: &'static str,
    pub severity_label: String,
    pub code: &'static str,
    pub path: String,
    pub line: Option<u32>,
    pub location: String,
    pub message: String,
}

/// `clause-8-7-2`: an HTML id and Markdown anchor for a clause.
pub fn anchor(id: &str) -> String {
    format!("clause-{}", id.replace('.', "-"))
}

fn status_key(status: ClauseStatus) -> &'static str {
    status.as_str()
}

/// Builds the report in the localizer's language.
/// Fails only when a catalogue of one's own has no `roles` (the report's preconditions and
/// the ranking of gaps need them).
pub fn build(
    checked: &Checked,
    inputs: &Inputs,
    t: &Localizer,
) -> Result<Report, crate::catalogue::CatalogueError> {
    let evaluation = &checked.evaluation;
    let catalogue = &checked.catalogue;
    let roles = catalogue.roles()?;
    let items: HashMap<&str, &Item> = checked
        .repo
        .items
        .iter()
        .map(|i| (i.id.as_str(), i))
        .collect();
    let ctx = Ctx {
        t,
        items: &items,
        base: &inputs.link_base,
        catalogue,
        roles,
    };

    let mut groups: Vec<Group> = Vec::new();
    for clause in &evaluation.clauses {
        let group_id = clause
            .id
            .split('.')
            .next()
            .unwrap_or(&clause.id)
            .to_string();
        if groups.last().is_none_or(|g| g.id != group_id) {
            let title = catalogue
                .clause(&group_id)
                .map(|c| t.clause_title(c))
                .unwrap_or_default();
            groups.push(Group {
                anchor: format!("group-{}", group_id.replace('.', "-")),
                id: group_id,
                title,
                clauses: Vec::new(),
            });
        }
        if let Some(group) = groups.last_mut() {
            group.clauses.push(ctx.clause(clause));
        }
    }

    let summary = &evaluation.summary;
    let counts = ClauseStatus::ALL
        .iter()
        .map(|&s| Count {
            status: status_key(s),
            label: t.status(s),
            count: evaluation.clauses.iter().filter(|c| c.status == s).count(),
        })
        .collect();
    let (top_gaps, more_gaps) = ctx.top_gaps(&evaluation.clauses);
    let readiness = crate::readiness::assess(checked, crate::stage::Stage::Two)?;
    let scope = inputs.scope.as_ref().and_then(|statement| {
        let item = scope_document(checked)?;
        Some(Scope {
            source: t.fill(
                "cover_scope_source",
                &[
                    ("id", &item.id),
                    ("title", item.title.as_deref().unwrap_or("")),
                ],
            ),
            href: ctx.href(&item.path),
            paragraph: Some(statement.paragraph.clone()).filter(|p| !p.is_empty()),
            bullets: statement.bullets.clone(),
        })
    });
    let report = Report {
        lang: t.lang().code(),
        cover: Cover {
            organization: checked.settings.organization.clone(),
            scope,
            catalogue_id: catalogue.id.clone(),
            catalogue_title: catalogue.title.clone(),
            as_of: evaluation.as_of.to_string(),
            tool: format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            commit: inputs.commit.clone(),
            root: checked.root.clone(),
        },
        summary: ExecSummary {
            score: format!("{:.1}", summary.score),
            automated_score: format!("{:.1}", summary.automated_score),
            explained: t.fill(
                "score_explained",
                &[
                    ("n", &evaluation.clauses.len().to_string()),
                    ("automated", &format!("{:.1}", summary.automated_score)),
                ],
            ),
            assessed_text: (summary.assessed > 0)
                .then(|| t.fill("assessed_count", &[("n", &summary.assessed.to_string())])),
            problems_text: t.fill(
                "file_problems_count",
                &[
                    ("errors", &summary.errors.to_string()),
                    ("warnings", &summary.warnings.to_string()),
                    ("items", &summary.items.to_string()),
                ],
            ),
            evaluated: evaluation.clauses.len(),
            counts,
            assessed: summary.assessed,
            errors: summary.errors,
            warnings: summary.warnings,
            items: summary.items,
        },
        chart: chart(&groups, t),
        gauge: gauge(summary.score),
        top_gaps,
        more_gaps,
        more_gaps_text: (more_gaps > 0)
            .then(|| t.fill("top_gaps_more", &[("n", &more_gaps.to_string())])),
        stages: ctx.stages(checked, &readiness),
        verdict: format!(
            "{}{}{}",
            t.ui("verdict"),
            t.ui("colon"),
            t.ui(readiness.verdict.key())
        ),
        mandatory: ctx.mandatory(checked),
        diagnostics: evaluation
            .diagnostics
            .iter()
            .map(|d| DiagnosticView {
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                severity_label: t.severity(d.severity),
                code: d.code.as_str(),
                path: d.path.clone(),
                line: d.line,
                location: match d.line {
                    Some(line) => format!("{}:{line}", d.path),
                    None => d.path.clone(),
                },
                // The message names the specifics (ids, dates, keys) and is English; other
                // languages explain the code first and keep the message after it.
                message: match t.lang() {
                    Lang::En => d.message.clone(),
                    _ => format!(
                        "{}{}{}",
                        t.code(d.code).trim_end_matches(['。', '.']),
                        t.ui("colon"),
                        d.message
                    ),
                },
            })
            .collect(),
        groups,
        missing_translations: Vec::new(),
    };
    Ok(Report {
        missing_translations: t.missing(),
        ..report
    })
}

struct Ctx<'a> {
    t: &'a Localizer,
    items: &'a HashMap<&'a str, &'a Item>,
    base: &'a str,
    catalogue: &'a Catalogue,
    roles: &'a crate::catalogue::Roles,
}

impl Ctx<'_> {
    fn href(&self, path: &str) -> String {
        if path.contains("://") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    fn item_link(&self, id: &str) -> Link {
        match self.items.get(id) {
            Some(item) => Link {
                id: id.to_string(),
                title: item.title.clone(),
                href: self.href(&item.path),
            },
            None => Link {
                id: id.to_string(),
                title: None,
                href: String::new(),
            },
        }
    }

    fn path_link(&self, path: &str) -> Link {
        Link {
            id: path.to_string(),
            title: None,
            href: self.href(path),
        }
    }

    fn finding(&self, check: &CheckResult, clause: Option<&Clause>) -> FindingView {
        let source = clause.and_then(|c| c.checks.iter().find(|k| k.id() == check.check));
        let description = source
            .map(|c| self.t.check_description(c.id(), c.description()))
            .unwrap_or_default();
        FindingView {
            check: check.check.clone(),
            check_type: self.t.check_type(check.kind),
            description,
            finding: self.t.reason(&check.reason),
            recommendation: self
                .t
                .check_recommendation(&check.check, &check.recommendation),
            mandatory: check.mandatory.as_ref().map(|m| self.t.mandatory(m)),
        }
    }

    fn clause(&self, result: &ClauseResult) -> ClauseView {
        let t = self.t;
        let clause = self.catalogue.clause(&result.id);
        let assessment = result.assessment.as_ref().map(|a| {
            let status = ClauseStatus::from(a.result);
            AssessmentView {
                id: a.id.clone(),
                href: self.href(&a.path),
                result: status.as_str(),
                result_label: t.status(status),
                assessor: a.assessor.clone(),
                date: a.date.to_string(),
                line: t.fill(
                    "assessed_line",
                    &[
                        ("automated", &t.status(result.automated)),
                        ("result", &t.status(status)),
                        ("assessor", &a.assessor),
                        ("date", &a.date.to_string()),
                    ],
                ),
                valid_until: t.fill(
                    "assessment_valid_until",
                    &[("date", &a.valid_until.to_string())],
                ),
                note: a.note.clone(),
                evidence: a.evidence.iter().map(|p| self.path_link(p)).collect(),
            }
        });
        let findings = result
            .checks
            .iter()
            .filter(|c| c.outcome == Outcome::Fail)
            .map(|c| self.finding(c, clause))
            .collect();
        let to_judge = if assessment.is_some() {
            Vec::new()
        } else {
            result
                .checks
                .iter()
                .filter(|c| c.outcome == Outcome::Manual)
                .map(|c| self.finding(c, clause))
                .collect()
        };
        ClauseView {
            id: result.id.clone(),
            anchor: anchor(&result.id),
            title: clause.map(|c| t.clause_title(c)).unwrap_or_default(),
            status: status_key(result.status),
            status_label: t.status(result.status),
            automated: status_key(result.automated),
            automated_label: t.status(result.automated),
            summary: clause.map(|c| t.clause_summary(c)).unwrap_or_default(),
            mostly_manual: clause.and_then(|c| c.judgement.as_deref()) == Some("mostly-manual"),
            assessment,
            evidence: result
                .evidence
                .iter()
                .map(|id| self.item_link(id))
                .collect(),
            findings,
            to_judge,
        }
    }

    /// Failed checks of clauses that are not met, most blocking first: missing mandatory
    /// documented information, then 9.2, 9.3 and 10.1, then the rest; gaps before partials,
    /// then catalogue order. A clause an assessor judged not met without a failed check is
    /// listed with the assessor's note.
    fn top_gaps(&self, clauses: &[ClauseResult]) -> (Vec<Gap>, usize) {
        let t = self.t;
        let mut all: Vec<((u8, u8, usize, usize), Gap)> = Vec::new();
        for (index, result) in clauses.iter().enumerate() {
            if !matches!(result.status, ClauseStatus::Partial | ClauseStatus::Gap) {
                continue;
            }
            let clause = self.catalogue.clause(&result.id);
            // Clauses whose failure blocks certification right after missing mandatory
            // documents (the catalogue's priority clauses: audit, review, corrective action).
            let key_clause = u8::from(!self.roles.priority_clauses.contains(&result.id));
            let severity = u8::from(result.status != ClauseStatus::Gap);
            let gap = |finding: String, recommendation: Option<String>, mandatory| Gap {
                rank: 0,
                clause: result.id.clone(),
                anchor: anchor(&result.id),
                title: clause.map(|c| t.clause_title(c)).unwrap_or_default(),
                status: status_key(result.status),
                status_label: t.status(result.status),
                mandatory,
                finding,
                recommendation,
            };
            let failed: Vec<&CheckResult> = result
                .checks
                .iter()
                .filter(|c| c.outcome == Outcome::Fail)
                .collect();
            for (position, check) in failed.iter().enumerate() {
                let view = self.finding(check, clause);
                let tier = if check.mandatory.is_some() {
                    0
                } else {
                    1 + key_clause
                };
                all.push((
                    (tier, severity, index, position),
                    gap(view.finding, Some(view.recommendation), view.mandatory),
                ));
            }
            if failed.is_empty()
                && let Some(a) = &result.assessment
            {
                let recommendation = result
                    .checks
                    .iter()
                    .find(|c| c.outcome == Outcome::Manual)
                    .map(|c| t.check_recommendation(&c.check, &c.recommendation));
                let finding = t.fill(
                    "assessed_gap",
                    &[
                        ("result", &t.status(ClauseStatus::from(a.result))),
                        ("assessor", &a.assessor),
                        ("date", &a.date.to_string()),
                        ("note", &a.note),
                    ],
                );
                all.push((
                    (1 + key_clause, severity, index, 0),
                    gap(finding, recommendation, None),
                ));
            }
        }
        all.sort_by_key(|(key, _)| *key);
        let more = all.len().saturating_sub(TOP_GAPS);
        let gaps = all
            .into_iter()
            .take(TOP_GAPS)
            .enumerate()
            .map(|(i, (_, gap))| Gap { rank: i + 1, ..gap })
            .collect();
        (gaps, more)
    }

    /// The stage 1 and stage 2 gates of `iso20k readiness`, each with its state and why.
    /// English shows the gate's own reason; other languages name the items behind it.
    fn stages(&self, checked: &Checked, readiness: &crate::readiness::Readiness) -> Vec<Stage> {
        let t = self.t;
        let settings = &checked.settings;
        let date = |d: Option<jiff::civil::Date>| match d {
            Some(d) => t.fill("stage_date", &[("date", &d.to_string())]),
            None => t.ui("stage_date_none"),
        };
        [
            (crate::stage::Stage::One, "stage1", settings.stage1),
            (crate::stage::Stage::Two, "stage2", settings.stage2),
        ]
        .into_iter()
        .map(|(stage, name, planned)| Stage {
            name: t.ui(name),
            date: date(planned),
            conditions: readiness
                .gates
                .iter()
                .filter(|g| g.stage == stage)
                .map(|gate| self.condition(gate))
                .collect(),
        })
        .collect()
    }

    fn condition(&self, gate: &crate::readiness::Gate) -> Condition {
        let t = self.t;
        let holds = gate.status == crate::readiness::GateStatus::Pass;
        let state = if holds { "holds" } else { "fails" };
        let detail = t.message(&gate.reason);
        Condition {
            label: t.message(&gate.title),
            state,
            state_label: t.ui(&format!("state_{state}")),
            detail,
        }
    }

    /// 7.5.4: every check marked `mandatory`, ordered by its letter, with the documents that
    /// cover it (or the candidates that do not yet count).
    fn mandatory(&self, checked: &Checked) -> Vec<Mandatory> {
        let t = self.t;
        let evaluation = &checked.evaluation;
        let options = evaluate::Options {
            as_of: evaluation.as_of,
            review_interval: checked.settings.review_interval,
        };
        let mut rows: Vec<(String, Mandatory)> = Vec::new();
        for result in &evaluation.clauses {
            let clause = self.catalogue.clause(&result.id);
            for check in result.checks.iter() {
                let Some(label) = &check.mandatory else {
                    continue;
                };
                let source = clause.and_then(|c| c.checks.iter().find(|k| k.id() == check.check));
                let is_records = check.kind == "records";
                let ids: Vec<String> = if check.outcome == Outcome::Pass || is_records {
                    check.evidence.clone()
                } else if let Some(Check::Document(c)) = source {
                    let targets: Vec<&str> = if c.clauses.is_empty() {
                        vec![result.id.as_str()]
                    } else {
                        c.clauses.iter().map(String::as_str).collect()
                    };
                    evaluate::candidates(&checked.repo, &targets, &c.kinds)
                        .into_iter()
                        .map(|i| i.id.clone())
                        .collect()
                } else {
                    Vec::new()
                };
                let state = match (check.outcome, ids.is_empty()) {
                    (Outcome::Pass, _) => "covered",
                    (_, false) if !is_records => "not-current",
                    _ => "missing",
                };
                let documents = if is_records {
                    Vec::new()
                } else {
                    ids.iter()
                        .filter_map(|id| self.items.get(id.as_str()))
                        .map(|item| self.document_row(item, &options))
                        .collect()
                };
                let records = (is_records && check.outcome == Outcome::Pass)
                    .then(|| self.t.reason(&check.reason));
                rows.push((
                    label.to_string(),
                    Mandatory {
                        label: t.mandatory(label),
                        clause: result.id.clone(),
                        anchor: anchor(&result.id),
                        check: check.check.clone(),
                        state,
                        state_label: t.ui(match state {
                            "covered" => "mandatory_covered",
                            "not-current" => "mandatory_not_current",
                            _ => "mandatory_missing",
                        }),
                        records,
                        documents,
                    },
                ));
            }
        }
        // Stable: items with the same letter keep catalogue order.
        rows.sort_by(|a, b| a.0.split(')').next().cmp(&b.0.split(')').next()));
        rows.into_iter().map(|(_, row)| row).collect()
    }

    fn document_row(&self, item: &Item, options: &evaluate::Options) -> DocumentRow {
        let due = item.review_due(options.review_interval);
        DocumentRow {
            id: item.id.clone(),
            title: item.title.clone().unwrap_or_default(),
            href: self.href(&item.path),
            status: self.t.doc_status(item.status),
            owner: item.owner.clone().unwrap_or_default(),
            approved_by: item.approved_by.clone().unwrap_or_default(),
            approved_on: item.approved_on.map(|d| d.to_string()).unwrap_or_default(),
            next_review: due.map(|d| d.to_string()).unwrap_or_default(),
            overdue: item.status == Some(Status::Approved)
                && due.is_some_and(|d| d < options.as_of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors() {
        assert_eq!(anchor("8.7.2"), "clause-8-7-2");
    }
}
