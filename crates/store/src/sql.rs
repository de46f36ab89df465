//! What the two backends share: values, rows, the connection interface and the statement
//! builder for filters. Statements are written once with `?` placeholders; the PostgreSQL
//! connection numbers them (`$1`, `$2`, ...).

use crate::{EventFilter, GroupKey, Result, StoreError};

/// A value bound to a statement or read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    /// A BLOB (PostgreSQL: `bytea`): a mention's JSON, packed ([`crate::packed`]) or as it is.
    Bytes(Vec<u8>),
    /// An array of integers, bound only where [`Conn::binds_arrays`].
    Ints(Vec<i64>),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }
    pub fn opt_text(s: Option<&str>) -> Value {
        s.map_or(Value::Null, |s| Value::Text(s.to_string()))
    }
    pub fn opt_int(i: Option<i64>) -> Value {
        i.map_or(Value::Null, Value::Int)
    }
    pub fn opt_real(f: Option<f64>) -> Value {
        f.map_or(Value::Null, Value::Real)
    }
}

/// A value bound to an insert ([`Conn::insert_rows`]): as [`Value`], but text is borrowed
/// from the rows being written instead of copied into a `String` of its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Param<'a> {
    pub fn opt_text(s: Option<&'a str>) -> Param<'a> {
        s.map_or(Param::Null, Param::Text)
    }
    pub fn opt_int(i: Option<i64>) -> Param<'a> {
        i.map_or(Param::Null, Param::Int)
    }
    pub fn opt_real(f: Option<f64>) -> Param<'a> {
        f.map_or(Param::Null, Param::Real)
    }
}

/// One result row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn get(&self, i: usize) -> Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("row has no column {i}")))
    }
    pub fn str(&self, i: usize) -> Result<String> {
        match self.get(i)? {
            Value::Text(s) => Ok(s.clone()),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected text, found {other:?}"
            ))),
        }
    }
    pub fn opt_str(&self, i: usize) -> Result<Option<String>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected text, found {other:?}"
            ))),
        }
    }
    /// A contract JSON column: text, or bytes packed or as they are ([`crate::packed`]);
    /// `what` names the row in an error.
    pub fn json(&self, i: usize, what: &dyn std::fmt::Display) -> Result<String> {
        match self.get(i)? {
            Value::Text(s) => Ok(s.clone()),
            Value::Bytes(b) => crate::packed::unpack(b, &what.to_string()),
            other => Err(StoreError::Corrupt(format!(
                "{what}: column {i}: expected JSON, found {other:?}"
            ))),
        }
    }
    pub fn int(&self, i: usize) -> Result<i64> {
        self.opt_int(i)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {i}: unexpected null")))
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(*n)),
            Value::Real(f) => Ok(Some(*f as i64)),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected integer, found {other:?}"
            ))),
        }
    }
    pub fn opt_real(&self, i: usize) -> Result<Option<f64>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(*n as f64)),
            Value::Real(f) => Ok(Some(*f)),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected number, found {other:?}"
            ))),
        }
    }
}

/// A connection, as the shared store logic needs it.
pub trait Conn: Send {
    fn backend(&self) -> &'static str;
    /// Run one statement; returns the rows changed.
    fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64>;
    /// Run one query.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;
    /// Run one query, row by row.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&Row) -> Result<()>,
    ) -> Result<()>;
    /// Run several statements without parameters (migrations, BEGIN, COMMIT).
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Ready the connection for ingesting, before each batch: nothing by default.
    fn for_ingest(&mut self) -> Result<()> {
        Ok(())
    }
    /// A migration's DDL for this backend: `/*sqlite: X*/` comments are X on SQLite,
    /// `/*pg: X*/` comments X on PostgreSQL.
    fn adapt_ddl(&self, sql: &str) -> String {
        sql.to_string()
    }
    /// Whether the backend binds [`Value::Ints`] (PostgreSQL: `bigint[]`).
    fn binds_arrays(&self) -> bool {
        false
    }
    /// The statement that starts a write transaction.
    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }
    /// Insert `rows` (flattened, `width` values a row) with `head VALUES (...) tail`, as the
    /// backend does it best (PostgreSQL: multi-row statements, one round trip each; SQLite:
    /// one cached single-row statement run once a row).
    fn insert_rows(
        &mut self,
        head: &str,
        width: usize,
        rows: &[Param<'_>],
        tail: &str,
    ) -> Result<()>;
}

/// Row-chunk sizes for multi-row statements: a few sizes, so few distinct statements are
/// prepared and cached.
pub(crate) fn chunks(n: usize, big: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for size in [big, big / 8, 1] {
        let size = size.max(1);
        while n - at >= size {
            out.push((at, size));
            at += size;
        }
    }
    out
}

/// `(?, ?, ...)` with `n` placeholders.
pub(crate) fn placeholders(n: usize) -> String {
    let mut out = String::with_capacity(3 * n + 2);
    out.push('(');
    for i in 0..n {
        out.push_str(if i == 0 { "?" } else { ", ?" });
    }
    out.push(')');
    out
}

/// `head VALUES (?, ...), (?, ...) tail`: `rows` rows of `width` placeholders.
pub(crate) fn values_sql(head: &str, width: usize, rows: usize, tail: &str) -> String {
    let row = placeholders(width);
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * (row.len() + 2) + 8);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&row);
    }
    sql.push_str(tail);
    sql
}

/// A statement under construction with its bound parameters.
#[derive(Default)]
pub struct Query {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Query {
    pub fn new(sql: &str) -> Query {
        Query {
            sql: sql.to_string(),
            params: Vec::new(),
        }
    }
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }
    /// Append `sql`, which holds one `?`, bound to `v`.
    pub fn bind(&mut self, sql: &str, v: Value) -> &mut Self {
        self.sql.push_str(sql);
        self.params.push(v);
        self
    }
}

/// Escape `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` prefix match.
pub(crate) fn like_prefix(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Append ` AND ...` conditions on the `events` table (alias `e`) for the filter.
pub fn push_filter(q: &mut Query, f: &EventFilter) -> Result<()> {
    f.validate()?;
    if let Some(d) = &f.date_from {
        let day = crate::merge::parse_date(d).unwrap_or(i64::MIN);
        q.bind(" AND e.day >= ?", Value::Int(day));
    }
    if let Some(d) = &f.date_to {
        let day = crate::merge::parse_date(d).unwrap_or(i64::MAX);
        q.bind(" AND e.day <= ?", Value::Int(day));
    }
    let prefix = |q: &mut Query, col: &str, v: &Option<String>| {
        if let Some(v) = v {
            q.bind(
                &format!(" AND {col} LIKE ? ESCAPE '\\'"),
                Value::Text(like_prefix(&v.trim().to_uppercase())),
            );
        }
    };
    prefix(q, "e.cameo_code", &f.cameo);
    prefix(q, "e.source_code", &f.source);
    prefix(q, "e.target_code", &f.target);
    let upper = |q: &mut Query, col: &str, v: &Option<String>| {
        if let Some(v) = v {
            q.bind(
                &format!(" AND UPPER({col}) = ?"),
                Value::Text(v.trim().to_uppercase()),
            );
        }
    };
    upper(q, "e.plover_type", &f.plover_type);
    upper(q, "e.acled_type", &f.acled_type);
    if let Some(v) = &f.source_country {
        q.bind(
            " AND e.source_country = ?",
            Value::text(v.trim().to_uppercase()),
        );
    }
    if let Some(v) = &f.target_country {
        q.bind(
            " AND e.target_country = ?",
            Value::text(v.trim().to_uppercase()),
        );
    }
    if let Some(v) = &f.country {
        q.bind(" AND e.country = ?", Value::text(v.trim().to_uppercase()));
    }
    if let Some(v) = &f.admin1 {
        q.bind(" AND e.admin1 = ?", Value::text(v.trim()));
    }
    if let Some(c) = f.quad_class {
        q.bind(" AND e.quad_class = ?", Value::Int(c as i64));
    }
    if let Some([x0, y0, x1, y1]) = f.bbox {
        q.bind(" AND e.lon >= ?", Value::Real(x0));
        q.bind(" AND e.lat >= ?", Value::Real(y0));
        q.bind(" AND e.lon <= ?", Value::Real(x1));
        q.bind(" AND e.lat <= ?", Value::Real(y1));
    }
    if let Some(a) = &f.article {
        q.bind(
            " AND EXISTS (SELECT 1 FROM mentions m WHERE m.cluster = e.key AND m.article_id = ?)",
            Value::text(a.as_str()),
        );
    }
    Ok(())
}

/// The column expression a group key reads, on `events e`.
pub fn group_column(k: GroupKey) -> &'static str {
    match k {
        GroupKey::Day => "e.day",
        GroupKey::Week => "e.week",
        GroupKey::Month => "e.month",
        GroupKey::Country => "e.country",
        GroupKey::Admin1 => "e.admin1",
        GroupKey::Dyad => "e.dyad",
        GroupKey::Root => "e.root",
        GroupKey::Type => "e.plover_type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_bound_never_spliced() {
        let f = EventFilter {
            source: Some("USA'; DROP TABLE events; --".into()),
            cameo: Some("19%".into()),
            country: Some("irq".into()),
            ..EventFilter::default()
        };
        let mut q = Query::new("SELECT 1 FROM events e WHERE 1=1");
        push_filter(&mut q, &f).unwrap();
        assert!(!q.sql.contains("DROP"));
        assert!(!q.sql.contains("19"));
        assert_eq!(q.sql.matches('?').count(), q.params.len());
        assert!(q.params.contains(&Value::text("19\\%%")));
        assert!(q.params.contains(&Value::text("IRQ")));
    }
}
