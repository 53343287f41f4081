//! Writing output files safely. One rule for every output (`report -o`, `calendar --ics`,
//! `pack -o`): never into the repository being read, never over the repository or a folder
//! holding it, and never over an existing file without `--force`. The bytes go to a temporary
//! file in the target's own directory, which is then renamed over the target, so an
//! interrupted run never leaves a half-written file under the final name.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why an output path was refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{0} is the repository, inside the repository or a folder holding it; write outputs outside the \
         repository (iso20k never writes into the repository it reads)"
    )]
    InRepository(PathBuf),
    #[error("{0} already exists; pass --force to replace it")]
    Exists(PathBuf),
    #[error("{0} is a directory; give a file name")]
    IsDirectory(PathBuf),
    #[error("cannot resolve {path}: {error}")]
    Unresolved { path: PathBuf, error: io::Error },
}

/// Where `path` really is: its nearest existing ancestor made canonical (so symbolic links
/// are followed: writing through one writes where it points), joined with the rest.
pub fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    let unresolved = |error| OutputError::Unresolved {
        path: path.to_path_buf(),
        error,
    };
    let mut existing = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => {
                // `..` or a root that does not exist: nothing further up to resolve.
                return Err(unresolved(io::ErrorKind::NotFound.into()));
            }
        }
    }
    let mut real = existing.canonicalize().map_err(unresolved)?;
    for name in rest.into_iter().rev() {
        real.push(name);
    }
    Ok(real)
}

/// Refuses an output that is the repository `root`, lies inside it, or contains it (replacing
/// a folder above the repository would delete the repository with it).
pub fn outside_repository(out: &Path, root: &Path) -> Result<(), OutputError> {
    let out_real = resolve(out)?;
    let root_real = root
        .canonicalize()
        .map_err(|error| OutputError::Unresolved {
            path: root.to_path_buf(),
            error,
        })?;
    if out_real.starts_with(&root_real) || root_real.starts_with(&out_real) {
        return Err(OutputError::InRepository(out.to_path_buf()));
    }
    Ok(())
}

/// Writes a single-file output (`report -o`, `calendar --ics`) under the one rule: outside the
/// repository, an existing file replaced only with `force`, never a directory, atomically.
pub fn write_output(path: &Path, bytes: &[u8], root: &Path, force: bool) -> anyhow::Result<()> {
    outside_repository(path, root)?;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(OutputError::IsDirectory(path.to_path_buf()).into());
        }
        Ok(_) if !force => return Err(OutputError::Exists(path.to_path_buf()).into()),
        _ => {}
    }
    write(path, bytes).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// Writes `bytes` to `path` atomically (same-directory temporary file, then rename).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, mut file) = create_temp(&dir, &name)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            std::fs::rename(&temp, path)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A new, exclusively created `.NAME.PID.N.tmp` beside the target.
fn create_temp(dir: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let temp = dir.join(format!(".{name}.{pid}.{attempt}.tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "could not create a temporary file",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_stay_out_of_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("sms");
        std::fs::create_dir_all(repo.join("policies")).unwrap();
        for inside in [
            repo.clone(),
            repo.join("report.md"),
            repo.join("policies"),
            repo.join("policies/new.md"),
            repo.join("policies/../x.md"),
            dir.path().to_path_buf(),
        ] {
            assert!(
                matches!(
                    outside_repository(&inside, &repo),
                    Err(OutputError::InRepository(_))
                ),
                "{}",
                inside.display()
            );
        }
        assert!(outside_repository(&dir.path().join("report.md"), &repo).is_ok());
        assert!(outside_repository(&dir.path().join("sms2"), &repo).is_ok());
        #[cfg(unix)]
        {
            // A link outside that points into the repository is inside it.
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(repo.join("policies"), &link).unwrap();
            assert!(outside_repository(&link.join("x.md"), &repo).is_err());
            assert!(outside_repository(&link, &repo).is_err());
        }
        let existing = dir.path().join("old.md");
        std::fs::write(&existing, "old").unwrap();
        let err = write_output(&existing, b"new", &repo, false).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        write_output(&existing, b"new", &repo, true).unwrap();
        assert_eq!(std::fs::read(&existing).unwrap(), b"new");
    }

    #[test]
    fn replaces_the_target_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.ics");
        write(&target, b"one").unwrap();
        write(&target, b"two").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_missing_directory_is_an_error_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing/out.ics");
        assert!(write(&target, b"x").is_err());
        assert!(!dir.path().join("missing").exists());
    }
}
