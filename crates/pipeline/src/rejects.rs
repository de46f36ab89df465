use std::io::{self, Write};

/// The rejects output: every rejected record, unchanged, each followed by a newline if it did
/// not end with one.
pub struct Rejects {
    out: Option<Box<dyn Write + Send>>,
    /// Records rejected so far.
    pub count: u64,
}

impl Rejects {
    /// Rejected records are written to `out`, or only counted when it is `None`.
    pub fn new(out: Option<Box<dyn Write + Send>>) -> Self {
        Self { out, count: 0 }
    }

    /// Write one piece of a rejected record (large records arrive in pieces).
    pub fn write_part(&mut self, bytes: &[u8]) -> io::Result<()> {
        match &mut self.out {
            Some(w) => w.write_all(bytes),
            None => Ok(()),
        }
    }

    /// End the current record, adding a newline when `last` does not end in one.
    pub fn end_record(&mut self, ended_with_newline: bool) -> io::Result<()> {
        self.count += 1;
        match &mut self.out {
            Some(w) if !ended_with_newline => w.write_all(b"\n"),
            _ => Ok(()),
        }
    }

    /// Write a whole rejected record.
    pub fn record(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_part(bytes)?;
        self.end_record(bytes.ends_with(b"\n"))
    }

    pub fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}
