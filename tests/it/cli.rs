//! CLI behaviour over fixture repositories: exit codes, formats, flags, determinism.

use crate::common;

use crate::common::{iso20k, root};
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn small() -> PathBuf {
    root().join("tests/fixtures/small")
}

fn json(path: &Path, extra: &[&str]) -> Value {
    json_as_of(path, AS_OF, extra)
}

fn json_as_of(path: &Path, as_of: &str, extra: &[&str]) -> Value {
    let output = iso20k()
        .args(["check", "--format", "json", "--as-of", as_of])
        .args(extra)
        .arg(path)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn json_has_the_contract_shape() {
    let doc = json(Path::new("tests/fixtures/small"), &[]);
    assert_eq!(doc["tool"]["name"], "iso20k");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(doc["catalogue"]["id"], "iso20000-1:2018");
    assert_eq!(doc["catalogue"]["clauses"], 79);
    assert_eq!(doc["root"], "tests/fixtures/small");
    assert_eq!(doc["as_of"], AS_OF);
    let summary = &doc["summary"];
    for key in [
        "met", "partial", "gap", "manual", "errors", "warnings", "items",
    ] {
        assert!(summary[key].is_u64(), "summary.{key}");
    }
    assert!(summary["score"].is_f64() || summary["score"].is_u64());
    let clauses = doc["clauses"].as_array().unwrap();
    let total: u64 = ["met", "partial", "gap", "manual"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum();
    assert_eq!(clauses.len() as u64, total);
    assert_eq!(doc["catalogue"]["evaluated"], clauses.len());
    for clause in clauses {
        assert!(clause["id"].is_string() && clause["title"].is_string());
        let status = clause["status"].as_str().unwrap();
        assert!(["met", "partial", "gap", "manual"].contains(&status));
        for finding in clause["findings"].as_array().unwrap() {
            assert!(finding["check"].is_string() && finding["message"].is_string());
        }
        assert!(clause["evidence"].is_array());
    }
    // Catalogue order: 4.1 first, 10.2 last.
    assert_eq!(clauses[0]["id"], "4.1");
    assert_eq!(clauses.last().unwrap()["id"], "10.2");
    let diagnostic = &doc["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "warning");
    assert_eq!(diagnostic["code"], "review-overdue");
    assert_eq!(diagnostic["path"], "policies/change-policy.md");
    assert_eq!(diagnostic["line"], 10, "the next_review line");
    assert!(diagnostic["message"].as_str().unwrap().contains("POL-002"));
}

#[test]
fn evaluation_follows_the_evidence() {
    let doc = json(&small(), &[]);
    let clause = |id: &str| {
        doc["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    // Approved policy, but its text covers none of the policy topics: partial.
    let policy = clause("5.2.1");
    assert_eq!(policy["status"], "partial");
    assert_eq!(policy["evidence"], serde_json::json!(["POL-001"]));
    assert_eq!(policy["findings"][0]["check"], "sm-policy-topics");
    // Nothing at all for the scope: gap.
    assert_eq!(clause("4.3")["status"], "gap");
    // Overdue change policy does not count as approved.
    let change = clause("8.5.1.1");
    let failed: Vec<&str> = change["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(failed.contains(&"change-policy-approved"), "{failed:?}");
    assert_eq!(
        doc["summary"]["items"], 5,
        "register + 2 records + 2 policies"
    );
}

#[test]
fn gitignore_and_exclude_are_honoured() {
    // The ignored folder is made in a copy: committed in the fixture, git would drop it.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&small(), dir.path());
    let broken = "---\nid: X\nkind: nonsense\n---\n";
    std::fs::create_dir_all(dir.path().join("ignored")).unwrap();
    std::fs::write(dir.path().join("ignored/x.md"), broken).unwrap();
    std::fs::write(dir.path().join("visible.md"), broken).unwrap();
    let doc = json(dir.path(), &[]);
    let text = doc["diagnostics"].to_string();
    assert!(
        text.contains("visible.md"),
        "the same file outside it is read: {text}"
    );
    assert!(!text.contains("drafts/"), "excluded by [check] exclude");
    assert!(!text.contains("ignored/"), "excluded by .gitignore");
}

#[test]
fn as_of_moves_date_dependent_results() {
    let before = json_as_of(&small(), "2026-10-15", &[]);
    assert_eq!(before["as_of"], "2026-10-15");
    let codes: Vec<&str> = before["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["record-in-future"],
        "not yet overdue; INC-2 is later"
    );
    let later = json_as_of(&small(), "2027-06-01", &[]);
    let overdue: Vec<&str> = later["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "review-overdue")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    // POL-001 has no next_review: approved 2026-03-01 + 12 months from iso20k.toml.
    assert_eq!(
        overdue,
        ["policies/change-policy.md", "policies/sm-policy.md"]
    );
}

#[test]
fn fail_on_levels_set_the_exit_code() {
    let run = |level: Option<&str>| {
        let mut cmd = iso20k();
        cmd.args(["check", "-q", "--as-of", AS_OF]).arg(small());
        if let Some(level) = level {
            cmd.args(["--fail-on", level]);
        }
        cmd.output().unwrap().status.code().unwrap()
    };
    assert_eq!(run(None), 0, "default error: only a warning");
    assert_eq!(run(Some("error")), 0);
    assert_eq!(run(Some("warning")), 1);
    assert_eq!(run(Some("gap")), 1);
    assert_eq!(run(Some("never")), 0);
}

/// `--fail-on gap` fails on a gap alone: this repository has gaps and no diagnostic at all,
/// so only the gap rule can make it exit 1.
#[test]
fn fail_on_gap_fails_on_gaps_without_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gaps-no-warnings");
    let output = iso20k()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(&root)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{json:#}");
    assert!(json["summary"]["gap"].as_u64().unwrap() > 0);
    let run = |level: &str| {
        iso20k()
            .args(["check", "-q", "--as-of", AS_OF, "--fail-on", level])
            .arg(&root)
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    assert_eq!(run("warning"), 0);
    assert_eq!(run("gap"), 1);
}

#[test]
fn fail_on_from_config_and_never_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.md"), "---\nid: X\nkind: polcy\n---\n").unwrap();
    iso20k()
        .args(["check", "-q", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(1);
    iso20k()
        .args(["check", "-q", "--fail-on", "never", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(0);
    std::fs::write(
        dir.path().join("iso20k.toml"),
        "[check]\nfail_on = \"never\"\n",
    )
    .unwrap();
    iso20k()
        .args(["check", "-q", "--as-of", AS_OF])
        .arg(dir.path())
        .assert()
        .code(0);
}

#[test]
fn output_is_byte_identical_across_runs() {
    for format in ["human", "json"] {
        let run = || {
            iso20k()
                .args(["check", "--format", format, "--as-of", AS_OF])
                .arg("examples/acme-sms")
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run(), run(), "{format}");
    }
}

#[test]
fn bad_arguments_exit_2_with_a_hint() {
    iso20k()
        .args(["check", "--format", "jsn"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("json"));
    iso20k()
        .args(["check", "--as-of", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a real calendar date"));
    iso20k()
        .args(["check", "--fail-on", "warnings"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("warning"));
}

#[test]
fn quiet_prints_only_the_summary() {
    let output = iso20k()
        .args(["check", "-q", "--as-of", AS_OF])
        .arg(small())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("iso20k: "), "{text}");
    assert!(text.contains("1 warning"), "{text}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = iso20k()
        .args(["check", "--as-of", AS_OF])
        .arg(small())
        .output()
        .unwrap();
    assert!(!plain.stdout.contains(&0x1b), "no ANSI when piped");
    let forced = iso20k()
        .args(["check", "--color", "always", "--as-of", AS_OF])
        .arg(small())
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b));
}

#[test]
fn human_output_locates_diagnostics_like_a_compiler() {
    iso20k()
        .args(["check", "--as-of", AS_OF])
        .arg(small())
        .assert()
        .stdout(predicate::str::contains(
            "warning[review-overdue]: POL-002 \"Change management policy\" was due for review on 2026-11-01\n  --> policies/change-policy.md:10\n",
        ))
        .stdout(predicate::str::contains("\n4  Context of the organization\n"))
        .stdout(predicate::str::contains("  partial  5.2.1    Establishing the service management policy\n"));
}

#[test]
fn clauses_lists_and_shows() {
    iso20k()
        .arg("clauses")
        .assert()
        .success()
        .stdout(predicate::str::contains("8.7.3.2"))
        .stdout(predicate::str::contains("Information security controls"));
    iso20k()
        .args(["clauses", "8.5.1.1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "change-policy-approved (document)",
        ))
        .stdout(predicate::str::contains(
            "7.5.4 d) Change management policy",
        ));
    iso20k()
        .args(["clauses", "8.5.1.9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean"));
    let output = iso20k()
        .args(["clauses", "--format", "json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["clauses"].as_array().unwrap().len(), 79);
}

#[test]
fn catalogue_flag_replaces_the_built_in_one() {
    let doc = json(
        &small(),
        &["--catalogue", "tests/fixtures/catalogues/mini.yaml"],
    );
    assert_eq!(doc["catalogue"]["id"], "mini-catalogue");
    let ids: Vec<&str> = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["8.1", "8.2", "9.2"]);
    // Clause ids of the real standard are unknown to the mini catalogue.
    assert!(doc["diagnostics"].to_string().contains("unknown-clause"));
    // `check` needs no roles; a report does, and says what is missing instead of guessing.
    iso20k()
        .args([
            "report",
            "--catalogue",
            "tests/fixtures/catalogues/mini.yaml",
        ])
        .arg(small())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no `roles` block"));
    let out = tempfile::tempdir().unwrap();
    iso20k()
        .args([
            "pack",
            "--stage",
            "1",
            "--catalogue",
            "tests/fixtures/catalogues/mini.yaml",
        ])
        .arg("-o")
        .arg(out.path().join("p.zip"))
        .arg(small())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no `roles` block"));
    assert!(!out.path().join("p.zip").exists());
    iso20k()
        .args(["check", "--catalogue", "Cargo.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid"));
    iso20k()
        .args(["check", "--catalogue", "nope.yaml"])
        .assert()
        .code(2);
}

#[test]
fn controls_file_adds_organisation_controls() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iso20k.controls.yaml"),
        r#"clauses:
  - id: ORG-1
    title: Penetration testing
    summary: A yearly penetration test of customer-facing services.
    checks:
      - id: org-pentest-records
        type: records
        record_types: [penetration-test]
        within: "12 months"
        description: A penetration test in the last 12 months.
        recommendation: Commission a penetration test and record it.
record_types:
  penetration-test:
    clauses: ["ORG-1"]
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pentest.md"),
        "---\nid: PT-1\nkind: record\nrecord_type: penetration-test\ndate: 2026-09-01\n---\n",
    )
    .unwrap();
    let doc = json(dir.path(), &[]);
    let last = doc["clauses"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["id"], "ORG-1");
    assert_eq!(last["status"], "met");
    assert_eq!(last["evidence"], serde_json::json!(["PT-1"]));
    assert_eq!(
        doc["summary"]["warnings"], 0,
        "record type declared by the controls"
    );

    std::fs::write(dir.path().join("iso20k.controls.yaml"), "clauses: [oops\n").unwrap();
    let doc = json(dir.path(), &[]);
    assert_eq!(doc["diagnostics"][0]["code"], "controls-invalid");
    assert_eq!(doc["diagnostics"][0]["path"], "iso20k.controls.yaml");
}

#[test]
fn unknown_config_keys_warn_but_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iso20k.toml"),
        "[sms]\noperating_sinse = 2026-05-04\n",
    )
    .unwrap();
    let doc = json(dir.path(), &[]);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "unknown-config-key");
    assert_eq!(d["line"], 2);
    assert_eq!(d["help"], "did you mean `operating_since`?");
}

#[test]
fn gitignore_of_the_enclosing_checkout_applies_to_a_subfolder_path() {
    let dir = tempfile::tempdir().unwrap();
    let sms = dir.path().join("sms");
    std::fs::create_dir_all(sms.join("ignored")).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "sms/ignored/\n*.bak.md\n").unwrap();
    let broken = "---\nid: X\nkind: nonsense\n---\n";
    std::fs::write(sms.join("ignored/x.md"), broken).unwrap();
    std::fs::write(sms.join("old.bak.md"), broken).unwrap();
    // Not a git checkout: a .gitignore above the repository is someone else's.
    let codes = |doc: &Value| doc["diagnostics"].as_array().unwrap().len();
    assert_eq!(
        codes(&json(&sms, &[])),
        2,
        "a foreign .gitignore changed the verdict"
    );
    // The SMS is a folder of a git checkout: the checkout's .gitignore is its own.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let doc = json(&sms, &[]);
    assert_eq!(doc["diagnostics"], serde_json::json!([]));
}

/// A `.gitignore` that is a link to /dev/zero or a FIFO is not read (the walk used to abort
/// or hang on it); the rest of the repository is still checked.
#[cfg(unix)]
#[test]
fn hostile_gitignore_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join(".gitignore")).unwrap();
    assert!(
        std::process::Command::new("mkfifo")
            .arg(dir.path().join("a/.gitignore"))
            .status()
            .unwrap()
            .success()
    );
    std::fs::write(
        dir.path().join("a/x.md"),
        "---\nid: X\nkind: nonsense\n---\n",
    )
    .unwrap();
    let output = iso20k()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(doc["diagnostics"].to_string().contains("a/x.md"), "{doc}");
    // Each skipped ignore file is said, at its own path.
    let skipped: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "ignore-file-skipped")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, [".gitignore", "a/.gitignore"], "{doc}");
}

#[test]
fn yaml_that_is_not_an_item_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "deployment.yaml",
        "kind: Deployment\nmetadata: {name: web}\n",
    );
    write("data.yml", "id: lookup\nvalues: [1, 2]\n");
    write("no-id.yaml", "kind: policy\ntitle: Draft policy\n");
    write("no-kind.yaml", "id: REG-1\nrecords: []\n");
    let doc = json(dir.path(), &[]);
    let found: Vec<(&str, &str)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("missing-key", "no-id.yaml"),
            ("missing-key", "no-kind.yaml")
        ]
    );
}

#[test]
fn empty_and_folder_evidence_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("evidence")).unwrap();
    std::fs::write(
        dir.path().join("rec.md"),
        "---\nid: R-1\nkind: record\nrecord_type: incident\ndate: 2026-11-01\nevidence:\n  - \"\"\n  - evidence\n---\n",
    )
    .unwrap();
    let doc = json(dir.path(), &[]);
    let found: Vec<(&str, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [("invalid-value", 6), ("evidence-missing", 8)]);
}

#[test]
fn whole_file_problems_have_an_integer_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bin.md"), b"\x00\x01binary").unwrap();
    let doc = json(dir.path(), &[]);
    assert_eq!(doc["diagnostics"][0]["code"], "binary-file");
    assert_eq!(doc["diagnostics"][0]["line"], 1);
}

/// Every command that judges a repository takes the same repository arguments (one
/// `RepoArgs`), so `check`, `report`, `readiness`, `calendar`, `pack`, `sample` and `diff`
/// cannot judge the same repository differently for want of a flag.
#[test]
fn every_judging_command_takes_the_same_repository_arguments() {
    let out = tempfile::tempdir().unwrap();
    let pack = out.path().join("p").display().to_string();
    let commands: [&[&str]; 6] = [
        &["check", "-q"],
        &["report"],
        &["readiness"],
        &["calendar"],
        &["pack", "--stage", "1", "-q", "-o", &pack],
        &["sample", "--type", "incident", "--n", "1"],
    ];
    for args in commands {
        let output = iso20k()
            .args(args)
            .args([
                "--as-of",
                AS_OF,
                "--catalogue",
                "controls/iso20000-1-2018.yaml",
            ])
            .arg("--git-dates")
            .arg(small())
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for args in [&["diff", "--help"][..]] {
        let help = String::from_utf8(iso20k().args(args).output().unwrap().stdout).unwrap();
        for flag in ["--as-of", "--catalogue", "--git-dates"] {
            assert!(help.contains(flag), "{args:?} lacks {flag}");
        }
    }
}
