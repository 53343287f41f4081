//! Reading a repository's history through the `git` program on PATH: where a directory sits in
//! its git repository, resolving revisions, extracting a revision's files into a directory, and
//! the last commit date of every file. Nothing here touches the working tree or the index.

use anyhow::{Context as _, anyhow, bail};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

/// A directory inside a git repository.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// The top level of the working tree.
    pub toplevel: PathBuf,
    /// The directory relative to the top level, `/`-separated, empty or ending in `/`.
    pub prefix: String,
}

/// Settings of a repository's own `.git/config` that would make git run a program or write:
/// overridden on every call, because the repository being checked is not trusted. iso20k only
/// uses plumbing that reads objects and the index (`rev-parse`, `ls-tree`, `ls-files`,
/// `cat-file`, `log`, `diff-index --cached`); none of them applies content filters.
const NEUTRALISED: &[&str] = &[
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=",
    "core.askPass=",
    "core.gitProxy=",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "core.quotepath=off",
    "log.showSignature=false",
    "gpg.program=false",
    // `git log` reads .mailmap and the diff order file: either may be a FIFO that blocks.
    "log.mailmap=false",
    "mailmap.file=/dev/null",
    "mailmap.blob=",
    "diff.orderFile=/dev/null",
];

/// How long one git command may take before it is stopped. A repository can make git block
/// on its own files (a FIFO as `.git/index`, a config `[include]` of a FIFO), which no
/// setting turns off; so every git process has a deadline. `ISO20K_GIT_TIMEOUT` (seconds)
/// changes it, for very large histories (and for the tests).
fn deadline() -> std::time::Duration {
    let seconds = std::env::var("ISO20K_GIT_TIMEOUT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(300);
    std::time::Duration::from_secs(seconds)
}

/// Runs `command` to completion or to the [`deadline`], whichever comes first; its output is
/// read while it runs (so a full pipe never stalls it) and it is killed at the deadline.
fn output_within(mut command: Command) -> anyhow::Result<std::process::Output> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().map_err(spawn_error)?;
    let mut stdout = child.stdout.take().context("git has no output")?;
    let mut stderr = child.stderr.take().context("git has no error output")?;
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stdout.read_to_end(&mut bytes);
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = stderr.read_to_end(&mut bytes);
        bytes
    });
    let limit = deadline();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "git did not answer within {} s (a file of the repository's .git may be a FIFO \
                 or device); stopped",
                limit.as_secs()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    Ok(std::process::Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// Variables an outer git command, a hook or a CI runner may set that would point git at
/// another repository or make it run something.
const SCRUBBED: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_PREFIX",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_PAGER",
    "PAGER",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
];

/// `git` hardened for a repository iso20k does not trust: `-C DIR` finds the repository that
/// contains `DIR` and nothing else, configuration that runs programs is overridden, no
/// optional lock or index refresh is taken (`GIT_OPTIONAL_LOCKS=0`), and nothing prompts.
/// Every git call of iso20k goes through here.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir);
    for setting in NEUTRALISED {
        command.args(["-c", setting]);
    }
    for name in SCRUBBED {
        command.env_remove(name);
    }
    command
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .stdin(Stdio::null());
    command
}

/// The commit checked out at `dir` (`git rev-parse HEAD`), with `-dirty` when a tracked file
/// under `dir` differs from that commit, like `git describe --dirty`. `None` outside a git
/// checkout or without a commit.
///
/// `git status` would answer the second part, but it runs the repository's fsmonitor and
/// content filters and rewrites `.git/index`: here the index is compared with `HEAD` by
/// object ids (`diff-index --cached`), and each tracked file with its index entry by hashing
/// its bytes as git would without filters. A file that a clean filter or end-of-line
/// conversion stores differently therefore shows as changed: `-dirty` errs on the safe side.
pub fn describe(dir: &Path) -> Option<String> {
    let mut command = git(dir);
    command.args(["rev-parse", "--verify", "--quiet", "HEAD"]);
    let commit = run(command).ok().map(text)?;
    let valid = (7..=64).contains(&commit.len()) && commit.chars().all(|c| c.is_ascii_hexdigit());
    if !valid {
        return None;
    }
    Some(if dirty(dir).unwrap_or(true) {
        format!("{commit}-dirty")
    } else {
        commit
    })
}

/// Whether the index differs from HEAD, or a tracked file under `dir` from the index.
fn dirty(dir: &Path) -> anyhow::Result<bool> {
    let mut command = git(dir);
    command.args([
        "diff-index",
        "--cached",
        "--quiet",
        "--no-ext-diff",
        "--no-textconv",
        "HEAD",
        "--",
        ".",
    ]);
    match output_within(command)?.status.code() {
        Some(0) => {}
        Some(1) => return Ok(true),
        _ => bail!("git diff-index failed"),
    }
    let mut command = git(dir);
    command.args(["rev-parse", "--show-object-format"]);
    let sha256 = run(command).map(text).is_ok_and(|f| f == "sha256");
    let mut command = git(dir);
    command.args(["ls-files", "--stage", "-z", "--", "."]);
    let listing = run(command)?;
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut fields = meta.split(' ');
        let (Some(mode), Some(id)) = (fields.next(), fields.next()) else {
            continue;
        };
        if mode == "160000" {
            continue; // a submodule: its own repository
        }
        let Some(relative) = safe_relative(path) else {
            return Ok(true);
        };
        // ls-files paths are relative to `dir`.
        let file = dir.join(relative);
        let worktree = match std::fs::symlink_metadata(&file) {
            Ok(meta) if mode == "120000" && meta.is_symlink() => std::fs::read_link(&file)
                .map(|target| target.to_string_lossy().into_owned().into_bytes()),
            Ok(meta) if mode != "120000" && meta.is_file() => std::fs::read(&file),
            _ => return Ok(true), // deleted, or a file became a link or a folder
        };
        let Ok(bytes) = worktree else {
            return Ok(true);
        };
        if blob_id(&bytes, sha256) != id {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The id git gives a blob with these bytes (`git hash-object --no-filters`).
fn blob_id(bytes: &[u8], sha256: bool) -> String {
    let header = format!("blob {}\0", bytes.len());
    if sha256 {
        use sha2::Digest as _;
        let mut hasher = sha2::Sha256::new();
        hasher.update(header.as_bytes());
        hasher.update(bytes);
        crate::pack::manifest::hex(&hasher.finalize())
    } else {
        use sha1::Digest as _;
        let mut hasher = sha1::Sha1::new();
        hasher.update(header.as_bytes());
        hasher.update(bytes);
        crate::pack::manifest::hex(&hasher.finalize())
    }
}

/// Why `git` could not be started: missing from PATH is the common case and says so.
fn spawn_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow!("`git` was not found on PATH; install git to use this command")
    } else {
        anyhow!("cannot run git: {e}")
    }
}

/// Runs `git` and returns its standard output; a failure carries git's own message.
fn run(command: Command) -> anyhow::Result<Vec<u8>> {
    let output = output_within(command)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!("git failed: {}", stderr.trim());
    }
    Ok(output.stdout)
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes)
        .trim_end_matches('\n')
        .to_string()
}

impl Checkout {
    /// Finds the git repository containing `dir`; an error that says so when there is none.
    pub fn discover(dir: &Path) -> anyhow::Result<Checkout> {
        // One value per call, with only git's final newline removed: a path may itself hold a
        // newline, and splitting the output by lines would name another repository.
        let ask = |what: &str| -> anyhow::Result<String> {
            let mut command = git(dir);
            command.args(["rev-parse", what]);
            let output = output_within(command)?;
            if !output.status.success() {
                bail!(
                    "{} is not inside a git repository (or its working tree)",
                    dir.display()
                );
            }
            let mut value = String::from_utf8(output.stdout)
                .map_err(|_| anyhow!("{} has a path that is not UTF-8", dir.display()))?;
            if value.ends_with('\n') {
                value.pop();
            }
            Ok(value)
        };
        let toplevel = ask("--show-toplevel")?;
        if toplevel.is_empty() {
            bail!("{} is not inside a git working tree", dir.display());
        }
        let prefix = ask("--show-prefix")?;
        Ok(Checkout {
            toplevel: PathBuf::from(toplevel),
            prefix,
        })
    }

    /// The full commit id `rev` names; an error naming `rev` when it names no commit.
    pub fn resolve(&self, rev: &str) -> anyhow::Result<String> {
        if rev.starts_with('-') {
            bail!("`{rev}` is not a revision");
        }
        let mut command = git(&self.toplevel);
        command.args(["rev-parse", "--verify", "--quiet", "--end-of-options"]);
        command.arg(format!("{rev}^{{commit}}"));
        let commit = run(command)
            .map(text)
            .ok()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| anyhow!("unknown revision `{rev}`: it names no commit here"))?;
        Ok(commit)
    }

    /// Writes the files of the checkout's directory as they are at `commit` into `dest`, using
    /// `git ls-tree` and one `git cat-file --batch` process. Only what a check reads gets its
    /// content: Markdown, YAML, `iso20k.toml` and `.gitignore` files. Every other file is
    /// evidence, whose existence is all a check looks at, so it is written empty; symbolic
    /// links are recreated (Unix) so that discovery reports them as it would in a checkout.
    /// A directory that does not exist at `commit` gives an empty `dest`.
    ///
    /// Memory stays bounded whatever the revision holds: blobs stream to their files one at
    /// a time, and a blob over the size limit a check reads is never fetched: it is written as
    /// a sparse file of its size, so the check reports it `file-too-large` as on disk.
    pub fn extract(&self, commit: &str, dest: &Path) -> anyhow::Result<()> {
        let tree = format!("{commit}:{}", self.prefix);
        let mut exists = git(&self.toplevel);
        exists.args(["cat-file", "-e", &tree]);
        if run(exists).is_err() {
            return Ok(());
        }
        let mut list = git(&self.toplevel);
        list.args(["ls-tree", "-r", "-l", "-z", "--end-of-options", &tree]);
        let listing = run(list)?;
        let mut wanted: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let mut links: HashMap<String, Vec<PathBuf>> = HashMap::new();
        let mut sized: Vec<(PathBuf, u64)> = Vec::new();
        for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut fields = meta.split_whitespace();
            let (Some(mode), Some(kind), Some(oid), Some(size)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let Some(rel) = safe_relative(path) else {
                continue;
            };
            let target = dest.join(&rel);
            let size: u64 = size.parse().unwrap_or(0);
            match (kind, mode) {
                ("blob", "120000") if size <= MAX_LINK_BYTES => {
                    links.entry(oid.to_string()).or_default().push(target)
                }
                ("blob", "120000") => {}
                ("blob", _) if needs_content(path) && size <= crate::parse::MAX_FILE_BYTES => {
                    wanted.entry(oid.to_string()).or_default().push(target)
                }
                ("blob", _) if needs_content(path) => sized.push((target, size)),
                ("blob", _) => sized.push((target, 0)),
                // Submodules are other repositories: not part of this one's content.
                _ => {}
            }
        }
        let dirs: BTreeSet<&Path> = wanted
            .values()
            .chain(links.values())
            .flatten()
            .chain(sized.iter().map(|(t, _)| t))
            .filter_map(|t| t.parent())
            .collect();
        for dir in dirs {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        // Evidence (empty) and oversized files (sparse: no bytes are written).
        sized
            .par_iter()
            .map(|(target, size)| {
                std::fs::File::create(target)
                    .and_then(|f| f.set_len(*size))
                    .with_context(|| format!("cannot write {}", target.display()))
            })
            .collect::<anyhow::Result<()>>()?;
        let ids: Vec<&str> = wanted
            .keys()
            .chain(links.keys())
            .map(String::as_str)
            .collect();
        self.blobs(&ids, |oid, content| {
            for target in wanted.get(oid).into_iter().flatten() {
                write_file(target, content)?;
            }
            for target in links.get(oid).into_iter().flatten() {
                link(target, content)?;
            }
            Ok(())
        })
    }

    /// Streams the given blobs from one `git cat-file --batch` process to `sink`, one at a
    /// time (the caller asks only for blobs within the size limit).
    fn blobs(
        &self,
        ids: &[&str],
        mut sink: impl FnMut(&str, &[u8]) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut command = git(&self.toplevel);
        command
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().context("cannot run git cat-file")?;
        let mut stdin = child.stdin.take().context("git cat-file has no input")?;
        let stdout = child.stdout.take().context("git cat-file has no output")?;
        // The same deadline as every git call: a watchdog kills the process, and reading
        // then ends with an error instead of blocking forever.
        let child = std::sync::Arc::new(std::sync::Mutex::new(child));
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watchdog = {
            let (child, done) = (std::sync::Arc::clone(&child), std::sync::Arc::clone(&done));
            std::thread::spawn(move || {
                let start = std::time::Instant::now();
                let limit = deadline();
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    if start.elapsed() > limit {
                        if let Ok(mut child) = child.lock() {
                            let _ = child.kill();
                        }
                        return;
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
            })
        };
        let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
        // Written from a thread: git answers while it reads, and both pipes are bounded.
        let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
        let mut reader = BufReader::new(stdout);
        for _ in ids {
            let mut header = String::new();
            reader.read_line(&mut header)?;
            let mut parts = header.split_whitespace();
            let (Some(oid), Some(_kind), Some(size)) = (parts.next(), parts.next(), parts.next())
            else {
                bail!("git cat-file: unexpected answer `{}`", header.trim());
            };
            let size: u64 = size
                .parse()
                .with_context(|| format!("git cat-file: bad size in `{}`", header.trim()))?;
            if size > crate::parse::MAX_FILE_BYTES {
                bail!("git cat-file: {oid} is larger than announced by ls-tree");
            }
            let mut content = vec![0; size as usize];
            reader.read_exact(&mut content)?;
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline)?;
            sink(oid, &content)?;
        }
        drop(reader);
        writer
            .join()
            .map_err(|_| anyhow!("git cat-file writer panicked"))??;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = watchdog.join();
        if let Ok(mut child) = child.lock() {
            child.wait()?;
        }
        Ok(())
    }

    /// The last commit date (`%cs`, the committer's calendar date) of every file under the
    /// checkout's directory as of `rev` (default `HEAD`), keyed by the path relative to that
    /// directory. One `git log --name-only` pass over the history: the first date seen for a
    /// path is its latest. Empty when the repository has no commit yet.
    pub fn last_commit_dates(&self, rev: Option<&str>) -> anyhow::Result<HashMap<String, Date>> {
        let rev = rev.unwrap_or("HEAD");
        let Ok(commit) = self.resolve(rev) else {
            if rev == "HEAD" {
                return Ok(HashMap::new());
            }
            bail!("unknown revision `{rev}`: it names no commit here");
        };
        let mut command = git(&self.toplevel);
        command.args([
            "log",
            "--format=%x01%cs",
            "--name-only",
            "-z",
            "--no-renames",
            &commit,
            "--",
        ]);
        command.arg(if self.prefix.is_empty() {
            "."
        } else {
            self.prefix.as_str()
        });
        let output = run(command)?;
        Ok(parse_log(&String::from_utf8_lossy(&output), &self.prefix))
    }
}

/// Parses `git log --format=%x01%cs --name-only -z`: a `\x01DATE` record, then the names of the
/// files that commit touched, NUL-separated, the first one after a newline.
fn parse_log(output: &str, prefix: &str) -> HashMap<String, Date> {
    let mut dates = HashMap::new();
    let mut current: Option<Date> = None;
    let mut first = false;
    for token in output.split('\0') {
        if let Some(date) = token.strip_prefix('\u{1}') {
            current = crate::dates::parse_date(date).ok();
            first = true;
            continue;
        }
        let name = if first {
            token.strip_prefix('\n').unwrap_or(token)
        } else {
            token
        };
        first = false;
        if name.is_empty() {
            continue;
        }
        let (Some(date), Some(rel)) = (current, name.strip_prefix(prefix)) else {
            continue;
        };
        dates.entry(rel.to_string()).or_insert(date);
    }
    dates
}

/// Whether a check reads the file's content (otherwise only its existence matters).
fn needs_content(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md")
        || lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || name == crate::config::FILE_NAME
        || name == ".gitignore"
}

/// A tree path as a relative path with normal components only (git never stores others, but
/// a crafted tree must not write outside `dest`).
fn safe_relative(path: &str) -> Option<PathBuf> {
    let rel = PathBuf::from(path);
    rel.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(rel)
}

/// A symbolic link's blob is its target path: longer than this is no path.
const MAX_LINK_BYTES: u64 = 4096;

fn write_file(target: &Path, content: &[u8]) -> anyhow::Result<()> {
    std::fs::write(target, content).with_context(|| format!("cannot write {}", target.display()))
}

#[cfg(unix)]
fn link(target: &Path, destination: &[u8]) -> anyhow::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(destination), target)
        .with_context(|| format!("cannot create link {}", target.display()))
}

#[cfg(not(unix))]
fn link(_target: &Path, _destination: &[u8]) -> anyhow::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_log_with_odd_names_and_keeps_the_latest_date() {
        let log = "\u{1}2026-03-02\0\na.md\0new\nline.md\0\u{1}2026-01-05\0\na.md\0b c.md\0";
        let dates = parse_log(log, "");
        assert_eq!(dates["a.md"], jiff::civil::date(2026, 3, 2));
        assert_eq!(dates["new\nline.md"], jiff::civil::date(2026, 3, 2));
        assert_eq!(dates["b c.md"], jiff::civil::date(2026, 1, 5));
        assert_eq!(dates.len(), 3);
    }

    #[test]
    fn log_paths_are_made_relative_to_the_prefix() {
        let log = "\u{1}2026-03-02\0\nsms/a.md\0other/b.md\0";
        let dates = parse_log(log, "sms/");
        assert_eq!(dates.keys().collect::<Vec<_>>(), vec!["a.md"]);
    }

    #[test]
    fn only_checked_files_get_content() {
        assert!(needs_content("policies/a.MD"));
        assert!(needs_content("registers/x.yml"));
        assert!(needs_content("iso20k.toml"));
        assert!(needs_content("sub/.gitignore"));
        assert!(!needs_content("evidence/report.pdf"));
    }

    #[test]
    fn tree_paths_cannot_escape() {
        assert!(safe_relative("a/b.md").is_some());
        assert!(safe_relative("../b.md").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
    }
}
