-- The link lifecycle (the guide's Parts 3–5): where each cloud account's link stands, the
-- AWS Organizations handshake of its last invitation, and every step taken, by whom and when.
ALTER TABLE cloud_accounts ADD COLUMN link_state TEXT NOT NULL DEFAULT 'added'
    CHECK (link_state IN ('added', 'requested', 'more_info', 'rejected', 'approved', 'invited', 'linked',
                          'declined', 'expired', 'canceled', 'unlink_requested', 'unlinked'));
ALTER TABLE cloud_accounts ADD COLUMN handshake_id TEXT;
ALTER TABLE cloud_accounts ADD COLUMN invitation_expires_at BIGINT;
ALTER TABLE cloud_accounts ADD COLUMN link_changed_at BIGINT NOT NULL DEFAULT 0;
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
