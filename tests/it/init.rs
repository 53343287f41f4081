//! `iso20k init`: a new repository in both languages passes `check` without errors, shows
//! every clause as gap or partial, and has headings that satisfy every topics check; a
//! non-empty directory is refused; nothing is ever overwritten.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const AS_OF: &str = "2026-11-23";

/// Runs iso20k from `cwd` (not the source tree: the templates are embedded).
fn iso20k(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("iso20k").unwrap();
    cmd.current_dir(cwd);
    cmd
}

fn check_json(cwd: &Path, dir: &str) -> (i32, Value) {
    let output = iso20k(cwd)
        .args(["check", dir, "--format", "json", "--as-of", AS_OF])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
    )
}

fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

fn init_then_check(lang: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let output = iso20k(tmp.path())
        .args(["init", "sms", "--lang", lang])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{lang}");
    let text = String::from_utf8(output.stdout).unwrap();
    let created = files(&tmp.path().join("sms"));
    assert!(
        text.starts_with(&format!("Created {} files in sms", created.len())),
        "{text}"
    );

    let (code, doc) = check_json(tmp.path(), "sms");
    assert_eq!(code, 0, "{lang}: check exits 0 on a fresh repository");
    assert_eq!(
        doc["summary"]["errors"], 0,
        "{lang}: {}",
        doc["diagnostics"]
    );
    assert_eq!(
        doc["summary"]["warnings"], 0,
        "{lang}: {}",
        doc["diagnostics"]
    );
    for clause in doc["clauses"].as_array().unwrap() {
        let status = clause["status"].as_str().unwrap();
        assert!(
            status == "gap" || status == "partial",
            "{lang}: clause {} is {status}",
            clause["id"]
        );
        // The headings carry every topic the catalogue looks for.
        for check in clause["checks"].as_array().unwrap() {
            if check["type"] == "topics" {
                assert_eq!(
                    check["outcome"], "pass",
                    "{lang}: {} {}",
                    check["check"], check["message"]
                );
            }
            // Every piece of mandatory documented information has its draft.
            if check["type"] == "document" && check["mandatory"].is_string() {
                let message = check["message"].as_str().unwrap();
                assert!(
                    message.contains("is a draft"),
                    "{lang}: {} has no draft: {message}",
                    check["mandatory"]
                );
            }
        }
    }
    assert_eq!(doc["summary"]["met"], 0);

    // Readiness and calendar work on the new repository: not ready yet, nothing breaks.
    iso20k(tmp.path())
        .args(["readiness", "sms", "--as-of", AS_OF])
        .assert()
        .code(1);
    iso20k(tmp.path())
        .args(["calendar", "sms", "--as-of", AS_OF])
        .assert()
        .code(0);
}

#[test]
fn init_then_check_in_english() {
    init_then_check("en");
}

#[test]
fn init_then_check_in_chinese() {
    init_then_check("zh-CN");
}

#[test]
fn chinese_templates_are_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    iso20k(tmp.path())
        .args(["init", "sms", "--lang", "zh-CN"])
        .assert()
        .success();
    let root = tmp.path().join("sms");
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for rel in files(&root) {
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        assert!(cjk(&text), "{rel} has no Chinese text");
        for line in text
            .lines()
            .filter(|l| l.starts_with('#') && !l.starts_with("#!"))
        {
            if rel.ends_with(".md") {
                assert!(cjk(line), "{rel}: heading not translated: {line}");
            }
        }
        assert!(!text.contains("GB/T"), "{rel} cites a GB/T standard");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("ISO/IEC 20000-1:2018"));
    let policy =
        std::fs::read_to_string(root.join("policies/service-management-policy.md")).unwrap();
    assert!(policy.contains("title: \"服务管理方针\""));
    assert!(policy.contains("status: draft"));
}

#[test]
fn both_languages_create_the_same_layout() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, lang) in [("en", "en"), ("zh", "zh-CN")] {
        iso20k(tmp.path())
            .args(["init", dir, "--lang", lang])
            .assert()
            .success();
    }
    let en = files(&tmp.path().join("en"));
    assert_eq!(en, files(&tmp.path().join("zh")));
    for expected in [
        "iso20k.toml",
        "README.md",
        "context/sms-scope.md",
        "procedures/major-incident-procedure.md",
        "registers/incidents.yaml",
        "registers/changes.yaml",
        "registers/service-requests.yaml",
        "registers/problems.yaml",
        "processes/change-management.md",
    ] {
        assert!(en.iter().any(|f| f == expected), "{expected} missing");
    }
    // Same ids, kinds, clauses, statuses and record types in both languages, in documents
    // and registers alike (only titles, owners and prose are translated).
    let data = |f: &&String| (f.ends_with(".md") || f.ends_with(".yaml")) && f.contains('/');
    for rel in en.iter().filter(data) {
        let front = |dir: &str| {
            let text = std::fs::read_to_string(tmp.path().join(dir).join(rel)).unwrap();
            text.lines()
                .filter(|l| {
                    let l = l.trim_start_matches([' ', '-']);
                    [
                        "id:",
                        "kind:",
                        "clauses:",
                        "status:",
                        "record_type:",
                        "date:",
                    ]
                    .iter()
                    .any(|key| l.starts_with(key))
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(front("en"), front("zh"), "{rel}");
    }
}

#[test]
fn a_non_empty_directory_is_refused_and_left_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sms");
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    std::fs::write(dir.join("iso20k.toml"), "# my settings\n").unwrap();
    std::fs::write(dir.join("policies/service-management-policy.md"), "mine\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "mine\n").unwrap();
    let before = files(&dir);
    let output = iso20k(tmp.path()).args(["init", "sms"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(err.contains("sms is not empty"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert!(err.contains("would skip these 2 existing files"), "{err}");
    assert!(err.contains("\n  iso20k.toml"), "{err}");
    assert!(
        err.contains("\n  policies/service-management-policy.md"),
        "{err}"
    );
    assert!(err.contains("notes.txt"), "{err}");
    assert_eq!(files(&dir), before, "nothing written");

    // --force fills in the rest and still overwrites nothing.
    let output = iso20k(tmp.path())
        .args(["init", "sms", "--force"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("Skipped 2 files (never overwritten):"),
        "{text}"
    );
    assert!(text.contains("  iso20k.toml: exists"), "{text}");
    assert_eq!(
        std::fs::read_to_string(dir.join("iso20k.toml")).unwrap(),
        "# my settings\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("policies/service-management-policy.md")).unwrap(),
        "mine\n"
    );
    assert!(dir.join("registers/incidents.yaml").is_file());

    // A second forced run creates nothing and skips everything.
    let output = iso20k(tmp.path())
        .args(["init", "sms", "--force"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Created 0 files"), "{text}");
}

#[test]
fn a_fresh_git_repository_counts_as_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("sms/.git")).unwrap();
    iso20k(tmp.path()).args(["init", "sms"]).assert().success();
    assert!(tmp.path().join("sms/iso20k.toml").is_file());
}

#[test]
fn init_into_the_current_directory_and_bad_values() {
    let tmp = tempfile::tempdir().unwrap();
    iso20k(tmp.path()).arg("init").assert().success();
    assert!(tmp.path().join("README.md").is_file());
    iso20k(tmp.path())
        .args(["init", "x", "--lang", "fr"])
        .assert()
        .code(2);
    std::fs::write(tmp.path().join("file"), "x").unwrap();
    iso20k(tmp.path())
        .args(["init", "file"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a directory"));
}
