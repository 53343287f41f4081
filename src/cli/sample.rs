//! `iso20k sample`: a reproducible audit sample of records.

use super::*;

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

pub(super) fn run_sample(args: SampleArgs) -> anyhow::Result<Exit> {
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
