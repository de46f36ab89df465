//! The SQLite backend: a file, WAL mode, one connection.

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};

use crate::sql::{values_sql, Conn, Param, Row, Value};
use crate::{Result, StoreError};

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            // As in PostgreSQL, which cannot hold NUL in text: U+FFFD.
            Value::Text(s) if s.contains('\0') => {
                ToSqlOutput::Owned(rusqlite::types::Value::Text(s.replace('\0', "\u{fffd}")))
            }
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            // `Conn::binds_arrays` is false here: the engine never binds one.
            Value::Ints(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    "SQLite does not bind arrays".into(),
                ))
            }
        })
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match *self {
            Param::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Param::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(i)),
            Param::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(f)),
            // As in PostgreSQL, which cannot hold NUL in text: U+FFFD.
            Param::Text(s) if s.contains('\0') => {
                ToSqlOutput::Owned(rusqlite::types::Value::Text(s.replace('\0', "\u{fffd}")))
            }
            Param::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Param::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

pub struct SqliteConn {
    conn: Connection,
    /// Whether [`Conn::for_ingest`] has set the ingest page cache.
    ingesting: bool,
}

/// The page cache of a connection that ingests, in KiB (see [`Conn::for_ingest`]).
pub(crate) const INGEST_CACHE_KIB: i64 = 512 * 1024;

impl SqliteConn {
    pub fn open(path: &str) -> Result<SqliteConn> {
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            target: path.to_string(),
            message: e.to_string(),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        configure(&conn)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteConn {
            conn,
            ingesting: false,
        })
    }
}

/// The store's pragmas, for every SQLite connection that writes (the store's own, and the
/// floor benchmark's).
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // WAL with synchronous=NORMAL: a committed transaction survives the process being
    // killed (the WAL is in the OS's hands); only a power cut may lose the last commits.
    // 16 KiB pages for a new file (an existing one keeps its size): a mention row, about
    // 1.1 KB with its JSON, fills a 4 KiB page to three rows and 84%, a 16 KiB page to 98%;
    // and commits and checkpoints handle a quarter as many pages. Set before WAL, which
    // fixes the page size once the file has one.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // Fewer, larger checkpoints while ingesting.
    conn.pragma_update(None, "wal_autocheckpoint", 16384)?;
    Ok(())
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

impl Conn for SqliteConn {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        self.query_each(sql, params, &mut |r| {
            out.push(r.clone());
            Ok(())
        })?;
        Ok(out)
    }

    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(r) = rows.next()? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(value_of(r.get_ref(i)?));
            }
            f(&Row(row))?;
        }
        Ok(())
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// A page cache of up to 512 MiB on the connection that ingests (SQLite takes the
    /// memory as pages are read, so a small store uses little; other connections, such as
    /// those of `dyad serve`, keep 64 MiB). A batch's transaction keeps its dirty index pages
    /// here until the commit, and the random-key index pages of a store of millions of events
    /// stay read: a million events ingested 1.2–1.5 times as fast as with 64 MiB, with the
    /// larger batches of [`crate::INGEST_BATCH_ARTICLES`] (BENCHMARKS.md).
    fn for_ingest(&mut self) -> Result<()> {
        if !self.ingesting {
            self.conn
                .pragma_update(None, "cache_size", -INGEST_CACHE_KIB)?;
            self.ingesting = true;
        }
        Ok(())
    }

    fn adapt_ddl(&self, sql: &str) -> String {
        sql.replace("/*sqlite: WITHOUT ROWID*/", "WITHOUT ROWID")
    }

    fn begin_sql(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    /// One prepared single-row statement run once a row: a multi-row insert into a table
    /// with constraints makes SQLite keep a statement journal (a copy of every page it
    /// touches, in case a later row fails), and a statement is cheap to run again here.
    fn insert_rows(
        &mut self,
        head: &str,
        width: usize,
        rows: &[Param<'_>],
        tail: &str,
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let sql = values_sql(head, width, 1, tail);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        for row in rows.chunks_exact(width) {
            stmt.execute(rusqlite::params_from_iter(row.iter()))?;
        }
        Ok(())
    }
}
