//! `iso20k calendar`: due dates, the certification cycle, the human and JSON outputs, and
//! the RFC 5545 file, read back by a strict parser written for this test (CRLF line ends,
//! 75-octet folding, TEXT escapes, required properties, balanced components).

use crate::common::iso20k;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const AS_OF: &str = "2026-11-23";
const CERTIFIED: &str = "tests/fixtures/calendar-certified";

fn json(path: &str, as_of: &str) -> Value {
    let output = iso20k()
        .args(["calendar", path, "--format", "json", "--as-of", as_of])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Writes the ICS file (replacing an earlier one: `--force`) and returns it.
fn ics(path: &str, as_of: &str, out: &Path) -> String {
    iso20k()
        .args(["calendar", path, "--as-of", as_of, "--force", "--ics"])
        .arg(out)
        .assert()
        .success();
    String::from_utf8(std::fs::read(out).unwrap()).unwrap()
}

fn event<'a>(doc: &'a Value, uid_prefix: &str) -> &'a Value {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["uid"].as_str().unwrap().starts_with(uid_prefix))
        .unwrap_or_else(|| panic!("no event {uid_prefix}"))
}

/// One parsed component: its properties (name with parameters → unescaped values) and
/// children.
#[derive(Debug, Default)]
struct Component {
    name: String,
    properties: Vec<(String, String)>,
    children: Vec<Component>,
}

impl Component {
    fn get(&self, name: &str) -> Vec<&str> {
        self.properties
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn one(&self, name: &str) -> &str {
        let values = self.get(name);
        assert_eq!(values.len(), 1, "{} must have one {name}", self.name);
        values[0]
    }
}

/// Unescapes a TEXT value, refusing what RFC 5545 3.3.11 does not allow.
fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n') | Some('N') => out.push('\n'),
                other => panic!("invalid escape \\{other:?} in {value:?}"),
            },
            ';' | ',' => panic!("unescaped {c:?} in TEXT value {value:?}"),
            c => out.push(c),
        }
    }
    out
}

const TEXT_PROPERTIES: &[&str] = &[
    "SUMMARY",
    "DESCRIPTION",
    "UID",
    "X-WR-CALNAME",
    "CATEGORIES",
];

fn parse(text: &str) -> Component {
    assert!(text.ends_with("\r\n"), "the file ends with CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut logical: Vec<String> = Vec::new();
    for line in physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare LF or CR: {line:?}"
        );
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        if let Some(rest) = line.strip_prefix(' ') {
            logical
                .last_mut()
                .expect("a fold continues a line")
                .push_str(rest);
        } else {
            assert!(!line.is_empty(), "empty content line");
            logical.push(line.to_string());
        }
    }
    let mut stack: Vec<Component> = vec![Component::default()];
    for line in logical {
        let (name, value) = line.split_once(':').expect("NAME:value");
        assert!(
            name.split(';')
                .next()
                .unwrap()
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "property name {name:?}"
        );
        match name {
            "BEGIN" => stack.push(Component {
                name: value.to_string(),
                ..Component::default()
            }),
            "END" => {
                let done = stack.pop().unwrap();
                assert_eq!(done.name, value, "END matches BEGIN");
                stack.last_mut().unwrap().children.push(done);
            }
            _ => {
                let base = name.split(';').next().unwrap();
                let value = if TEXT_PROPERTIES.contains(&base) {
                    unescape(value)
                } else {
                    value.to_string()
                };
                stack
                    .last_mut()
                    .unwrap()
                    .properties
                    .push((name.to_string(), value));
            }
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced BEGIN/END");
    let mut top = stack.pop().unwrap();
    assert_eq!(top.children.len(), 1);
    top.children.pop().unwrap()
}

fn date(compact: &str) -> String {
    assert_eq!(compact.len(), 8, "{compact}");
    assert!(compact.chars().all(|c| c.is_ascii_digit()));
    let text = format!("{}-{}-{}", &compact[..4], &compact[4..6], &compact[6..]);
    iso20k::dates::parse_date(&text).unwrap();
    text
}

/// Checks the calendar against RFC 5545's requirements and returns uid → (date, summary).
fn validate(text: &str) -> BTreeMap<String, (String, String)> {
    let calendar = parse(text);
    assert_eq!(calendar.name, "VCALENDAR");
    assert_eq!(calendar.one("VERSION"), "2.0");
    assert!(calendar.one("PRODID").starts_with("-//iso20k//"));
    let mut events = BTreeMap::new();
    for event in &calendar.children {
        assert_eq!(event.name, "VEVENT");
        let uid = event.one("UID").to_string();
        let stamp = event.one("DTSTAMP");
        assert_eq!(stamp.len(), 16, "{stamp}");
        assert!(stamp.ends_with('Z') && stamp.as_bytes()[8] == b'T');
        let start = date(event.one("DTSTART;VALUE=DATE"));
        let end = date(event.one("DTEND;VALUE=DATE"));
        assert!(end > start, "DTEND after DTSTART");
        let summary = event.one("SUMMARY").to_string();
        assert!(!summary.is_empty());
        event.one("DESCRIPTION");
        assert!(
            events.insert(uid.clone(), (start, summary)).is_none(),
            "duplicate UID {uid}"
        );
    }
    events
}

#[test]
fn acme_ics_parses_back_and_matches_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let text = ics("examples/acme-sms", AS_OF, &dir.path().join("acme.ics"));
    let events = validate(&text);
    let doc = json("examples/acme-sms", AS_OF);
    let listed = doc["events"].as_array().unwrap();
    assert_eq!(events.len(), listed.len());
    for e in listed {
        let (date, summary) = &events[e["uid"].as_str().unwrap()];
        assert_eq!(date, e["date"].as_str().unwrap());
        assert_eq!(summary, e["title"].as_str().unwrap());
    }
    // Nothing but the ICS file was written.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn escaping_and_folding_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let text = ics(CERTIFIED, AS_OF, &dir.path().join("c.ics"));
    let calendar = parse(&text);
    assert_eq!(
        calendar.one("X-WR-CALNAME"),
        "Calendar Test Co; Ltd, Leeds: ISO/IEC 20000-1 SMS calendar"
    );
    let events = validate(&text);
    let (date, summary) = events
        .iter()
        .find(|(uid, _)| uid.starts_with("review-PLN-001@"))
        .map(|(_, v)| v)
        .unwrap();
    assert_eq!(date, "2027-01-15");
    assert_eq!(
        summary,
        "Review PLN-001 \"服务管理计划, 第二版; with a very long English subtitle that needs \
         folding in the calendar file\""
    );
    assert!(text.contains("\r\n "), "long lines are folded");
    let plan = calendar
        .children
        .iter()
        .find(|e| e.one("UID").starts_with("review-PLN-001@"))
        .unwrap();
    assert!(
        plan.one("DESCRIPTION")
            .starts_with("owner: SMS manager; deputy: Q&A lead;")
    );
    assert!(plan.one("DESCRIPTION").contains("\nFile: plans/plan.md"));
}

#[test]
fn uids_are_stable_across_runs_and_as_of_dates() {
    let dir = tempfile::tempdir().unwrap();
    let a = ics("examples/acme-sms", AS_OF, &dir.path().join("a.ics"));
    let b = ics("examples/acme-sms", AS_OF, &dir.path().join("b.ics"));
    assert_eq!(a, b, "byte-identical on two runs");
    let later = ics("examples/acme-sms", "2027-01-05", &dir.path().join("c.ics"));
    let first: BTreeSet<String> = validate(&a).into_keys().collect();
    let second: BTreeSet<String> = validate(&later).into_keys().collect();
    // The same obligations keep their UIDs when the dates move on.
    assert_eq!(first, second);
    assert!(first.contains("review-POL-001@acme-it-services-ltd.iso20k"));
    assert!(first.contains("record-internal-audit@acme-it-services-ltd.iso20k"));
    assert!(first.contains("stage1@acme-it-services-ltd.iso20k"));
}

#[test]
fn ics_overwrites_atomically_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cal.ics");
    std::fs::write(&out, "old").unwrap();
    let text = ics("examples/acme-sms", AS_OF, &out);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
    iso20k()
        .args(["calendar", "examples/acme-sms", "--as-of", AS_OF, "--ics"])
        .arg(dir.path().join("missing/cal.ics"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn reviews_and_records_fall_due_by_interval() {
    let doc = json(CERTIFIED, AS_OF);
    // approved 2025-10-31, every month: month-end clamps to 2025-11-30.
    let policy = event(&doc, "review-POL-001@");
    assert_eq!(policy["date"], "2025-11-30");
    assert_eq!(policy["status"], "overdue");
    // Drafts have no review date; demand-driven records (incidents) are not obligations.
    let uids: Vec<&str> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uid"].as_str().unwrap())
        .collect();
    assert!(!uids.iter().any(|u| u.starts_with("review-PLN-002@")));
    assert!(!uids.iter().any(|u| u.starts_with("record-incident@")));
    let review = event(&doc, "record-management-review@");
    assert_eq!(review["date"], "2026-10-01");
    assert_eq!(review["status"], "overdue");
    assert_eq!(review["id"], "MR-2025");
    let audit = event(&doc, "record-internal-audit@");
    assert_eq!(audit["date"], "2026-12-01");
    assert_eq!(audit["status"], "due");
    // A scheduled type with no record yet falls due one interval after operating_since.
    let test = event(&doc, "record-continuity-test@");
    assert_eq!(test["date"], "2024-06-01");
    // Sorted by date.
    let dates: Vec<&str> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
}

#[test]
fn certificate_cycle_from_a_leap_day() {
    let doc = json(CERTIFIED, AS_OF);
    let cycle = "cycle-2024-02-29-";
    let expect = [
        ("surveillance-1", "2025-02-28", "past"),
        ("surveillance-2", "2026-02-28", "past"),
        ("recertification", "2026-11-29", "planned"),
        ("expiry", "2027-02-28", "planned"),
    ];
    for (name, date, status) in expect {
        let e = event(&doc, &format!("{cycle}{name}@"));
        assert_eq!(e["date"], date, "{name}");
        assert_eq!(e["status"], status, "{name}");
        assert_eq!(e["kind"], "certification");
    }
    assert_eq!(event(&doc, "stage1@")["status"], "past");
    // After the expiry the next cycle is projected from it, assuming recertification on time.
    let doc = json(CERTIFIED, "2027-03-10");
    let next = event(&doc, "cycle-2027-02-28-surveillance-1@");
    assert_eq!(next["date"], "2028-02-28");
    assert!(
        next["detail"]
            .as_str()
            .unwrap()
            .contains("assuming recertification on time")
    );
    assert_eq!(
        event(&doc, "cycle-2027-02-28-expiry@")["date"],
        "2030-02-28"
    );
}

#[test]
fn human_output_lists_overdue_first_then_the_next_90_days() {
    let output = iso20k()
        .args(["calendar", CERTIFIED, "--as-of", AS_OF])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let overdue = text.find("\nOverdue (21)").unwrap();
    let next = text.find("\nNext 90 days, to 2027-02-21 (3)").unwrap();
    assert!(overdue < next);
    let policy = text.find("Review POL-001").unwrap();
    assert!(overdue < policy && policy < next);
    assert!(text.contains("(358 days overdue)"));
    let recert = text.find("Recertification audit").unwrap();
    assert!(recert > next);
    // The surveillance audits are in the past: not overdue, not listed.
    assert!(!text.contains("Surveillance audit"));
}

#[test]
fn acme_snapshots() {
    let output = iso20k()
        .args(["calendar", "examples/acme-sms", "--as-of", AS_OF])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "calendar_acme_human",
        String::from_utf8(output.stdout).unwrap()
    );
    let output = iso20k()
        .args([
            "calendar",
            "examples/acme-sms",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "calendar_acme_json",
        String::from_utf8(output.stdout).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let text = ics("examples/acme-sms", AS_OF, &dir.path().join("acme.ics"));
    // CRLF is kept in the snapshot as escaped text so the file stays readable.
    insta::assert_snapshot!("calendar_acme_ics", text.replace("\r\n", "␍\n"));
}
