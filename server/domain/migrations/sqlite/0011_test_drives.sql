-- The Test Drives catalog: time-boxed trials a reseller publishes in its widget. Retired entries
-- stay for the record (and for instances launched from them) but are no longer offered.
CREATE TABLE test_drives (
    id               TEXT PRIMARY KEY,
    reseller_id      TEXT NOT NULL REFERENCES resellers (id),
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL CHECK (duration_minutes BETWEEN 15 AND 10080),
    launch_limit     BIGINT NOT NULL CHECK (launch_limit BETWEEN 1 AND 100),
    provider_id      TEXT NOT NULL REFERENCES cloud_providers (id),
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    retired_at       BIGINT
);

CREATE INDEX test_drives_by_reseller ON test_drives (reseller_id, created_at);
