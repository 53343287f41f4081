//! What the scanner sees besides plain bytes: UTF-16 text (decoded to UTF-8 before scanning)
//! and base64 runs (decoded once and scanned again, as gitleaks' decoding does).

/// How a stream's bytes are read, decided from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Text {
    /// Not decided yet (fewer than [`HEAD`] bytes seen).
    #[default]
    Undecided,
    /// Bytes as they are (ASCII, UTF-8, Latin-1, binary).
    Bytes,
    Utf16Le,
    Utf16Be,
}

/// Bytes looked at to decide the encoding (and spot a container's magic number).
pub const HEAD: usize = 1024;

/// UTF-16 from a byte order mark, or from ASCII interleaved with NULs (a UTF-16 file without
/// one, as Windows tools write them); anything else is read as bytes.
pub fn detect(head: &[u8]) -> Text {
    match head {
        [0xFF, 0xFE, 0, 0, ..] => return Text::Bytes, // UTF-32 LE: not decoded
        [0xFF, 0xFE, ..] => return Text::Utf16Le,
        [0xFE, 0xFF, ..] => return Text::Utf16Be,
        _ => {}
    }
    let pairs = head.len().min(512) / 2;
    if pairs < 8 {
        return Text::Bytes;
    }
    let texty = |b: u8| b == b'\t' || b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b);
    let (mut le, mut be) = (0, 0);
    for pair in head[..pairs * 2].chunks_exact(2) {
        le += usize::from(texty(pair[0]) && pair[1] == 0);
        be += usize::from(pair[0] == 0 && texty(pair[1]));
    }
    // Three in four units ASCII: text with some non-ASCII letters still counts.
    if le * 4 >= pairs * 3 {
        Text::Utf16Le
    } else if be * 4 >= pairs * 3 {
        Text::Utf16Be
    } else {
        Text::Bytes
    }
}

/// A streaming UTF-16 to UTF-8 decoder (unpaired surrogates become U+FFFD).
#[derive(Debug, Default)]
pub struct Utf16 {
    big_endian: bool,
    odd: Option<u8>,
    high: Option<u16>,
}

impl Utf16 {
    pub fn new(text: Text) -> Self {
        Utf16 {
            big_endian: text == Text::Utf16Be,
            ..Utf16::default()
        }
    }

    pub fn decode(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        if let Some(first) = self.odd.take() {
            let Some((&second, rest)) = input.split_first() else {
                self.odd = Some(first);
                return;
            };
            self.unit([first, second], out);
            input = rest;
        }
        let mut pairs = input.chunks_exact(2);
        for pair in &mut pairs {
            self.unit([pair[0], pair[1]], out);
        }
        self.odd = pairs.remainder().first().copied();
    }

    fn unit(&mut self, bytes: [u8; 2], out: &mut Vec<u8>) {
        let unit = if self.big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        };
        if unit < 0x80 && self.high.is_none() {
            out.push(unit as u8);
            return;
        }
        let c = match (self.high.take(), unit) {
            (Some(high), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                char::from_u32(c).unwrap_or('\u{FFFD}')
            }
            (high, _) => {
                if high.is_some() {
                    push_char('\u{FFFD}', out);
                }
                match unit {
                    0xD800..=0xDBFF => {
                        self.high = Some(unit);
                        return;
                    }
                    0xDC00..=0xDFFF => '\u{FFFD}',
                    _ => char::from_u32(u32::from(unit)).unwrap_or('\u{FFFD}'),
                }
            }
        };
        push_char(c, out);
    }
}

fn push_char(c: char, out: &mut Vec<u8>) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Shortest base64 run decoded and rescanned.
pub const MIN_BASE64: usize = 24;

const fn base64_table() -> [u8; 256] {
    // 0..=63: the value; 64: `=`; 0xFF: not base64. `+`/`-` and `/`/`_` both accepted
    // (standard and URL-safe alphabets).
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 26 {
        t[b'A' as usize + i] = i as u8;
        t[b'a' as usize + i] = 26 + i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 52 + d as u8;
        d += 1;
    }
    t[b'+' as usize] = 62;
    t[b'-' as usize] = 62;
    t[b'/' as usize] = 63;
    t[b'_' as usize] = 63;
    t
}

static BASE64: [u8; 256] = base64_table();

/// Runs of at least [`MIN_BASE64`] base64 characters (padding included) in `text`, as
/// (start, end).
pub fn base64_runs(text: &[u8], mut each: impl FnMut(usize, usize)) {
    let mut i = 0;
    let n = text.len();
    while i < n {
        if BASE64[text[i] as usize] == 0xFF {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && BASE64[text[i] as usize] != 0xFF {
            i += 1;
        }
        // Up to two `=` of padding.
        let body = i;
        while i < n && i - body < 2 && text[i] == b'=' {
            i += 1;
        }
        if i - start >= MIN_BASE64 {
            each(start, i);
        }
    }
}

/// Decodes a base64 run; `None` unless what it decodes to is text (at least 90% printable
/// ASCII), the only kind of decoded content worth scanning again.
pub fn decode_base64(run: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(run.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for &b in run.iter().filter(|&&b| b != b'=') {
        acc = (acc << 6) | u32::from(BASE64[b as usize]);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    let printable = out
        .iter()
        .filter(|&&b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
        .count();
    (printable * 10 >= out.len() * 9).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if big_endian {
                &[0xFE, 0xFF]
            } else {
                &[0xFF, 0xFE]
            });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn utf16_is_detected_and_decoded_across_any_split() {
        let text = "naïve 🔑 password=x\r\n";
        for (big_endian, bom) in [(false, true), (true, true), (false, false), (true, false)] {
            let bytes = utf16(&text.repeat(4), big_endian, bom);
            let mode = detect(&bytes);
            assert_eq!(
                mode,
                if big_endian {
                    Text::Utf16Be
                } else {
                    Text::Utf16Le
                },
                "{big_endian} {bom}"
            );
            for size in [1, 3, 64] {
                let mut decoder = Utf16::new(mode);
                let mut out = Vec::new();
                for chunk in bytes.chunks(size) {
                    decoder.decode(chunk, &mut out);
                }
                let out = String::from_utf8(out).unwrap();
                assert_eq!(out.trim_start_matches('\u{FEFF}'), text.repeat(4));
            }
        }
        assert_eq!(
            detect(b"plain ASCII text, long enough to decide"),
            Text::Bytes
        );
        assert_eq!(detect(&[0u8; 64]), Text::Bytes);
    }

    #[test]
    fn base64_text_is_decoded_binary_is_not() {
        assert_eq!(
            decode_base64(b"cGFzc3dvcmQ9aHVudGVyMjI=").as_deref(),
            Some(&b"password=hunter22"[..])
        );
        assert_eq!(decode_base64(b"AAECAwQFBgcICQoLDA0ODxAREhM"), None);
        let mut runs = Vec::new();
        base64_runs(b"short words, then dGhpcyBpcyBhIGxvbmcgcnVu!", |s, e| {
            runs.push((s, e))
        });
        assert_eq!(runs, vec![(18, 42)]);
    }
}
