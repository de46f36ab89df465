-- dyad event store, schema version 4: an event's row is found by (day, key).
--
-- An event's key is its representative mention's, and so is its day (the date as a day
-- number): the store reads the day from that mention (its `day_lo` for a date of day
-- precision, else its JSON) and finds the row through `events_day (day, key)`, which
-- listing newest first needs anyway. The unique index on the key alone goes: one insert
-- at a random place fewer for every event stored, and its pages no longer written by
-- every commit.
DROP INDEX events_key;
