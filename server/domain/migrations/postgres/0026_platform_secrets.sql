-- Keys the platform makes for itself once, shared by every server on the database: the key that
-- signs the widget's form tokens (when the Signup form was served).
CREATE TABLE platform_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
