-- Cloud providers are data: a provider is added by a row, not by a code change.
CREATE TABLE cloud_providers (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position BIGINT NOT NULL
);
INSERT INTO cloud_providers (id, name, position) VALUES
    ('aws', 'Amazon Web Services', 1),
    ('azure', 'Microsoft Azure', 2),
    ('gcp', 'Google Cloud', 3);

-- The providers a reseller enabled for a customer (the Cloud providers tab).
CREATE TABLE customer_cloud_providers (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    provider_id TEXT NOT NULL REFERENCES cloud_providers (id),
    enabled_at  BIGINT NOT NULL,
    PRIMARY KEY (customer_id, provider_id)
);

-- A customer's cloud accounts; the linking workflow adds its own columns. A provider that still
-- has accounts cannot be turned off for the customer.
CREATE TABLE cloud_accounts (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT NOT NULL REFERENCES resellers (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    provider_id TEXT NOT NULL REFERENCES cloud_providers (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX cloud_accounts_by_customer ON cloud_accounts (customer_id, provider_id);

-- The Customer options tab. Yes/no settings are 0 or 1, the same on both databases.
CREATE TABLE customer_options (
    customer_id                TEXT PRIMARY KEY REFERENCES customers (id),
    test_drives_allowed        BIGINT NOT NULL CHECK (test_drives_allowed IN (0, 1)),
    launch_limit_override      BIGINT CHECK (launch_limit_override BETWEEN 1 AND 100),
    may_request_cloud_accounts BIGINT NOT NULL CHECK (may_request_cloud_accounts IN (0, 1)),
    notify_cloud_accounts      BIGINT NOT NULL CHECK (notify_cloud_accounts IN (0, 1)),
    notify_test_drives         BIGINT NOT NULL CHECK (notify_test_drives IN (0, 1)),
    version                    BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
