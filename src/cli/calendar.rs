//! `iso20k calendar`: reviews, records and audits due, and an iCalendar file.

use super::*;

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

pub(super) fn run_calendar(args: CalendarArgs) -> anyhow::Result<Exit> {
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
