-- Cloud usage imported from the providers' reports (AWS Cost and Usage Reports, FOCUS 1.0).

-- One row per report read: uploaded in the portal, or picked up from the drop folder. A reseller's
-- import matches only its own cloud accounts; the platform's (no reseller) matches every
-- reseller's. `drop_key` names a dropped file (name, size, modification time) so that it is
-- picked up once, by one server.
CREATE TABLE usage_imports (
    id             TEXT PRIMARY KEY,
    reseller_id    TEXT REFERENCES resellers (id),
    source         TEXT NOT NULL CHECK (source IN ('upload', 'drop')),
    drop_key       TEXT UNIQUE,
    file_name      TEXT NOT NULL,
    stored_path    TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    format         TEXT CHECK (format IN ('cur', 'focus')),
    status         TEXT NOT NULL CHECK (status IN ('queued', 'importing', 'done', 'failed')),
    bytes_total    BIGINT NOT NULL,
    bytes_done     BIGINT NOT NULL DEFAULT 0,
    rows_read      BIGINT NOT NULL DEFAULT 0,
    rows_matched   BIGINT NOT NULL DEFAULT 0,
    rows_unmatched BIGINT NOT NULL DEFAULT 0,
    periods        TEXT NOT NULL DEFAULT '',
    error          TEXT,
    actor_label    TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT
);
CREATE INDEX usage_imports_by_reseller ON usage_imports (reseller_id, created_at);

-- A cloud account's usage in a month, summed per service, category and currency. Costs are exact
-- decimals as text, in the currency's major units, as the report wrote them. The last import of
-- an account's month replaces all of that month's lines, so a corrected report replaces and the
-- same report again changes nothing.
CREATE TABLE usage_lines (
    cloud_account_id TEXT NOT NULL REFERENCES cloud_accounts (id),
    period           TEXT NOT NULL,
    service          TEXT NOT NULL,
    category         TEXT NOT NULL CHECK (category IN ('usage', 'purchase', 'tax', 'credit', 'adjustment')),
    currency         TEXT NOT NULL,
    reseller_id      TEXT NOT NULL REFERENCES resellers (id),
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    import_id        TEXT NOT NULL REFERENCES usage_imports (id),
    row_count        BIGINT NOT NULL,
    customer_cost    TEXT NOT NULL,
    seller_cost      TEXT NOT NULL,
    PRIMARY KEY (cloud_account_id, period, service, category, currency)
);
CREATE INDEX usage_lines_by_customer ON usage_lines (customer_id, period);

-- Rows of an import that no linked cloud account claims: counted and listed, never dropped.
CREATE TABLE usage_unmatched (
    import_id   TEXT NOT NULL REFERENCES usage_imports (id),
    provider    TEXT NOT NULL,
    account     TEXT NOT NULL,
    period      TEXT NOT NULL,
    currency    TEXT NOT NULL,
    row_count   BIGINT NOT NULL,
    seller_cost TEXT NOT NULL,
    reason      TEXT NOT NULL,
    PRIMARY KEY (import_id, provider, account, period, currency)
);
