//! The CI output formats of `check` (junit, sarif, github) on tests/fixtures/ci: golden
//! snapshots, validation against the Jenkins JUnit schema and the SARIF 2.1.0 schema, the
//! escaping of workflow commands, the job summary, and `--fail-on` exit codes in every format.

use crate::common::{iso20k, root};
use iso20k::diagnostic::Code;
use quick_xml::events::Event;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const AS_OF: &str = "2026-11-23";
const FIXTURE: &str = "tests/fixtures/ci";
const CATALOGUE: &str = "tests/fixtures/catalogues/ci.yaml";
const FORMATS: &[&str] = &["human", "json", "junit", "sarif", "github"];

/// `check` on the CI fixture with its catalogue: (stdout, exit code).
fn check(format: &str, extra: &[&str]) -> (String, i32) {
    let output = iso20k()
        .args(["check", FIXTURE, "--catalogue", CATALOGUE, "--as-of", AS_OF])
        .args(["--format", format])
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        output.status.code().unwrap(),
    )
}

fn check_acme(format: &str) -> String {
    let output = iso20k()
        .args([
            "check",
            "examples/acme-sms",
            "--as-of",
            AS_OF,
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn junit_golden() {
    let (xml, code) = check("junit", &[]);
    assert_eq!(
        code, 1,
        "two error diagnostics fail the default --fail-on error"
    );
    insta::assert_snapshot!("junit", xml);
}

#[test]
fn sarif_golden() {
    let (sarif, _) = check("sarif", &[]);
    insta::assert_snapshot!("sarif", sarif);
}

#[test]
fn github_golden() {
    let (text, _) = check("github", &[]);
    insta::assert_snapshot!("github", text);
}

#[test]
fn json_golden_is_the_contract_document() {
    let (json, _) = check("json", &[]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["summary"]["gap"], 3);
    insta::assert_snapshot!("json", json);
}

// ---------------------------------------------------------------------------------------------
// JUnit

/// What the XSD allows for one element.
#[derive(Debug, Default, Clone)]
struct ElementRule {
    attributes: BTreeSet<String>,
    required: BTreeSet<String>,
    children: BTreeSet<String>,
    text: bool,
}

fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == name.as_bytes())
        .map(|a| String::from_utf8(a.value.into_owned()).unwrap())
}

/// Reads the element declarations of an XSD written like the Jenkins JUnit schema: global
/// elements whose complex types list attributes and referenced (or local) child elements,
/// `mixed="true"` or `type="xs:string"` for text, and named complex types used by `type=`.
fn xsd_rules(xsd: &str) -> BTreeMap<String, ElementRule> {
    let mut reader = quick_xml::Reader::from_str(xsd);
    let mut elements: BTreeMap<String, ElementRule> = BTreeMap::new();
    let mut named_types: BTreeMap<String, ElementRule> = BTreeMap::new();
    let mut element_types: Vec<(String, String)> = Vec::new();
    // (depth, what is being declared: element name or "type:Name")
    let mut current: Option<(usize, String)> = None;
    let mut depth = 0usize;
    loop {
        let event = reader.read_event().unwrap();
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(_) => {
                depth -= 1;
                if current.as_ref().is_some_and(|(d, _)| *d == depth) {
                    current = None;
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let e = start.unwrap();
        let tag = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let top = depth == 1;
        match (tag.as_str(), top) {
            ("xs:element", true) => {
                let name = attribute(&e, "name").unwrap();
                let mut rule = ElementRule::default();
                match attribute(&e, "type").as_deref() {
                    Some("xs:string") => rule.text = true,
                    Some(other) => element_types.push((name.clone(), other.to_string())),
                    None => {}
                }
                elements.insert(name.clone(), rule);
                if !empty {
                    current = Some((depth, name));
                }
            }
            ("xs:complexType", true) => {
                let name = attribute(&e, "name").unwrap();
                let rule = ElementRule {
                    text: attribute(&e, "mixed").as_deref() == Some("true"),
                    ..Default::default()
                };
                named_types.insert(name.clone(), rule);
                if !empty {
                    current = Some((depth, format!("type:{name}")));
                }
            }
            (_, false) => {
                if let Some((_, target)) = &current {
                    let rule = match target.strip_prefix("type:") {
                        Some(t) => named_types.get_mut(t).unwrap(),
                        None => elements.get_mut(target).unwrap(),
                    };
                    match tag.as_str() {
                        "xs:complexType" if attribute(&e, "mixed").as_deref() == Some("true") => {
                            rule.text = true
                        }
                        "xs:element" => {
                            let child = attribute(&e, "ref").or_else(|| attribute(&e, "name"));
                            rule.children.insert(child.unwrap());
                        }
                        "xs:attribute" => {
                            let name = attribute(&e, "name").unwrap();
                            if attribute(&e, "use").as_deref() == Some("required") {
                                rule.required.insert(name.clone());
                            }
                            rule.attributes.insert(name);
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        if !empty {
            depth += 1;
        }
    }
    for (element, ty) in element_types {
        let rule = named_types[&ty].clone();
        elements.insert(element, rule);
    }
    elements
}

/// Checks `xml` against the rules read from the XSD: known elements only, under an allowed
/// parent, with allowed and required attributes, and text only where the schema allows it.
fn validate_junit(xml: &str, rules: &BTreeMap<String, ElementRule>) -> Result<usize, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let (e, empty) = match &event {
            Event::Start(e) => (e.clone(), false),
            Event::Empty(e) => (e.clone(), true),
            Event::End(_) => {
                stack.pop();
                continue;
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|e| e.to_string())?;
                if !text.trim().is_empty() {
                    let parent = stack.last().ok_or("text outside the root")?;
                    if !rules[parent].text {
                        return Err(format!("<{parent}> may not contain text: {text:?}"));
                    }
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        elements += 1;
        let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
        let rule = rules
            .get(&name)
            .ok_or_else(|| format!("<{name}> is not in the schema"))?;
        match stack.last() {
            Some(parent) if !rules[parent].children.contains(&name) => {
                return Err(format!("<{name}> is not allowed in <{parent}>"));
            }
            None if name != "testsuites" && name != "testsuite" => {
                return Err(format!("root <{name}> is neither testsuites nor testsuite"));
            }
            _ => {}
        }
        let mut present = BTreeSet::new();
        for a in e.attributes() {
            let a = a.map_err(|e| e.to_string())?;
            let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
            if !rule.attributes.contains(&key) {
                return Err(format!("<{name}> may not have attribute {key}"));
            }
            present.insert(key);
        }
        if let Some(missing) = rule.required.difference(&present).next() {
            return Err(format!("<{name}> lacks required attribute {missing}"));
        }
        if !empty {
            stack.push(name);
        }
    }
    Ok(elements)
}

fn junit_xsd() -> String {
    std::fs::read_to_string(root().join("tests/schemas/junit.xsd")).unwrap()
}

/// Validates with xmllint as well when it is installed (it is not needed for the test).
fn xmllint_accepts(xml: &str) -> Option<bool> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    std::fs::write(&file, xml).unwrap();
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(root().join("tests/schemas/junit.xsd"))
        .arg(&file)
        .output()
        .ok()?;
    if !output.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    }
    Some(output.status.success())
}

#[test]
fn the_schema_reader_sees_the_jenkins_rules() {
    let rules = xsd_rules(&junit_xsd());
    assert!(rules["testsuites"].children.contains("testsuite"));
    assert!(!rules["testsuites"].attributes.contains("skipped"));
    assert!(rules["testsuite"].required.contains("failures"));
    assert!(rules["testcase"].required.contains("name"));
    assert!(rules["failure"].text);
    assert!(rules["rerunFailure"].children.contains("stackTrace"));
    assert!(!rules["testcase"].text);
    // The checker refuses what the schema forbids.
    let bad = r#"<testsuites skipped="0"><testsuite name="a" tests="0" failures="0" errors="0"/></testsuites>"#;
    assert!(validate_junit(bad, &rules).unwrap_err().contains("skipped"));
    let bad = r#"<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase name="x" file="f"/></testsuite></testsuites>"#;
    assert!(validate_junit(bad, &rules).unwrap_err().contains("file"));
    let bad = r#"<testsuites><testsuite name="a" tests="1" errors="0"/></testsuites>"#;
    assert!(
        validate_junit(bad, &rules)
            .unwrap_err()
            .contains("failures")
    );
}

#[test]
fn junit_is_valid_against_the_jenkins_schema() {
    let rules = xsd_rules(&junit_xsd());
    for xml in [check("junit", &[]).0, check_acme("junit")] {
        let elements = validate_junit(&xml, &rules).unwrap();
        assert!(elements > 10);
        if let Some(ok) = xmllint_accepts(&xml) {
            assert!(ok, "xmllint --schema refuses the report");
        }
    }
}

#[test]
fn junit_parses_back_with_a_case_per_clause_and_per_file() {
    let (xml, _) = check("junit", &[]);
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let (json, _) = check("json", &[]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    let clauses = doc["clauses"].as_array().unwrap();
    let files: BTreeSet<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(report.test_suites.len(), 2);
    let clause_suite = &report.test_suites[0];
    assert_eq!(clause_suite.test_cases.len(), clauses.len());
    let not_met = clauses
        .iter()
        .filter(|c| c["status"] == "partial" || c["status"] == "gap")
        .count();
    assert_eq!(clause_suite.failures, not_met);
    assert_eq!(clause_suite.skipped, 1, "the manual clause is skipped");
    let file_suite = &report.test_suites[1];
    assert_eq!(file_suite.test_cases.len(), files.len());
    assert_eq!(file_suite.failures, files.len());
    let names: Vec<&str> = file_suite
        .test_cases
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert!(names.contains(&"tests/fixtures/ci/records/audit, 100%.md"));
    // The failure text carries the findings.
    let gap = clause_suite
        .test_cases
        .iter()
        .find(|c| c.name.as_str() == "9.2 Internal audit")
        .unwrap();
    match &gap.status {
        quick_junit::TestCaseStatus::NonSuccess {
            message,
            description,
            ty,
            ..
        } => {
            assert_eq!(ty.as_ref().unwrap().as_str(), "gap");
            assert!(message.as_ref().unwrap().as_str().contains("1 of 1"));
            assert!(
                description
                    .as_ref()
                    .unwrap()
                    .as_str()
                    .contains("no internal-audit record in the 12 months")
            );
        }
        other => panic!("9.2 should fail: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// SARIF

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(text: &str) -> Value {
    let doc: Value = serde_json::from_str(text).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    doc
}

#[test]
fn the_sarif_schema_check_can_fail() {
    let validator = sarif_validator();
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]});
    assert!(
        !validator.is_valid(&bad),
        "driver without name must be refused"
    );
    let bad = serde_json::json!({"version": "2.0.0", "runs": []});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_is_valid_and_locates_every_result() {
    for (text, catalogue) in [
        (check("sarif", &[]).0, Some(root().join(CATALOGUE))),
        (check_acme("sarif"), None),
    ] {
        let doc = assert_valid_sarif(&text);
        assert_eq!(doc["version"], "2.1.0");
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let catalogue = iso20k::load_catalogue(catalogue.as_deref()).unwrap();
        let checks: usize = catalogue.clauses.iter().map(|c| c.checks.len()).sum();
        assert_eq!(
            rules.len(),
            Code::ALL.len() + checks,
            "a rule per code and check"
        );
        let ids: BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), rules.len(), "rule ids are unique");
        for result in run["results"].as_array().unwrap() {
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], result["ruleId"]);
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().unwrap();
            assert!(!uri.is_empty());
            assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn sarif_places_results_at_path_line_and_column() {
    let doc: Value = serde_json::from_str(&check("sarif", &[]).0).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let find = |rule: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == rule)
            .unwrap_or_else(|| panic!("no result for {rule}"))
    };
    let yaml = &find("yaml-syntax")["locations"][0]["physicalLocation"];
    assert_eq!(
        yaml["artifactLocation"]["uri"],
        "tests/fixtures/ci/registers/changes.yaml"
    );
    assert_eq!(yaml["region"]["startLine"], 9);
    assert_eq!(yaml["region"]["startColumn"], 1);
    let future = &find("record-in-future")["locations"][0]["physicalLocation"];
    assert_eq!(
        future["artifactLocation"]["uri"],
        "tests/fixtures/ci/records/audit%2C%20100%25.md"
    );
    // A gap found on the draft policy that should provide the clause.
    let draft = find("8.2/leadership-policy");
    assert_eq!(draft["kind"], "fail");
    assert_eq!(
        draft["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/ci/policies/leadership.md"
    );
    // Nothing addresses 9.3: its finding is placed on iso20k.toml.
    let orphan = find("9.3/review-records");
    assert_eq!(
        orphan["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "tests/fixtures/ci/iso20k.toml"
    );
    // Met and manual clauses give no result.
    assert!(
        results
            .iter()
            .all(|r| !r["ruleId"].as_str().unwrap().starts_with("10.1/"))
    );
}

// ---------------------------------------------------------------------------------------------
// GitHub

#[test]
fn github_commands_escape_paths_and_messages() {
    let (text, _) = check("github", &[]);
    assert!(text.contains(
        "::warning file=tests/fixtures/ci/records/audit%2C 100%25.md,line=6,title=iso20k record-in-future::"
    ));
    assert!(text.contains(
        "::error file=tests/fixtures/ci/registers/changes.yaml,line=9,col=1,title=iso20k yaml-syntax::"
    ));
    // Help goes on a second line of the annotation, escaped.
    assert!(text.contains("is not a clause of ci-catalogue%0Ahelp: did you mean `8.1`?"));
    for line in text.lines().filter(|l| l.starts_with("::")) {
        assert!(!line.contains('\r'));
        let (properties, _) = line[2..].split_once("::").unwrap();
        assert!(!properties.contains(':'), "unescaped colon in {line}");
    }
    assert!(text.trim_end().ends_with("as of 2026-11-23"));
}

#[test]
fn gaps_are_errors_only_when_fail_on_gap() {
    let (default, _) = check("github", &[]);
    assert!(default.contains("::warning file=tests/fixtures/ci/policies/leadership.md"));
    let (strict, _) = check("github", &["--fail-on", "gap"]);
    assert!(strict.contains("::error file=tests/fixtures/ci/policies/leadership.md"));
    assert!(strict.contains("::notice file=tests/fixtures/ci/processes/incident-management.md"));
}

#[test]
fn github_job_summary_is_appended_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "## Earlier step\n\n").unwrap();
    let output = iso20k()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", FIXTURE, "--catalogue", CATALOGUE, "--as-of", AS_OF])
        .args(["--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let written = std::fs::read_to_string(&summary).unwrap();
    let appended = written
        .strip_prefix("## Earlier step\n\n")
        .expect("earlier content kept");
    insta::assert_snapshot!("github_summary", appended);
    // Without the variable nothing is written anywhere but stdout.
    let (_, code) = check("github", &[]);
    assert_eq!(code, 1);
}

#[test]
fn an_unwritable_job_summary_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    iso20k()
        .env(
            "GITHUB_STEP_SUMMARY",
            dir.path().join("missing/dir/summary.md"),
        )
        .args(["check", FIXTURE, "--catalogue", CATALOGUE, "--as-of", AS_OF])
        .args(["--format", "github"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("GITHUB_STEP_SUMMARY"));
}

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn every_format_keeps_the_fail_on_exit_codes() {
    let small = root().join("tests/fixtures/small");
    let cases: [(&Path, Option<&str>, [i32; 4]); 2] = [
        // never, error, warning, gap
        (Path::new(FIXTURE), Some(CATALOGUE), [0, 1, 1, 1]),
        (&small, None, [0, 0, 1, 1]),
    ];
    for (path, catalogue, expected) in cases {
        for (level, want) in ["never", "error", "warning", "gap"].iter().zip(expected) {
            for format in FORMATS {
                let mut cmd = iso20k();
                cmd.args([
                    "check",
                    "--as-of",
                    AS_OF,
                    "--format",
                    format,
                    "--fail-on",
                    level,
                ])
                .arg(path);
                if let Some(catalogue) = catalogue {
                    cmd.args(["--catalogue", catalogue]);
                }
                let code = cmd.output().unwrap().status.code().unwrap();
                assert_eq!(
                    code,
                    want,
                    "{} --format {format} --fail-on {level}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn an_unreadable_path_is_exit_2_in_every_format() {
    for format in FORMATS {
        iso20k()
            .args(["check", "tests/fixtures/does-not-exist", "--format", format])
            .assert()
            .code(2)
            .stdout("");
    }
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    for format in ["junit", "sarif", "github"] {
        assert_eq!(check(format, &[]), check(format, &[]), "{format}");
    }
}
