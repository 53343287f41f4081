//! The process exit codes, documented in the README and relied on by CI scripts.

use crate::config::FailOn;
use crate::diagnostic::Severity;
use crate::evaluate::{ClauseStatus, Evaluation};

/// Exit codes of every command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the `--fail-on` threshold.
    Clean = 0,
    /// Findings at or above the threshold.
    Findings = 1,
    /// The command could not do its job: bad arguments, unreadable path, malformed config.
    Failure = 2,
}

impl Exit {
    /// Every exit code, in order (the README's table lists exactly these).
    pub const ALL: [Exit; 3] = [Exit::Clean, Exit::Findings, Exit::Failure];

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// Whether an evaluation fails the given threshold.
pub fn verdict(evaluation: &Evaluation, fail_on: FailOn) -> Exit {
    let worst = evaluation.diagnostics.iter().map(|d| d.severity).max();
    let gap = evaluation
        .clauses
        .iter()
        .any(|c| c.status == ClauseStatus::Gap);
    let fails = match fail_on {
        FailOn::Never => false,
        FailOn::Error => worst >= Some(Severity::Error),
        FailOn::Warning => worst >= Some(Severity::Warning),
        FailOn::Gap => worst >= Some(Severity::Warning) || gap,
    };
    if fails { Exit::Findings } else { Exit::Clean }
}
