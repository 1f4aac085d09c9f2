-- The link lifecycle (the guide's Parts 3–5): where each cloud account's link stands, the
-- AWS Organizations handshake of its last invitation, and every step taken, by whom and when.
ALTER TABLE cloud_accounts ADD COLUMN link_state TEXT NOT NULL DEFAULT 'added'
    CHECK (link_state IN ('added', 'requested', 'more_info', 'rejected', 'approved', 'creating', 'create_failed',
                          'invited', 'linked', 'declined', 'expired', 'canceled', 'unlink_requested', 'unlinked'));
ALTER TABLE cloud_accounts ADD COLUMN handshake_id TEXT;
ALTER TABLE cloud_accounts ADD COLUMN invitation_expires_at BIGINT;
ALTER TABLE cloud_accounts ADD COLUMN link_changed_at BIGINT NOT NULL DEFAULT 0;
-- A new account the platform creates (the guide's Part 5) has no number until AWS made it: its
-- name, the support plan asked for, and the CreateAccount request, written before any retry.
ALTER TABLE cloud_accounts ADD COLUMN kind TEXT NOT NULL DEFAULT 'existing' CHECK (kind IN ('existing', 'new'));
ALTER TABLE cloud_accounts ADD COLUMN account_name TEXT;
ALTER TABLE cloud_accounts ADD COLUMN support_plan_id TEXT;
ALTER TABLE cloud_accounts ADD COLUMN create_request_id TEXT;
DROP INDEX cloud_accounts_by_number;
CREATE UNIQUE INDEX cloud_accounts_by_number ON cloud_accounts (reseller_id, provider_id, account_number)
    WHERE account_number <> '';
-- The Cloud Support console lists accounts by state, oldest request first.
CREATE INDEX cloud_accounts_by_link_state ON cloud_accounts (link_state, link_changed_at);

CREATE TABLE cloud_account_events (
    id          TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES cloud_accounts (id),
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    note        TEXT
);
CREATE INDEX cloud_account_events_by_account ON cloud_account_events (account_id, at);

-- The simulated cloud's AWS Organizations handshakes. Only the simulated gateway uses this
-- table; it stands in for what AWS keeps, so that invitations outlive a restart as they would.
CREATE TABLE simulated_handshakes (
    id             TEXT PRIMARY KEY,
    account_number TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'canceled')),
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL
);
CREATE INDEX simulated_handshakes_by_account ON simulated_handshakes (account_number, state);

-- The simulated cloud's CreateAccount requests: done after the configured delay, failed on
-- demand by the root e-mail (see the simulated gateway).
CREATE TABLE simulated_account_creations (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    account_name   TEXT NOT NULL,
    account_number TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    done_at        BIGINT NOT NULL
);

-- One-time links that give a new account's end user their admin access (never a password by
-- e-mail); only a SHA-256 of the token is kept.
CREATE TABLE cloud_access_links (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES cloud_accounts (id),
    email      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
