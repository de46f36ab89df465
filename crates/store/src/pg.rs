//! The PostgreSQL backend: the `postgres` crate (tokio-postgres behind a blocking API).

use std::collections::HashMap;
use std::error::Error;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::sql::{chunks, values_sql, Conn, Param, Row, Value};
use crate::{Result, StoreError};

fn pg_err(e: postgres::Error) -> StoreError {
    // The server's message (with its detail) says more than the client's summary.
    match e.as_db_error() {
        Some(db) => StoreError::Postgres(format!("{}: {}", db.code().code(), db.message())),
        None => StoreError::Postgres(e.to_string()),
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            // PostgreSQL text cannot hold NUL; both backends store it as U+FFFD.
            Value::Text(s) if s.contains('\0') => s.replace('\0', "\u{fffd}").to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
            Value::Ints(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn Error + Sync + Send>> {
        match *self {
            Param::Null => Value::Null.to_sql(ty, out),
            Param::Int(i) => Value::Int(i).to_sql(ty, out),
            Param::Real(f) => Value::Real(f).to_sql(ty, out),
            // PostgreSQL text cannot hold NUL; both backends store it as U+FFFD.
            Param::Text(s) if s.contains('\0') => s.replace('\0', "\u{fffd}").to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl PgConn {
    pub fn open(url: &str) -> Result<PgConn> {
        let mut client = Client::connect(url, NoTls).map_err(|e| StoreError::Open {
            target: redact(url),
            message: e.to_string(),
        })?;
        client
            // Plan every execution with its parameters: a generic plan cached while a table
            // was small (a sequential scan) would otherwise stay in use as it grows.
            .batch_execute(
                "SET client_min_messages = warning; SET plan_cache_mode = force_custom_plan",
            )
            .map_err(pg_err)?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
        })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let numbered = number_placeholders(sql);
        let stmt = self.client.prepare(&numbered).map_err(pg_err)?;
        self.statements.insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..s + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// `?` placeholders to `$1`, `$2`, ...; text in single quotes is left alone.
fn number_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

fn row_of(r: &postgres::Row) -> Result<Row> {
    let mut out = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let ty = col.type_();
        let v = match *ty {
            Type::INT8 => r.try_get::<_, Option<i64>>(i).map(Value::opt_int),
            Type::INT4 => r
                .try_get::<_, Option<i32>>(i)
                .map(|v| Value::opt_int(v.map(i64::from))),
            Type::INT2 => r
                .try_get::<_, Option<i16>>(i)
                .map(|v| Value::opt_int(v.map(i64::from))),
            Type::FLOAT8 => r.try_get::<_, Option<f64>>(i).map(Value::opt_real),
            Type::FLOAT4 => r
                .try_get::<_, Option<f32>>(i)
                .map(|v| Value::opt_real(v.map(f64::from))),
            Type::BYTEA => r
                .try_get::<_, Option<Vec<u8>>>(i)
                .map(|v| v.map_or(Value::Null, Value::Bytes)),
            Type::BOOL => r
                .try_get::<_, Option<bool>>(i)
                .map(|v| Value::opt_int(v.map(i64::from))),
            _ => r
                .try_get::<_, Option<String>>(i)
                .map(|v| v.map_or(Value::Null, Value::Text)),
        };
        out.push(v.map_err(pg_err)?);
    }
    Ok(Row(out))
}

fn params(p: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    p.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Conn for PgConn {
    fn backend(&self) -> &'static str {
        "postgresql"
    }

    fn adapt_ddl(&self, sql: &str) -> String {
        uncomment_pg(sql)
    }

    fn binds_arrays(&self) -> bool {
        true
    }

    fn exec(&mut self, sql: &str, p: &[Value]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        self.client.execute(&stmt, &params(p)).map_err(pg_err)
    }

    fn query(&mut self, sql: &str, p: &[Value]) -> Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let rows = self.client.query(&stmt, &params(p)).map_err(pg_err)?;
        rows.iter().map(row_of).collect()
    }

    fn query_each(
        &mut self,
        sql: &str,
        p: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator;
        let stmt = self.statement(sql)?;
        let mut it = self
            .client
            .query_raw(&stmt, p.iter().map(|v| v as &dyn ToSql))
            .map_err(pg_err)?;
        while let Some(r) = it.next().map_err(pg_err)? {
            f(&row_of(&r)?)?;
        }
        Ok(())
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(pg_err)
    }

    /// Plain inserts of [`COPY_FROM`] rows or more go through binary `COPY`: one stream, no
    /// statement for the server to parse and plan. Others (and upserts, which `COPY` cannot
    /// do) are multi-row statements of up to 64 rows, one round trip each.
    fn insert_rows(
        &mut self,
        head: &str,
        width: usize,
        rows: &[Param<'_>],
        tail: &str,
    ) -> Result<()> {
        let n = rows.len() / width;
        if n >= COPY_FROM && tail.is_empty() {
            if let Some(copy) = copy_sql(head) {
                return self.copy_rows(head, &copy, width, rows);
            }
        }
        for (at, size) in chunks(n, 64) {
            let stmt = self.statement(&values_sql(head, width, size, tail))?;
            let part = &rows[at * width..(at + size) * width];
            let p: Vec<&(dyn ToSql + Sync)> =
                part.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            self.client.execute(&stmt, &p).map_err(pg_err)?;
        }
        Ok(())
    }
}

/// From this many rows on, [`PgConn::insert_rows`] copies them in.
const COPY_FROM: usize = 16;

/// `INSERT INTO t (a, b)` as `COPY t (a, b) FROM STDIN (FORMAT binary)`.
fn copy_sql(head: &str) -> Option<String> {
    let target = head.trim().strip_prefix("INSERT INTO ")?;
    Some(format!("COPY {target} FROM STDIN (FORMAT binary)"))
}

impl PgConn {
    /// Binary `COPY` of `rows` (`width` values a row), the column types taken from the
    /// one-row `INSERT` statement `head` makes, as the server prepared it.
    fn copy_rows(
        &mut self,
        head: &str,
        copy: &str,
        width: usize,
        rows: &[Param<'_>],
    ) -> Result<()> {
        let types = self
            .statement(&values_sql(head, width, 1, ""))?
            .params()
            .to_vec();
        let writer = self.client.copy_in(copy).map_err(pg_err)?;
        let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(writer, &types);
        let mut row: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(width);
        for part in rows.chunks_exact(width) {
            row.clear();
            row.extend(part.iter().map(|v| v as &(dyn ToSql + Sync)));
            writer.write(&row).map_err(pg_err)?;
        }
        writer.finish().map_err(pg_err)?;
        Ok(())
    }
}

/// A migration's DDL on PostgreSQL: `/*pg: X*/` comments are X.
fn uncomment_pg(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find("/*pg:") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 5..];
        match body.find("*/") {
            Some(end) => {
                out.push_str(body[..end].trim());
                rest = &body[end + 2..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pg_comments_are_uncommented() {
        assert_eq!(
            super::uncomment_pg(
                "CREATE INDEX i ON t (day /*pg: DESC NULLS LAST*/, key) /*sqlite: X*/"
            ),
            "CREATE INDEX i ON t (day DESC NULLS LAST, key) /*sqlite: X*/"
        );
        assert_eq!(super::uncomment_pg("a /*pg: b"), "a /*pg: b");
    }

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            super::number_placeholders("a = ? AND b LIKE ? ESCAPE '\\' AND c = '?' AND d = ?"),
            "a = $1 AND b LIKE $2 ESCAPE '\\' AND c = '?' AND d = $3"
        );
        assert_eq!(
            super::redact("postgres://u:secret@h:5/db"),
            "postgres://u@h:5/db"
        );
    }
}
