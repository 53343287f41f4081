//! Bad input never panics, never stops the check, and gives a located diagnostic.
//! Static cases live in tests/fixtures/bad-input/<case>/ (each also holds one good file that
//! must still be checked); cases that cannot be committed (huge files, symlinks) are built in
//! a temporary directory.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const AS_OF: &str = "2026-11-23";

fn check_json(root: &Path) -> (i32, Value) {
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args(["check", "--format", "json", "--as-of", AS_OF])
        .arg(root)
        .output()
        .unwrap();
    let code = output.status.code().expect("exited normally, no panic");
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (code, json)
}

fn fixture(case: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad-input")
        .join(case)
}

/// (code, path, line) of every diagnostic.
fn diagnostics(json: &Value) -> Vec<(String, String, Option<u64>)> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
            )
        })
        .collect()
}

/// Runs a fixture case, asserts the expected diagnostics, and that `items` items were kept
/// (the good file of every case among them: the rest of the repository is still checked).
fn expect(case: &str, items: u64, expected: &[(&str, &str, Option<u64>)]) -> Value {
    let (code, json) = check_json(&fixture(case));
    let found = diagnostics(&json);
    let expected: Vec<(String, String, Option<u64>)> = expected
        .iter()
        .map(|(c, p, l)| (c.to_string(), p.to_string(), *l))
        .collect();
    assert_eq!(found, expected, "diagnostics of case {case}");
    assert_eq!(json["summary"]["items"], items, "items of case {case}");
    let errors = json["summary"]["errors"].as_u64().unwrap();
    assert_eq!(code, if errors > 0 { 1 } else { 0 }, "exit code of {case}");
    json
}

#[test]
fn non_utf8_is_located() {
    expect("non-utf8", 1, &[("not-utf8", "bad.md", Some(3))]);
}

#[test]
fn bom_and_crlf_parse() {
    for case in ["bom", "crlf"] {
        expect(case, 2, &[]);
    }
}

#[test]
fn unclosed_and_empty_front_matter() {
    expect(
        "unclosed-front-matter",
        1,
        &[("front-matter-unclosed", "open.md", Some(1))],
    );
    expect(
        "empty-front-matter",
        1,
        &[("front-matter-empty", "empty.md", Some(1))],
    );
}

#[test]
fn front_matter_list_or_scalar() {
    expect(
        "front-matter-list",
        1,
        &[("not-a-mapping", "list.md", Some(2))],
    );
    expect(
        "front-matter-scalar",
        1,
        &[("not-a-mapping", "scalar.md", Some(2))],
    );
}

#[test]
fn alias_bomb_is_bounded() {
    expect("alias-bomb", 1, &[("yaml-syntax", "bomb.yaml", Some(1))]);
}

#[test]
fn tabs_duplicate_keys_and_impossible_dates() {
    expect("tabs", 1, &[("yaml-syntax", "tabs.md", Some(6))]);
    expect("duplicate-keys", 1, &[("yaml-syntax", "dup.md", Some(5))]);
    expect(
        "impossible-dates",
        2,
        &[
            ("approval-incomplete", "dates.md", Some(6)),
            ("invalid-date", "dates.md", Some(9)),
            ("invalid-date", "dates.md", Some(10)),
        ],
    );
}

#[test]
fn binary_markdown_is_refused() {
    expect("binary-md", 1, &[("binary-file", "image.md", Some(1))]);
}

#[test]
fn register_records_must_be_a_list() {
    expect(
        "records-not-list",
        2,
        &[("records-not-list", "register.yaml", Some(5))],
    );
}

#[test]
fn a_one_megabyte_line_is_fine() {
    expect("long-line", 2, &[]);
}

#[test]
fn evidence_outside_the_repository_is_refused() {
    let json = expect(
        "evidence-escape",
        3,
        &[
            ("evidence-insecure-url", "records/audit-2.md", Some(7)),
            ("evidence-missing", "records/audit-2.md", Some(7)),
            ("evidence-outside-root", "records/audit.md", Some(8)),
            ("evidence-outside-root", "records/audit.md", Some(9)),
        ],
    );
    let text = json.to_string();
    assert!(!text.contains("root:x:0:0"), "never reads /etc/passwd");
}

#[test]
fn clause_ids_as_numbers_and_typos() {
    let json = expect(
        "clause-ids",
        2,
        &[
            ("numeric-clause", "numbers.md", Some(6)),
            ("unknown-clause", "numbers.md", Some(7)),
            ("numeric-clause", "numbers.md", Some(8)),
        ],
    );
    let d = &json["diagnostics"];
    assert_eq!(d[0]["help"], "write \"8.1\"");
    assert!(d[0]["message"].as_str().unwrap().contains("8.50"));
    assert_eq!(d[1]["help"], "did you mean `8.5.1`?");
}

#[test]
fn approved_without_approver() {
    expect(
        "approval",
        2,
        &[("approval-incomplete", "half-approved.md", Some(6))],
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    let json = expect("duplicate-ids", 2, &[("duplicate-id", "b.md", Some(1))]);
    let message = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("a.md:1"), "{message}");
}

#[test]
fn unknown_values_suggest_the_right_one() {
    let json = expect(
        "unknown-values",
        4,
        &[
            ("unknown-record-type", "rec.yaml", Some(4)),
            ("unknown-status", "status.md", Some(6)),
            ("unknown-kind", "typo.md", Some(4)),
        ],
    );
    let helps: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert_eq!(
        helps,
        [
            "did you mean `incident`?",
            "did you mean `approved`?",
            "did you mean `policy`?"
        ]
    );
}

fn good_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("bom").join("good.md"), dir.path().join("good.md")).unwrap();
    dir
}

#[test]
fn huge_file_is_skipped_unread() {
    let dir = good_repo();
    let file = std::fs::File::create(dir.path().join("huge.md")).unwrap();
    // Sparse: 60 MB on paper, nothing on disk.
    file.set_len(60 * 1024 * 1024).unwrap();
    let (_, json) = check_json(dir.path());
    assert_eq!(
        diagnostics(&json),
        [("file-too-large".to_string(), "huge.md".to_string(), Some(1))]
    );
    assert_eq!(json["summary"]["items"], 1);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_escapes_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = good_repo();
    symlink("loop-b", dir.path().join("loop-a")).unwrap();
    symlink("loop-a", dir.path().join("loop-b")).unwrap();
    symlink("/etc", dir.path().join("etc-link")).unwrap();
    symlink(".", dir.path().join("self")).unwrap();
    let (_, json) = check_json(dir.path());
    let codes: Vec<(String, String)> = diagnostics(&json)
        .into_iter()
        .map(|(c, p, _)| (c, p))
        .collect();
    assert_eq!(
        codes,
        [
            ("symlink-outside-root".into(), "etc-link".into()),
            ("broken-symlink".into(), "loop-a".into()),
            ("broken-symlink".into(), "loop-b".into()),
        ]
    );
    assert_eq!(json["summary"]["items"], 1);
}

#[cfg(unix)]
#[test]
fn evidence_symlink_out_of_the_repository_is_refused() {
    use std::os::unix::fs::symlink;
    let dir = good_repo();
    symlink("/etc/passwd", dir.path().join("passwd.txt")).unwrap();
    std::fs::write(
        dir.path().join("rec.md"),
        "---\nid: REC-1\nkind: record\nrecord_type: internal-audit\ndate: 2026-10-01\nevidence: [passwd.txt]\n---\n",
    )
    .unwrap();
    let (_, json) = check_json(dir.path());
    let found = diagnostics(&json);
    assert!(
        found.contains(&("evidence-outside-root".into(), "rec.md".into(), Some(6))),
        "{found:?}"
    );
}

#[test]
fn empty_repository_is_all_gaps_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["items"], 0);
    assert_eq!(json["summary"]["met"], 0);
    assert!(json["summary"]["gap"].as_u64().unwrap() > 50);
}

#[test]
fn missing_path_exits_2() {
    Command::cargo_bin("iso20k")
        .unwrap()
        .args(["check", "does/not/exist"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does/not/exist"));
}

#[test]
fn malformed_config_exits_2_with_line() {
    let dir = good_repo();
    std::fs::write(
        dir.path().join("iso20k.toml"),
        "[sms]\noperating_since = 2026-05-04\nreview_interval = [\n",
    )
    .unwrap();
    Command::cargo_bin("iso20k")
        .unwrap()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("iso20k.toml:3"));
}

/// Control characters and direction overrides in ids, titles and clauses from the repository
/// (a crafted name could rewrite a line, retitle the window or fake a verdict) are shown
/// escaped by every human output, and a CSV report never starts a cell with a formula.
#[test]
fn hostile_names_are_escaped_in_human_output_and_inert_in_csv() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("policies")).unwrap();
    std::fs::write(
        root.join("policies/evil.md"),
        "---\nid: \"=HYPERLINK(\\\"http://x\\\")\"\ntitle: \"Policy \\e[2K\\rintact\\u202Etxt\\a\"\n\
         kind: policy\nclauses: [\"5.2.1\", \"9.9\\e]0;owned\\a\"]\nstatus: approved\nowner: MD\n\
         approved_by: Board\napproved_on: 2026-03-01\n---\n# Policy\n\nOur policy.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("incidents.yaml"),
        "id: REG\ntitle: Incidents\nkind: register\nrecord_type: incident\nrecords:\n\
         \x20 - id: \"INC-\\e[1A\\u202E1\"\n    date: 2026-10-02\n    title: \"Mail \\u2066outage\\x9b\"\n",
    )
    .unwrap();
    let runs: [&[&str]; 5] = [
        &["check", "--color", "never"],
        &["check", "--color", "always"],
        &["readiness"],
        &["calendar"],
        &["sample", "--type", "incident", "--n", "1"],
    ];
    for args in runs {
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .args(args)
            .args(["--as-of", AS_OF])
            .arg(root)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let raw: Vec<char> = text
            .chars()
            .filter(|c| matches!(c, '\x07' | '\r' | '\u{9b}' | '\u{202E}' | '\u{2066}'))
            .collect();
        assert!(raw.is_empty(), "{args:?} printed raw {raw:?}:\n{text}");
        // Only iso20k's own colours survive: no cursor movement, line erase or window title.
        for sequence in ["\x1b[2K", "\x1b[1A", "\x1b]0;"] {
            assert!(!text.contains(sequence), "{args:?} printed {sequence:?}");
        }
        if args.contains(&"sample") {
            assert!(text.contains("INC-\\u{1b}[1A\\u{202e}1"), "{text}");
        }
        if args.contains(&"always") {
            assert!(text.contains("\x1b[0m"), "colours are kept: {text}");
        }
    }
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args(["report", "--format", "csv", "--as-of", AS_OF])
        .arg(root)
        .output()
        .unwrap();
    assert!(output.status.success());
    let csv = String::from_utf8(output.stdout).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(
        !csv.split([',', '\n'])
            .any(|cell| cell.trim_start_matches('"').starts_with('=')),
        "{csv}"
    );
}

/// Memory is bounded per run, not only per file: past 64 MiB of Markdown and YAML in total,
/// further files (in path order) are skipped with an error saying the evaluation is
/// incomplete, so many large files cannot exhaust memory together.
#[test]
fn total_read_budget_is_enforced_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let body = "Notes of the service desk. ".repeat(23 * 1024 * 1024 / 27);
    for name in ["a.md", "b.md", "c.md"] {
        std::fs::write(dir.path().join(name), &body).unwrap();
    }
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1, "the budget is an error");
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().into(),
                d["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [("read-budget-exceeded".to_string(), "c.md".to_string())]
    );
}

/// `iso20k.toml` and `iso20k.controls.yaml` are read only as regular files in the repository,
/// never through a link (an outside file's first line used to show in messages, readiness and
/// diff), never a FIFO (hung), never `/dev/zero` (2 GB) or an oversized file.
#[cfg(unix)]
#[test]
fn configuration_is_read_only_from_regular_files() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "[organization]\nname = \"TOP-SECRET-LINE\"\n").unwrap();
    let big = outside.path().join("big.toml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(3 << 20)
        .unwrap();
    let run = |args: &[&str], root: &Path| {
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .args(args)
            .args(["--as-of", AS_OF])
            .arg(root)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.code(), text)
    };
    for (name, make) in [("link", 0), ("dev-zero", 1), ("fifo", 2), ("oversized", 3)] {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("iso20k.toml");
        match make {
            0 => symlink(&secret, &config).unwrap(),
            1 => symlink("/dev/zero", &config).unwrap(),
            2 => assert!(
                std::process::Command::new("mkfifo")
                    .arg(&config)
                    .status()
                    .unwrap()
                    .success()
            ),
            _ => std::fs::copy(&big, &config).map(|_| ()).unwrap(),
        }
        for args in [&["check"][..], &["readiness"]] {
            let (code, text) = run(args, dir.path());
            assert_eq!(code, Some(2), "{name} {args:?}: {text}");
            assert!(text.contains("iso20k.toml"), "{name}: {text}");
            assert!(!text.contains("TOP-SECRET"), "{name} leaked: {text}");
        }
    }
    // The controls file: a link is a diagnostic, and the rest is still checked.
    let dir = tempfile::tempdir().unwrap();
    let controls = outside.path().join("controls.yaml");
    std::fs::write(&controls, "TOP-SECRET-LINE: [\n").unwrap();
    symlink(&controls, dir.path().join("iso20k.controls.yaml")).unwrap();
    let (code, json) = check_json(dir.path());
    assert_eq!(code, 1, "controls-invalid is an error");
    let text = json.to_string();
    assert!(
        text.contains("controls-invalid") && text.contains("symbolic link"),
        "{text}"
    );
    assert!(!text.contains("TOP-SECRET"), "{text}");
    // No absolute path outside the repository is printed either.
    assert!(!text.contains(&*outside.path().to_string_lossy()), "{text}");
}

/// A non-UTF-8 `iso20k.toml` is reported with the line of its first bad byte.
#[test]
fn non_utf8_config_has_a_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("iso20k.toml"),
        b"[sms]\nreview_interval = \"12 m\xffonths\"\n",
    )
    .unwrap();
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args(["check", "--as-of", AS_OF])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("iso20k.toml:2:") && stderr.contains("column 24"),
        "{stderr}"
    );
}
