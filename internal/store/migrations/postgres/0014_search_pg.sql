-- Search over a large desk on PostgreSQL (issue #6; docs/kb.md, "The index and its maintenance";
-- docs/benchmarks.md, Search).
--
-- The planner chooses, for each search, between walking the documents back from the newest and
-- reading the GIN index; it needs to know how common the query's words are. With the default
-- statistics target (100) ANALYZE keeps the frequency of about 1,000 lexemes, and takes any
-- other word for one found in 1 % of the documents — at a million tickets, a word found in 500
-- documents was walked for through the whole table (over a second). A target of 1,000 keeps
-- 10,000 lexemes, so that the long tail is known to be rare.
ALTER TABLE search_docs ALTER COLUMN tsv SET STATISTICS 1000;
ALTER TABLE search_docs ALTER COLUMN title_tsv SET STATISTICS 1000;

-- Walks back from the newest document read the table's rows, wide ones (about 2 KB: the body's
-- vectors). The title candidates of a common word are found by such a walk; with the title's
-- vector in the index, it reads the index alone (an index-only scan), not the table.
CREATE INDEX search_docs_ticket_title_id ON search_docs (id) INCLUDE (title_tsv) WHERE kind = 'ticket';

-- A customer's search walks their own ticket documents only, newest first (without this index
-- it walked everyone's, twenty times as many with twenty customers, or read every match of the
-- word): a ticket document's scope is its customer or nothing (an internal note), so scope[1]
-- is the customer. The title and the scope in the index make the title walk index-only too.
CREATE INDEX search_docs_ticket_customer ON search_docs ((scope[1]), id) INCLUDE (title_tsv, scope) WHERE kind = 'ticket';

ANALYZE search_docs;
