//! The set-ups in examples/ci, run as far as they can be here: the GitHub Actions steps and the
//! GitLab job scripts are executed with bash against a small SMS in a temporary git repository
//! with a local `origin` (iso20k on PATH, `gh` replaced by a recorder); the pre-commit
//! framework's hook entry and the plain git hook are run on real commits.
#![cfg(unix)]

use crate::common;

use common::{Repo, git, git_command, manifest_dir};
use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

fn example(name: &str) -> String {
    std::fs::read_to_string(manifest_dir().join("examples/ci").join(name)).unwrap()
}

fn yaml(name: &str) -> Value {
    yaml_serde::from_str(&example(name)).unwrap()
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_iso20k"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A directory with a `gh` that records its arguments instead of calling GitHub.
fn fake_gh(dir: &Path) -> PathBuf {
    let stubs = dir.join("stubs");
    std::fs::create_dir_all(&stubs).unwrap();
    let gh = stubs.join("gh");
    std::fs::write(
        &gh,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\n",
            dir.join("gh.log").display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    stubs
}

fn path_with(dirs: &[&Path]) -> String {
    let mut parts: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    parts.push(std::env::var("PATH").unwrap_or_default());
    parts.join(":")
}

/// An SMS (tests/fixtures/small) committed on `main`, pushed to a bare `origin`, and a
/// `feature` branch with one more commit; `regress` makes that commit withdraw the approval
/// of the service management policy.
struct Pipeline {
    repo: Repo,
    _origin: tempfile::TempDir,
    scratch: tempfile::TempDir,
}

fn pipeline(regress: bool) -> Pipeline {
    let origin = tempfile::tempdir().unwrap();
    git(origin.path(), &["init", "-q", "--bare", "-b", "main"]);
    let repo = Repo::new();
    repo.copy("tests/fixtures/small", ".");
    repo.commit("SMS", "2026-09-01");
    let url = origin.path().display().to_string();
    git(repo.path(), &["remote", "add", "origin", &url]);
    git(repo.path(), &["push", "-q", "origin", "main"]);
    git(repo.path(), &["fetch", "-q", "origin"]);
    git(repo.path(), &["checkout", "-q", "-b", "feature"]);
    if regress {
        repo.edit("policies/sm-policy.md", "status: approved", "status: draft");
    } else {
        repo.edit(
            "registers/incidents.yaml",
            "    title: VPN slow\n",
            "    title: VPN slow\n  - id: INC-3\n    date: 2026-11-12\n    title: Printer queue\n",
        );
    }
    repo.commit("feature", "2026-10-01");
    Pipeline {
        repo,
        _origin: origin,
        scratch: tempfile::tempdir().unwrap(),
    }
}

fn bash(dir: &Path, script: &str, env: &BTreeMap<String, String>) -> std::process::Output {
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn strings(map: &Value) -> BTreeMap<String, String> {
    map.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions

/// Runs every `run:` step of the workflow's job as a pull request from `feature` into `main`;
/// returns the exit code of each step by name.
fn run_workflow(p: &Pipeline) -> BTreeMap<String, i32> {
    let workflow = yaml("github-actions.yml");
    let job = &workflow["jobs"]["iso20k"];
    let stubs = fake_gh(p.scratch.path());
    let mut env = strings(&workflow["env"]);
    env.insert("GITHUB_BASE_REF".into(), "main".into());
    env.insert("GITHUB_EVENT_NAME".into(), "pull_request".into());
    env.insert(
        "GITHUB_STEP_SUMMARY".into(),
        p.scratch.path().join("summary.md").display().to_string(),
    );
    env.insert("PATH".into(), path_with(&[&bin_dir(), &stubs]));
    let mut codes = BTreeMap::new();
    for step in job["steps"].as_array().unwrap() {
        let Some(script) = step["run"].as_str() else {
            continue;
        };
        let mut step_env = env.clone();
        for (k, v) in strings(&step["env"]) {
            // `${{ ... }}` expressions are GitHub's to fill in: stand-ins here.
            let value = if v.contains("pull_request.number") {
                "7".to_string()
            } else if v.contains("${{") {
                "stand-in".to_string()
            } else {
                v
            };
            step_env.insert(k, value);
        }
        assert!(
            !script.contains("${{"),
            "run scripts take GitHub expressions through env: {script}"
        );
        let output = bash(p.repo.path(), script, &step_env);
        let name = step["name"].as_str().unwrap().to_string();
        if !output.status.success() {
            eprintln!("step {name}: {}", String::from_utf8_lossy(&output.stderr));
        }
        codes.insert(name, output.status.code().unwrap());
    }
    codes
}

#[test]
fn github_workflow_is_well_formed() {
    let workflow = yaml("github-actions.yml");
    assert!(workflow["on"].get("pull_request").is_some());
    let job = &workflow["jobs"]["iso20k"];
    assert_eq!(job["permissions"]["security-events"], "write");
    let steps = job["steps"].as_array().unwrap();
    let checkout = &steps[0];
    assert!(
        checkout["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/checkout@")
    );
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "diff and --git-dates need history"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a SARIF upload step");
    let sarif_file = upload["with"]["sarif_file"].as_str().unwrap();
    assert!(
        steps.iter().any(|s| s["run"].as_str().is_some_and(
            |r| r.contains("--format sarif") && r.contains(&format!("> {sarif_file}"))
        )),
        "the upload reads the file the SARIF step writes"
    );
}

#[test]
fn github_workflow_steps_run_on_a_pull_request() {
    let p = pipeline(false);
    let codes = run_workflow(&p);
    assert!(codes.len() >= 5, "{codes:?}");
    for (step, code) in &codes {
        assert_eq!(*code, 0, "step {step:?} failed");
    }
    // The SARIF file the upload step reads.
    let sarif: Value =
        serde_json::from_str(&p.repo.read("iso20k.sarif")).expect("iso20k.sarif is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    // The job summary.
    let summary = std::fs::read_to_string(p.scratch.path().join("summary.md")).unwrap();
    assert!(summary.contains("### iso20k check"), "{summary}");
    // The pull-request comment: the diff in Markdown, handed to gh.
    let comment = p.repo.read("iso20k-diff.md");
    assert!(comment.starts_with("## iso20k"), "{comment}");
    assert!(comment.contains("`origin/main`"));
    let gh = std::fs::read_to_string(p.scratch.path().join("gh.log")).unwrap();
    assert_eq!(
        gh.trim(),
        "pr comment 7 --edit-last --body-file iso20k-diff.md"
    );
    // The working tree holds only the outputs the workflow wrote.
    let status = git(p.repo.path(), &["status", "--porcelain"]);
    for line in status.lines() {
        assert!(line.starts_with("?? iso20k"), "unexpected change: {line}");
    }
}

#[test]
fn github_workflow_fails_the_pull_request_that_makes_a_clause_worse() {
    let p = pipeline(true);
    let codes = run_workflow(&p);
    assert_eq!(codes["Fail when a clause got worse"], 1, "{codes:?}");
    assert_eq!(codes["Check (annotations and job summary)"], 0);
    let comment = p.repo.read("iso20k-diff.md");
    assert!(comment.contains("got worse"), "{comment}");
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

#[test]
fn gitlab_job_runs_on_a_merge_request() {
    let p = pipeline(false);
    let ci = yaml("gitlab-ci.yml");
    let job = &ci["iso20k"];
    let mut env = strings(&job["variables"]);
    env.insert("CI_PROJECT_DIR".into(), p.repo.path().display().to_string());
    env.insert("CI_MERGE_REQUEST_TARGET_BRANCH_NAME".into(), "main".into());
    env.insert("PATH".into(), path_with(&[&bin_dir()]));
    let lines: Vec<&str> = job["before_script"]
        .as_array()
        .unwrap()
        .iter()
        .chain(job["script"].as_array().unwrap())
        .map(|l| l.as_str().unwrap())
        .collect();
    let output = bash(p.repo.path(), &lines.join("\n"), &env);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let junit_file = job["artifacts"]["reports"]["junit"].as_str().unwrap();
    let report = quick_junit::Report::deserialize_from_str(&p.repo.read(junit_file))
        .expect("the JUnit report parses");
    assert_eq!(report.test_suites.len(), 2);
    for path in job["artifacts"]["paths"].as_array().unwrap() {
        let text = p.repo.read(path.as_str().unwrap());
        assert!(text.starts_with("## iso20k"), "{text}");
    }
    assert_eq!(job["variables"]["GIT_DEPTH"], "0");
}

// ---------------------------------------------------------------------------------------------
// pre-commit framework

#[test]
fn pre_commit_framework_hook_entry_runs_and_matches_sms_files() {
    let config = yaml("pre-commit-config.yaml");
    let hook = &config["repos"][0]["hooks"][0];
    assert_eq!(config["repos"][0]["repo"], "local");
    assert_eq!(hook["language"], "system");
    assert_eq!(hook["pass_filenames"], false);
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "iso20k");

    let repo = Repo::new();
    repo.copy("tests/fixtures/small", ".");
    let run = |repo: &Repo| {
        Command::new(env!("CARGO_BIN_EXE_iso20k"))
            .args(&entry[1..])
            .current_dir(repo.path())
            .output()
            .unwrap()
    };
    let clean = run(&repo);
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    repo.write(
        "policies/broken.md",
        "---\nid: POL-9\ntitle: Broken\nkind: polcy\n---\n",
    );
    assert_eq!(run(&repo).status.code(), Some(1));

    // The `files` pattern selects the SMS files that can change the result.
    let pattern = hook["files"].as_str().unwrap();
    let matches = |name: &str| {
        Command::new("grep")
            .args(["-qE", pattern])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(name.as_bytes())?;
                child.wait()
            })
            .unwrap()
            .success()
    };
    for name in ["policies/a.md", "registers/r.yaml", "x.yml", "iso20k.toml"] {
        assert!(matches(name), "{name}");
    }
    assert!(!matches("evidence/report.pdf"));
}

// ---------------------------------------------------------------------------------------------
// plain git hook

fn install_hook(repo: &Repo) {
    let hook = repo.path().join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::copy(manifest_dir().join("examples/ci/pre-commit"), &hook).unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn commit(repo: &Repo, extra_env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = git_command(repo.path());
    cmd.env("ISO20K", env!("CARGO_BIN_EXE_iso20k"))
        .args(["commit", "-q", "-m", "change"]);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

const BROKEN: &str = "---\nid: POL-9\ntitle: Broken\nkind: polcy\n---\n";
const FIXED: &str = "---\nid: POL-9\ntitle: Fixed\nkind: other\nclauses: [\"4.1\"]\n---\n";

#[test]
fn git_hook_checks_what_is_staged() {
    let repo = Repo::new();
    repo.copy("tests/fixtures/small", ".");
    repo.commit("SMS", "2026-09-01");
    install_hook(&repo);
    let head = || git(repo.path(), &["rev-parse", "HEAD"]);

    // A broken file staged: refused, with the reason.
    let before = head();
    repo.write("policies/new.md", BROKEN);
    git(repo.path(), &["add", "-A"]);
    let refused = commit(&repo, &[]);
    assert!(!refused.status.success());
    assert_eq!(head(), before);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("unknown-kind"), "{stderr}");
    assert!(stderr.contains("commit refused"), "{stderr}");

    // Fixed in the working tree but not staged: still refused.
    repo.write("policies/new.md", FIXED);
    assert!(!commit(&repo, &[]).status.success());
    assert_eq!(head(), before);

    // Staged fix, broken again in the working tree only: accepted.
    git(repo.path(), &["add", "-A"]);
    repo.write("policies/new.md", BROKEN);
    let accepted = commit(&repo, &[]);
    assert!(
        accepted.status.success(),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );
    assert_ne!(head(), before);
    assert_eq!(
        repo.read("policies/new.md"),
        BROKEN,
        "working tree untouched"
    );
    assert_eq!(
        git(repo.path(), &["show", "HEAD:policies/new.md"]),
        FIXED.trim_end()
    );
}

#[test]
fn git_hook_settings_path_fail_on_and_missing_binary() {
    let repo = Repo::new();
    repo.copy("tests/fixtures/small", "sms");
    repo.write("README.md", "# Project\n");
    repo.commit("SMS in a folder", "2026-09-01");
    install_hook(&repo);

    // The SMS has a review-overdue warning: fine at the default level, refused at warning.
    repo.write("notes.txt", "one");
    git(repo.path(), &["add", "-A"]);
    let warning = commit(
        &repo,
        &[("ISO20K_PATH", "sms"), ("ISO20K_FAIL_ON", "warning")],
    );
    assert!(!warning.status.success());
    let accepted = commit(&repo, &[("ISO20K_PATH", "sms")]);
    assert!(
        accepted.status.success(),
        "{}",
        String::from_utf8_lossy(&accepted.stderr)
    );

    repo.write("notes.txt", "two");
    git(repo.path(), &["add", "-A"]);
    let missing = commit(&repo, &[("ISO20K", "/no/such/iso20k")]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("not found"));
    // An SMS path that does not exist is iso20k's exit 2, reported as such.
    let bad_path = commit(&repo, &[("ISO20K_PATH", "nope")]);
    assert!(!bad_path.status.success());
    assert!(String::from_utf8_lossy(&bad_path.stderr).contains("could not check"));
}
