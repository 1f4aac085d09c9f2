-- The portal's notifications: what the platform told a reseller's team (or, without a reseller,
-- the platform's Cloud Support), written in the same transaction as the change it is about and
-- listed on the Notifications page beside the e-mail sent for it.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT REFERENCES resellers (id),
    at          BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- Where in the portal to act on it.
    link        TEXT NOT NULL
);
CREATE INDEX notifications_by_reseller ON notifications (reseller_id, at);
