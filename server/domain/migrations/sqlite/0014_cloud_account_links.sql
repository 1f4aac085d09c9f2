-- Linking an existing AWS account (the guide's Part 3): the account's id and root e-mail, the
-- ExternalId the platform generated for this account alone, and the role ARN with the result of
-- its last check. Rows are versioned: every change is conditional on the version read.
ALTER TABLE cloud_accounts ADD COLUMN account_number TEXT NOT NULL DEFAULT '';
ALTER TABLE cloud_accounts ADD COLUMN root_email TEXT NOT NULL DEFAULT '';
ALTER TABLE cloud_accounts ADD COLUMN external_id TEXT NOT NULL DEFAULT '';
ALTER TABLE cloud_accounts ADD COLUMN role_arn TEXT;
ALTER TABLE cloud_accounts ADD COLUMN role_check TEXT NOT NULL DEFAULT 'not_checked'
    CHECK (role_check IN ('not_checked', 'valid', 'invalid'));
ALTER TABLE cloud_accounts ADD COLUMN role_check_reason TEXT;
ALTER TABLE cloud_accounts ADD COLUMN role_checked_at BIGINT;
ALTER TABLE cloud_accounts ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
-- An AWS account is one cloud account of a reseller.
CREATE UNIQUE INDEX cloud_accounts_by_number ON cloud_accounts (reseller_id, provider_id, account_number);
