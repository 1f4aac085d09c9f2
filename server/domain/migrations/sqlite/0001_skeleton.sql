-- Resellers, their portal users and widget keys, and the customers they onboard.
-- Ids are text, timestamps integer milliseconds since the Unix epoch, enums checked text.

CREATE TABLE resellers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    license_url TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE reseller_users (
    id            TEXT PRIMARY KEY,
    reseller_id   TEXT NOT NULL REFERENCES resellers (id),
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE widget_keys (
    id              TEXT PRIMARY KEY,
    reseller_id     TEXT NOT NULL REFERENCES resellers (id),
    publishable_key TEXT NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    revoked_at      BIGINT
);

CREATE TABLE widget_key_origins (
    widget_key_id TEXT NOT NULL REFERENCES widget_keys (id),
    origin        TEXT NOT NULL,
    PRIMARY KEY (widget_key_id, origin)
);

CREATE TABLE customers (
    id             TEXT PRIMARY KEY,
    reseller_id    TEXT NOT NULL REFERENCES resellers (id),
    organization   TEXT NOT NULL,
    contact_name   TEXT NOT NULL,
    contact_title  TEXT,
    contact_email  TEXT NOT NULL,
    contact_phone  TEXT NOT NULL,
    street_address TEXT,
    suite          TEXT,
    city           TEXT,
    state          TEXT,
    zip            TEXT,
    country        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending_approval', 'active', 'rejected', 'suspended')),
    source         TEXT NOT NULL CHECK (source IN ('widget_signup', 'portal')),
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE INDEX customers_by_reseller ON customers (reseller_id, created_at);

CREATE TABLE customer_users (
    id            TEXT PRIMARY KEY,
    reseller_id   TEXT NOT NULL REFERENCES resellers (id),
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'user')),
    password_hash TEXT,
    created_at    BIGINT NOT NULL,
    UNIQUE (reseller_id, email)
);

-- Portal sessions: only a SHA-256 of the cookie's random token is stored.
CREATE TABLE portal_sessions (
    token_hash       TEXT PRIMARY KEY,
    reseller_user_id TEXT NOT NULL REFERENCES reseller_users (id) ON DELETE CASCADE,
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL
);

-- The first response to a creating POST, replayed when the same Idempotency-Key comes again.
CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    status_code   BIGINT NOT NULL,
    response_body TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
