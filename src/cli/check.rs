//! `iso20k check`: validate every file and judge every clause; human, JSON and CI formats.

use super::*;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Exit 1 when findings reach this level [default: `[check] fail_on`, else error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Print only the one-line summary (human format).
    #[arg(long, short)]
    pub quiet: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CheckFormat {
    /// Compiler-style diagnostics, then clauses by group, then a summary.
    Human,
    /// The stable JSON document (see README).
    Json,
    /// JUnit XML: a test case per clause and per file with diagnostics (GitLab, Jenkins).
    Junit,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions annotations, plus a job summary when GITHUB_STEP_SUMMARY is set.
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FailOnArg {
    /// Error diagnostics.
    Error,
    /// Error or warning diagnostics.
    Warning,
    /// Warnings, errors, or any clause with status gap.
    Gap,
    /// Never exit 1.
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(arg: FailOnArg) -> FailOn {
        match arg {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Gap => FailOn::Gap,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

pub(super) fn run_check(args: CheckArgs) -> anyhow::Result<Exit> {
    let checked = args.repo.load()?;
    let fail_on = args
        .fail_on
        .map(FailOn::from)
        .unwrap_or(checked.settings.fail_on);
    let output = match args.format {
        CheckFormat::Human => {
            let color = use_color(args.color);
            let text = render::terminal::render(
                &checked,
                &render::terminal::Style {
                    color,
                    quiet: args.quiet,
                },
            );
            render::escape::terminal(&text, color).into_owned()
        }
        CheckFormat::Json => render::json::render(&checked)?,
        CheckFormat::Junit => render::junit::render(&checked)?,
        CheckFormat::Sarif => render::sarif::render(&checked)?,
        CheckFormat::Github => {
            if let Some(file) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|f| !f.is_empty()) {
                append(Path::new(&file), &render::github::summary(&checked))?;
            }
            human(render::github::render(&checked, fail_on))
        }
    };
    write_stdout(&output)?;
    Ok(verdict(&checked.evaluation, fail_on))
}

/// Appends to a file GitHub created for the step (the job summary is append-only by design).
pub(super) fn append(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("cannot open GITHUB_STEP_SUMMARY file {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write GITHUB_STEP_SUMMARY file {}", path.display()))
}
