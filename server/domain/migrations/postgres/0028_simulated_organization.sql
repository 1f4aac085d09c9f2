-- The accounts the simulated cloud's AWS Organizations held before the platform invited or
-- created any (a distributor's organization is rarely empty). Only the simulated gateway reads
-- this table; the demo seeds it. ListAccounts answers with these, the accounts it created and the
-- accounts that accepted its invitations.
CREATE TABLE simulated_organization_accounts (
    account_number TEXT PRIMARY KEY,
    email          TEXT NOT NULL,
    account_name   TEXT NOT NULL,
    joined_at      BIGINT NOT NULL
);
