-- The people of the portal beyond the first reseller users: the platform's own staff, the
-- invitations that bring anyone in, and password-reset links. Sign-in is by e-mail, so an
-- address belongs to one portal user, reseller or platform (checked when an invitation is made
-- and accepted).

CREATE TABLE platform_users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('platform_admin', 'cloud_support')),
    password_hash TEXT NOT NULL,
    disabled_at   BIGINT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

CREATE TABLE platform_sessions (
    token_hash       TEXT PRIMARY KEY,
    platform_user_id TEXT NOT NULL REFERENCES platform_users (id) ON DELETE CASCADE,
    created_at       BIGINT NOT NULL,
    last_seen_at     BIGINT NOT NULL
);

ALTER TABLE reseller_users ADD COLUMN disabled_at BIGINT;
ALTER TABLE reseller_users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX reseller_users_by_reseller ON reseller_users (reseller_id);

-- An invitation to a reseller's team (reseller_id set) or to the platform's staff (NULL). The
-- person chooses a password when accepting; until then there is no user row. Resending replaces
-- the token, so only the newest link works.
CREATE TABLE portal_invitations (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    reseller_id TEXT REFERENCES resellers (id),
    email       TEXT NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'agent', 'platform_admin', 'cloud_support')),
    invited_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT,
    revoked_at  BIGINT,
    CHECK ((reseller_id IS NULL) = (role IN ('platform_admin', 'cloud_support')))
);

CREATE INDEX portal_invitations_by_reseller ON portal_invitations (reseller_id);
CREATE INDEX portal_invitations_by_email ON portal_invitations (email);

-- One-time links to choose a new portal password; only a SHA-256 of the token is kept.
CREATE TABLE portal_password_resets (
    token_hash TEXT PRIMARY KEY,
    user_kind  TEXT NOT NULL CHECK (user_kind IN ('reseller', 'platform')),
    user_id    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE INDEX portal_password_resets_by_user ON portal_password_resets (user_id);
