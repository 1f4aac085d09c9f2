-- End customers signed into the widget. The widget keeps the token in the iframe's memory and
-- session storage and sends it as a bearer token; only its SHA-256 is stored here.
CREATE TABLE widget_sessions (
    token_hash       TEXT PRIMARY KEY,
    customer_user_id TEXT NOT NULL REFERENCES customer_users (id),
    reseller_id      TEXT NOT NULL REFERENCES resellers (id),
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL
);

CREATE INDEX widget_sessions_by_user ON widget_sessions (customer_user_id);

-- Failed attempts counted per key (an IP address, or an IP address and an account) in fixed
-- windows, so limits hold across every server process on one database.
CREATE TABLE throttle_windows (
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
