//! Helpers shared by the integration tests: the `iso20k` command and the project root, and
//! temporary git repositories for the tests of `diff`, `--git-dates`, the git hook and the CI
//! examples. Git runs with no global or system configuration, so a developer's settings
//! (signing, hooks, default branch) cannot change the result.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The project's root, where the examples and fixtures are.
pub fn root() -> PathBuf {
    manifest_dir()
}

/// `iso20k` run from the project's root, with the variables that would change its output
/// (`NO_COLOR`, a GitHub job summary file) removed, so every test sees the same environment.
pub fn iso20k() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("iso20k").unwrap();
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

/// `git` isolated from the user's configuration, with a fixed identity.
pub fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// Runs git in `dir` and returns its trimmed standard output; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = git_command(dir).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

/// A git working tree in a temporary directory.
pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q", "-b", "main"]);
        Repo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Replaces `from` by `to` in a file; panics when `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Copies a directory of the source tree (e.g. a fixture) to `rel`.
    pub fn copy(&self, source: &str, rel: &str) {
        copy_dir(&manifest_dir().join(source), &self.path().join(rel));
    }

    /// Stages everything and commits with the given committer date (`YYYY-MM-DD`).
    pub fn commit(&self, message: &str, date: &str) -> String {
        git(self.path(), &["add", "-A"]);
        let stamp = format!("{date}T12:00:00+00:00");
        let output = git_command(self.path())
            .env("GIT_COMMITTER_DATE", &stamp)
            .env("GIT_AUTHOR_DATE", &stamp)
            .args(["commit", "-q", "-m", message])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "commit failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        git(self.path(), &["rev-parse", "HEAD"])
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
