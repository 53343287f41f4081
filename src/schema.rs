//! `iso20k schema`: a JSON Schema (draft-07) of an item as written in Markdown front matter or
//! a YAML file, so that editors (the VS Code YAML extension, any yaml-language-server client)
//! complete and validate as people type. Written as data from the same sources the parser
//! checks against: the kinds, statuses and classifications of the model, and the clause ids
//! and record types of the catalogue (plus the repository's own, when given).

use crate::catalogue::Catalogue;
use crate::model::{Classification, Kind, Status};
use serde_json::{Value, json};

/// Kinds that need `clauses:` (the rest: registers, evidence, records whose type implies
/// them, and assessments, which name their one `clause`).
fn kinds_needing_clauses() -> Vec<&'static str> {
    Kind::NAMES
        .iter()
        .copied()
        .filter(|k| !matches!(*k, "register" | "evidence" | "record" | "assessment"))
        .collect()
}

fn document_kinds() -> Vec<&'static str> {
    Kind::NAMES
        .iter()
        .copied()
        .filter(|k| Kind::parse(k).is_some_and(Kind::is_document))
        .collect()
}

fn kind_is(kinds: &[&str]) -> Value {
    json!({"properties": {"kind": {"enum": kinds}}, "required": ["kind"]})
}

/// The schema for `catalogue`; `extra_record_types` are the repository's `[check] record_types`.
pub fn schema(catalogue: &Catalogue, extra_record_types: &[String]) -> Value {
    let clause_ids: Vec<&str> = catalogue.clauses.iter().map(|c| c.id.as_str()).collect();
    let clause_titles: Vec<&str> = catalogue.clauses.iter().map(|c| c.title.as_str()).collect();
    let mut record_types: Vec<&str> = catalogue.record_types.keys().map(String::as_str).collect();
    let mut record_type_descriptions: Vec<&str> = catalogue
        .record_types
        .values()
        .map(|rt| rt.description.as_deref().unwrap_or(""))
        .collect();
    for extra in extra_record_types {
        if !record_types.contains(&extra.as_str()) {
            record_types.push(extra);
            record_type_descriptions.push("declared in [check] record_types");
        }
    }
    let implying: Vec<&str> = catalogue
        .record_types
        .iter()
        .filter(|(_, rt)| !rt.clauses.is_empty())
        .map(|(name, _)| name.as_str())
        .collect();

    let record_properties = json!({
        "id": {"type": "string", "minLength": 1, "description": "Unique id across the repository (e.g. INC-2026-0042)."},
        "title": {"type": "string"},
        "date": {"$ref": "#/definitions/date", "description": "When the activity took place."},
        "record_type": {"$ref": "#/definitions/recordType"},
        "clauses": {"$ref": "#/definitions/clauses"},
        "status": {"type": "string", "description": "A record's own workflow state (closed, successful, ...): free text."},
        "evidence": {"$ref": "#/definitions/evidence"},
        "classification": {"$ref": "#/definitions/classification"},
        "related": {"$ref": "#/definitions/ids"}
    });

    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": format!("iso20k item ({})", catalogue.id),
        "description": "One item of documented information: the front matter of a Markdown file, or a YAML file with `id` and `kind`. Keys not listed here are kept and ignored by iso20k.",
        "type": "object",
        "required": ["id", "kind"],
        "properties": {
            "id": {"type": "string", "minLength": 1, "description": "Unique across the repository (e.g. POL-001, CHG-2026-0142)."},
            "title": {"type": "string", "description": "Human title (optional for records)."},
            "kind": {
                "enum": Kind::NAMES,
                "description": "What the item is. Documents (policy, plan, process, procedure, agreement, catalogue) need status and owner; records need record_type and date; a register holds records."
            },
            "clauses": {"$ref": "#/definitions/clauses"},
            "status": {"type": "string", "description": "Documents: draft, approved or retired. Records: their own workflow state."},
            "owner": {"type": "string", "description": "Role or person accountable."},
            "version": {"type": ["string", "number"], "description": "Version label; quote it (\"2.1\") to keep trailing zeros."},
            "approved_by": {"type": "string", "description": "Who approved it (required when status is approved)."},
            "approved_on": {"$ref": "#/definitions/date", "description": "Approval date (required when status is approved)."},
            "next_review": {"$ref": "#/definitions/date", "description": "Date of the next review."},
            "review_interval": {"$ref": "#/definitions/interval"},
            "record_type": {"$ref": "#/definitions/recordType"},
            "date": {"$ref": "#/definitions/date", "description": "Records: when the activity took place."},
            "evidence": {"$ref": "#/definitions/evidence"},
            "classification": {"$ref": "#/definitions/classification"},
            "related": {"$ref": "#/definitions/ids"},
            "clause": {"type": "string", "enum": clause_ids, "description": "Assessments: the clause judged."},
            "result": {"enum": ["met", "partial", "gap"], "description": "Assessments: the assessor's verdict on the clause."},
            "assessor": {"type": "string", "description": "Assessments: who judged (consultant or auditor)."},
            "note": {"type": "string", "description": "Assessments: what was seen or heard."},
            "records": {
                "type": "array",
                "description": "Registers: the records, each with at least id and date; record_type, clauses and classification default to the register's.",
                "items": {"$ref": "#/definitions/record"}
            }
        },
        "allOf": [
            {
                "if": kind_is(&["record"]),
                "then": {"required": ["record_type", "date"]},
                "else": {
                    "required": ["title"],
                    "properties": {"status": {"enum": Status::NAMES}}
                }
            },
            {"if": kind_is(&document_kinds()), "then": {"required": ["status", "owner"]}},
            {"if": kind_is(&kinds_needing_clauses()), "then": {"required": ["clauses"]}},
            {
                "if": {
                    "allOf": [
                        kind_is(&["record"]),
                        {"not": {"properties": {"record_type": {"enum": implying}}, "required": ["record_type"]}}
                    ]
                },
                "then": {"required": ["clauses"]}
            },
            {"if": kind_is(&["register"]), "then": {"required": ["record_type", "records"]}},
            {"if": kind_is(&["assessment"]), "then": {"required": ["clause", "result", "assessor", "date"]}},
            {
                "if": {
                    "allOf": [
                        {"not": kind_is(&["record"])},
                        {"properties": {"status": {"const": "approved"}}, "required": ["status"]}
                    ]
                },
                "then": {"required": ["approved_by", "approved_on"]}
            }
        ],
        "definitions": {
            "date": {
                "type": "string",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                "format": "date",
                "description": "A calendar date, YYYY-MM-DD."
            },
            "interval": {
                "type": "string",
                "pattern": "^\\s*[0-9]{1,4}\\s+([Dd][Aa][Yy]|[Ww][Ee][Ee][Kk]|[Mm][Oo][Nn][Tt][Hh]|[Yy][Ee][Aa][Rr])[Ss]?\\s*$",
                "description": "A count and a unit: \"6 months\", \"90 days\", \"2 weeks\", \"1 year\"."
            },
            "clauses": {
                "type": "array",
                "description": format!("Clause ids of {} the item addresses, as strings (\"8.5.1.1\").", catalogue.title),
                "items": {
                    "type": "string",
                    "enum": clause_ids,
                    "enumDescriptions": clause_titles
                }
            },
            "recordType": {
                "type": "string",
                "description": "The activity a record shows. Other types are accepted with a warning unless listed in [check] record_types.",
                "anyOf": [
                    {"enum": record_types, "enumDescriptions": record_type_descriptions},
                    {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
                ]
            },
            "classification": {
                "enum": Classification::NAMES,
                "description": "Who may see the item; default internal."
            },
            "evidence": {
                "type": "array",
                "description": "Paths relative to the file (inside the repository) or https:// URLs.",
                "items": {"type": "string", "minLength": 1}
            },
            "ids": {"type": "array", "items": {"type": "string"}},
            "record": {
                "type": "object",
                "required": ["id", "date"],
                "properties": record_properties
            }
        }
    })
}
