//! The README documents the command line and the diagnostic codes; these tests fail when the
//! two drift apart from the code.

use assert_cmd::Command;
use iso20k::diagnostic::Code;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn help(args: &[&str]) -> String {
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn readme_usage_blocks_match_help() {
    let readme = readme();
    for args in [
        &["-h"][..],
        &["check", "-h"],
        &["report", "-h"],
        &["clauses", "-h"],
        &["pack", "-h"],
        &["verify", "-h"],
        &["sample", "-h"],
        &["diff", "-h"],
        &["schema", "-h"],
        &["completions", "-h"],
        &["man", "-h"],
        &["readiness", "-h"],
        &["calendar", "-h"],
        &["init", "-h"],
    ] {
        let text = help(args);
        let block = format!("```text\n{}\n```", text.trim_end());
        assert!(
            readme.contains(&block),
            "README is missing the current output of `iso20k {}`:\n{block}",
            args.join(" ")
        );
    }
}

#[test]
fn readme_lists_every_diagnostic_code() {
    let mut table = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for code in Code::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            code.as_str(),
            code.severity(),
            code.description()
        ));
    }
    let readme = readme();
    let start = readme
        .find("<!-- codes:start -->\n")
        .expect("codes:start marker")
        + 21;
    let end = readme.find("<!-- codes:end -->").expect("codes:end marker");
    assert_eq!(
        &readme[start..end],
        table,
        "README diagnostics table is stale"
    );
}

#[test]
fn format_reference_lists_every_record_type() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    let catalogue = iso20k::catalogue::Catalogue::embedded();
    for name in catalogue.record_types.keys() {
        assert!(
            doc.contains(&format!("| `{name}` |")),
            "docs/format.md does not list record type {name}"
        );
    }
}
