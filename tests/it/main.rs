//! The integration tests, one binary (as ripgrep does): the CLI over fixture repositories,
//! snapshots of every output format, bad input, safety attacks and the docs drift tests, one
//! module per area. One binary links once, where one per file linked twenty times.

mod common;

mod bad_input;
mod calendar;
mod ci_formats;
mod cli;
mod completions;
mod diff;
mod docs;
mod examples_ci;
mod git_dates;
mod hostile_git;
mod init;
mod output_safety;
mod pack;
mod readiness;
mod report;
mod sample;
mod schema;
mod snapshots;
mod verify_tampering;
