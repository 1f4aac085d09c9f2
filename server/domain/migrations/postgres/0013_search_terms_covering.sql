-- A search reads thousands of terms (a common word begins that many) and needs each one's
-- customer, sort keys and status: with those in the index itself, PostgreSQL answers from the
-- index alone (an index-only scan) instead of visiting a table page per term. SQLite's table is
-- already stored in key order (WITHOUT ROWID), so it has no counterpart to this migration.
ALTER TABLE customer_search_terms
    DROP CONSTRAINT customer_search_terms_pkey,
    ADD PRIMARY KEY (reseller_id, term, customer_id) INCLUDE (created_at, organization_key, status);
