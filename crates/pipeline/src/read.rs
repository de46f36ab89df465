//! Streaming article readers. Nothing is slurped: records are read one at a time, each at
//! most `max_record_bytes` long; a longer one is streamed to the rejects unchanged.

use std::fmt;
use std::io::{self, BufRead};

use dyad_model::Article;
use serde::Deserialize;

use crate::Rejects;

/// The input formats dyad reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON article per line, as in the contract.
    Jsonl,
    /// One article per file; the date comes from the options.
    Text,
    /// TABARI/PETRARCH record files: a `YYMMDD ID` header, text lines, then a blank line.
    Tabari,
}

impl Format {
    /// The format a file name suggests: `.txt` is text, `.text`/`.tabari`/`.rec` are TABARI
    /// records, anything else JSONL.
    pub fn guess(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".txt") {
            Format::Text
        } else if lower.ends_with(".text") || lower.ends_with(".tabari") || lower.ends_with(".rec")
        {
            Format::Tabari
        } else {
            Format::Jsonl
        }
    }
}

/// How inputs are read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Largest record accepted, in bytes; larger ones are rejected.
    pub max_record_bytes: usize,
    /// The article date for plain-text input, `YYYY-MM-DD`.
    pub date: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_record_bytes: 10 * 1024 * 1024,
            date: None,
        }
    }
}

/// A rejected record: where it was and why. Its bytes are already in the rejects output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: rejected: {}", self.file, self.line, self.reason)
    }
}

/// What a reader yields.
#[derive(Debug)]
pub enum Item {
    Article(Article),
    Rejected(Reject),
}

/// One input, read record by record.
pub struct Source {
    name: String,
    reader: Box<dyn BufRead + Send>,
    format: Format,
    opts: ReadOptions,
    line: usize,
    buf: Vec<u8>,
    done: bool,
    /// A TABARI header line read ahead of its record.
    pending_header: Option<(usize, Vec<u8>)>,
}

enum Line {
    /// A whole line in `buf` (with its newline, if it had one).
    Ok,
    /// The line was longer than the limit; it went to the rejects as it was read.
    TooLong(usize),
    Eof,
}

impl Source {
    pub fn new(
        name: impl Into<String>,
        reader: Box<dyn BufRead + Send>,
        format: Format,
        opts: ReadOptions,
    ) -> Self {
        Self {
            name: name.into(),
            reader,
            format,
            opts,
            line: 0,
            buf: Vec::new(),
            done: false,
            pending_header: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn reject(&self, line: usize, reason: impl Into<String>) -> Item {
        Item::Rejected(Reject {
            file: self.name.clone(),
            line,
            reason: reason.into(),
        })
    }

    /// Read one line into `self.buf`, never holding more than the limit: past it, the bytes
    /// go to `rejects` (after `prefix`, the record read so far) as they arrive.
    fn read_line(&mut self, prefix: &[u8], rejects: &mut Rejects) -> io::Result<Line> {
        self.buf.clear();
        let max = self.opts.max_record_bytes.saturating_sub(prefix.len());
        let mut total = 0usize;
        let mut too_long = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                if total == 0 {
                    return Ok(Line::Eof);
                }
                self.line += 1;
                if too_long {
                    rejects.end_record(false)?;
                    return Ok(Line::TooLong(total));
                }
                return Ok(Line::Ok);
            }
            let (chunk, found) = match memchr::memchr(b'\n', avail) {
                Some(i) => (&avail[..=i], true),
                None => (avail, false),
            };
            let n = chunk.len();
            total += n;
            if too_long {
                rejects.write_part(chunk)?;
            } else {
                self.buf.extend_from_slice(chunk);
                if self.buf.len() > max {
                    too_long = true;
                    rejects.write_part(prefix)?;
                    rejects.write_part(&self.buf)?;
                    self.buf.clear();
                }
            }
            self.reader.consume(n);
            if found {
                self.line += 1;
                if too_long {
                    rejects.end_record(true)?;
                    return Ok(Line::TooLong(total));
                }
                return Ok(Line::Ok);
            }
        }
    }

    /// The next article or reject, or `None` at the end of the input.
    pub fn next_item(&mut self, rejects: &mut Rejects) -> io::Result<Option<Item>> {
        if self.done {
            return Ok(None);
        }
        match self.format {
            Format::Jsonl => self.next_jsonl(rejects),
            Format::Text => {
                self.done = true;
                self.read_text_file(rejects).map(Some)
            }
            Format::Tabari => self.next_tabari(rejects),
        }
    }

    fn too_long(&self, line: usize, len: usize) -> Item {
        self.reject(
            line,
            format!(
                "record of {len} bytes is larger than the limit of {} bytes (--max-article-bytes)",
                self.opts.max_record_bytes
            ),
        )
    }

    fn next_jsonl(&mut self, rejects: &mut Rejects) -> io::Result<Option<Item>> {
        loop {
            match self.read_line(&[], rejects)? {
                Line::Eof => {
                    self.done = true;
                    return Ok(None);
                }
                Line::TooLong(len) => return Ok(Some(self.too_long(self.line, len))),
                Line::Ok => {}
            }
            if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let line = self.line;
            let item = match parse_json_article(&self.buf) {
                Ok(a) => Item::Article(a),
                Err(reason) => {
                    rejects.record(&self.buf)?;
                    self.reject(line, reason)
                }
            };
            return Ok(Some(item));
        }
    }

    fn read_text_file(&mut self, rejects: &mut Rejects) -> io::Result<Item> {
        let mut all = Vec::new();
        loop {
            let prefix = std::mem::take(&mut all);
            match self.read_line(&prefix, rejects)? {
                Line::Eof => {
                    all = prefix;
                    break;
                }
                Line::TooLong(_) => {
                    // The rest of the file follows the record into the rejects.
                    loop {
                        match self.read_line(&[], rejects)? {
                            Line::Eof => break,
                            Line::TooLong(_) => {}
                            Line::Ok => {
                                let b = std::mem::take(&mut self.buf);
                                rejects.write_part(&b)?;
                            }
                        }
                    }
                    return Ok(self.reject(
                        1,
                        format!(
                            "file is larger than the limit of {} bytes (--max-article-bytes)",
                            self.opts.max_record_bytes
                        ),
                    ));
                }
                Line::Ok => {
                    all = prefix;
                    all.extend_from_slice(&self.buf);
                }
            }
        }
        let text = match String::from_utf8(all) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                rejects.record(&bytes)?;
                let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
                return Ok(self.reject(line, format!("invalid UTF-8 at byte {at}")));
            }
        };
        if text.trim().is_empty() {
            rejects.record(text.as_bytes())?;
            return Ok(self.reject(1, "empty text"));
        }
        let id = std::path::Path::new(&self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.name)
            .to_string();
        Ok(Item::Article(Article {
            id,
            text,
            date: self.opts.date.clone(),
            ..Default::default()
        }))
    }

    fn next_tabari(&mut self, rejects: &mut Rejects) -> io::Result<Option<Item>> {
        // Find a header: `YYMMDD ID` (or `YYMMDD*ID`); skip blank and `#` lines.
        let (header_line, header) = match self.pending_header.take() {
            Some(h) => h,
            None => loop {
                match self.read_line(&[], rejects)? {
                    Line::Eof => {
                        self.done = true;
                        return Ok(None);
                    }
                    Line::TooLong(len) => return Ok(Some(self.too_long(self.line, len))),
                    Line::Ok => {}
                }
                let trimmed = self.buf.trim_ascii();
                if trimmed.is_empty() || trimmed.starts_with(b"#") {
                    continue;
                }
                break (self.line, self.buf.clone());
            },
        };
        let Some((date, id)) = parse_tabari_header(&header) else {
            // Not a header: reject the line, unchanged.
            rejects.record(&header)?;
            return Ok(Some(
                self.reject(header_line, "expected a record header 'YYMMDD ID'"),
            ));
        };
        // The record's lines run to the next blank line.
        let mut raw = header.clone();
        loop {
            match self.read_line(&raw, rejects)? {
                Line::Eof => {
                    self.done = true;
                    break;
                }
                Line::TooLong(_) => {
                    // Stream the rest of the record to the rejects too.
                    loop {
                        match self.read_line(&[], rejects)? {
                            Line::Eof => {
                                self.done = true;
                                break;
                            }
                            Line::TooLong(_) => {}
                            Line::Ok if self.buf.trim_ascii().is_empty() => break,
                            Line::Ok => {
                                let b = std::mem::take(&mut self.buf);
                                rejects.write_part(&b)?;
                            }
                        }
                    }
                    return Ok(Some(self.reject(
                        header_line,
                        format!(
                            "record is larger than the limit of {} bytes (--max-article-bytes)",
                            self.opts.max_record_bytes
                        ),
                    )));
                }
                Line::Ok if self.buf.trim_ascii().is_empty() => break,
                Line::Ok => {
                    if parse_tabari_header(&self.buf).is_some() {
                        // A header with no blank line before it starts the next record.
                        self.pending_header = Some((self.line, self.buf.clone()));
                        break;
                    }
                    raw.extend_from_slice(&self.buf)
                }
            }
        }
        let body = &raw[header.len()..];
        let text = match std::str::from_utf8(body) {
            Ok(t) => strip_tabari_comments(t),
            Err(e) => {
                rejects.record(&raw)?;
                let at = e.valid_up_to();
                let line = header_line + 1 + body[..at].iter().filter(|&&b| b == b'\n').count();
                return Ok(Some(self.reject(
                    line,
                    format!("invalid UTF-8 at byte {at} of the record"),
                )));
            }
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            rejects.record(&raw)?;
            return Ok(Some(self.reject(header_line, "empty text")));
        }
        Ok(Some(Item::Article(Article {
            id,
            text,
            date: Some(date),
            ..Default::default()
        })))
    }
}

/// `YYMMDD ID` or `YYMMDD*ID`; two-digit years from 50 are 19xx, below are 20xx.
fn parse_tabari_header(line: &[u8]) -> Option<(String, String)> {
    let line = std::str::from_utf8(line).ok()?.trim();
    let digits = line.get(..6)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &line[6..];
    if !(rest.starts_with(' ') || rest.starts_with('\t') || rest.starts_with('*')) {
        return None;
    }
    let id = rest.trim_start_matches(['*', ' ', '\t']).trim();
    if id.is_empty() || id.contains(' ') {
        return None;
    }
    let yy: u32 = digits[..2].parse().ok()?;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let date = format!("{year}-{}-{}", &digits[2..4], &digits[4..6]);
    normalize_date(&date)?;
    Some((date, id.to_string()))
}

/// Remove `/* ... */` comments (the validation records keep their expected events there).
fn strip_tabari_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        match rest[i + 2..].find("*/") {
            Some(j) => rest = &rest[i + 2 + j + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `YYYY-MM-DD`, or an RFC 3339 timestamp cut to its date; `None` when not a real date.
pub fn normalize_date(s: &str) -> Option<String> {
    let day = s.get(..10)?;
    let rest = &s[10..];
    if !rest.is_empty() && !rest.starts_with('T') && !rest.starts_with(' ') {
        return None;
    }
    let d: jiff::civil::Date = day.parse().ok()?;
    Some(d.to_string())
}

#[derive(Deserialize)]
struct RawArticle {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
    date: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
    source: Option<serde_json::Value>,
    url: Option<serde_json::Value>,
    language: Option<serde_json::Value>,
}

fn opt_string(v: Option<serde_json::Value>, field: &str) -> Result<Option<String>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("`{field}` must be a string")),
    }
}

/// Parse one JSONL line into an article, or say why not.
pub fn parse_json_article(line: &[u8]) -> Result<Article, String> {
    let text = std::str::from_utf8(line)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let raw: RawArticle = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json says "at line 1 column N": the line is ours, the column is useful.
        format!(
            "not a JSON article object: {}",
            msg.replace(" at line 1 ", " at ")
        )
    })?;
    let id = match opt_string(raw.id, "id")? {
        Some(id) if !id.trim().is_empty() => id,
        Some(_) => return Err("empty `id`".into()),
        None => return Err("missing `id`".into()),
    };
    let body = match opt_string(raw.text, "text")? {
        Some(t) => t,
        None => return Err("missing `text`".into()),
    };
    if body.trim().is_empty() {
        return Err("empty `text`".into());
    }
    let date = match opt_string(raw.date, "date")? {
        None => None,
        Some(d) => Some(normalize_date(&d).ok_or_else(|| {
            format!("bad `date` {d:?}: want YYYY-MM-DD or an RFC 3339 timestamp")
        })?),
    };
    Ok(Article {
        id,
        text: body,
        date,
        title: opt_string(raw.title, "title")?,
        source: opt_string(raw.source, "source")?,
        url: opt_string(raw.url, "url")?,
        language: opt_string(raw.language, "language")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(
            parse_tabari_header(b"950101  DEMO-01\n"),
            Some(("1995-01-01".into(), "DEMO-01".into()))
        );
        assert_eq!(
            parse_tabari_header(b"000101*INTRO"),
            Some(("2000-01-01".into(), "INTRO".into()))
        );
        assert_eq!(parse_tabari_header(b"Arnor is about"), None);
        assert_eq!(parse_tabari_header(b"951399 X"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(normalize_date("2024-01-19").as_deref(), Some("2024-01-19"));
        assert_eq!(
            normalize_date("2024-01-19T10:00:00Z").as_deref(),
            Some("2024-01-19")
        );
        assert_eq!(normalize_date("2024-02-30"), None);
        assert_eq!(normalize_date("19/01/2024"), None);
        assert_eq!(normalize_date("2024-01-190"), None);
    }

    #[test]
    fn comments() {
        assert_eq!(strip_tabari_comments("a /* x */b /* y"), "a b ");
    }
}
