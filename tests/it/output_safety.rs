//! Outputs never touch the repository they read: `pack -o`, `report -o` and `calendar --ics`
//! refuse the repository root, anything inside it and any folder holding it, whatever
//! `--force` says; `--force` replaces only a real pack, never a folder holding `.git`; and an
//! existing file is replaced only with `--force`. Each test reproduces an attack that deleted
//! or overwrote a repository before.

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";

fn iso20k() -> Command {
    Command::cargo_bin("iso20k").unwrap()
}

/// A small SMS repository with a `.git` folder, uncommitted work and a planted
/// `MANIFEST.sha256` (what made the old check take it for a pack), inside `parent/sms`.
fn repository(parent: &Path) -> PathBuf {
    let repo = parent.join("sms");
    fs::create_dir_all(repo.join(".git")).unwrap();
    fs::create_dir_all(repo.join("policies")).unwrap();
    fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    fs::write(
        repo.join("policies/sm-policy.md"),
        "---\nid: POL-001\ntitle: Policy\nkind: policy\nclauses: [\"5.2.1\"]\nstatus: approved\n\
         owner: MD\napproved_by: MD\napproved_on: 2026-03-01\n---\n# Policy\n\nText.\n",
    )
    .unwrap();
    fs::write(repo.join("work-in-progress.md"), "uncommitted\n").unwrap();
    fs::write(repo.join("MANIFEST.sha256"), "").unwrap();
    fs::write(parent.join("MANIFEST.sha256"), "").unwrap();
    repo
}

fn intact(repo: &Path) {
    assert!(repo.join(".git/HEAD").is_file(), "the .git folder is gone");
    assert!(
        repo.join("work-in-progress.md").is_file(),
        "uncommitted work is gone"
    );
    assert!(repo.join("policies/sm-policy.md").is_file());
}

fn pack(repo: &Path, out: &Path, force: bool) -> std::process::Output {
    let mut cmd = iso20k();
    cmd.args(["pack", "--stage", "1", "--as-of", AS_OF, "-o"])
        .arg(out)
        .arg(repo);
    if force {
        cmd.arg("--force");
    }
    cmd.output().unwrap()
}

#[test]
fn pack_never_replaces_the_repository_or_a_folder_holding_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    for out in [
        repo.clone(),
        tmp.path().to_path_buf(),
        repo.join("policies"),
        repo.join("packs/p.zip"),
        repo.join("p.zip"),
    ] {
        for force in [false, true] {
            let output = pack(&repo, &out, force);
            assert_eq!(output.status.code(), Some(2), "-o {}", out.display());
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("inside the repository") || stderr.contains("does not exist"),
                "-o {}: {stderr}",
                out.display()
            );
            intact(&repo);
        }
    }
    assert!(!repo.join("p.zip").exists());
}

#[test]
fn force_replaces_only_a_real_pack_and_never_a_git_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    // A folder with only a file named MANIFEST.sha256 is not a pack.
    let fake = tmp.path().join("fake");
    fs::create_dir(&fake).unwrap();
    fs::write(fake.join("MANIFEST.sha256"), "").unwrap();
    fs::write(fake.join("thesis.txt"), "do not delete").unwrap();
    let output = pack(&repo, &fake, true);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not an iso20k pack"));
    assert!(fake.join("thesis.txt").is_file());
    // A real pack is replaced...
    let real = tmp.path().join("real");
    assert!(pack(&repo, &real, false).status.success());
    assert!(pack(&repo, &real, true).status.success());
    // ...but not once someone keeps a git repository in it.
    fs::create_dir(real.join(".git")).unwrap();
    let output = pack(&repo, &real, true);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(".git"));
    assert!(real.join(".git").is_dir());
    intact(&repo);
}

#[test]
fn report_and_calendar_outputs_follow_the_same_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let policy = repo.join("policies/sm-policy.md");
    let before = fs::read(&policy).unwrap();
    let report = |out: &Path, force: bool| {
        let mut cmd = iso20k();
        cmd.args(["report", "--as-of", AS_OF, "-o"])
            .arg(out)
            .arg(&repo);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let calendar = |out: &Path, force: bool| {
        let mut cmd = iso20k();
        cmd.args(["calendar", "--as-of", AS_OF, "--ics"])
            .arg(out)
            .arg(&repo);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    for force in [false, true] {
        for output in [report(&policy, force), calendar(&policy, force)] {
            assert_eq!(output.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&output.stderr).contains("inside the repository"));
        }
        assert_eq!(report(&repo.join("gap.md"), force).status.code(), Some(2));
    }
    assert_eq!(
        fs::read(&policy).unwrap(),
        before,
        "a repository file was overwritten"
    );
    assert!(!repo.join("gap.md").exists());
    // Outside the repository: a new file is written, an existing one only with --force.
    let out = tmp.path().join("gap.md");
    let ics = tmp.path().join("sms.ics");
    assert!(report(&out, false).status.success());
    assert!(calendar(&ics, false).status.success());
    for output in [report(&out, false), calendar(&ics, false)] {
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("--force"));
    }
    assert!(report(&out, true).status.success());
    assert!(calendar(&ics, true).status.success());
    intact(&repo);
}

/// Ctrl-C (SIGINT) or SIGTERM while a pack is written removes its hidden temporary files,
/// which are as large as the pack, and exits 130. The repository holds an 8 GiB sparse file,
/// so the pack is still being written when the signal arrives.
#[cfg(unix)]
#[test]
fn an_interrupted_pack_leaves_no_temporary_files() {
    use std::time::{Duration, Instant};
    for (signal, out_name) in [("-INT", "p.zip"), ("-TERM", "dir-pack")] {
        let tmp = tempfile::tempdir().unwrap();
        let repo = repository(tmp.path());
        fs::create_dir_all(repo.join("evidence")).unwrap();
        fs::File::create(repo.join("evidence/dump.bin"))
            .unwrap()
            .set_len(8 << 30)
            .unwrap();
        let policy = repo.join("policies/sm-policy.md");
        let text = fs::read_to_string(&policy).unwrap().replace(
            "approved_on: 2026-03-01\n",
            "approved_on: 2026-03-01\nevidence: [\"../evidence/dump.bin\"]\n",
        );
        fs::write(&policy, text).unwrap();
        let outdir = tmp.path().join("out");
        fs::create_dir(&outdir).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("iso20k"))
            .args(["pack", "--stage", "1", "--as-of", AS_OF, "-q", "-o"])
            .arg(outdir.join(out_name))
            .arg(&repo)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let hidden = || {
            fs::read_dir(&outdir)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .starts_with('.')
                })
                .count()
        };
        let start = Instant::now();
        while hidden() == 0 {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no temporary file appeared"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "pack ended before the signal"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{signal}");
        let left: Vec<_> = fs::read_dir(&outdir).unwrap().collect();
        assert!(left.is_empty(), "{signal} left {left:?}");
        intact(&repo);
    }
}

/// Evidence references never pull git's own files into a pack (`.git/config` may hold a CI
/// token), directly or through a link; hidden files, git-ignored files and files with several
/// hard links are packed with a warning each.
#[test]
fn git_files_are_never_packed_and_odd_evidence_is_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    fs::write(
        repo.join(".git/config"),
        "[remote \"origin\"]\n\turl = https://ci:tok@example.com/sms.git\n",
    )
    .unwrap();
    fs::write(repo.join(".env"), "MODE=audit\n").unwrap();
    fs::write(repo.join(".gitignore"), "local/\n").unwrap();
    fs::create_dir_all(repo.join("local")).unwrap();
    fs::write(repo.join("local/notes.txt"), "draft notes\n").unwrap();
    fs::create_dir_all(repo.join("evidence")).unwrap();
    let outside = tmp.path().join("outside.txt");
    fs::write(&outside, "shared content\n").unwrap();
    fs::hard_link(&outside, repo.join("evidence/linked.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../.git/config", repo.join("evidence/cfg.txt")).unwrap();
    let policy = repo.join("policies/sm-policy.md");
    let text = fs::read_to_string(&policy).unwrap().replace(
        "approved_on: 2026-03-01\n",
        "approved_on: 2026-03-01\nevidence: [\"../.git/config\", \"../.env\", \
         \"../local/notes.txt\", \"../evidence/linked.txt\", \"../evidence/cfg.txt\"]\n",
    );
    fs::write(&policy, text).unwrap();
    let out = tmp.path().join("pack");
    let output = pack(&repo, &out, false);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!out.join(".git").exists(), "git's files were packed");
    assert!(
        !out.join("evidence/cfg.txt").exists(),
        "a link to git's files was packed"
    );
    assert!(stderr.contains("pack-git-internal"), "{stderr}");
    for (code, packed) in [
        ("pack-hidden-file", ".env"),
        ("pack-ignored-file", "local/notes.txt"),
        ("pack-hard-link", "evidence/linked.txt"),
    ] {
        assert!(stderr.contains(code), "{code}: {stderr}");
        assert!(out.join(packed).is_file(), "{packed} is packed");
    }
    let manifest = fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(!manifest.contains("tok@"), "{manifest}");
}
