//! `iso20k schema`: the JSON Schema of the repository format.

use super::*;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Also accept this repository's own clauses (iso20k.controls.yaml) and record types
    /// ([check] record_types).
    pub path: Option<PathBuf>,
    /// Use this catalogue file instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub catalogue: Option<PathBuf>,
}

pub(super) fn run_schema(args: SchemaArgs) -> anyhow::Result<Exit> {
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
