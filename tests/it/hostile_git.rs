//! A repository's git configuration is not trusted: nothing it names may run. A hostile
//! `.git/config` sets every hook git offers for commands to run (fsmonitor, clean/smudge and
//! process filters, textconv, an external diff, a pager, hooks, a credential helper), each
//! writing a marker file; every iso20k command that reads git runs over it, and no marker may
//! appear and `.git/index` may not change.

use crate::common;

use assert_cmd::Command;
use std::fs;
use std::path::Path;

#[cfg(unix)]
fn script(path: &Path, marker: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(
        path,
        format!("#!/bin/sh\ntouch '{}'\ncat\n", marker.display()),
    )
    .unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn nothing_a_repository_configures_runs() {
    let repo = common::Repo::new();
    repo.copy("tests/fixtures/small", "sms");
    repo.commit("first", "2026-10-01");
    // A tracked change, so that a dirty check has work to do.
    repo.edit(
        "sms/policies/sm-policy.md",
        "Our commitment",
        "Our firm commitment",
    );
    let outside = tempfile::tempdir().unwrap();
    let markers = outside.path().join("markers");
    fs::create_dir(&markers).unwrap();
    let mark = |name: &str| markers.join(name);
    let bin = outside.path().join("bin");
    fs::create_dir(&bin).unwrap();
    for name in [
        "fsmonitor",
        "clean",
        "smudge",
        "process",
        "textconv",
        "external",
        "pager",
        "hook",
        "credential",
    ] {
        script(&bin.join(name), &mark(name));
    }
    let b = |name: &str| bin.join(name).display().to_string();
    let config = format!(
        "[core]\n\tfsmonitor = {}\n\tpager = {}\n\thooksPath = {}\n\
         [filter \"evil\"]\n\tclean = {}\n\tsmudge = {}\n\tprocess = {}\n\trequired = false\n\
         [diff \"evil\"]\n\ttextconv = {}\n[diff]\n\texternal = {}\n\
         [credential]\n\thelper = {}\n[pager]\n\tstatus = {}\n\tdiff = {}\n",
        b("fsmonitor"),
        b("pager"),
        bin.display(),
        b("clean"),
        b("smudge"),
        b("process"),
        b("textconv"),
        b("external"),
        b("credential"),
        b("pager"),
        b("pager"),
    );
    let git_config = repo.path().join(".git/config");
    let mut text = fs::read_to_string(&git_config).unwrap();
    text.push_str(&config);
    fs::write(&git_config, text).unwrap();
    fs::write(
        repo.path().join(".gitattributes"),
        "* filter=evil diff=evil\n",
    )
    .unwrap();
    for hook in [
        "pre-commit",
        "post-checkout",
        "post-index-change",
        "reference-transaction",
    ] {
        script(&bin.join(hook), &mark("hook"));
    }
    let index = repo.path().join(".git/index");
    let before = (
        fs::read(&index).unwrap(),
        fs::metadata(&index).unwrap().modified().unwrap(),
    );

    let sms = repo.path().join("sms");
    let out = outside.path().join("out");
    fs::create_dir(&out).unwrap();
    let runs: Vec<Vec<String>> = vec![
        vec![
            "report".into(),
            "-o".into(),
            out.join("r.md").display().to_string(),
        ],
        vec!["check".into(), "--git-dates".into()],
        vec!["diff".into(), "--base".into(), "HEAD".into()],
        vec!["readiness".into()],
        vec!["calendar".into()],
        vec![
            "pack".into(),
            "--stage".into(),
            "2".into(),
            "-o".into(),
            out.join("p").display().to_string(),
        ],
    ];
    for args in runs {
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .args(&args)
            .args(["--as-of", "2026-11-23"])
            .arg(&sms)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c < 2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let ran: Vec<String> = fs::read_dir(&markers)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(ran.is_empty(), "{args:?} ran the repository's {ran:?}");
        let after = (
            fs::read(&index).unwrap(),
            fs::metadata(&index).unwrap().modified().unwrap(),
        );
        assert!(after == before, "{args:?} rewrote .git/index");
    }
    // The report still tells the truth: the checkout has an uncommitted change.
    let report = fs::read_to_string(out.join("r.md")).unwrap();
    assert!(report.contains("-dirty`"), "{report}");
}

/// A repository whose path holds a newline is compared with itself, not with the repository
/// whose path is the part before the newline (git's answer was split into lines).
#[cfg(unix)]
#[test]
fn a_newline_in_the_path_names_no_other_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let init = |dir: &Path, policy: bool| {
        fs::create_dir_all(dir).unwrap();
        common::git(dir, &["init", "-q", "-b", "main"]);
        let text = if policy {
            "---\nid: POL-001\ntitle: Policy\nkind: policy\nclauses: [\"5.2.1\"]\nstatus: approved\n\
             owner: MD\napproved_by: MD\napproved_on: 2026-03-01\n---\n# Policy\n\nText.\n"
        } else {
            "# Notes\n"
        };
        fs::write(dir.join("doc.md"), text).unwrap();
        common::git(dir, &["add", "-A"]);
        common::git(
            dir,
            &[
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@e",
                "commit",
                "-q",
                "-m",
                "x",
            ],
        );
    };
    let decoy = tmp.path().join("sms");
    let real = tmp.path().join("sms\nreal");
    init(&decoy, true);
    init(&real, false);
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args([
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ])
        .arg(&real)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["clauses"].as_array().unwrap().len(), 0, "{json:#}");
}

/// Blobs over the size limit a check reads are reported `file-too-large` at a revision
/// exactly as on disk. (That they are never fetched, the point of the change, shows in memory
/// only, which a test cannot hold without timing: two 1 GiB blobs took 10 MB, measured by
/// hand with `/usr/bin/time -v`. This test keeps the behaviour, and passed before too.)
#[test]
fn oversized_blobs_at_a_revision_are_reported_as_on_disk() {
    let repo = common::Repo::new();
    let big = "x".repeat(51 * 1024 * 1024);
    repo.write("sms/big-a.md", &big);
    repo.write("sms/big-b.md", &format!("{big}y"));
    repo.commit("big", "2026-10-01");
    let output = Command::cargo_bin("iso20k")
        .unwrap()
        .args([
            "diff",
            "--base",
            "HEAD",
            "--format",
            "json",
            "--as-of",
            "2026-11-23",
        ])
        .arg(repo.path().join("sms"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["base"]["summary"]["warnings"], 2, "{json:#}");
    assert_eq!(json["base"]["summary"], json["head"]["summary"]);
}

/// Files of a repository that make git block (a FIFO as `.mailmap`, as the diff order file,
/// as `.git/index`, or included by `.git/config`) never hang iso20k: the first two are
/// switched off, and every git process has a deadline (`ISO20K_GIT_TIMEOUT`, 2 s here).
#[cfg(unix)]
#[test]
fn git_files_that_block_never_hang_a_command() {
    use std::time::{Duration, Instant};
    let fifo = |path: &Path| {
        assert!(
            std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .unwrap()
                .success()
        );
    };
    let run = |repo: &common::Repo, args: &[&str]| {
        let start = Instant::now();
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .args(args)
            .args(["--as-of", "2026-11-23"])
            .arg(repo.path().join("sms"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("ISO20K_GIT_TIMEOUT", "2")
            .timeout(Duration::from_secs(60))
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some(),
            "{args:?} was killed by the test's timeout"
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{args:?} took {:?}",
            start.elapsed()
        );
        output
    };
    // .mailmap and the diff order file: switched off, so --git-dates works.
    let repo = common::Repo::new();
    repo.copy("tests/fixtures/small", "sms");
    repo.commit("first", "2026-10-01");
    fifo(&repo.path().join(".mailmap"));
    fifo(&repo.path().join("order"));
    let config = repo.path().join(".git/config");
    let text = fs::read_to_string(&config).unwrap() + "[diff]\n\torderFile = order\n";
    fs::write(&config, text).unwrap();
    let output = run(&repo, &["check", "--git-dates", "-q"]);
    assert!(output.status.code().is_some_and(|c| c < 2), "{output:?}");
    // .git/index as a FIFO: the deadline stops git; the report still comes out.
    let repo = common::Repo::new();
    repo.copy("tests/fixtures/small", "sms");
    repo.commit("first", "2026-10-01");
    let index = repo.path().join(".git/index");
    fs::remove_file(&index).unwrap();
    fifo(&index);
    let output = run(&repo, &["report"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
