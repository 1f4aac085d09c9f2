-- The Users tab: a user can be disabled (kept, but unable to sign in), and changes are versioned.
ALTER TABLE customer_users ADD COLUMN disabled_at BIGINT;
ALTER TABLE customer_users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX customer_users_by_customer ON customer_users (customer_id);
