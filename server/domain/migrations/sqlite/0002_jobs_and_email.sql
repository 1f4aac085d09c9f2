-- Work to do after a commit (e-mails now; cloud calls later), written in the same transaction
-- as the change that needs it, and run by any server process that holds its lease.
CREATE TABLE jobs (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    run_at       BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    locked_by    TEXT,
    locked_until BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL,
    finished_at  BIGINT
);

CREATE INDEX jobs_due ON jobs (status, run_at);

-- One-time links sent by e-mail; only a SHA-256 of the token is kept.
CREATE TABLE email_tokens (
    token_hash       TEXT PRIMARY KEY,
    purpose          TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    customer_user_id TEXT NOT NULL REFERENCES customer_users (id),
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT
);

ALTER TABLE customer_users ADD COLUMN email_verified_at BIGINT;

-- How a reseller's widget signs people up.
CREATE TABLE reseller_signup_options (
    reseller_id                TEXT PRIMARY KEY REFERENCES resellers (id),
    require_email_verification BIGINT NOT NULL CHECK (require_email_verification IN (0, 1)),
    require_address            BIGINT NOT NULL CHECK (require_address IN (0, 1)),
    require_license_acceptance BIGINT NOT NULL CHECK (require_license_acceptance IN (0, 1)),
    auto_approve               BIGINT NOT NULL CHECK (auto_approve IN (0, 1)),
    approved_domains           TEXT NOT NULL,
    review_domains             TEXT NOT NULL,
    custom_text                TEXT NOT NULL,
    updated_at                 BIGINT NOT NULL
);
