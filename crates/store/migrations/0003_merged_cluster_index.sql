-- dyad event store, schema version 3: the cluster index holds merged mentions only.
--
-- Most mentions are events of their own: their `cluster` is their own `key`, and the
-- representative of a merged event is found by its key too. So the index on `cluster` needs
-- only the mentions whose cluster is another mention's key (about one in ten), and each new
-- singleton mention is one random-key index insert fewer. A cluster's members are the
-- mention whose key and cluster are both the cluster's key, and this index's rows for it.
DROP INDEX mentions_cluster;
CREATE INDEX mentions_merged ON mentions (cluster) WHERE cluster <> key;
