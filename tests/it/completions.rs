//! `iso20k completions SHELL` and `iso20k man`: generated from the clap definition, so every
//! command and flag is in them; the bash script is loaded into a real bash and asked to
//! complete.

use assert_cmd::Command;
use std::process::Command as Process;

fn iso20k(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("iso20k")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let output = iso20k(args);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(&["completions", shell]);
        for word in [
            "check",
            "clauses",
            "diff",
            "schema",
            "completions",
            "git-dates",
        ] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    assert_eq!(iso20k(&["completions", "tcsh"]).status.code(), Some(2));
}

fn bash_available() -> bool {
    Process::new("bash")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Loads the completion script into bash and returns the candidates for `words`.
fn complete(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("iso20k.bash");
    std::fs::write(&file, script).unwrap();
    let words_array = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'; COMP_WORDS=({words_array}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; _iso20k iso20k '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_flags_and_values() {
    if !bash_available() {
        eprintln!("bash is not installed; the script was only generated");
        return;
    }
    let script = stdout(&["completions", "bash"]);
    let check = Process::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .unwrap();
    assert!(check.status.success(), "the bash script does not parse");
    let commands = complete(&script, &["iso20k", "d"]);
    assert_eq!(commands, ["diff"]);
    let flags = complete(&script, &["iso20k", "check", "--git"]);
    assert_eq!(flags, ["--git-dates"]);
    let formats = complete(&script, &["iso20k", "check", "--format", ""]);
    for format in ["human", "json", "junit", "sarif", "github"] {
        assert!(formats.contains(&format.to_string()), "{formats:?}");
    }
}

#[test]
fn the_man_page_is_roff_for_iso20k_and_each_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH iso20k 1"));
    assert!(page.contains(&format!("iso20k {}", env!("CARGO_PKG_VERSION"))));
    for command in ["iso20k\\-check", "iso20k\\-diff", "iso20k\\-schema"] {
        assert!(page.contains(command), "main page lists {command}");
    }
    let check = stdout(&["man", "check"]);
    assert!(check.contains(".TH iso20k-check 1"));
    assert!(check.contains("\\-\\-git\\-dates"));
    assert!(check.contains("sarif: SARIF 2.1.0 for GitHub code scanning"));
    let diff = stdout(&["man", "diff"]);
    assert!(diff.contains("\\-\\-fail\\-on\\-regression"));

    let unknown = iso20k(&["man", "chek"]);
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8(unknown.stderr).unwrap();
    assert!(stderr.contains("did you mean `check`"), "{stderr}");
}
