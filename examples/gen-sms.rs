//! Generates a synthetic SMS repository for performance work:
//!
//! ```text
//! cargo run --release --example gen-sms -- --items 10000 /tmp/sms-10k
//! ```
//!
//! Every item is a Markdown file with front matter and a 1–4 KB body. About a fifth are
//! approved documents addressing random leaf clauses; the rest are records of the core types
//! dated over the year before 2026-11-23. The output depends only on `--items` and `--seed`.

use iso20k::catalogue::Catalogue;
use std::fmt::Write as _;
use std::path::PathBuf;

/// A small deterministic generator (xorshift64*), so the same seed gives the same repository.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "service",
    "change",
    "incident",
    "priority",
    "escalation",
    "customer",
    "review",
    "risk",
    "capacity",
    "supplier",
    "agreement",
    "release",
    "configuration",
    "objective",
    "audit",
    "improvement",
    "continuity",
    "availability",
    "security",
    "catalogue",
    "budget",
    "demand",
    "knowledge",
    "competence",
    "awareness",
    "communication",
    "the",
    "and",
    "of",
    "with",
];

fn usage() -> ! {
    eprintln!("usage: gen-sms --items N [--seed S] DIR");
    std::process::exit(2);
}

fn main() {
    let mut items = None;
    let mut seed = 20_000_u64;
    let mut dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--items" => items = args.next().and_then(|v| v.parse::<usize>().ok()),
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            _ if dir.is_none() && !arg.starts_with('-') => dir = Some(PathBuf::from(arg)),
            _ => usage(),
        }
    }
    let (Some(items), Some(dir)) = (items, dir) else {
        usage()
    };
    if let Err(e) = generate(items, seed.max(1), &dir) {
        eprintln!("gen-sms: {e}");
        std::process::exit(1);
    }
}

fn generate(count: usize, seed: u64, dir: &std::path::Path) -> std::io::Result<()> {
    let catalogue = Catalogue::embedded();
    let leaves: Vec<&str> = catalogue.evaluated().map(|c| c.id.as_str()).collect();
    let record_types: Vec<&str> = catalogue.record_types.keys().map(String::as_str).collect();
    let kinds = ["policy", "plan", "process", "procedure", "agreement"];
    let mut rng = Rng(seed);
    std::fs::create_dir_all(dir.join("docs"))?;
    std::fs::create_dir_all(dir.join("records"))?;
    std::fs::write(
        dir.join("iso20k.toml"),
        "[organization]\nname = \"Synthetic Ltd\"\n\n[sms]\noperating_since = 2025-11-01\n",
    )?;
    for n in 0..count {
        let mut text = String::with_capacity(4096);
        let is_document = n % 5 == 0;
        if is_document {
            let clause = leaves[rng.below(leaves.len())];
            let kind = kinds[rng.below(kinds.len())];
            let _ = write!(
                text,
                "---\nid: DOC-{n:06}\ntitle: Document {n}\nkind: {kind}\nclauses: [\"{clause}\"]\nstatus: approved\nowner: Service owner\nversion: \"1.0\"\napproved_by: Board\napproved_on: 2026-0{}-15\nnext_review: 2027-06-30\n---\n",
                1 + rng.below(9)
            );
        } else {
            let record_type = record_types[rng.below(record_types.len())];
            let month = 1 + rng.below(11);
            let day = 1 + rng.below(28);
            let _ = write!(
                text,
                "---\nid: REC-{n:06}\ntitle: Record {n}\nkind: record\nrecord_type: {record_type}\ndate: 2026-{month:02}-{day:02}\n---\n"
            );
        }
        let target = 1024 + rng.below(3 * 1024);
        let _ = writeln!(text, "# Heading {n}\n");
        while text.len() < target {
            for _ in 0..12 {
                text.push_str(WORDS[rng.below(WORDS.len())]);
                text.push(' ');
            }
            text.push_str(".\n");
            if rng.below(8) == 0 {
                let _ = writeln!(text, "\n## Section {}\n", rng.below(100));
            }
        }
        let folder = if is_document { "docs" } else { "records" };
        // Spread files over sub-folders of 500, as real repositories are.
        let sub = dir.join(folder).join(format!("{:03}", n / 500));
        std::fs::create_dir_all(&sub)?;
        std::fs::write(sub.join(format!("item-{n:06}.md")), text)?;
    }
    Ok(())
}
