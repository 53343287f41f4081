//! Looking inside containers: zip-based files (docx, xlsx, pptx, odt, zip...) and PDFs.
//! Bounded: at most [`MAX_ENTRIES`] entries or streams and [`MAX_INFLATED`] bytes decompressed
//! a file, one level of nesting. A container that cannot be read is not a finding: its raw
//! bytes were scanned anyway.

use super::{Finding, MAX_FINDINGS, Scanner};
use regex::bytes::Regex;
use std::io::{self, Cursor, Read, Seek};
use std::sync::OnceLock;

/// Entries (zip) or streams (PDF) looked at, a file.
pub const MAX_ENTRIES: usize = 1000;
/// Bytes decompressed, a file.
pub const MAX_INFLATED: u64 = 64 << 20;
/// A PDF larger than this is not read whole for its streams (its raw bytes are scanned).
const MAX_PDF: u64 = 256 << 20;

/// What a file is, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Zip,
    Pdf,
}

pub fn detect(head: &[u8]) -> Option<Container> {
    if head.starts_with(b"PK\x03\x04") {
        Some(Container::Zip)
    } else if head.windows(5).any(|w| w == b"%PDF-") {
        Some(Container::Pdf)
    } else {
        None
    }
}

/// What is left to spend on one file.
pub struct Budget {
    entries: usize,
    bytes: u64,
}

impl Budget {
    pub fn new() -> Self {
        Budget {
            entries: MAX_ENTRIES,
            bytes: MAX_INFLATED,
        }
    }

    fn spent(&self) -> bool {
        self.entries == 0 || self.bytes == 0
    }
}

/// Scans inside `source`, a container of kind `kind`; findings name their entry.
pub fn scan<R: Read + Seek>(
    kind: Container,
    source: &mut R,
    budget: &mut Budget,
    out: &mut Vec<Finding>,
) -> io::Result<()> {
    match kind {
        Container::Zip => scan_zip(source, "", 0, budget, out),
        Container::Pdf => {
            let size = source.seek(io::SeekFrom::End(0))?;
            if size > MAX_PDF {
                return Ok(());
            }
            source.seek(io::SeekFrom::Start(0))?;
            let mut pdf = Vec::with_capacity(size as usize);
            source.read_to_end(&mut pdf)?;
            scan_pdf(&pdf, "", budget, out);
        }
    }
    Ok(())
}

#[derive(PartialEq)]
enum Entry {
    Xml,
    Text,
    Zip,
    Pdf,
    Skip,
}

fn entry_kind(name: &str) -> Entry {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xml" | "vml" | "html" | "htm" | "xhtml" | "svg" => Entry::Xml,
        "rels" | "txt" | "csv" | "tsv" | "json" | "md" | "yaml" | "yml" | "env" | "ini"
        | "conf" | "cfg" | "config" | "properties" | "toml" | "log" | "sql" | "sh" | "ps1"
        | "bat" | "cmd" | "py" | "js" | "ts" | "pem" | "key" | "tf" | "tfvars" => Entry::Text,
        "zip" | "docx" | "docm" | "xlsx" | "xlsm" | "pptx" | "pptm" | "odt" | "ods" | "odp"
        | "jar" => Entry::Zip,
        "pdf" => Entry::Pdf,
        _ => Entry::Skip,
    }
}

fn scan_zip<R: Read + Seek>(
    reader: R,
    prefix: &str,
    depth: u8,
    budget: &mut Budget,
    out: &mut Vec<Finding>,
) {
    let Ok(mut archive) = zip::ZipArchive::new(reader) else {
        return;
    };
    for index in 0..archive.len() {
        if budget.spent() || out.len() >= MAX_FINDINGS {
            return;
        }
        budget.entries -= 1;
        let Ok(entry) = archive.by_index(index) else {
            continue; // encrypted, or a compression method not built in
        };
        if entry.is_dir() {
            continue;
        }
        let entry_name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let name = format!("{prefix}{entry_name}");
        let kind = entry_kind(&entry_name);
        if kind == Entry::Skip || (kind == Entry::Zip && depth > 0) {
            continue;
        }
        let mut bytes = Vec::new();
        // A damaged entry: what was read is still scanned.
        let _ = entry.take(budget.bytes).read_to_end(&mut bytes);
        budget.bytes -= bytes.len() as u64;
        match kind {
            Entry::Xml => scan_xml(&bytes, &name, out),
            Entry::Text => {
                scan_entry(&bytes, &name, out);
            }
            Entry::Zip => scan_zip(Cursor::new(bytes), &format!("{name}!"), 1, budget, out),
            Entry::Pdf => scan_pdf(&bytes, &format!("{name}!"), budget, out),
            Entry::Skip => {}
        }
    }
}

/// Scans one entry's text; findings carry the entry's name and their line in that text.
/// Returns whether anything was found.
fn scan_entry(text: &[u8], name: &str, out: &mut Vec<Finding>) -> bool {
    let mut scanner = Scanner::new();
    scanner.feed(text);
    let found = scanner
        .finish_located(&mut Cursor::new(text))
        .unwrap_or_default();
    let any = !found.is_empty();
    out.extend(found.into_iter().map(|mut f| {
        f.entry = Some(name.to_string());
        f
    }));
    out.truncate(MAX_FINDINGS);
    any
}

/// XML is scanned as its text (tags dropped, paragraphs and rows as lines, entities
/// decoded), so that a value split into runs is whole again; then, if that found nothing,
/// as it is (secrets in attributes, such as a connection string) when it is small.
/// The raw pass is for parts small enough to be settings or relationships (a connection
/// string in `xl/connections.xml`), not for document bodies.
const MAX_RAW_XML: usize = 1 << 20;

fn scan_xml(xml: &[u8], name: &str, out: &mut Vec<Finding>) {
    if !scan_entry(&xml_text(xml), name, out) && xml.len() <= MAX_RAW_XML {
        scan_entry(xml, name, out);
    }
}

/// The text of an XML document: tags dropped, block ends as newlines, cells as tabs.
pub fn xml_text(xml: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xml.len() / 2);
    let mut i = 0;
    while i < xml.len() {
        match xml[i] {
            b'<' => {
                let end = xml[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(xml.len(), |p| i + p);
                let tag = &xml[i + 1..end];
                let closing = tag.first() == Some(&b'/');
                let empty = tag.last() == Some(&b'/');
                let name = tag
                    .split(|&b| b == b' ' || b == b'/' || b == b'\t' || b == b'\n')
                    .find(|p| !p.is_empty())
                    .unwrap_or(&[]);
                let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
                let block = matches!(
                    local,
                    b"p" | b"si" | b"tr" | b"row" | b"h" | b"li" | b"div" | b"table-row"
                );
                let newline = matches!(local, b"br" | b"cr" | b"line-break");
                let cell = matches!(local, b"tc" | b"td" | b"c" | b"table-cell" | b"tab");
                if (closing && block) || (empty && newline) {
                    out.push(b'\n');
                } else if closing && cell || (empty && local == b"tab") {
                    out.push(b'\t');
                }
                i = end + 1;
            }
            b'&' => {
                let entity_end = xml[i..].iter().take(12).position(|&b| b == b';');
                let decoded = entity_end.and_then(|e| entity(&xml[i + 1..i + e]));
                match (decoded, entity_end) {
                    (Some(c), Some(e)) => {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        i += e + 1;
                    }
                    _ => {
                        out.push(b'&');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32),
        [b'#', dec @ ..] => std::str::from_utf8(dec)
            .ok()
            .and_then(|d| d.parse().ok())
            .and_then(char::from_u32),
        _ => None,
    }
}

/// A PDF's FlateDecode streams (not images or fonts), decompressed within the budget and
/// scanned as the text their string operands draw and, if that found nothing, as they are.
/// Findings name the object (`obj 12`).
fn scan_pdf(pdf: &[u8], prefix: &str, budget: &mut Budget, out: &mut Vec<Finding>) {
    static STREAM: OnceLock<Regex> = OnceLock::new();
    let stream = STREAM.get_or_init(|| Regex::new(r"(?-u)stream\r?\n").expect("valid"));
    for m in stream.find_iter(pdf) {
        if budget.spent() || out.len() >= MAX_FINDINGS {
            return;
        }
        let before = pdf[..m.start()].trim_ascii_end();
        if !before.ends_with(b">>") {
            continue; // `endstream`, or not a stream
        }
        let area = &before[before.len().saturating_sub(4096)..];
        let Some(obj) = rfind(area, b"obj") else {
            continue;
        };
        let dict = &area[obj..];
        let has = |needle: &[u8]| dict.windows(needle.len()).any(|w| w == needle);
        if !has(b"/FlateDecode")
            || [
                &b"/Image"[..],
                b"/DCTDecode",
                b"/JPXDecode",
                b"/ASCII85Decode",
                b"/ASCIIHexDecode",
                b"/LZWDecode",
                b"/RunLengthDecode",
                b"/CCITTFaxDecode",
                b"/JBIG2Decode",
                b"/Length1",
                b"/FontFile",
            ]
            .iter()
            .any(|n| has(n))
        {
            continue;
        }
        budget.entries -= 1;
        let data = &pdf[m.end()..];
        let data = &data[..rfind_first(data, b"endstream").unwrap_or(data.len())];
        let mut inflated = Vec::new();
        let _ = flate2::read::ZlibDecoder::new(data)
            .take(budget.bytes)
            .read_to_end(&mut inflated);
        budget.bytes -= inflated.len() as u64;
        let number = area[..obj]
            .trim_ascii_end()
            .rsplit(|b| b.is_ascii_whitespace())
            .nth(1)
            .filter(|n| !n.is_empty() && n.iter().all(u8::is_ascii_digit))
            .map(|n| String::from_utf8_lossy(n).into_owned());
        let name = match number {
            Some(n) => format!("{prefix}obj {n}"),
            None => format!("{prefix}stream at byte {}", m.start()),
        };
        if !scan_entry(&pdf_text(&inflated), &name, out) {
            scan_entry(&inflated, &name, out);
        }
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn rfind_first(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    static END: OnceLock<Regex> = OnceLock::new();
    debug_assert_eq!(needle, b"endstream");
    let end = END.get_or_init(|| Regex::new(r"(?-u)endstream").expect("valid"));
    end.find(haystack).map(|m| m.start())
}

/// The text a content stream draws: its literal string operands, a line per text object
/// or line move (`ET`, `Td`, `TD`, `T*`, `Tm`, `'`, `"`).
pub fn pdf_text(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    let newline = |out: &mut Vec<u8>| {
        if out.last().is_some_and(|&b| b != b'\n') {
            out.push(b'\n');
        }
    };
    while i < content.len() {
        match content[i] {
            b'(' => {
                let mut depth = 1;
                i += 1;
                while i < content.len() && depth > 0 {
                    match content[i] {
                        b'\\' if i + 1 < content.len() => {
                            i += 1;
                            match content[i] {
                                b'n' => out.push(b'\n'),
                                b'r' => out.push(b'\r'),
                                b't' => out.push(b'\t'),
                                d @ b'0'..=b'7' => {
                                    let mut v = u32::from(d - b'0');
                                    for _ in 0..2 {
                                        match content.get(i + 1) {
                                            Some(&d @ b'0'..=b'7') => {
                                                v = v * 8 + u32::from(d - b'0');
                                                i += 1;
                                            }
                                            _ => break,
                                        }
                                    }
                                    out.push(v as u8);
                                }
                                b'\n' | b'\r' => {}
                                c => out.push(c),
                            }
                        }
                        b'(' => {
                            depth += 1;
                            out.push(b'(');
                        }
                        b')' => {
                            depth -= 1;
                            if depth > 0 {
                                out.push(b')');
                            }
                        }
                        c => out.push(c),
                    }
                    i += 1;
                }
            }
            b'\'' | b'"' => {
                newline(&mut out);
                i += 1;
            }
            b'E' | b'T' if i > 0 && content[i - 1].is_ascii_whitespace() => {
                let op = &content[i..(i + 2).min(content.len())];
                let ends = content
                    .get(i + 2)
                    .is_none_or(|b| !b.is_ascii_alphanumeric());
                if ends && matches!(op, b"ET" | b"Td" | b"TD" | b"T*" | b"Tm") {
                    newline(&mut out);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_joins_runs_and_breaks_paragraphs() {
        let xml = br#"<w:p><w:r><w:t>pass</w:t></w:r><w:r><w:t xml:space="preserve">word = a&amp;b</w:t></w:r></w:p><w:p><w:t>next</w:t></w:p>"#;
        assert_eq!(xml_text(xml), b"password = a&b\nnext\n");
    }

    #[test]
    fn pdf_text_reads_string_operands() {
        let content =
            b"BT /F1 12 Tf 72 700 Td (pass) Tj [(word=) -20 (Xk9\\#m)] TJ ET\nBT (next) Tj ET";
        assert_eq!(pdf_text(content), b"password=Xk9#m\nnext\n");
    }
}
