//! `iso20k completions` and `iso20k man`: shell completions and man pages from the clap definitions.

use super::*;

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command (e.g. check) whose page to print instead of the main page.
    pub command: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

pub(super) fn run_completions(args: CompletionsArgs) -> anyhow::Result<Exit> {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "iso20k", &mut out);
    write_stdout(&String::from_utf8(out)?)?;
    Ok(Exit::Clean)
}

pub(super) fn run_man(args: ManArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let names: Vec<String> = command
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            let Some(sub) = command.find_subcommand(name) else {
                let hint = crate::suggest::did_you_mean(name, names.iter().map(String::as_str))
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                anyhow::bail!("`{name}` is not an iso20k command{hint}");
            };
            // After `build`, a subcommand's display name is the page name man(1) expects
            // (iso20k-check) and its bin name the synopsis (iso20k check).
            sub.clone().version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .source(format!("iso20k {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)?;
    write_stdout(&String::from_utf8(out)?)?;
    Ok(Exit::Clean)
}
