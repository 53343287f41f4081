//! iso20k: ISO/IEC 20000-1:2018 compliance checks for service management systems kept as
//! docs-as-code. The pipeline, one module per step:
//!
//! ```text
//! discover → parse → model → evaluate → render
//! ```
//!
//! [`check`] runs the pipeline up to evaluation; the binary renders the result.

pub mod atomic;
pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod dates;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod evaluate;
pub mod exit;
pub mod git;
pub mod i18n;
pub mod init;
pub mod model;
pub mod pack;
pub mod parse;
pub mod readiness;
pub mod reason;
pub mod render;
pub mod report;
pub mod sample;
pub mod schema;
pub mod stage;
pub mod suggest;
pub mod validate;
pub mod verify;

use anyhow::{Context as _, bail};
use catalogue::Catalogue;
use config::Settings;
use diagnostic::{Code, Diagnostic};
use evaluate::Evaluation;
use jiff::civil::Date;
use model::Repo;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the caller chooses for one run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub as_of: Date,
    /// Replaces the built-in catalogue.
    pub catalogue: Option<PathBuf>,
    /// `--git-dates`: last commit date of each file, by path relative to the root (see
    /// [`git::Checkout::last_commit_dates`]); `None` leaves missing dates missing.
    pub git_dates: Option<HashMap<String, Date>>,
}

/// The result of running the pipeline on one repository.
#[derive(Debug)]
pub struct Checked {
    /// The root as the user wrote it (shown in outputs).
    pub root: String,
    pub settings: Settings,
    pub catalogue: Catalogue,
    pub repo: Repo,
    pub evaluation: Evaluation,
}

/// Loads the catalogue the user asked for: `--catalogue FILE` or the embedded one.
pub fn load_catalogue(file: Option<&Path>) -> anyhow::Result<Catalogue> {
    match file {
        None => Ok(Catalogue::embedded()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read catalogue {}", path.display()))?;
            Catalogue::parse(&text)
                .with_context(|| format!("catalogue {} is not valid", path.display()))
        }
    }
}

/// Runs discover → parse → model → evaluate on `root`. Errors are the cases where the
/// command cannot do its job (exit 2); problems in the repository's files are diagnostics.
pub fn check(root: &Path, options: &CheckOptions) -> anyhow::Result<Checked> {
    let meta = std::fs::metadata(root)
        .with_context(|| format!("cannot read repository {}", root.display()))?;
    if !meta.is_dir() {
        bail!("{} is not a directory", root.display());
    }
    let (settings, mut diagnostics) = config::load(root)?;
    let mut catalogue = load_catalogue(options.catalogue.as_deref())?;
    let controls = root.join(catalogue::CONTROLS_FILE);
    let read = config::read_regular(&controls, catalogue::MAX_CONTROLS_BYTES).and_then(|bytes| {
        bytes
            .map(|b| String::from_utf8(b).map_err(|_| "it is not UTF-8 text".to_string()))
            .transpose()
    });
    let text = read.map_err(|message| catalogue::CatalogueError {
        line: None,
        message,
    });
    if !matches!(text, Ok(None)) {
        let extended = text.and_then(|text| catalogue.extend(&text.unwrap_or_default()));
        match extended {
            Ok(extended) => catalogue = extended,
            Err(e) => diagnostics.push(
                Diagnostic::new(
                    Code::ControlsInvalid,
                    catalogue::CONTROLS_FILE,
                    format!("organisation controls not applied: {}", e.message),
                )
                .at(e.line),
            ),
        }
    }

    let (files, walk_diagnostics) =
        discover::discover(root, &settings.exclude).map_err(anyhow::Error::msg)?;
    diagnostics.extend(walk_diagnostics);

    let ctx = parse::Context {
        catalogue: &catalogue,
        extra_record_types: &settings.extra_record_types,
        git_dates: options.git_dates.as_ref(),
    };
    let parsed = parse::parse_all(&files, &ctx);
    diagnostics.extend(parsed.diagnostics);

    let (items, validate_diagnostics) = validate::validate(parsed.items, root);
    diagnostics.extend(validate_diagnostics);
    let repo = Repo::build(items);

    let evaluation = evaluate::evaluate(
        &repo,
        &catalogue,
        diagnostics,
        &evaluate::Options {
            as_of: options.as_of,
            review_interval: settings.review_interval,
        },
    );
    Ok(Checked {
        root: root.display().to_string(),
        settings,
        catalogue,
        repo,
        evaluation,
    })
}
