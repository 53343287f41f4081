//! Snapshots of every output format on the example repositories, at a fixed `--as-of`.
//! Review intended changes with `cargo insta review`.

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn acme_human() {
    insta::assert_snapshot!(run(&[
        "check",
        "examples/acme-sms",
        "--as-of",
        "2026-11-23"
    ]));
}

#[test]
fn acme_json() {
    insta::assert_snapshot!(run(&[
        "check",
        "examples/acme-sms",
        "--format",
        "json",
        "--as-of",
        "2026-11-23"
    ]));
}

#[test]
fn minimal_human() {
    insta::assert_snapshot!(run(&["check", "examples/minimal", "--as-of", "2026-11-23"]));
}

#[test]
fn small_fixture_json() {
    insta::assert_snapshot!(run(&[
        "check",
        "tests/fixtures/small",
        "--format",
        "json",
        "--as-of",
        "2026-11-23"
    ]));
}

#[test]
fn clause_detail() {
    insta::assert_snapshot!(run(&["clauses", "8.7.2"]));
}

#[test]
fn clause_list() {
    insta::assert_snapshot!(run(&["clauses"]));
}
