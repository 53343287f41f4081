//! `iso20k diff` across commits of a temporary git repository: a clause that regressed, a
//! diagnostic fixed and one introduced, the Markdown and JSON reports, `--fail-on-regression`,
//! the working tree as head (left untouched), and the exit-2 cases.

use crate::common;

use assert_cmd::Command;
use common::{Repo, git, manifest_dir};
use serde_json::Value;

const AS_OF: &str = "2026-11-23";

/// The CI fixture in `sms/` of a repository with two commits: the head commit withdraws the
/// improvement policy's approval (10.1 met → gap) and repairs the change register (its
/// yaml-syntax error is fixed; the register's record type `change`, unknown to the fixture's
/// catalogue, becomes a new warning).
fn two_commits() -> (Repo, String, String) {
    let repo = Repo::new();
    repo.copy("tests/fixtures/ci", "sms");
    let base = repo.commit("base", "2026-09-01");
    repo.edit(
        "sms/policies/improvement.md",
        "status: approved",
        "status: draft",
    );
    repo.edit(
        "sms/registers/changes.yaml",
        "title: [unclosed",
        "title: fixed",
    );
    let head = repo.commit("head", "2026-10-01");
    (repo, base, head)
}

fn diff(repo: &Repo, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "sms", "--as-of", AS_OF, "--catalogue"])
        .arg(manifest_dir().join("tests/fixtures/catalogues/ci.yaml"))
        .args(args)
        .output()
        .unwrap()
}

fn json(repo: &Repo, args: &[&str]) -> Value {
    let output = diff(repo, &[args, &["--format", "json"]].concat());
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn markdown_report_for_a_pull_request() {
    let (repo, base, head) = two_commits();
    let output = diff(&repo, &["--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "no --fail-on-regression: exit 0"
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text
        .replace(&base[..12], "BASE-COMMIT")
        .replace(&head[..12], "HEAD-COMMIT");
    insta::assert_snapshot!("diff_markdown", text);
}

#[test]
fn json_report_names_the_regression_and_the_fixed_diagnostic() {
    let (repo, base, head) = two_commits();
    let doc = json(&repo, &["--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(doc["tool"]["name"], "iso20k");
    assert_eq!(doc["root"], "sms");
    assert_eq!(doc["as_of"], AS_OF);
    assert_eq!(doc["base"]["rev"], "HEAD~1");
    assert_eq!(doc["base"]["commit"], base.as_str());
    assert_eq!(doc["head"]["commit"], head.as_str());
    assert_eq!(doc["regressed"], true);

    let clauses = doc["clauses"].as_array().unwrap();
    assert_eq!(clauses.len(), 1, "{clauses:#?}");
    let regressed = &clauses[0];
    assert_eq!(regressed["id"], "10.1");
    assert_eq!(regressed["change"], "worse");
    assert_eq!(regressed["base"], "met");
    assert_eq!(regressed["head"], "gap");
    assert_eq!(regressed["newly_failing"][0]["check"], "improvement-policy");
    assert!(
        regressed["newly_failing"][0]["message"]
            .as_str()
            .unwrap()
            .contains("POL-002 is a draft")
    );

    let fixed = doc["fixed_diagnostics"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["code"], "yaml-syntax");
    assert_eq!(fixed[0]["path"], "registers/changes.yaml");
    let new = doc["new_diagnostics"].as_array().unwrap();
    assert_eq!(new.len(), 1);
    assert_eq!(new[0]["code"], "unknown-record-type");

    let score = |side: &str| doc[side]["summary"]["score"].as_f64().unwrap();
    let delta = doc["score_delta"].as_f64().unwrap();
    assert!(delta < 0.0);
    assert!((score("head") - score("base") - delta).abs() < 0.051);
}

#[test]
fn fail_on_regression_exits_1_only_when_a_clause_got_worse() {
    let (repo, _, _) = two_commits();
    let worse = diff(
        &repo,
        &["--base", "HEAD~1", "--head", "HEAD", "--fail-on-regression"],
    );
    assert_eq!(worse.status.code(), Some(1));
    assert!(!worse.stdout.is_empty(), "the report is still printed");
    // The other way round the clause got better: no regression.
    let better = diff(
        &repo,
        &["--base", "HEAD", "--head", "HEAD~1", "--fail-on-regression"],
    );
    assert_eq!(better.status.code(), Some(0));
    let doc = json(&repo, &["--base", "HEAD", "--head", "HEAD~1"]);
    assert_eq!(doc["regressed"], false);
    assert_eq!(doc["clauses"][0]["change"], "better");
    assert_eq!(doc["clauses"][0]["newly_passing"][0], "improvement-policy");
    assert_eq!(doc["fixed_diagnostics"][0]["code"], "unknown-record-type");
    assert_eq!(doc["new_diagnostics"][0]["code"], "yaml-syntax");
}

#[test]
fn identical_revisions_report_no_change() {
    let (repo, _, _) = two_commits();
    let doc = json(&repo, &["--base", "HEAD", "--head", "HEAD"]);
    assert_eq!(doc["clauses"].as_array().unwrap().len(), 0);
    assert_eq!(doc["new_diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["fixed_diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["score_delta"], 0.0);
    let output = diff(&repo, &["--base", "HEAD", "--head", "HEAD"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("No clause changed status."));
    assert!(text.contains("No diagnostic appeared or was fixed."));
}

#[test]
fn without_head_the_working_tree_is_compared_and_left_untouched() {
    let (repo, _, _) = two_commits();
    // An uncommitted fix: the policy is approved again in the working tree only.
    repo.edit(
        "sms/policies/improvement.md",
        "status: draft",
        "status: approved",
    );
    let status_before = git(
        repo.path(),
        &["status", "--porcelain", "--untracked-files=all"],
    );
    let listing_before = git(repo.path(), &["ls-files", "--others", "--cached"]);
    let doc = json(&repo, &["--base", "HEAD"]);
    assert_eq!(doc["head"]["rev"], "working tree");
    assert_eq!(doc["head"]["commit"], Value::Null);
    assert_eq!(doc["clauses"][0]["id"], "10.1");
    assert_eq!(doc["clauses"][0]["change"], "better");
    assert_eq!(
        git(
            repo.path(),
            &["status", "--porcelain", "--untracked-files=all"]
        ),
        status_before
    );
    assert_eq!(
        git(repo.path(), &["ls-files", "--others", "--cached"]),
        listing_before
    );
    assert!(
        repo.read("sms/policies/improvement.md")
            .contains("status: approved")
    );
}

#[test]
fn a_base_without_the_sms_directory_counts_as_an_empty_repository() {
    let repo = Repo::new();
    repo.write("README.md", "# Project\n");
    repo.commit("before the SMS", "2026-08-01");
    repo.copy("tests/fixtures/ci", "sms");
    repo.commit("add the SMS", "2026-09-01");
    let doc = json(&repo, &["--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(doc["base"]["summary"]["items"], 0);
    assert_eq!(doc["regressed"], false);
    let better: Vec<&str> = doc["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"] == "better")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(better, ["8.1", "10.1"]);
}

#[test]
fn diff_at_the_repository_root_and_with_evidence_files() {
    let repo = Repo::new();
    repo.copy("tests/fixtures/small", ".");
    repo.write("evidence/minutes.pdf", "%PDF-1.4 not really");
    repo.edit(
        "policies/sm-policy.md",
        "version: \"1.0\"",
        "version: \"1.0\"\nevidence: [../evidence/minutes.pdf]",
    );
    repo.commit("base", "2026-09-01");
    std::fs::remove_file(repo.path().join("evidence/minutes.pdf")).unwrap();
    repo.commit("evidence removed", "2026-10-01");
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff", "--as-of", AS_OF, "--base", "HEAD~1", "--head", "HEAD",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["root"], ".");
    assert_eq!(doc["fixed_diagnostics"].as_array().unwrap().len(), 0);
    let new = doc["new_diagnostics"].as_array().unwrap();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["code"], "evidence-missing");
    // The .gitignore'd and excluded files are honoured at the revision as in a checkout.
    assert_eq!(doc["base"]["summary"]["errors"], 0);
}

#[test]
fn outside_a_git_repository_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "# not a repo\n").unwrap();
    Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args(["diff", ".", "--base", "HEAD"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("not inside a git repository"));
}

#[test]
fn an_unknown_revision_is_exit_2() {
    let (repo, _, _) = two_commits();
    for args in [
        &["--base", "no-such-branch"][..],
        &["--base", "HEAD", "--head", "v9.9.9"],
        &["--base", "--output=x"],
    ] {
        let output = diff(&repo, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
    }
    let output = diff(&repo, &["--base", "no-such-branch"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("unknown revision `no-such-branch`"),
        "{stderr}"
    );
}

#[test]
fn a_missing_path_is_exit_2() {
    let (repo, _, _) = two_commits();
    Command::cargo_bin("iso20k")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "no-such-dir", "--base", "HEAD"])
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn symbolic_links_at_a_revision_are_seen_as_in_a_checkout() {
    let repo = Repo::new();
    repo.copy("tests/fixtures/small", "sms");
    let policies = repo.path().join("sms/policies");
    // One link inside the SMS (fine), one to a directory outside every repository.
    std::os::unix::fs::symlink("sm-policy.md", policies.join("alias.md")).unwrap();
    std::os::unix::fs::symlink("/", policies.join("root.md")).unwrap();
    repo.commit("links", "2026-09-01");
    repo.write("sms/policies/extra.txt", "a file that changes nothing");
    repo.commit("unrelated change", "2026-09-15");
    std::fs::remove_file(policies.join("root.md")).unwrap();
    repo.commit("outside link removed", "2026-10-01");
    let run = |base: &str, head: &str| -> Value {
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .current_dir(repo.path())
            .args([
                "diff", "sms", "--as-of", AS_OF, "--base", base, "--head", head,
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    // The link exists on both sides: the same diagnostic, neither new nor fixed.
    let unchanged = run("HEAD~2", "HEAD~1");
    assert_eq!(unchanged["base"]["summary"]["warnings"], 2, "{unchanged:#}");
    assert_eq!(unchanged["fixed_diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(unchanged["new_diagnostics"].as_array().unwrap().len(), 0);
    // Removed at head: fixed.
    let doc = run("HEAD~1", "HEAD");
    let fixed = doc["fixed_diagnostics"].as_array().unwrap();
    assert_eq!(fixed.len(), 1, "{fixed:#?}");
    assert_eq!(fixed[0]["code"], "symlink-outside-root");
    assert_eq!(fixed[0]["path"], "policies/root.md");
}
