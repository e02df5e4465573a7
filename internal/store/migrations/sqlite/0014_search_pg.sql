-- Search over a large desk on PostgreSQL (issue #6): statistics and an index of the PostgreSQL
-- search table. Nothing changes on SQLite, whose search tables are FTS5 (docs/kb.md).
SELECT 1;
