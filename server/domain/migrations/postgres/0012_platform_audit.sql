-- The platform's own changes (its staff, the resellers it creates) join the audit log with no
-- reseller.
ALTER TABLE audit_events ALTER COLUMN reseller_id DROP NOT NULL;
