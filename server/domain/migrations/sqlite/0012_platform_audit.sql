-- The platform's own changes (its staff, the resellers it creates) join the audit log with no
-- reseller: SQLite cannot drop a NOT NULL in place, so the table is rebuilt with its rows.
CREATE TABLE audit_events_new (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT REFERENCES resellers (id),
    customer_id TEXT REFERENCES customers (id),
    actor_id    TEXT,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    at          BIGINT NOT NULL
);
INSERT INTO audit_events_new (id, reseller_id, customer_id, actor_id, actor_label, action, before_json, after_json, at)
    SELECT id, reseller_id, customer_id, actor_id, actor_label, action, before_json, after_json, at FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_new RENAME TO audit_events;
CREATE INDEX audit_events_by_reseller ON audit_events (reseller_id, at);
CREATE INDEX audit_events_by_customer ON audit_events (customer_id, at);
