//! `dyad query` and `dyad export`: read the event store.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use dyad_store::{EventFilter, GroupKey, Page, Store, StoredEvent};

/// The filters shared by `query` and `export`.
#[derive(Args, Debug, Clone, Default)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// First event date, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last event date, YYYY-MM-DD (inclusive).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// CAMEO code or root prefix (19, 190, 0874).
    #[arg(long)]
    pub cameo: Option<String>,
    /// PLOVER type (ASSAULT).
    #[arg(long, value_name = "TYPE")]
    pub plover: Option<String>,
    /// ACLED event type ("Battles").
    #[arg(long, value_name = "TYPE")]
    pub acled: Option<String>,
    /// QuadClass 1-4.
    #[arg(long, value_name = "N")]
    pub quad: Option<u8>,
    /// Source actor code prefix (USA, USAMIL).
    #[arg(long, value_name = "CODE")]
    pub source: Option<String>,
    /// Target actor code prefix.
    #[arg(long, value_name = "CODE")]
    pub target: Option<String>,
    /// Source actor country (ISO alpha-3).
    #[arg(long, value_name = "ISO3")]
    pub source_country: Option<String>,
    /// Target actor country (ISO alpha-3).
    #[arg(long, value_name = "ISO3")]
    pub target_country: Option<String>,
    /// Country of the event's place (ISO alpha-3).
    #[arg(long, value_name = "ISO3")]
    pub country: Option<String>,
    /// First-level division of the event's place.
    #[arg(long)]
    pub admin1: Option<String>,
    /// Bounding box: min_lon,min_lat,max_lon,max_lat.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// Only events reported by this article.
    #[arg(long, value_name = "ID")]
    pub article: Option<String>,
}

impl FilterArgs {
    pub fn filter(&self) -> Result<EventFilter> {
        let bbox = match &self.bbox {
            None => None,
            Some(b) => {
                let v: Vec<f64> = b
                    .split(',')
                    .map(|x| x.trim().parse::<f64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| anyhow::anyhow!("--bbox {b:?}: want four numbers W,S,E,N"))?;
                let [w, s, e, n] = v[..] else {
                    bail!("--bbox {b:?}: want four numbers W,S,E,N");
                };
                Some([w, s, e, n])
            }
        };
        let f = EventFilter {
            date_from: self.from.clone(),
            date_to: self.to.clone(),
            cameo: self.cameo.clone(),
            plover_type: self.plover.clone(),
            acled_type: self.acled.clone(),
            quad_class: self.quad,
            source: self.source.clone(),
            target: self.target.clone(),
            source_country: self.source_country.clone(),
            target_country: self.target_country.clone(),
            country: self.country.clone(),
            admin1: self.admin1.clone(),
            bbox,
            article: self.article.clone(),
        };
        f.validate()?;
        Ok(f)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    /// An aligned table (the default on a terminal).
    Table,
    /// CSV with a header row (the default otherwise).
    Csv,
    /// One JSON array of row objects.
    Json,
}

#[derive(Args, Debug)]
pub struct QueryArgs {
    /// The store: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    pub db: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Count events grouped by these keys: day, week, month, country, admin1, dyad, root,
    /// type (comma-separated). Without it, the events themselves are listed.
    #[arg(long, value_name = "KEY[,KEY]")]
    pub group_by: Option<String>,
    /// Count the events that pass the filters (one row).
    #[arg(long, conflicts_with = "group_by")]
    pub count: bool,
    /// Output format (default: table on a terminal, CSV otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutFormat>,
    /// Most events listed.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Show one event, its mentions and why they merged.
    #[arg(long, value_name = "EVENT_ID")]
    pub explain: Option<String>,
}

fn open(db: &str) -> Result<Box<dyn Store>> {
    if !dyad_store::is_postgres_url(db) && !std::path::Path::new(db).exists() {
        bail!("--db {db}: no such store (create one with `dyad ingest --db {db} FILES`)");
    }
    dyad_store::open(db).with_context(|| format!("--db {db}"))
}

/// A table of strings, printed in one of the formats.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<serde_json::Value>>,
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() => format!("{f:.2}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Table {
    fn print(&self, format: OutFormat, out: &mut dyn Write) -> io::Result<()> {
        match format {
            OutFormat::Json => {
                // Objects keep the columns' order.
                writeln!(out, "[")?;
                for (i, r) in self.rows.iter().enumerate() {
                    let fields: Vec<String> = self
                        .header
                        .iter()
                        .zip(r)
                        .map(|(k, v)| format!("{}: {v}", serde_json::Value::from(k.as_str())))
                        .collect();
                    let comma = if i + 1 < self.rows.len() { "," } else { "" };
                    writeln!(out, "  {{{}}}{comma}", fields.join(", "))?;
                }
                writeln!(out, "]")
            }
            OutFormat::Csv => {
                let h: Vec<String> = self.header.iter().map(|h| csv_field(h)).collect();
                writeln!(out, "{}", h.join(","))?;
                for r in &self.rows {
                    let c: Vec<String> = r.iter().map(|v| csv_field(&cell(v))).collect();
                    writeln!(out, "{}", c.join(","))?;
                }
                Ok(())
            }
            OutFormat::Table => {
                let cells: Vec<Vec<String>> = self
                    .rows
                    .iter()
                    .map(|r| r.iter().map(cell).collect())
                    .collect();
                let mut w: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
                for r in &cells {
                    for (i, c) in r.iter().enumerate() {
                        w[i] = w[i].max(c.chars().count().min(60));
                    }
                }
                let line = |cols: &[String]| -> String {
                    cols.iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let c: String = c.chars().take(60).collect();
                            format!("{c:<width$}", width = w[i])
                        })
                        .collect::<Vec<_>>()
                        .join("  ")
                        .trim_end()
                        .to_string()
                };
                writeln!(out, "{}", line(&self.header))?;
                let rule: Vec<String> = w.iter().map(|n| "-".repeat(*n)).collect();
                writeln!(out, "{}", line(&rule))?;
                for r in &cells {
                    writeln!(out, "{}", line(r))?;
                }
                Ok(())
            }
        }
    }
}

fn event_row(e: &StoredEvent) -> Vec<serde_json::Value> {
    use serde_json::json;
    let ev = &e.event;
    vec![
        json!(ev.event_id),
        json!(ev.date),
        json!(ev.source.as_ref().map(|a| a.code.as_str())),
        json!(ev.cameo.code),
        json!(ev.target.as_ref().map(|a| a.code.as_str())),
        json!(ev.plover.event_type),
        json!(ev.location.as_ref().map(|l| l.name.as_str())),
        json!(ev.location.as_ref().and_then(|l| l.country.as_deref())),
        json!(ev.fatalities),
        json!(e.num_mentions),
        json!(e.num_sources),
        json!(e.num_articles),
    ]
}

const EVENT_HEADER: [&str; 12] = [
    "event_id",
    "date",
    "source",
    "cameo",
    "target",
    "plover_type",
    "place",
    "country",
    "fatalities",
    "num_mentions",
    "num_sources",
    "num_articles",
];

pub fn run_query(args: QueryArgs) -> Result<u8> {
    let mut store = open(&args.db)?;
    let format = args.format.unwrap_or(if io::stdout().is_terminal() {
        OutFormat::Table
    } else {
        OutFormat::Csv
    });
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if let Some(id) = &args.explain {
        let Some(d) = store.event(id).context("reading the event")? else {
            bail!("no event or mention {id:?} in {}", args.db);
        };
        if format == OutFormat::Json {
            serde_json::to_writer_pretty(&mut out, &d)?;
            writeln!(out)?;
        } else {
            let e = &d.event;
            writeln!(
                out,
                "event {}: {} {} {} on {} in {} ({} mentions, {} sources, {} articles)",
                e.event.event_id,
                e.event.source.as_ref().map_or("-", |a| a.code.as_str()),
                e.event.cameo.code,
                e.event.target.as_ref().map_or("-", |a| a.code.as_str()),
                e.event.date.as_deref().unwrap_or("?"),
                e.event.location.as_ref().map_or("?", |l| l.name.as_str()),
                e.num_mentions,
                e.num_sources,
                e.num_articles
            )?;
            let table = Table {
                header: [
                    "mention",
                    "article",
                    "source",
                    "sentence",
                    "date",
                    "place",
                    "merged_with",
                    "reason",
                    "text",
                ]
                .map(String::from)
                .to_vec(),
                rows: d
                    .mentions
                    .iter()
                    .map(|m| {
                        use serde_json::json;
                        vec![
                            json!(m.mention_id),
                            json!(m.article_id),
                            json!(m.article_source),
                            json!(m.sentence),
                            json!(m.date),
                            json!(m.location),
                            json!(m.merged_with),
                            json!(m.reason.as_deref().unwrap_or("representative")),
                            json!(m.evidence.text),
                        ]
                    })
                    .collect(),
            };
            table.print(format, &mut out)?;
        }
        out.flush()?;
        return Ok(0);
    }
    let filter = args.filters.filter()?;
    let table = if let Some(g) = &args.group_by {
        let keys = GroupKey::parse_list(g)?;
        if keys.is_empty() {
            bail!("--group-by: no key given");
        }
        count_table(store.as_mut(), &filter, &keys)?
    } else if args.count {
        count_table(store.as_mut(), &filter, &[])?
    } else {
        let page = store
            .query_events(
                &filter,
                &Page {
                    limit: args.limit.max(1),
                    cursor: None,
                },
            )
            .context("querying events")?;
        Table {
            header: EVENT_HEADER.map(String::from).to_vec(),
            rows: page.events.iter().map(event_row).collect(),
        }
    };
    table.print(format, &mut out)?;
    out.flush()?;
    Ok(0)
}

fn count_table(store: &mut dyn Store, filter: &EventFilter, keys: &[GroupKey]) -> Result<Table> {
    use serde_json::json;
    let rows = store.count(filter, keys).context("counting events")?;
    let mut header: Vec<String> = keys.iter().map(|k| k.name().to_string()).collect();
    header.extend(["count", "fatalities", "goldstein_mean"].map(String::from));
    Ok(Table {
        header,
        rows: rows
            .into_iter()
            .map(|r| {
                let mut v: Vec<serde_json::Value> = r.keys.into_iter().map(|k| json!(k)).collect();
                v.push(json!(r.count));
                v.push(json!(r.fatalities));
                v.push(json!(r.goldstein_mean.map(|g| (g * 100.0).round() / 100.0)));
                v
            })
            .collect(),
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The contract events (one JSON object per line) with num_mentions, num_sources,
    /// num_articles.
    Jsonl,
    /// GDELT 2.0 event table: 61 tab-separated columns, those we cannot fill left empty.
    Gdelt,
    /// ACLED's CSV columns (events with an ACLED type only).
    Acled,
    /// PLOVER JSON records, one per line.
    Plover,
    /// Parquet files partitioned by month (`-o DIR`: `DIR/month=YYYY-MM/part-0.parquet`).
    Parquet,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The store: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    pub db: String,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Write here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run_export(args: ExportArgs) -> Result<u8> {
    if args.format == ExportFormat::Parquet {
        return run_export_parquet(args);
    }
    let mut store = open(&args.db)?;
    let filter = args.filters.filter()?;
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::new(
            File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let format = args.format;
    match format {
        ExportFormat::Gdelt => {}
        ExportFormat::Acled => {
            writeln!(out, "{}", crate::export::ACLED_COLUMNS.join(","))?;
        }
        _ => {}
    }
    let mut n = 0u64;
    let mut io_err: Option<io::Error> = None;
    store
        .export(&filter, &mut |e| {
            let r = match format {
                ExportFormat::Jsonl => serde_json::to_writer(&mut out, e)
                    .map_err(io::Error::other)
                    .and_then(|_| out.write_all(b"\n")),
                ExportFormat::Gdelt => crate::export::gdelt(e, &mut out),
                ExportFormat::Acled => crate::export::acled(e, &mut out),
                ExportFormat::Plover => crate::export::plover(e, &mut out),
                ExportFormat::Parquet => Ok(()),
            };
            match r {
                Ok(()) => {
                    n += 1;
                    Ok(())
                }
                Err(err) => {
                    let msg = err.to_string();
                    io_err = Some(err);
                    Err(dyad_store::StoreError::Sink(msg))
                }
            }
        })
        .map_err(|e| match io_err.take() {
            Some(io) => anyhow::Error::new(io),
            None => anyhow::Error::new(e),
        })
        .context("exporting")?;
    out.flush()?;
    let _ = n;
    Ok(0)
}

/// `dyad export --format parquet -o DIR`: month partitions under DIR.
fn run_export_parquet(args: ExportArgs) -> Result<u8> {
    let Some(dir) = &args.output else {
        bail!("--format parquet writes a directory of month partitions: give it with -o DIR");
    };
    let filter = args.filters.filter()?;
    let mut store = open(&args.db)?;
    let mut writer = crate::parquet_export::MonthWriter::create(dir)?;
    let mut failure: Option<anyhow::Error> = None;
    store
        .export(&filter, &mut |e| {
            writer.push(e).map_err(|err| {
                let msg = format!("{err:#}");
                failure = Some(err);
                dyad_store::StoreError::Sink(msg)
            })
        })
        .map_err(|e| match failure.take() {
            Some(f) => f,
            None => anyhow::Error::new(e),
        })
        .context("exporting")?;
    let files = writer.finish()?;
    let rows: u64 = files.iter().map(|(_, n)| n).sum();
    eprintln!(
        "dyad export: {rows} events in {} month partition(s) under {}",
        files.len(),
        dir.display()
    );
    Ok(0)
}
