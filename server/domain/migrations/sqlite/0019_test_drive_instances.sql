-- Test drives customers launched from the widget. The state moves Launching → Running →
-- Stopped / Expired / Failed; the jobs table holds the launch and the expiry (at expires_at), so
-- an instance ends on time even across a restart of the platform.
CREATE TABLE test_drive_instances (
    id            TEXT PRIMARY KEY,
    test_drive_id TEXT NOT NULL REFERENCES test_drives (id),
    reseller_id   TEXT NOT NULL REFERENCES resellers (id),
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    launched_by   TEXT NOT NULL REFERENCES customer_users (id),
    state         TEXT NOT NULL CHECK (state IN ('launching', 'running', 'stopped', 'expired', 'failed')),
    failure       TEXT,
    launched_at   BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    ended_at      BIGINT
);
CREATE INDEX test_drive_instances_by_customer ON test_drive_instances (customer_id, state);

-- The simulated cloud's sandboxes, one per instance (its id): launching twice finds the first,
-- and an ended one stays ended, so a launch retried after a stop cannot bring it back.
CREATE TABLE simulated_sandboxes (
    instance_id TEXT PRIMARY KEY,
    drive       TEXT NOT NULL,
    ready_at    BIGINT NOT NULL,
    ended_at    BIGINT
);
