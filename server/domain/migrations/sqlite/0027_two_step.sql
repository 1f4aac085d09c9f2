-- Two-step sign-in to the portal. One row per portal user (a reseller user's or a platform user's
-- id) who has added an authenticator app, or is adding one (enabled_at still NULL): the app's key
-- in base32, and the last 30-second step whose code was accepted, so no code is accepted twice.
CREATE TABLE two_step_keys (
    user_id    TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    last_step  INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    enabled_at INTEGER
);

-- One-time recovery codes, stored as SHA-256 hashes (each holds 80 random bits).
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- A sign-in whose password was right and whose second step is awaited: the browser holds the
-- token (in a cookie of its own) for ten minutes and five wrong codes.
CREATE TABLE sign_in_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    user_kind  TEXT NOT NULL CHECK (user_kind IN ('reseller', 'platform')),
    failures   INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges (user_id);

-- When the reseller's admin made two-step sign-in required for the whole team; NULL: each member
-- chooses.
ALTER TABLE resellers ADD COLUMN two_step_required_at INTEGER;
