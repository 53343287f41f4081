//! `iso20k verify`: is a pack intact.

use super::*;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The pack: a directory or a .zip written by `iso20k pack`.
    pub pack: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

pub(super) fn run_verify(args: VerifyArgs) -> anyhow::Result<Exit> {
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
