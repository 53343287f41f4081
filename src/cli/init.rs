//! `iso20k init`: a new repository from the templates.

use super::*;

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

pub(super) fn run_init(args: InitArgs) -> anyhow::Result<Exit> {
    let lang = args.lang;
    let outcome = crate::init::init(&args.dir, lang, args.force)?;
    write_stdout(&human(render::init::human(&args.dir, lang, &outcome)))?;
    Ok(Exit::Clean)
}
