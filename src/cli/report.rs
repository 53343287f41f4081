//! `iso20k report`: the gap report a consultant hands over (md, html, json, csv, xlsx).

use super::*;

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

pub(super) fn run_report(args: ReportArgs) -> anyhow::Result<Exit> {
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
