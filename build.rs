//! Embeds the `iso20k init` templates: lists every file under templates/init/<lang>/ and
//! writes an `include_str!` table to OUT_DIR, so the binary carries them and `init` works
//! from any directory (no runtime file access, no extra dependency).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let templates = root.join("templates/init");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=templates/init");
    let mut files = Vec::new();
    collect(&templates, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Every init template: (language, path relative to the new repository, contents).\n\
         pub static TEMPLATES: &[(&str, &str, &str)] = &[\n",
    );
    for file in &files {
        // Directories changed inside templates/init also re-run this script.
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(&templates).expect("under templates/init");
        let mut parts = relative
            .iter()
            .map(|p| p.to_str().expect("UTF-8 template path"));
        let lang = parts.next().expect("a language folder");
        let path: Vec<&str> = parts.collect();
        writeln!(
            out,
            "    ({lang:?}, {:?}, include_str!({:?})),",
            path.join("/"),
            file.display().to_string()
        )
        .expect("writing to a String");
    }
    out.push_str("];\n");
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("init_templates.rs");
    std::fs::write(dest, out).expect("write init_templates.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("readable templates").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else {
            files.push(path);
        }
    }
}
