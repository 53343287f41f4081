//! `iso20k readiness`: the certification gates of stage 1 and stage 2.

use super::*;

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

pub(super) fn run_readiness(args: ReadinessArgs) -> anyhow::Result<Exit> {
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
