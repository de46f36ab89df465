//! Parquet export: stored events as flat columns, one file per month in Hive-style partition
//! directories (`OUT/month=2024-01/part-0.parquet`, undated events under
//! `month=__HIVE_DEFAULT_PARTITION__`), which Spark, Trino, DuckDB and pandas/pyarrow read as
//! one table with a `month` partition column.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::parser::parse_message_type;

use dyad_model::{DatePrecision, EventActor};
use dyad_store::StoredEvent;

/// The columns, in file order. Strings are UTF-8 (`STRING`), `date` a calendar date.
pub const SCHEMA: &str = "message dyad_event {
  required binary event_id (STRING);
  required binary article_id (STRING);
  required int32 sentence;
  optional int32 date (DATE);
  optional binary date_precision (STRING);
  optional binary source_code (STRING);
  optional binary source_name (STRING);
  optional binary source_country (STRING);
  optional binary source_sector (STRING);
  optional binary target_code (STRING);
  optional binary target_name (STRING);
  optional binary target_country (STRING);
  optional binary target_sector (STRING);
  required binary cameo_code (STRING);
  required binary cameo_root (STRING);
  required int32 quad_class;
  required double goldstein;
  optional binary plover_type (STRING);
  optional binary plover_mode (STRING);
  optional binary plover_contexts (STRING);
  optional binary acled_event_type (STRING);
  optional binary acled_sub_event_type (STRING);
  optional binary location_name (STRING);
  optional binary country (STRING);
  optional binary admin1 (STRING);
  optional double lat;
  optional double lon;
  optional int64 geonames_id;
  optional binary location_precision (STRING);
  optional int32 fatalities;
  required int32 num_mentions;
  required int32 num_sources;
  required int32 num_articles;
  optional binary source_url (STRING);
  required binary evidence_text (STRING);
  required binary evidence_trigger (STRING);
  required binary evidence_rule (STRING);
}";

/// The partition of undated events, as Hive and Spark name a null partition value.
pub const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Rows per row group.
const ROW_GROUP: usize = 100_000;

/// One column's values for a row group.
enum Col {
    Str(Vec<Option<ByteArray>>),
    I32(Vec<Option<i32>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
}

/// Write one column's values: the non-null ones, with definition levels unless the column
/// is required.
fn write_column<T: DataType>(
    w: &mut SerializedColumnWriter<'_>,
    v: &[Option<T::T>],
    required: bool,
) -> Result<()> {
    let defs: Vec<i16> = v.iter().map(|x| x.is_some() as i16).collect();
    let vals: Vec<T::T> = v.iter().flatten().cloned().collect();
    let defs = (!required).then_some(defs.as_slice());
    w.typed::<T>().write_batch(&vals, defs, None)?;
    Ok(())
}

fn s(v: &str) -> Option<ByteArray> {
    Some(ByteArray::from(v))
}

fn os(v: Option<&str>) -> Option<ByteArray> {
    v.map(ByteArray::from)
}

fn precision(p: Option<DatePrecision>) -> Option<&'static str> {
    p.map(|p| match p {
        DatePrecision::Day => "day",
        DatePrecision::Week => "week",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    })
}

/// The columns of one event, in [`SCHEMA`] order.
fn row(e: &StoredEvent) -> Vec<ColValue> {
    use ColValue::*;
    let ev = &e.event;
    let day = ev.date.as_deref().and_then(dyad_store::merge::parse_date);
    let actor = |a: Option<&EventActor>| {
        [
            S(a.map(|a| a.code.as_str()).and_then(s)),
            S(a.map(|a| a.name.as_str()).and_then(s)),
            S(a.and_then(|a| os(a.country.as_deref()))),
            S(a.and_then(|a| os(a.sector.as_deref()))),
        ]
    };
    let loc = ev.location.as_ref();
    let mut out = vec![
        S(s(&ev.event_id)),
        S(s(&ev.article_id)),
        I32(Some(ev.sentence as i32)),
        I32(day.and_then(|d| i32::try_from(d).ok())),
        S(os(precision(ev.date_precision))),
    ];
    out.extend(actor(ev.source.as_ref()));
    out.extend(actor(ev.target.as_ref()));
    out.extend([
        S(s(&ev.cameo.code)),
        S(s(&ev.cameo.root)),
        I32(Some(ev.cameo.quad_class as i32)),
        F64(Some(ev.cameo.goldstein)),
        S(os(ev.plover.event_type.as_deref())),
        S(os(ev.plover.mode.as_deref())),
        S((!ev.plover.contexts.is_empty())
            .then(|| ByteArray::from(ev.plover.contexts.join(",").as_str()))),
        S(os(ev.acled.event_type.as_deref())),
        S(os(ev.acled.sub_event_type.as_deref())),
        S(loc.and_then(|l| s(&l.name))),
        S(loc.and_then(|l| os(l.country.as_deref()))),
        S(loc.and_then(|l| os(l.admin1.as_deref()))),
        F64(loc.and_then(|l| l.lat)),
        F64(loc.and_then(|l| l.lon)),
        I64(loc.and_then(|l| l.geonames_id).map(|g| g as i64)),
        S(loc.and_then(|l| s(&l.precision))),
        I32(ev.fatalities.map(|f| f.min(i32::MAX as u32) as i32)),
        I32(Some(e.num_mentions.min(i32::MAX as u32) as i32)),
        I32(Some(e.num_sources.min(i32::MAX as u32) as i32)),
        I32(Some(e.num_articles.min(i32::MAX as u32) as i32)),
        S(os(e.source_url.as_deref())),
        S(s(&ev.evidence.text)),
        S(s(&ev.evidence.trigger.text)),
        S(s(&ev.evidence.rule)),
    ]);
    out
}

enum ColValue {
    S(Option<ByteArray>),
    I32(Option<i32>),
    I64(Option<i64>),
    F64(Option<f64>),
}

/// Writes the month partitions of a stream of events ordered by date.
pub struct MonthWriter {
    dir: PathBuf,
    schema: Arc<parquet::schema::types::Type>,
    props: Arc<WriterProperties>,
    month: Option<String>,
    file: Option<SerializedFileWriter<File>>,
    cols: Vec<(Col, bool)>,
    rows: usize,
    /// Files written, with their rows.
    pub files: Vec<(PathBuf, u64)>,
}

impl MonthWriter {
    /// Write under `dir`, which must not exist or be empty.
    pub fn create(dir: &Path) -> Result<MonthWriter> {
        if dir.exists() {
            let mut entries = fs::read_dir(dir)
                .with_context(|| format!("{}: cannot read the directory", dir.display()))?;
            if entries.next().is_some() {
                bail!(
                    "{}: exists and is not empty; Parquet export writes a new directory of \
                     month partitions",
                    dir.display()
                );
            }
        }
        fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
        let schema = Arc::new(parse_message_type(SCHEMA).context("the Parquet schema")?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("dyad {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        Ok(MonthWriter {
            dir: dir.to_path_buf(),
            schema,
            props,
            month: None,
            file: None,
            cols: Vec::new(),
            rows: 0,
            files: Vec::new(),
        })
    }

    /// Add one event; events must come in date order (undated first), as the store exports.
    pub fn push(&mut self, e: &StoredEvent) -> Result<()> {
        let month = e
            .event
            .date
            .as_deref()
            .filter(|d| dyad_store::merge::parse_date(d).is_some())
            .map_or(NULL_PARTITION.to_string(), |d| d[..7].to_string());
        if self.month.as_deref() != Some(month.as_str()) {
            self.finish_file()?;
            let part = self.dir.join(format!("month={month}"));
            fs::create_dir_all(&part)
                .with_context(|| format!("{}: cannot create", part.display()))?;
            let path = part.join("part-0.parquet");
            let f = File::create(&path)
                .with_context(|| format!("{}: cannot create", path.display()))?;
            self.file = Some(SerializedFileWriter::new(
                f,
                self.schema.clone(),
                self.props.clone(),
            )?);
            self.files.push((path, 0));
            self.month = Some(month);
            self.cols = row_template();
        }
        let values = row(e);
        if values.len() != self.cols.len() {
            bail!("Parquet export: a row's width does not match the schema");
        }
        for ((col, required), v) in self.cols.iter_mut().zip(values) {
            let missing = match &v {
                ColValue::S(v) => v.is_none(),
                ColValue::I32(v) => v.is_none(),
                ColValue::I64(v) => v.is_none(),
                ColValue::F64(v) => v.is_none(),
            };
            if missing && *required {
                bail!(
                    "Parquet export: event {}: a required column is empty",
                    e.event.event_id
                );
            }
            match (col, v) {
                (Col::Str(c), ColValue::S(v)) => c.push(v),
                (Col::I32(c), ColValue::I32(v)) => c.push(v),
                (Col::I64(c), ColValue::I64(v)) => c.push(v),
                (Col::F64(c), ColValue::F64(v)) => c.push(v),
                _ => bail!("Parquet export: a column's type does not match the schema"),
            }
        }
        self.rows += 1;
        if let Some(last) = self.files.last_mut() {
            last.1 += 1;
        }
        if self.rows >= ROW_GROUP {
            self.flush_row_group()?;
        }
        Ok(())
    }

    fn flush_row_group(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        let mut rg = file.next_row_group()?;
        let mut cols = std::mem::replace(&mut self.cols, row_template()).into_iter();
        while let Some(mut w) = rg.next_column()? {
            let Some((col, required)) = cols.next() else {
                bail!("Parquet export: fewer columns than the schema");
            };
            match col {
                Col::Str(v) => write_column::<ByteArrayType>(&mut w, &v, required)?,
                Col::I32(v) => write_column::<Int32Type>(&mut w, &v, required)?,
                Col::I64(v) => write_column::<Int64Type>(&mut w, &v, required)?,
                Col::F64(v) => write_column::<DoubleType>(&mut w, &v, required)?,
            }
            w.close()?;
        }
        rg.close()?;
        self.rows = 0;
        Ok(())
    }

    fn finish_file(&mut self) -> Result<()> {
        self.flush_row_group()?;
        if let Some(f) = self.file.take() {
            f.close()?;
        }
        Ok(())
    }

    /// Close the last file. Returns the files written and their rows.
    pub fn finish(mut self) -> Result<Vec<(PathBuf, u64)>> {
        self.finish_file()?;
        Ok(std::mem::take(&mut self.files))
    }
}

/// Empty column buffers of the schema's types, each with whether it is required (written
/// without definition levels).
fn row_template() -> Vec<(Col, bool)> {
    let mut out = Vec::new();
    for line in SCHEMA.lines().skip(1) {
        let line = line.trim();
        if line.starts_with('}') || line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let required = words.next() == Some("required");
        let col = match words.next().unwrap_or("") {
            "int32" => Col::I32(Vec::new()),
            "int64" => Col::I64(Vec::new()),
            "double" => Col::F64(Vec::new()),
            _ => Col::Str(Vec::new()),
        };
        out.push((col, required));
    }
    out
}
