//! `iso20k sample`: reproducible, inside the period, quoted seed, JSON shape, bad input.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

const AS_OF: &str = "2026-11-23";
const ACME: &str = "examples/acme-sms";
const BASIC: &str = "tests/fixtures/pack-basic";

fn iso20k() -> Command {
    let mut cmd = Command::cargo_bin("iso20k").unwrap();
    cmd.current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    cmd
}

fn sample(args: &[&str]) -> (i32, String) {
    let output = iso20k()
        .arg("sample")
        .args(args)
        .args(["--as-of", AS_OF])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap(),
    )
}

fn sample_json(args: &[&str]) -> Value {
    let (code, text) = sample(&[args, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn ids(doc: &Value) -> Vec<String> {
    doc["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn same_seed_same_sample_other_seed_other_sample() {
    let args = [ACME, "--type", "change", "--n", "10", "--seed", "4711"];
    let a = sample_json(&args);
    let b = sample_json(&args);
    assert_eq!(a, b);
    assert_eq!(ids(&a).len(), 10);
    let c = sample_json(&[ACME, "--type", "change", "--n", "10", "--seed", "4712"]);
    assert_ne!(ids(&a), ids(&c));
    let mut unique = ids(&a);
    unique.dedup();
    assert_eq!(unique.len(), 10, "without replacement");
}

#[test]
fn the_sample_is_pinned_across_versions() {
    // The generator and the draw are fixed algorithms: this exact sample must never change.
    let doc = sample_json(&[BASIC, "--type", "change", "--n", "3", "--seed", "42"]);
    assert_eq!(doc["population"], 8);
    insta::assert_json_snapshot!(doc);
}

#[test]
fn every_sampled_record_is_inside_the_period() {
    let doc = sample_json(&[
        ACME,
        "--type",
        "incident",
        "--n",
        "10",
        "--from",
        "2026-08-24",
        "--to",
        "2026-11-23",
    ]);
    assert_eq!(doc["from"], "2026-08-24");
    assert_eq!(doc["to"], "2026-11-23");
    let records = doc["records"].as_array().unwrap();
    assert!(!records.is_empty());
    for r in records {
        let date = r["date"].as_str().unwrap();
        assert!(("2026-08-24"..="2026-11-23").contains(&date), "{date}");
        assert!(r["id"].as_str().unwrap().starts_with("INC-"));
        assert!(r["file"].as_str().unwrap().ends_with(".yaml"));
        assert!(r["title"].is_string());
    }
    // Listed by date.
    let dates: Vec<&str> = records
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn default_period_and_seed_are_printed() {
    let (code, text) = sample(&[BASIC, "--type", "change", "--n", "3"]);
    assert_eq!(code, 0);
    // Audit period: 12 months before --as-of, not before operating_since 2026-03-02.
    assert!(
        text.starts_with("Sample of 3 change records dated 2026-03-02 to 2026-11-23 · population 8 · seed 20261123"),
        "{text}"
    );
    assert!(text.contains("Repeat with --seed 20261123"), "{text}");
    assert!(!text.contains("CHG-2026-001") && !text.contains("CHG-2026-010"));
}

#[test]
fn human_output_snapshot() {
    let (code, text) = sample(&[BASIC, "--type", "change", "--n", "4", "--seed", "7"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(text);
}

#[test]
fn asking_for_more_than_the_population_lists_it_all() {
    let doc = sample_json(&[BASIC, "--type", "change", "--n", "50"]);
    assert_eq!(doc["population"], 8);
    assert_eq!(ids(&doc).len(), 8);
    let (_, text) = sample(&[BASIC, "--type", "internal-audit", "--n", "5"]);
    assert!(text.contains("every record is listed"), "{text}");
    let (code, text) = sample(&[BASIC, "--type", "incident", "--n", "5"]);
    assert_eq!(code, 0);
    assert!(text.contains("nothing to sample"), "{text}");
}

#[test]
fn bad_input_exits_2() {
    let (code, text) = sample(&[BASIC, "--type", "chnage", "--n", "3"]);
    assert_eq!(code, 2);
    assert!(text.contains("did you mean `change`"), "{text}");
    let (code, _) = sample(&[BASIC, "--type", "change", "--n", "0"]);
    assert_eq!(code, 2);
    let (code, text) = sample(&[
        BASIC,
        "--type",
        "change",
        "--n",
        "3",
        "--from",
        "2026-10-01",
        "--to",
        "2026-09-01",
    ]);
    assert_eq!(code, 2);
    assert!(text.contains("after --to"), "{text}");
    let (code, _) = sample(&[
        BASIC,
        "--type",
        "change",
        "--n",
        "3",
        "--from",
        "2026-02-30",
    ]);
    assert_eq!(code, 2);
}
