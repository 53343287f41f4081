//! `iso20k report`: every format on examples/acme-sms (snapshots), determinism, the workbook
//! read back, the Chinese report complete, assessments shown, errors exit 2, and the HTML
//! rendered in headless Chromium when it is installed.

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use predicates::prelude::*;
use std::io::Read as _;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-23";
const ACME: &str = "examples/acme-sms";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `iso20k` run from the repository root, with git unable to find a repository so that the
/// commit on the cover is absent and snapshots do not change with every commit.
fn iso20k() -> Command {
    let mut cmd = Command::cargo_bin("iso20k").unwrap();
    // The examples and fixtures sit in this project's own checkout: a ceiling keeps git from
    // finding it, so the cover says "not a git checkout" and the snapshots stay stable. (iso20k
    // ignores GIT_DIR on purpose: it must read the repository it was pointed at.)
    let ceilings = format!(
        "{}:{}",
        root().join("examples").display(),
        root().join("tests/fixtures").display()
    );
    cmd.current_dir(root())
        .env("GIT_CEILING_DIRECTORIES", ceilings)
        .env_remove("NO_COLOR");
    cmd
}

fn report(path: &str, extra: &[&str]) -> std::process::Output {
    iso20k()
        .args(["report", "--as-of", AS_OF])
        .args(extra)
        .arg(path)
        .output()
        .unwrap()
}

fn text(path: &str, extra: &[&str]) -> String {
    let output = report(path, extra);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn workbook(lang: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xlsx");
    let output = report(
        ACME,
        &[
            "--format",
            "xlsx",
            "--lang",
            lang,
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    std::fs::read(out).unwrap()
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("acme_md_en", text(ACME, &["--format", "md"]));
}

#[test]
fn markdown_snapshot_in_chinese() {
    insta::assert_snapshot!(
        "acme_md_zh_cn",
        text(ACME, &["--format", "md", "--lang", "zh-CN"])
    );
}

#[test]
fn html_snapshot() {
    insta::assert_snapshot!("acme_html_en", text(ACME, &["--format", "html"]));
}

#[test]
fn csv_snapshot() {
    insta::assert_snapshot!("acme_csv_en", text(ACME, &["--format", "csv"]));
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("acme_json_en", text(ACME, &["--format", "json"]));
}

#[test]
fn default_format_is_markdown() {
    assert_eq!(text(ACME, &[]), text(ACME, &["--format", "md"]));
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    for format in ["md", "html", "csv", "json"] {
        for lang in ["en", "zh-CN"] {
            let args = ["--format", format, "--lang", lang];
            assert_eq!(text(ACME, &args), text(ACME, &args), "{format} {lang}");
        }
    }
    assert_eq!(workbook("en"), workbook("en"));
    assert_eq!(workbook("zh-CN"), workbook("zh-CN"));
}

#[test]
fn json_is_a_superset_of_check_json() {
    let check = iso20k()
        .args(["check", "--format", "json", "--as-of", AS_OF, ACME])
        .output()
        .unwrap();
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&text(ACME, &["--format", "json"])).unwrap();
    for (key, value) in check.as_object().unwrap() {
        assert_eq!(&report[key], value, "`{key}` differs from check's");
    }
    let extra = &report["report"];
    assert_eq!(extra["lang"], "en");
    assert_eq!(extra["cover"]["organization"], "Acme IT Services Ltd");
    assert_eq!(extra["summary"]["score"], "97.7");
    assert_eq!(extra["mandatory"].as_array().unwrap().len(), 15);
    assert_eq!(extra["groups"].as_array().unwrap().len(), 7);
}

#[test]
fn csv_has_one_row_per_finding_and_quotes_like_rfc_4180() {
    let csv = text(ACME, &["--format", "csv"]);
    assert!(csv.ends_with("\r\n"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Clause");
    assert_eq!(&headers[10], "Finding");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // 58 evaluated clauses, 4 of them with one failed check each.
    assert_eq!(rows.len(), 58);
    let continuity = rows.iter().find(|r| &r[0] == "8.7.2").unwrap();
    assert_eq!(&continuity[2], "partial");
    assert_eq!(&continuity[7], "continuity-test-records");
    assert!(continuity[10].starts_with("no continuity-test record"));
    let leadership = rows.iter().find(|r| &r[0] == "5.1").unwrap();
    assert_eq!(
        (&leadership[4], &leadership[5], &leadership[6]),
        ("met", "J. Smith", "2026-10-02")
    );
    // A field with a comma is quoted.
    assert!(csv.contains("\"MR-2026-01, PLN-001\""));
}

#[test]
fn workbook_reads_back_with_its_sheets_headers_and_cells() {
    let bytes = workbook("en");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone()))
        .expect("the workbook opens");
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Clauses",
            "Mandatory documents",
            "Findings",
            "Diagnostics"
        ]
    );
    let cell = |range: &calamine::Range<Data>, row: usize, col: usize| {
        range
            .get((row, col))
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(cell(&summary, 0, 0), "Field");
    assert_eq!(cell(&summary, 1, 1), "Acme IT Services Ltd");
    let score_row = (0..summary.height())
        .find(|&r| cell(&summary, r, 0) == "Readiness score")
        .unwrap();
    assert_eq!(summary.get((score_row, 1)), Some(&Data::Float(97.7)));

    let clauses = book.worksheet_range("Clauses").unwrap();
    assert_eq!(clauses.height(), 59);
    let headers: Vec<String> = (0..4).map(|c| cell(&clauses, 0, c)).collect();
    assert_eq!(headers, ["Clause", "Title", "Group", "Status"]);
    let row = (1..clauses.height())
        .find(|&r| cell(&clauses, r, 0) == "8.7.2")
        .unwrap();
    assert_eq!(cell(&clauses, row, 1), "Service continuity management");
    assert_eq!(cell(&clauses, row, 3), "partial");

    let mandatory = book.worksheet_range("Mandatory documents").unwrap();
    assert_eq!(cell(&mandatory, 1, 0), "a) Scope of the SMS");
    assert_eq!(cell(&mandatory, 1, 3), "CTX-003");
    let findings = book.worksheet_range("Findings").unwrap();
    assert_eq!(findings.height(), 59);
    let diagnostics = book.worksheet_range("Diagnostics").unwrap();
    assert_eq!(cell(&diagnostics, 1, 1), "review-overdue");

    // Frozen header, filters and coloured status cells, as Excel stores them.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for index in 1..=5 {
        let mut xml = String::new();
        archive
            .by_name(&format!("xl/worksheets/sheet{index}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "sheet {index}"
        );
        assert!(xml.contains("<autoFilter ref="), "sheet {index}");
        assert!(xml.contains("<cols>"), "sheet {index} has no column widths");
    }
    let mut styles = String::new();
    archive
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    for fill in ["FFC6EFCE", "FFFFEB9C"] {
        assert!(styles.contains(fill), "no fill {fill}");
    }
}

#[test]
fn chinese_workbook_names_its_sheets_in_chinese() {
    let bytes = workbook("zh-CN");
    let book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["摘要", "条款", "强制性文件", "发现项", "诊断"]
    );
}

/// Every clause title, summary, check text, record type, UI string and diagnostic
/// explanation of the Chinese report is translated: nothing fell back to English.
#[test]
fn chinese_report_has_no_untranslated_strings() {
    let checked = iso20k::check(
        &root().join(ACME),
        &iso20k::CheckOptions {
            as_of: iso20k::dates::parse_date(AS_OF).unwrap(),
            catalogue: None,
            git_dates: None,
        },
    )
    .unwrap();
    let localizer = iso20k::i18n::Localizer::new(iso20k::i18n::Lang::ZhCn);
    let report = iso20k::report::build(&checked, &Default::default(), &localizer).unwrap();
    // Every catalogue text, not only those this repository's report happens to show.
    let catalogue = &checked.catalogue;
    for clause in &catalogue.clauses {
        localizer.clause_title(clause);
        localizer.clause_summary(clause);
        for check in &clause.checks {
            localizer.check_description(check.id(), check.description());
            localizer.check_recommendation(check.id(), check.recommendation());
            if let iso20k::catalogue::checks::Check::Topics(topics) = check {
                for topic in &topics.topics {
                    localizer.topic(&topic.name);
                }
            }
        }
    }
    for name in catalogue.record_types.keys() {
        localizer.record_type(name);
    }
    for code in iso20k::diagnostic::Code::ALL {
        localizer.code(*code);
    }
    localizer.all_ui();
    let mut missing = report.missing_translations.clone();
    missing.extend(localizer.missing());
    missing.sort();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "{} text(s) fall back to English in the zh-CN report, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(20)]
    );

    let output = report_output_zh();
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("translation"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let markdown = String::from_utf8(output.stdout).unwrap();
    let strings = iso20k::i18n::strings();
    for (key, text) in &strings.ui {
        let english = text.en.as_str();
        if english.len() >= 12 && text.zh_cn.as_deref() != Some(english) {
            assert!(
                !markdown.contains(english),
                "English UI string {key} ({english:?}) in the zh-CN report"
            );
        }
    }
    assert!(!markdown.contains("GB/T 24405"));
    assert!(markdown.contains("ISO/IEC 20000-1:2018"));
}

fn report_output_zh() -> std::process::Output {
    report(ACME, &["--format", "md", "--lang", "zh-CN"])
}

#[test]
fn chinese_report_uses_chinese_words() {
    let markdown = text(ACME, &["--format", "md", "--lang", "zh-CN"]);
    assert!(markdown.contains("# ISO/IEC 20000-1:2018 差距分析报告"));
    assert!(markdown.contains("执行摘要"));
    assert!(markdown.contains("部分符合"));
    assert!(markdown.contains("自动判定：符合；评估结论：符合（J. Smith，2026-10-02）"));
    let html = text(ACME, &["--format", "html", "--lang", "zh-CN"]);
    assert!(html.contains(r#"<html lang="zh-CN">"#));
}

#[test]
fn assessments_are_shown_beside_the_automated_status() {
    let fixture = "tests/fixtures/assessments";
    let markdown = text(fixture, &[]);
    assert!(
        markdown.contains("automated: gap; assessed: met by J. Smith on 2026-10-02"),
        "{markdown}"
    );
    assert!(markdown.contains("automated: gap; assessed: gap by L. Chen on 2026-10-20"));
    let json: serde_json::Value =
        serde_json::from_str(&text(fixture, &["--format", "json"])).unwrap();
    let clause = |id: &str| {
        json["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(clause("8.7.2")["status"], "met");
    assert_eq!(clause("8.7.2")["automated"], "gap");
    assert_eq!(clause("8.7.2")["assessment"]["id"], "ASM-001");
    assert_eq!(
        clause("8.7.2")["assessment"]["evidence"][0],
        "policies/sm-policy.md"
    );
    assert_eq!(clause("9.2")["assessment"]["id"], "ASM-003");
    assert_eq!(clause("9.3")["assessment"], serde_json::Value::Null);
    assert_eq!(clause("10.1")["assessment"], serde_json::Value::Null);
    // A control with only manual checks is decided by its assessment, and then counts.
    assert_eq!(clause("ORG-1")["status"], "met");
    assert_eq!(clause("ORG-1")["automated"], "manual");
    assert_eq!(clause("ORG-1")["findings"], serde_json::json!([]));
    assert_eq!(clause("ORG-2")["status"], "manual");
    assert_eq!(json["summary"]["manual"], 1);
    assert_eq!(json["summary"]["assessed"], 3);
    assert!(json["summary"]["score"].as_f64() > json["summary"]["automated_score"].as_f64());
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    for code in [
        "assessment-in-future",
        "assessment-heading",
        "assessment-expired",
        "unknown-result",
        "missing-key",
        "unknown-clause",
    ] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }
    // Top gaps put the assessed gap of 9.2 before ordinary gaps.
    let gaps = json["report"]["top_gaps"].as_array().unwrap();
    let first_nine_two = gaps.iter().position(|g| g["clause"] == "9.2");
    let first_other = gaps.iter().position(|g| {
        g["mandatory"].is_null() && !["9.2", "9.3", "10.1"].contains(&g["clause"].as_str().unwrap())
    });
    assert!(first_nine_two < first_other || first_other.is_none());
    assert!(markdown.contains("automated: manual; assessed: met by J. Smith on 2026-09-15"));
    let csv = text(fixture, &["--format", "csv"]);
    assert!(
        csv.contains("ORG-2,Night shift handover,manual,manual,,,,org-handover-observed,manual,")
    );
    let human = iso20k()
        .args(["check", "--as-of", AS_OF, fixture])
        .output()
        .unwrap();
    let human = String::from_utf8(human.stdout).unwrap();
    assert!(human.contains("automated: gap; assessed: met by J. Smith on 2026-10-02 (ASM-001)"));
}

#[test]
fn top_gaps_put_missing_mandatory_documents_first() {
    let json: serde_json::Value =
        serde_json::from_str(&text("tests/fixtures/assessments", &["--format", "json"])).unwrap();
    let gaps = json["report"]["top_gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), iso20k::report::TOP_GAPS);
    assert!(gaps[0]["mandatory"].is_string(), "{}", gaps[0]);
    assert_eq!(gaps[0]["rank"], 1);
    assert!(json["report"]["more_gaps"].as_u64().unwrap() > 0);
}

#[test]
fn binary_format_needs_an_output_file() {
    iso20k()
        .args(["report", "--format", "xlsx", ACME])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("-o FILE"));
}

#[test]
fn bad_format_or_language_exits_2_with_the_choices() {
    iso20k()
        .args(["report", "--format", "pdf", ACME])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid value 'pdf'")
                .and(predicate::str::contains("md, html, json, csv, xlsx")),
        );
    iso20k()
        .args(["report", "--lang", "zh", ACME])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("invalid value 'zh'").and(predicate::str::contains("zh-CN")),
        );
    iso20k()
        .args(["report", "tests/fixtures/does-not-exist"])
        .assert()
        .code(2);
}

#[test]
fn output_file_is_written_whole_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gap.md");
    std::fs::write(&out, "old report").unwrap();
    let output = report(ACME, &["-o", out.to_str().unwrap()]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an existing file needs --force"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "old report");
    let output = report(ACME, &["--force", "-o", out.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("# ISO/IEC 20000-1:2018 gap report"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "a temporary file was left behind");
    // Links from the file lead back into the repository.
    let base = std::fs::canonicalize(root().join(ACME)).unwrap();
    let link = written
        .split("](")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .unwrap()
        .to_string();
    let target = dir.path().canonicalize().unwrap().join(&link);
    assert!(target.exists(), "{link} does not lead to a file");
    assert!(target.canonicalize().unwrap().starts_with(&base));
    // A folder that does not exist is an error, not a panic.
    let missing = dir.path().join("no/such/folder/gap.md");
    let output = report(ACME, &["-o", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn cover_shows_the_git_commit_of_a_checkout() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(repo)
            .output()
    };
    if git(&["init", "-q"]).is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let policy = repo.join("policy.md");
    std::fs::write(
        &policy,
        "---\nid: POL-1\ntitle: Policy\nkind: policy\nclauses: [\"5.2.1\"]\nstatus: draft\nowner: me\n---\n",
    )
    .unwrap();
    git(&["add", "."]).unwrap();
    assert!(
        git(&["commit", "-q", "-m", "first"])
            .unwrap()
            .status
            .success()
    );
    let head = String::from_utf8(git(&["rev-parse", "HEAD"]).unwrap().stdout).unwrap();
    let head = head.trim();
    let cover = || {
        let output = Command::cargo_bin("iso20k")
            .unwrap()
            .args(["report", "--as-of", AS_OF])
            .arg(repo)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(cover().contains(&format!("`{head}`")));
    // An uncommitted change to a tracked file: the commit alone would misdescribe the report.
    std::fs::write(&policy, "---\nid: POL-1\ntitle: Changed\nkind: policy\nclauses: [\"5.2.1\"]\nstatus: draft\nowner: me\n---\n").unwrap();
    assert!(cover().contains(&format!("`{head}-dirty`")));
    // Outside a checkout there is none.
    assert!(text(ACME, &[]).contains("not a git checkout"));
}

/// Renders the HTML report in headless Chromium, when it is installed, and checks that the
/// page was laid out (a blank page makes a PNG of a few KB) and its DOM has the anchors.
#[test]
fn html_renders_in_headless_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let output = report(
        ACME,
        &[
            "--format",
            "html",
            "--lang",
            "zh-CN",
            "-o",
            html.to_str().unwrap(),
        ],
    );
    assert!(output.status.success());
    let png = dir.path().join("report.png");
    let url = format!("file://{}", html.display());
    let base_args = |profile: &Path| {
        let mut cmd = std::process::Command::new(chromium);
        cmd.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdin(std::process::Stdio::null());
        cmd
    };
    base_args(&dir.path().join("profile-1"))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2400")
        .arg(&url)
        .output()
        .unwrap();
    let bytes = std::fs::read(&png).expect("chromium wrote no screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        bytes.len() > 50_000,
        "screenshot is nearly empty ({} bytes)",
        bytes.len()
    );
    let dom = base_args(&dir.path().join("profile-2"))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains(r#"id="clause-8-7-2""#));
    assert!(dom.contains("<svg"));
    assert!(dom.contains("差距分析报告"));
}

#[test]
fn xlsx_survives_text_over_the_excel_cell_limit() {
    let dir = tempfile::tempdir().unwrap();
    let title = "x".repeat(40_000);
    std::fs::write(
        dir.path().join("long.md"),
        format!("---\nid: POL-1\ntitle: {title}\nkind: policy\nclauses: [\"5.2.1\"]\nstatus: draft\nowner: me\n---\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("r.xlsx");
    Command::cargo_bin("iso20k")
        .unwrap()
        .args([
            "report", "--format", "xlsx", "--lang", "zh-cn", "--as-of", AS_OF, "-o",
        ])
        .arg(&file)
        .arg(dir.path())
        .assert()
        .success();
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
}
