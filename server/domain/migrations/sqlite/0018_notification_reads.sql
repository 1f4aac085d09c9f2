-- How far each portal user has read their team's notifications: the time of the newest one they
-- marked read. One row per user, so "Mark all as read" is one write however many there are.
-- The user is a reseller's or the platform's (two tables), hence no foreign key.
CREATE TABLE notification_reads (
    user_id    TEXT PRIMARY KEY,
    read_until BIGINT NOT NULL
);
