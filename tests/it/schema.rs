//! `iso20k schema`: a valid JSON Schema that accepts every item of the example repository and
//! refuses the mistakes `check` reports as errors; the repository's own clauses and record
//! types when a PATH is given; and the editor set-up documented in the README.

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema(args: &[&str]) -> Value {
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(root())
        .arg("schema")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

fn errors(validator: &jsonschema::Validator, item: &Value) -> Vec<String> {
    validator
        .iter_errors(item)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// The items of a repository as JSON: Markdown front matter, and YAML files with id and kind.
fn items(dir: &Path, out: &mut Vec<(PathBuf, Value)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            items(&path, out);
            continue;
        }
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let yaml = match ext {
            "md" => match text
                .strip_prefix("---\n")
                .and_then(|t| t.split_once("\n---"))
            {
                Some((front, _)) => front.to_string(),
                None => continue,
            },
            "yaml" | "yml" => text,
            _ => continue,
        };
        let value: Value = yaml_serde::from_str(&yaml).unwrap();
        if value.get("id").is_some() && value.get("kind").is_some() {
            out.push((path, value));
        }
    }
}

#[test]
fn the_schema_is_a_valid_draft_07_schema() {
    let schema = schema(&[]);
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let meta = jsonschema::meta::validate(&schema);
    assert!(meta.is_ok(), "{meta:?}");
    let kinds = schema["properties"]["kind"]["enum"].as_array().unwrap();
    assert_eq!(kinds.len(), 12);
    let clauses = schema["definitions"]["clauses"]["items"]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(clauses.len(), 79, "every clause of the catalogue");
    let record_types = schema["definitions"]["recordType"]["anyOf"][0]["enum"]
        .as_array()
        .unwrap();
    assert_eq!(record_types.len(), 34, "the core vocabulary");
}

#[test]
fn every_item_of_the_example_repository_is_valid() {
    let validator = validator(&schema(&[]));
    let mut found = Vec::new();
    items(&root().join("examples/acme-sms"), &mut found);
    // drafts/ is excluded from checks and holds work in progress; everything else is clean.
    found.retain(|(path, _)| !path.to_string_lossy().contains("/drafts/"));
    assert!(found.len() > 50, "found {} items", found.len());
    for (path, item) in &found {
        let errors = errors(&validator, item);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn the_minimal_example_and_fresh_init_repositories_are_valid() {
    let validator = validator(&schema(&[]));
    let scratch = tempfile::tempdir().unwrap();
    let mut dirs = vec![root().join("examples/minimal")];
    for lang in ["en", "zh-CN"] {
        let dir = scratch.path().join(lang);
        Command::cargo_bin("iso20k")
            .unwrap()
            .args(["init", "--lang", lang])
            .arg(&dir)
            .assert()
            .success();
        dirs.push(dir);
    }
    for dir in dirs {
        let mut found = Vec::new();
        items(&dir, &mut found);
        assert!(!found.is_empty(), "{} has items", dir.display());
        for (path, item) in &found {
            let errors = errors(&validator, item);
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        }
    }
}

#[test]
fn the_mistakes_check_reports_are_refused() {
    let validator = validator(&schema(&[]));
    let good = json!({
        "id": "POL-001", "title": "Policy", "kind": "policy", "clauses": ["5.2.1"],
        "status": "approved", "owner": "MD", "approved_by": "Board", "approved_on": "2026-03-01",
        "review_interval": "6 months", "custom_key": {"kept": true}
    });
    assert!(
        errors(&validator, &good).is_empty(),
        "{:?}",
        errors(&validator, &good)
    );
    let record =
        json!({"id": "INC-1", "kind": "record", "record_type": "incident", "date": "2026-05-06"});
    assert!(errors(&validator, &record).is_empty());
    let custom = json!({"id": "PT-1", "kind": "record", "record_type": "penetration-test", "date": "2026-05-06", "clauses": ["8.7.3.1"]});
    assert!(
        errors(&validator, &custom).is_empty(),
        "other record types are accepted"
    );

    let broken = |patch: Value| {
        let mut item = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                item.as_object_mut().unwrap().remove(k);
            } else {
                item[k] = v.clone();
            }
        }
        item
    };
    for (why, item) in [
        ("unknown kind", broken(json!({"kind": "polcy"}))),
        ("unknown clause", broken(json!({"clauses": ["8.99"]}))),
        ("numeric clause", broken(json!({"clauses": [8.1]}))),
        ("no approved_on", broken(json!({"approved_on": null}))),
        ("no owner", broken(json!({"owner": null}))),
        ("no title", broken(json!({"title": null}))),
        ("no clauses", broken(json!({"clauses": null}))),
        ("unknown status", broken(json!({"status": "aproved"}))),
        ("bad date", broken(json!({"approved_on": "1 March 2026"}))),
        (
            "bad interval",
            broken(json!({"review_interval": "half a year"})),
        ),
        (
            "bad classification",
            broken(json!({"classification": "secret"})),
        ),
        ("no id", broken(json!({"id": null}))),
        (
            "record without date",
            json!({"id": "INC-1", "kind": "record", "record_type": "incident"}),
        ),
        (
            "unknown record type without clauses",
            json!({"id": "X-1", "kind": "record", "record_type": "pen-test", "date": "2026-01-01"}),
        ),
        (
            "register without records",
            json!({"id": "REG", "title": "R", "kind": "register", "record_type": "incident"}),
        ),
        (
            "register entry without date",
            json!({"id": "REG", "title": "R", "kind": "register", "record_type": "incident",
                   "records": [{"id": "INC-1"}]}),
        ),
    ] {
        assert!(
            !errors(&validator, &item).is_empty(),
            "the schema accepts an item with {why}"
        );
    }
}

#[test]
fn a_path_adds_the_repository_controls_and_record_types() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iso20k.controls.yaml"),
        r#"clauses:
  - id: ORG-1
    title: Penetration testing
    summary: A yearly penetration test.
    checks:
      - id: org-pentest-records
        type: records
        record_types: [penetration-test]
        within: "12 months"
        description: A penetration test in the last 12 months.
        recommendation: Commission one.
record_types:
  penetration-test:
    clauses: ["ORG-1"]
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("iso20k.toml"),
        "[check]\nrecord_types = [\"tabletop-exercise\"]\n",
    )
    .unwrap();
    let with_repo = schema(&[dir.path().to_str().unwrap()]);
    let item = json!({"id": "P", "title": "P", "kind": "plan", "clauses": ["ORG-1"],
                      "status": "draft", "owner": "CISO"});
    assert!(errors(&validator(&with_repo), &item).is_empty());
    assert!(!errors(&validator(&schema(&[])), &item).is_empty());
    let types = with_repo["definitions"]["recordType"]["anyOf"][0]["enum"]
        .as_array()
        .unwrap();
    assert!(types.contains(&json!("tabletop-exercise")));

    Command::cargo_bin("iso20k")
        .unwrap()
        .args(["schema", "/no/such/dir"])
        .assert()
        .code(2);
}

#[test]
fn the_readme_editor_set_up_points_at_the_generated_schema() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("<!-- vscode-settings:start -->")
        .expect("README has the VS Code settings example");
    let block = &readme[start..];
    let json_start = block.find("```json\n").unwrap() + 8;
    let json_end = block[json_start..].find("```").unwrap() + json_start;
    let settings: Value = serde_json::from_str(&block[json_start..json_end])
        .expect("the settings example is valid JSON");
    let schemas = settings["yaml.schemas"].as_object().unwrap();
    assert!(schemas.contains_key("./iso20k.schema.json"));
    assert!(readme.contains("iso20k schema . > iso20k.schema.json"));
    assert!(readme.contains("# yaml-language-server: $schema=./iso20k.schema.json"));
}
