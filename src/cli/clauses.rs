//! `iso20k clauses`: the catalogue, one clause or all.

use super::*;

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

pub(super) fn run_clauses(args: ClausesArgs) -> anyhow::Result<Exit> {
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
