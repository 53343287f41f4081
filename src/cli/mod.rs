//! The command line (clap definitions) and the dispatch from a command to the pipeline and a
//! renderer, one module per command. This is the only module that writes to stdout/stderr.

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

mod calendar;
mod check;
mod clauses;
mod completions;
mod diff;
mod init;
mod pack;
mod readiness;
mod report;
mod sample;
mod schema;
mod verify;

pub use calendar::*;
pub use check::*;
pub use clauses::*;
pub use completions::*;
pub use diff::*;
pub use init::*;
pub use pack::*;
pub use readiness::*;
pub use report::*;
pub use sample::*;
pub use schema::*;
pub use verify::*;

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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
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
