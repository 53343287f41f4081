//! `check --git-dates`: a file's last commit date stands in for a missing `approved_on`
//! (approved documents) or `date` (records), read from git history rather than file times.

use crate::common;

use assert_cmd::Command;
use common::{Repo, manifest_dir};
use serde_json::Value;

const AS_OF: &str = "2026-11-23";

const UNDATED_AUDIT: &str = "---
id: AUD-1
title: Internal audit of incident management
kind: record
record_type: internal-audit
---
# Audit
";

const UNDATED_POLICY: &str = "---
id: POL-009
title: Improvement policy
kind: policy
clauses: [\"10.1\"]
status: approved
owner: Quality manager
approved_by: Managing director
---
# Improvement policy
";

fn check(dir: &std::path::Path, extra: &[&str]) -> (Value, i32) {
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(dir)
        .args([
            "check",
            ".",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--catalogue",
        ])
        .arg(manifest_dir().join("tests/fixtures/catalogues/ci.yaml"))
        .args(extra)
        .output()
        .unwrap();
    let code = output.status.code().unwrap();
    let doc = if output.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&output.stdout).unwrap()
    };
    (doc, code)
}

fn codes(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status<'a>(doc: &'a Value, clause: &str) -> &'a str {
    doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == clause)
        .unwrap()["status"]
        .as_str()
        .unwrap()
}

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("records/audit.md", UNDATED_AUDIT);
    repo.write("policies/improvement.md", UNDATED_POLICY);
    repo.commit("undated items", "2026-09-15");
    repo
}

#[test]
fn without_the_flag_missing_dates_stay_missing() {
    let repo = repo();
    let (doc, code) = check(repo.path(), &[]);
    assert_eq!(code, 1);
    let codes = codes(&doc);
    assert!(codes.contains(&("records/audit.md".into(), "missing-key".into())));
    assert!(codes.contains(&(
        "policies/improvement.md".into(),
        "approval-incomplete".into()
    )));
    assert_eq!(status(&doc, "9.2"), "gap");
    assert_eq!(status(&doc, "10.1"), "gap");
}

#[test]
fn the_last_commit_date_fills_the_gaps() {
    let repo = repo();
    let (doc, code) = check(repo.path(), &["--git-dates"]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(codes(&doc), Vec::<(String, String)>::new());
    // The audit is dated 2026-09-15: within the 12 months before --as-of.
    assert_eq!(status(&doc, "9.2"), "met");
    assert_eq!(status(&doc, "10.1"), "met");
}

#[test]
fn the_latest_commit_of_a_file_counts() {
    let repo = repo();
    repo.edit(
        "policies/improvement.md",
        "# Improvement policy",
        "# Improvement",
    );
    repo.commit("policy edited later", "2026-12-01");
    let (doc, _) = check(repo.path(), &["--git-dates"]);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "approved-in-future");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("2026-12-01")
    );
    // The audit file was not touched by the later commit: still 2026-09-15, still counted.
    assert_eq!(status(&doc, "9.2"), "met");
}

#[test]
fn written_dates_win_and_registers_and_new_files_are_not_filled() {
    let repo = repo();
    repo.write(
        "records/old-audit.md",
        &UNDATED_AUDIT.replace("AUD-1", "AUD-0").replace(
            "record_type: internal-audit",
            "record_type: internal-audit\ndate: 2024-01-10",
        ),
    );
    repo.write(
        "registers/incidents.yaml",
        "id: REG-INC\ntitle: Incidents\nkind: register\nrecord_type: incident\nrecords:\n  - id: INC-1\n    title: undated\n",
    );
    repo.commit("more", "2026-10-01");
    // Never committed: git knows no date for it.
    repo.write("records/new.md", &UNDATED_AUDIT.replace("AUD-1", "AUD-2"));
    let (doc, _) = check(repo.path(), &["--git-dates"]);
    let codes = codes(&doc);
    assert!(codes.contains(&("registers/incidents.yaml".into(), "missing-key".into())));
    assert!(codes.contains(&("records/new.md".into(), "missing-key".into())));
    assert!(!codes.iter().any(|(path, _)| path == "records/old-audit.md"));
    let audit = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "9.2")
        .unwrap();
    // Only AUD-1 (2026-09-15 from git) is in the window; AUD-0 keeps its own 2024 date.
    assert_eq!(audit["evidence"], serde_json::json!(["AUD-1"]));
}

#[test]
fn a_subdirectory_of_the_repository_works() {
    let repo = Repo::new();
    repo.write("sms/records/audit.md", UNDATED_AUDIT);
    repo.write("other/records/audit.md", "unrelated");
    repo.commit("sms in a folder", "2026-09-15");
    let (doc, _) = check(&repo.path().join("sms"), &["--git-dates"]);
    assert_eq!(status(&doc, "9.2"), "met");
}

#[test]
fn outside_a_git_repository_the_flag_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("audit.md"), UNDATED_AUDIT).unwrap();
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["check", ".", "--git-dates"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("--git-dates"), "{stderr}");
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

#[test]
fn diff_applies_git_dates_per_revision() {
    let repo = Repo::new();
    repo.write("sms/records/audit.md", UNDATED_AUDIT);
    repo.commit("audit", "2025-06-01");
    repo.edit("sms/records/audit.md", "# Audit", "# Audit (re-run)");
    repo.commit("audit re-run", "2026-09-15");
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff",
            "sms",
            "--base",
            "HEAD~1",
            "--head",
            "HEAD",
            "--git-dates",
        ])
        .args(["--format", "json", "--as-of", AS_OF, "--catalogue"])
        .arg(manifest_dir().join("tests/fixtures/catalogues/ci.yaml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    // At base the audit dates from 2025-06-01 (too old); at head from 2026-09-15.
    let change = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "9.2")
        .unwrap();
    assert_eq!(change["base"], "gap");
    assert_eq!(change["head"], "met");
}
