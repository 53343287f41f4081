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

/// The first-column values (first word, without backticks) of the first Markdown table after
/// the line containing `after`.
fn table_keys(text: &str, after: &str) -> Vec<String> {
    let start = text
        .find(after)
        .unwrap_or_else(|| panic!("README has no {after:?}"));
    text[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cell = line.split('|').nth(1).unwrap().trim();
            let key = cell.split_whitespace().next().unwrap_or(cell);
            key.trim_matches('`').to_string()
        })
        .collect()
}

#[test]
fn readme_exit_codes_match_the_code() {
    use iso20k::config::FailOn;
    use iso20k::exit::Exit;
    let readme = readme();
    let documented = table_keys(&readme, "## Exit codes");
    let actual: Vec<String> = Exit::ALL.iter().map(|e| e.code().to_string()).collect();
    assert_eq!(documented, actual, "README exit-code table");
    let mut levels = table_keys(&readme, "`--fail-on` levels");
    let mut names: Vec<String> = FailOn::NAMES.iter().map(|n| n.to_string()).collect();
    levels.sort();
    names.sort();
    assert_eq!(levels, names, "README --fail-on table");
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

/// docs/architecture.md names every top-level module of `src/`, so the map stays true when a
/// module is added, split or moved.
#[test]
fn architecture_names_every_module() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    for entry in std::fs::read_dir(root.join("src")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let shown = if entry.path().is_dir() {
            format!("`src/{name}/`")
        } else {
            format!("`src/{name}`")
        };
        assert!(
            doc.contains(&shown),
            "docs/architecture.md does not name {shown}"
        );
    }
}
