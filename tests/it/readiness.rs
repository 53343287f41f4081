//! `iso20k readiness`: the example repository, one fixture per gate that fails it (see each
//! fixture's README), exit codes per requested stage, and the output formats.

use crate::common::iso20k;
use serde_json::Value;

const AS_OF: &str = "2026-11-23";

/// Runs `readiness --format json` and returns (exit code, document).
fn readiness(path: &str, extra: &[&str]) -> (i32, Value) {
    let output = iso20k()
        .args(["readiness", "--format", "json", "--as-of", AS_OF])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    let doc = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{path}: {e}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code().unwrap(), doc)
}

fn failing(doc: &Value) -> Vec<String> {
    doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["status"] == "fail")
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect()
}

fn gate<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == id)
        .unwrap_or_else(|| panic!("no gate {id}"))
}

#[test]
fn every_gate_is_listed_once_in_stage_order() {
    let (_, doc) = readiness("tests/fixtures/readiness-ready", &[]);
    let ids: Vec<&str> = doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "scope-approved",
            "mandatory-documents",
            "policy-and-objectives-approved",
            "no-errors",
            "operating-period",
            "internal-audit",
            "management-review",
            "corrective-actions",
            "operational-records"
        ]
    );
    let stages: Vec<u64> = doc["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["stage"].as_u64().unwrap())
        .collect();
    assert_eq!(stages, [1, 1, 1, 1, 2, 2, 2, 2, 2]);
    for g in doc["gates"].as_array().unwrap() {
        assert!(!g["reason"].as_str().unwrap().is_empty());
        assert!(!g["title"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_ready_repository_passes_both_stages_and_exits_0() {
    let (code, doc) = readiness("tests/fixtures/readiness-ready", &[]);
    assert_eq!(code, 0);
    assert_eq!(doc["verdict"], "ready-for-stage-2");
    assert_eq!(doc["ready"], true);
    assert!(failing(&doc).is_empty());
    assert!(doc["blocking"].as_array().unwrap().is_empty());
    let (code, _) = readiness("tests/fixtures/readiness-ready", &["--stage", "1"]);
    assert_eq!(code, 0);
    // The audit's nonconformity is answered by a corrective action linked with `related`.
    let ca = gate(&doc, "corrective-actions");
    assert_eq!(ca["items"][0]["ids"], serde_json::json!(["NC-01", "CA-01"]));
}

/// Each fixture fails exactly the gates named (the audit fixture takes the two gates that
/// follow from an audit with it), and exits per the requested stage.
#[test]
fn each_fixture_fails_its_gate() {
    let cases: &[(&str, &[&str])] = &[
        ("scope-undefined", &["scope-approved"]),
        ("mandatory-missing", &["mandatory-documents"]),
        (
            "policy-not-top-management",
            &["policy-and-objectives-approved"],
        ),
        ("errors", &["no-errors"]),
        ("short-operation", &["operating-period"]),
        ("start-not-confirmed", &["operating-period"]),
        (
            "no-internal-audit",
            &["internal-audit", "management-review", "corrective-actions"],
        ),
        ("review-before-audit", &["management-review"]),
        ("nc-without-action", &["corrective-actions"]),
        ("missing-records", &["operational-records"]),
    ];
    for (name, expected) in cases {
        let path = format!("tests/fixtures/readiness-{name}");
        let (code, doc) = readiness(&path, &[]);
        assert_eq!(failing(&doc), *expected, "{name}");
        assert_eq!(code, 1, "{name}: stage 2 is not ready");
        assert_eq!(doc["ready"], false, "{name}");
        let stage1_fails = expected.iter().any(|id| gate(&doc, id)["stage"] == 1);
        let (code1, doc1) = readiness(&path, &["--stage", "1"]);
        assert_eq!(code1, if stage1_fails { 1 } else { 0 }, "{name} --stage 1");
        let verdict = if stage1_fails {
            "not-ready"
        } else {
            "ready-for-stage-1"
        };
        assert_eq!(doc["verdict"], verdict, "{name}");
        assert_eq!(doc1["verdict"], verdict, "{name}");
        // Blocking gates are the failing ones of the requested stage, stage 1 first.
        let blocking: Vec<&str> = doc1["blocking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let expected1: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|id| gate(&doc, id)["stage"] == 1)
            .collect();
        assert_eq!(blocking, expected1, "{name} --stage 1 blocking");
        for id in *expected {
            let g = gate(&doc, id);
            assert!(
                g["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["ok"] == false)
                    || !g["reason"].as_str().unwrap().is_empty(),
                "{name}/{id} explains itself"
            );
        }
    }
}

#[test]
fn failing_gates_name_their_reason() {
    let (_, doc) = readiness("tests/fixtures/readiness-short-operation", &[]);
    let g = gate(&doc, "operating-period");
    assert_eq!(g["earliest"], "2026-12-01");
    assert!(
        g["reason"]
            .as_str()
            .unwrap()
            .contains("3 months of operation will be reached on 2026-12-01")
    );
    assert_eq!(doc["milestones"][0]["date"], "2026-12-01");
    assert_eq!(doc["milestones"][0]["reached"], false);

    let (_, doc) = readiness("tests/fixtures/readiness-start-not-confirmed", &[]);
    let reason = gate(&doc, "operating-period")["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("months 1, 2 and 3"), "{reason}");
    assert!(reason.contains("INC-06 on 2026-06-10"), "{reason}");

    let (_, doc) = readiness("tests/fixtures/readiness-mandatory-missing", &[]);
    let reason = gate(&doc, "mandatory-documents")["reason"]
        .as_str()
        .unwrap();
    for letter in ["h)", "i)", "j)"] {
        assert!(reason.contains(letter), "{reason}");
    }

    let (_, doc) = readiness("tests/fixtures/readiness-policy-not-top-management", &[]);
    let g = gate(&doc, "policy-and-objectives-approved");
    assert!(
        g["items"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("Sam Lee (Service Desk Lead)")
    );

    let (_, doc) = readiness("tests/fixtures/readiness-errors", &[]);
    let item = &gate(&doc, "no-errors")["items"][0];
    assert_eq!(item["name"], "policies/bad.md:5");
    assert!(item["detail"].as_str().unwrap().contains("unknown-clause"));

    let (_, doc) = readiness("tests/fixtures/readiness-nc-without-action", &[]);
    assert!(
        gate(&doc, "corrective-actions")["reason"]
            .as_str()
            .unwrap()
            .contains("NC-01")
    );

    let (_, doc) = readiness("tests/fixtures/readiness-missing-records", &[]);
    let g = gate(&doc, "operational-records");
    let missing: Vec<&str> = g["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["ok"] == false)
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["capacity management"]);
}

#[test]
fn acme_is_ready_for_stage_1_but_not_stage_2() {
    let (code, doc) = readiness("examples/acme-sms", &[]);
    assert_eq!(code, 1);
    assert_eq!(doc["verdict"], "ready-for-stage-1");
    // The continuity plan was never tested (the audit's NC-2026-02).
    assert_eq!(doc["blocking"], serde_json::json!(["operational-records"]));
    let records = gate(&doc, "operational-records");
    assert!(
        records["reason"]
            .as_str()
            .unwrap()
            .contains("service continuity")
    );
    assert_eq!(
        doc["milestones"][0]["message"],
        "3 months of operation reached on 2026-08-04"
    );
    let ca = gate(&doc, "corrective-actions");
    assert_eq!(ca["status"], "pass");
    assert_eq!(ca["items"].as_array().unwrap().len(), 2);
    let review = gate(&doc, "management-review");
    assert!(review["reason"].as_str().unwrap().contains("MR-2026-01"));
    let (code, doc) = readiness("examples/acme-sms", &["--stage", "1"]);
    assert_eq!(code, 0);
    assert_eq!(doc["ready"], true);
}

#[test]
fn acme_human_output_snapshot() {
    let output = iso20k()
        .args(["readiness", "examples/acme-sms", "--as-of", AS_OF])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("readiness_acme_human", text);
}

#[test]
fn acme_json_snapshot_is_byte_identical_across_runs() {
    let run = || {
        iso20k()
            .args([
                "readiness",
                "examples/acme-sms",
                "--format",
                "json",
                "--as-of",
                AS_OF,
            ])
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run());
    insta::assert_snapshot!("readiness_acme_json", String::from_utf8(first).unwrap());
}

#[test]
fn as_of_moves_the_verdict() {
    // Before the audit and review, acme is not ready for stage 2 on more counts.
    let output = iso20k()
        .args([
            "readiness",
            "examples/acme-sms",
            "--format",
            "json",
            "--as-of",
            "2026-07-01",
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    let fails = failing(&doc);
    for id in ["operating-period", "internal-audit", "management-review"] {
        assert!(fails.iter().any(|f| f == id), "{id} in {fails:?}");
    }
    assert_eq!(doc["milestones"][0]["reached"], false);
}

#[test]
fn bad_arguments_exit_2() {
    iso20k()
        .args(["readiness", "examples/acme-sms", "--stage", "3"])
        .assert()
        .code(2);
    iso20k()
        .args(["readiness", "tests/fixtures/does-not-exist"])
        .assert()
        .code(2);
    iso20k()
        .args(["readiness", "examples/acme-sms", "--as-of", "2026-02-30"])
        .assert()
        .code(2);
}

/// `--lang zh-CN`: every heading, gate title, reason and item in Chinese, from the same
/// data as the English output (the gate ids and record ids stay as they are).
#[test]
fn acme_human_output_in_chinese_snapshot() {
    let output = iso20k()
        .args([
            "readiness",
            "examples/acme-sms",
            "--as-of",
            AS_OF,
            "--lang",
            "zh-CN",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stderr.is_empty());
    let text = String::from_utf8(output.stdout).unwrap();
    for english in [
        "Verdict",
        "Blocking",
        "Passed",
        "stage 1",
        "operating since",
    ] {
        assert!(!text.contains(english), "untranslated {english:?}:\n{text}");
    }
    insta::assert_snapshot!("readiness_acme_human_zh_cn", text);
}
