//! `iso20k pack`: the audit pack, with its progress bar.

use super::*;

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

pub(super) fn run_pack(args: PackArgs) -> anyhow::Result<Exit> {
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
        crate::pack::PackOutcome::Written(packed) => {
            if !packed.diagnostics.is_empty() {
                write_stderr(&render::terminal::diagnostics(&packed.diagnostics, color));
            }
            write_stdout(&human(render::pack::packed(&packed, args.quiet)))?;
            Ok(Exit::Clean)
        }
        crate::pack::PackOutcome::Refused(diagnostics) => {
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
