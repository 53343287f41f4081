//! The temporary files of a pack under construction, removed when the run is interrupted
//! (Ctrl-C, SIGTERM, SIGHUP): a pack is built under hidden names as large as the pack itself,
//! and an interrupted run must not leave them behind. Normal runs remove them on drop.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Paths to remove if the process is interrupted now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Remembers a temporary file or folder until [`forget`].
pub fn remember(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.push(path.to_path_buf());
    }
}

/// The path was removed or became the output: nothing to clean up any more.
pub fn forget(path: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|p| p != path);
    }
}

/// Removes every remembered path (files and folders alike).
fn remove_pending() {
    let paths = match PENDING.lock() {
        Ok(mut pending) => std::mem::take(&mut *pending),
        Err(_) => return,
    };
    for path in paths {
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let _ = std::fs::remove_dir_all(&path);
            }
            Ok(_) => {
                let _ = std::fs::remove_file(&path);
            }
            Err(_) => {}
        }
    }
}

/// On an interrupt or termination signal, removes the remembered paths and exits with 130
/// (128 + SIGINT, what shells report for Ctrl-C). Installed once by `pack`.
pub fn on_interrupt() -> anyhow::Result<()> {
    ctrlc::set_handler(|| {
        remove_pending();
        eprintln!("iso20k: interrupted; temporary pack files removed");
        std::process::exit(130);
    })
    .map_err(|e| anyhow::anyhow!("cannot install the interrupt handler: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_paths_are_removed_and_forgotten_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b, c) = (
            dir.path().join("a"),
            dir.path().join("b"),
            dir.path().join("c"),
        );
        std::fs::create_dir_all(a.join("deep")).unwrap();
        std::fs::write(b.as_path(), "x").unwrap();
        std::fs::write(c.as_path(), "x").unwrap();
        for p in [&a, &b, &c] {
            remember(p);
        }
        forget(&c);
        remove_pending();
        assert!(!a.exists() && !b.exists());
        assert!(c.exists());
    }
}
