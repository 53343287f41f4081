//! `iso20k init`: scaffolds a new SMS repository from the templates embedded at build time
//! (templates/init/<lang>/, listed by build.rs). It never overwrites a file, never writes
//! through a symbolic link, and refuses a non-empty directory unless forced.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

pub use crate::i18n::Lang;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/init_templates.rs"));
}

/// The templates of one language: (path relative to the new repository, contents), sorted.
pub fn templates(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::TEMPLATES
        .iter()
        .filter(move |(l, _, _)| *l == lang.code())
        .map(|(_, path, text)| (*path, *text))
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct Scaffolded {
    /// Files written, relative to the directory.
    pub created: Vec<String>,
    /// Files left alone, with the reason.
    pub skipped: Vec<(String, &'static str)>,
}

/// Why `init` did not run.
#[derive(Debug)]
pub enum InitError {
    /// The directory has content and `--force` was not given.
    NotEmpty {
        dir: PathBuf,
        /// Template paths that already exist and would be skipped.
        would_skip: Vec<String>,
        /// Other entries at the top of the directory.
        others: Vec<String>,
    },
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::NotEmpty {
                dir,
                would_skip,
                others,
            } => {
                write!(
                    f,
                    "{} is not empty; iso20k init never overwrites a file. Run it again with \
                     --force to add only the missing templates",
                    dir.display()
                )?;
                if would_skip.is_empty() {
                    write!(f, "; no existing file would be skipped")?;
                } else {
                    write!(
                        f,
                        "; it would skip these {} existing file{}:",
                        would_skip.len(),
                        if would_skip.len() == 1 { "" } else { "s" }
                    )?;
                    for path in would_skip {
                        write!(f, "\n  {path}")?;
                    }
                }
                if !others.is_empty() {
                    let shown: Vec<&str> = others.iter().take(10).map(String::as_str).collect();
                    let more = others.len().saturating_sub(shown.len());
                    write!(f, "\nother content, left as it is: {}", shown.join(", "))?;
                    if more > 0 {
                        write!(f, " and {more} more")?;
                    }
                }
                Ok(())
            }
            InitError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for InitError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> InitError + '_ {
    move |error| InitError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// Top-level entries of `dir` that make it "not empty": everything but `.git`, so
/// `git init sms && iso20k init sms` works.
fn contents(dir: &Path) -> Result<Vec<String>, InitError> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Scaffolds `dir` with the templates of `lang`.
pub fn init(dir: &Path, lang: Lang, force: bool) -> Result<Scaffolded, InitError> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(InitError::Io {
                path: dir.to_path_buf(),
                error: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and is not a directory",
                ),
            });
        }
        Ok(_) => {
            let entries = contents(dir)?;
            if !entries.is_empty() && !force {
                let would_skip: Vec<String> = templates(lang)
                    .map(|(path, _)| path)
                    .filter(|path| dir.join(path).symlink_metadata().is_ok())
                    .map(str::to_string)
                    .collect();
                let tops: std::collections::BTreeSet<&str> = templates(lang)
                    .filter_map(|(path, _)| path.split('/').next())
                    .collect();
                let others = entries
                    .into_iter()
                    .filter(|name| !tops.contains(name.as_str()))
                    .collect();
                return Err(InitError::NotEmpty {
                    dir: dir.to_path_buf(),
                    would_skip,
                    others,
                });
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        Err(e) => return Err(io_error(dir)(e)),
    }
    let mut outcome = Scaffolded::default();
    for (path, text) in templates(lang) {
        match place(dir, path, text)? {
            None => outcome.created.push(path.to_string()),
            Some(reason) => outcome.skipped.push((path.to_string(), reason)),
        }
    }
    Ok(outcome)
}

/// Writes one template unless something is in the way; returns why it was skipped.
fn place(dir: &Path, relative: &str, text: &str) -> Result<Option<&'static str>, InitError> {
    let relative = Path::new(relative);
    debug_assert!(
        relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
    );
    // Create the folders one level at a time, never following a symbolic link out.
    let mut folder = dir.to_path_buf();
    if let Some(parent) = relative.parent() {
        for part in parent.components() {
            folder.push(part);
            match folder.symlink_metadata() {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Ok(Some("its folder is a symbolic link"));
                }
                Ok(meta) if !meta.is_dir() => return Ok(Some("its folder is a file")),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    std::fs::create_dir(&folder).map_err(io_error(&folder))?;
                }
                Err(e) => return Err(io_error(&folder)(e)),
            }
        }
    }
    let target = dir.join(relative);
    if target.symlink_metadata().is_ok() {
        return Ok(Some("exists"));
    }
    write_new(&target, text.as_bytes())
}

/// Writes `bytes` to a temporary file beside `target`, then links it into place only if
/// `target` still does not exist: a file is never overwritten, and never half written.
fn write_new(target: &Path, bytes: &[u8]) -> Result<Option<&'static str>, InitError> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = folder.join(format!(".{name}.{}.init.tmp", std::process::id()));
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.sync_all()));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(InitError::Io { path: temp, error });
    }
    let linked = std::fs::hard_link(&temp, target);
    let result = match linked {
        Ok(()) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(Some("exists")),
        // A file system without hard links: rename, after checking again.
        Err(_) if target.symlink_metadata().is_err() => std::fs::rename(&temp, target)
            .map(|()| None)
            .map_err(io_error(target)),
        Err(error) => Err(InitError::Io {
            path: target.to_path_buf(),
            error,
        }),
    };
    let _ = std::fs::remove_file(&temp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_ship_the_same_files() {
        let en: Vec<&str> = templates(Lang::En).map(|(p, _)| p).collect();
        let zh: Vec<&str> = templates(Lang::ZhCn).map(|(p, _)| p).collect();
        assert!(en.len() > 50, "{}", en.len());
        assert_eq!(en, zh);
        for required in ["iso20k.toml", "README.md", "registers/incidents.yaml"] {
            assert!(en.contains(&required), "{required}");
        }
    }

    #[test]
    fn chinese_templates_never_cite_the_old_national_standard() {
        for (path, text) in templates(Lang::ZhCn).chain(templates(Lang::En)) {
            assert!(!text.contains("24405"), "{path} cites GB/T 24405");
            assert!(!text.contains("GB/T"), "{path} cites a GB/T standard");
        }
    }

    #[test]
    fn never_overwrites_and_skips_symlinked_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("sms");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(root.join("iso20k.toml"), "# mine\n").unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, root.join("registers")).unwrap();
        let err = init(&root, Lang::En, false).unwrap_err();
        assert!(err.to_string().contains("iso20k.toml"), "{err}");
        let outcome = init(&root, Lang::En, true).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("iso20k.toml")).unwrap(),
            "# mine\n"
        );
        assert!(
            outcome
                .skipped
                .iter()
                .any(|(p, r)| p == "iso20k.toml" && *r == "exists")
        );
        #[cfg(unix)]
        {
            assert!(std::fs::read_dir(&outside).unwrap().next().is_none());
            assert!(
                outcome
                    .skipped
                    .iter()
                    .any(|(p, _)| p == "registers/incidents.yaml")
            );
        }
        // No temporary file is left behind.
        let leftovers = walk(&root)
            .into_iter()
            .filter(|p| p.to_string_lossy().ends_with(".tmp"))
            .count();
        assert_eq!(leftovers, 0);
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.symlink_metadata().unwrap().is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
