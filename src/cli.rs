//! The command line (clap definitions) and the dispatch from a command to the pipeline and a
//! renderer. This is the only module that writes to stdout/stderr.

use crate::config::FailOn;
use crate::exit::{Exit, verdict};
use crate::i18n::Lang;
use crate::render;
use anyhow::Context as _;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// ISO/IEC 20000-1:2018 compliance checks for a service management system kept as docs-as-code.
#[derive(Debug, Parser)]
#[command(name = "iso20k", version, about, term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every file and judge every clause (met / partial / gap / manual).
    Check(CheckArgs),
    /// Write the gap report for a client (md, html, json, csv, xlsx; English or Chinese).
    Report(ReportArgs),
    /// List the clause catalogue, or show one clause with its checks.
    Clauses(ClausesArgs),
    /// Build an audit pack for a stage 1 or stage 2 certification audit (directory or .zip).
    Pack(PackArgs),
    /// Check an audit pack against its MANIFEST.sha256: missing, extra and modified files.
    Verify(VerifyArgs),
    /// Draw a reproducible random sample of records of one type, for audit testing.
    Sample(SampleArgs),
    /// Judge the stage 1 and stage 2 certification gates: can the audit be booked?
    Readiness(ReadinessArgs),
    /// Show what is due, overdue and coming: reviews, recurring records, audits.
    Calendar(CalendarArgs),
    /// Start a new SMS repository: configuration, folders and a draft for every document.
    Init(InitArgs),
    /// Compare two git revisions: clauses that got better or worse, new and fixed diagnostics.
    Diff(DiffArgs),
    /// Print the JSON Schema of front matter and YAML items, for editors.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff) of iso20k or of one of its commands.
    Man(ManArgs),
}

/// What every command that judges a repository takes, defined once so that `check`, `report`,
/// `readiness`, `calendar`, `pack`, `sample` and `diff` judge the same repository the same way.
#[derive(Debug, Clone, clap::Args)]
pub struct RepoArgs {
    /// Root of the SMS repository.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Judge as of this date (YYYY-MM-DD) [default: today].
    #[arg(long, value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// Use this catalogue file instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
    /// Use a file's last git commit date where it has no approved_on (approved documents) or
    /// no date (records).
    #[arg(long)]
    pub git_dates: bool,
}

impl RepoArgs {
    /// `--as-of`, or today.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(today)
    }

    /// Discovers, parses and evaluates the repository: the one way every command loads it.
    pub fn load(&self) -> anyhow::Result<crate::Checked> {
        let git_dates = if self.git_dates {
            Some(git_dates(&self.path)?)
        } else {
            None
        };
        let options = crate::CheckOptions {
            as_of: self.as_of(),
            catalogue: self.catalogue.clone(),
            git_dates,
        };
        crate::check(&self.path, &options)
    }
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Report language.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Write the report to this file (atomically) instead of stdout; required for xlsx.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the -o file if it exists (never a file inside the repository).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown.
    Md,
    /// One self-contained HTML page (chart, gauge, print stylesheet).
    Html,
    /// The full evaluation: `check --format json` plus the report.
    Json,
    /// One row per clause finding (RFC 4180).
    Csv,
    /// An Excel workbook, one sheet per view (needs -o).
    Xlsx,
}

impl ReportFormat {
    /// Binary formats are never written to a terminal.
    pub fn is_binary(self) -> bool {
        self == ReportFormat::Xlsx
    }
}

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

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Also accept this repository's own clauses (iso20k.controls.yaml) and record types
    /// ([check] record_types).
    pub path: Option<PathBuf>,
    /// Use this catalogue file instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
}

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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Markdown for a pull-request comment.
    Md,
    /// A JSON document for scripts.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ClausesArgs {
    /// A clause id (e.g. 8.5.1.1) to show with its checks.
    pub id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Use this catalogue file instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ReadinessArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// The certification stage to judge; decides the exit code (0 ready, 1 not ready).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub stage: u8,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// Language of the human output (JSON is always English).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Also write every event to this iCalendar (RFC 5545) file.
    #[arg(long, value_name = "FILE")]
    pub ics: Option<PathBuf>,
    /// Replace the --ics file if it exists (never a file inside the repository).
    #[arg(long)]
    pub force: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Directory to create or fill.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Language of the templates.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Fill a non-empty directory; existing files are still never overwritten.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct PackArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Audit stage: 1 (documentation review) or 2 (implementation, adds records and evidence).
    #[arg(long, value_name = "1|2", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub stage: u8,
    /// Output: a directory, or a zip file when the name ends in .zip.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub out: PathBuf,
    /// Also pack items classified confidential or restricted (left out and listed otherwise).
    #[arg(long)]
    pub include_confidential: bool,
    /// Pack this file even though it looks like it holds a secret (repeatable; path as shown
    /// in the diagnostic).
    #[arg(long, value_name = "PATH")]
    pub allow_secrets: Vec<String>,
    /// Replace OUT if it exists (a directory only when it is an iso20k pack or empty).
    #[arg(long)]
    pub force: bool,
    /// No progress bar; print only the one-line result.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The pack: a directory or a .zip written by `iso20k pack`.
    pub pack: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// The repository and how to judge it (same for every command).
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Record type to sample (e.g. change, incident).
    #[arg(long = "type", value_name = "RECORD_TYPE")]
    pub record_type: String,
    /// How many records to draw.
    #[arg(long = "n", short = 'n', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub n: u32,
    /// Seed of the draw; the same seed gives the same sample [default: the --as-of date as
    /// a number, e.g. 20261123].
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// First day of the period (YYYY-MM-DD) [default: start of the audit period: 12 months
    /// before --as-of, or `[sms] operating_since` if later].
    #[arg(long, value_parser = parse_as_of, value_name = "DATE")]
    pub from: Option<Date>,
    /// Last day of the period (YYYY-MM-DD) [default: --as-of].
    #[arg(long, value_parser = parse_as_of, value_name = "DATE")]
    pub to: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
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
pub enum ListFormat {
    Human,
    Json,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_as_of(text: &str) -> Result<Date, String> {
    crate::dates::parse_date(text)
}

/// Today's date in the local time zone: the only place iso20k reads the clock.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> Exit {
    let result = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Report(args) => run_report(args),
        Command::Clauses(args) => run_clauses(args),
        Command::Pack(args) => run_pack(args),
        Command::Verify(args) => run_verify(args),
        Command::Sample(args) => run_sample(args),
        Command::Readiness(args) => run_readiness(args),
        Command::Calendar(args) => run_calendar(args),
        Command::Init(args) => run_init(args),
        Command::Diff(args) => run_diff(args),
        Command::Schema(args) => run_schema(args),
        Command::Completions(args) => run_completions(args),
        Command::Man(args) => run_man(args),
    };
    match result {
        Ok(exit) => exit,
        Err(err) => {
            write_stderr(&format!("iso20k: error: {err:#}\n"));
            Exit::Failure
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// The last commit date of every file under `path`, for `--git-dates`.
fn git_dates(path: &Path) -> anyhow::Result<HashMap<String, Date>> {
    let checkout = crate::git::Checkout::discover(path).context("--git-dates")?;
    checkout.last_commit_dates(None).context("--git-dates")
}

fn run_check(args: CheckArgs) -> anyhow::Result<Exit> {
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
fn append(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .with_context(|| format!("cannot open GITHUB_STEP_SUMMARY file {}", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write GITHUB_STEP_SUMMARY file {}", path.display()))
}

fn run_diff(args: DiffArgs) -> anyhow::Result<Exit> {
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

fn run_schema(args: SchemaArgs) -> anyhow::Result<Exit> {
    let mut catalogue = crate::load_catalogue(args.catalogue.as_deref())?;
    let mut extra = Vec::new();
    if let Some(path) = &args.path {
        if !path.is_dir() {
            anyhow::bail!("{} is not a directory", path.display());
        }
        let (settings, _) = crate::config::load(path)?;
        extra = settings.extra_record_types;
        let controls = path.join(crate::catalogue::CONTROLS_FILE);
        let bytes = crate::config::read_regular(&controls, crate::catalogue::MAX_CONTROLS_BYTES)
            .map_err(|e| anyhow::anyhow!("{}: {e}", controls.display()))?;
        if let Some(bytes) = bytes {
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", controls.display()))?;
            catalogue = catalogue.extend(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}{}: {}",
                    controls.display(),
                    e.line.map(|l| format!(":{l}")).unwrap_or_default(),
                    e.message
                )
            })?;
        }
    }
    let mut text = serde_json::to_string_pretty(&crate::schema::schema(&catalogue, &extra))?;
    text.push('\n');
    write_stdout(&text)?;
    Ok(Exit::Clean)
}

fn run_completions(args: CompletionsArgs) -> anyhow::Result<Exit> {
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

fn run_man(args: ManArgs) -> anyhow::Result<Exit> {
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

fn run_report(args: ReportArgs) -> anyhow::Result<Exit> {
    if let Some(out) = &args.output {
        // Refused before any work; checked again when written.
        crate::atomic::outside_repository(out, &args.repo.path)?;
    }
    if args.format.is_binary() && args.output.is_none() {
        anyhow::bail!(
            "the {} format is binary and is not written to stdout; give a file with -o FILE",
            args.format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default()
        );
    }
    let checked = args.repo.load()?;
    let inputs = crate::report::gather(&checked, &args.repo.path, args.output.as_deref());
    let localizer = crate::i18n::Localizer::new(args.lang);
    let report = crate::report::build(&checked, &inputs, &localizer)?;
    let bytes: Vec<u8> = match args.format {
        ReportFormat::Md => render::markdown::render(&report, &localizer)?.into_bytes(),
        ReportFormat::Html => render::html::render(&report, &localizer)?.into_bytes(),
        ReportFormat::Json => render::json::render_report(&checked, &report)?.into_bytes(),
        ReportFormat::Csv => render::csv::render(&report, &localizer)?.into_bytes(),
        ReportFormat::Xlsx => render::xlsx::render(&report, &localizer)?,
    };
    warn_untranslated(&localizer);
    match &args.output {
        Some(path) => crate::atomic::write_output(path, &bytes, &args.repo.path, args.force)?,
        None => write_stdout_bytes(&bytes)?,
    }
    Ok(Exit::Clean)
}

/// Says on stderr when texts fell back to English (a gap in the translation data).
fn warn_untranslated(localizer: &crate::i18n::Localizer) {
    let missing = localizer.missing();
    if let Some(first) = missing.first() {
        write_stderr(&format!(
            "iso20k: warning: {} text(s) have no {} translation and are shown in English (first: {first})\n",
            missing.len(),
            localizer.lang().code()
        ));
    }
}

fn run_clauses(args: ClausesArgs) -> anyhow::Result<Exit> {
    let catalogue = crate::load_catalogue(args.catalogue.as_deref())?;
    if let Some(id) = &args.id
        && catalogue.clause(id).is_none()
    {
        let hint = crate::suggest::did_you_mean(id, catalogue.ids())
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        anyhow::bail!("`{id}` is not a clause of {}{hint}", catalogue.id);
    }
    let output = match args.format {
        ListFormat::Human => human(render::clauses::human(&catalogue, args.id.as_deref())),
        ListFormat::Json => render::clauses::json(&catalogue, args.id.as_deref())?,
    };
    write_stdout(&output)?;
    Ok(Exit::Clean)
}

fn run_readiness(args: ReadinessArgs) -> anyhow::Result<Exit> {
    let checked = args.repo.load()?;
    let readiness =
        crate::readiness::assess(&checked, crate::stage::Stage::from_number(args.stage))?;
    let output = match args.format {
        ListFormat::Human => {
            let localizer = crate::i18n::Localizer::new(args.lang);
            let text = render::readiness::human(&checked, &readiness, &localizer);
            warn_untranslated(&localizer);
            human(text)
        }
        ListFormat::Json => render::readiness::json(&checked, &readiness)?,
    };
    write_stdout(&output)?;
    Ok(if readiness.ready {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn run_calendar(args: CalendarArgs) -> anyhow::Result<Exit> {
    if let Some(out) = &args.ics {
        crate::atomic::outside_repository(out, &args.repo.path)?;
    }
    let checked = args.repo.load()?;
    let calendar = crate::calendar::build(&checked);
    if let Some(file) = &args.ics {
        let text = render::ics::render(&calendar, &render::calendar::ics_name(&checked));
        crate::atomic::write_output(file, text.as_bytes(), &args.repo.path, args.force)?;
    }
    let output = match args.format {
        ListFormat::Human => human(render::calendar::human(&checked, &calendar)),
        ListFormat::Json => render::calendar::json(&checked, &calendar)?,
    };
    write_stdout(&output)?;
    if let Some(file) = &args.ics {
        write_stderr(&format!(
            "iso20k: wrote {} events to {}\n",
            calendar.events.len(),
            file.display()
        ));
    }
    Ok(Exit::Clean)
}

fn run_init(args: InitArgs) -> anyhow::Result<Exit> {
    let lang = args.lang;
    let outcome = crate::init::init(&args.dir, lang, args.force)?;
    write_stdout(&human(render::init::human(&args.dir, lang, &outcome)))?;
    Ok(Exit::Clean)
}

fn run_pack(args: PackArgs) -> anyhow::Result<Exit> {
    crate::pack::cleanup::on_interrupt()?;
    let checked = args.repo.load()?;
    let pack_options = crate::pack::Options {
        stage: crate::stage::Stage::from_number(args.stage),
        out: args.out,
        include_confidential: args.include_confidential,
        allow_secrets: args.allow_secrets,
        force: args.force,
    };
    let color = use_color(ColorChoice::Auto) && std::io::stderr().is_terminal();
    let outcome = if !args.quiet && std::io::stderr().is_terminal() {
        crate::pack::pack(&checked, &args.repo.path, &pack_options, &Bar::default())?
    } else {
        crate::pack::pack(
            &checked,
            &args.repo.path,
            &pack_options,
            &crate::pack::Silent,
        )?
    };
    match outcome {
        crate::pack::Outcome::Written(packed) => {
            if !packed.diagnostics.is_empty() {
                write_stderr(&render::terminal::diagnostics(&packed.diagnostics, color));
            }
            write_stdout(&human(render::pack::packed(&packed, args.quiet)))?;
            Ok(Exit::Clean)
        }
        crate::pack::Outcome::Refused(diagnostics) => {
            write_stderr(&render::terminal::diagnostics(&diagnostics, color));
            anyhow::bail!(
                "pack refused: {} suspected secret{} in the files to pack; nothing was written",
                diagnostics.len(),
                if diagnostics.len() == 1 { "" } else { "s" }
            )
        }
    }
}

/// The progress bar of `pack`: bytes copied of the total, drawn on stderr.
#[derive(Default)]
struct Bar(std::sync::OnceLock<indicatif::ProgressBar>);

impl crate::pack::Progress for Bar {
    fn start(&self, total_bytes: u64) {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total_bytes),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "packing {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        ) {
            bar.set_style(style);
        }
        let _ = self.0.set(bar);
    }
    fn advance(&self, bytes: u64) {
        if let Some(bar) = self.0.get() {
            bar.inc(bytes);
        }
    }
    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

fn run_verify(args: VerifyArgs) -> anyhow::Result<Exit> {
    let report = crate::verify::verify(&args.pack)?;
    let output = match args.format {
        ListFormat::Human => human(render::pack::verify_human(&report)),
        ListFormat::Json => render::pack::verify_json(&report)?,
    };
    write_stdout(&output)?;
    Ok(if report.intact {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

fn run_sample(args: SampleArgs) -> anyhow::Result<Exit> {
    let as_of = args.repo.as_of();
    let checked = args.repo.load()?;
    let known = checked
        .catalogue
        .record_types
        .contains_key(&args.record_type)
        || checked
            .settings
            .extra_record_types
            .contains(&args.record_type)
        || checked.repo.record_dates.contains_key(&args.record_type);
    if !known {
        let candidates = checked
            .catalogue
            .record_types
            .keys()
            .chain(checked.repo.record_dates.keys())
            .map(String::as_str);
        let hint = crate::suggest::did_you_mean(&args.record_type, candidates)
            .map(|h| format!("; {h}"))
            .unwrap_or_default();
        anyhow::bail!(
            "`{}` is not a record type of the repository or the core vocabulary{hint}",
            args.record_type
        );
    }
    let (default_from, _) = crate::dates::audit_period(as_of, checked.settings.operating_since);
    let from = args.from.unwrap_or(default_from);
    let to = args.to.unwrap_or(as_of);
    if from > to {
        anyhow::bail!("--from {from} is after --to {to}");
    }
    let seed = args
        .seed
        .unwrap_or_else(|| crate::sample::default_seed(as_of));
    let sample = crate::sample::sample(
        &checked.repo,
        &args.record_type,
        args.n as usize,
        seed,
        from,
        to,
    );
    let output = match args.format {
        ListFormat::Human => human(render::pack::sample_human(&sample)),
        ListFormat::Json => render::pack::sample_json(&sample)?,
    };
    write_stdout(&output)?;
    Ok(Exit::Clean)
}

/// Human output without colour, made safe for a terminal (see [`render::escape`]).
fn human(text: String) -> String {
    match render::escape::terminal(&text, false) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

/// Writes messages for people to stderr, made safe for a terminal; the only colours kept
/// are iso20k's own (pack's diagnostics are coloured on a terminal).
fn write_stderr(text: &str) {
    let safe = render::escape::terminal(text, true);
    let _ = std::io::stderr().lock().write_all(safe.as_bytes());
}

/// Writes to stdout; a closed pipe (`iso20k check | head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    write_stdout_bytes(text.as_bytes())
}

fn write_stdout_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
