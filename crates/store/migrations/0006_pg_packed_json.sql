-- dyad event store, schema version 6: PostgreSQL packs mentions' JSON too.
--
-- `mentions.json` becomes BYTEA on PostgreSQL. Its rows keep their JSON, as UTF-8 bytes
-- (which start with `{`); rows written from now on are packed as on SQLite (a format byte,
-- then LZ4 against the fixed dictionary: crates/store/src/packed.rs), and the store reads
-- both. Changing the type rewrites the table once. SQLite, whose column takes a BLOB as it
-- is, changes nothing.
/*pg: ALTER TABLE mentions ALTER COLUMN json TYPE BYTEA USING convert_to(json, 'UTF8')*/
