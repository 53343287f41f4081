//! `iso20k diff`: how a change moves the judgement, for pull requests.

use super::*;

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// The revision to compare against (branch, tag or commit), e.g. origin/main.
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// The revision to compare [default: the working tree, uncommitted changes included].
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Md)]
    pub format: DiffFormat,
    /// Exit 1 when any clause got worse.
    #[arg(long)]
    pub fail_on_regression: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Markdown for a pull-request comment.
    Md,
    /// A JSON document for scripts.
    Json,
}

pub(super) fn run_diff(args: DiffArgs) -> anyhow::Result<Exit> {
    let request = crate::diff::Request {
        path: &args.repo.path,
        base: &args.base,
        head: args.head.as_deref(),
        as_of: args.repo.as_of(),
        catalogue: args.repo.catalogue.as_deref(),
        git_dates: args.repo.git_dates,
    };
    let diff = crate::diff::run(&request)?;
    let output = match args.format {
        DiffFormat::Md => human(render::diff::markdown(&diff)),
        DiffFormat::Json => render::diff::json(&diff)?,
    };
    write_stdout(&output)?;
    Ok(if args.fail_on_regression && diff.regressed {
        Exit::Findings
    } else {
        Exit::Clean
    })
}
