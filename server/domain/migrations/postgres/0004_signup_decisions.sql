-- Who approved or rejected a signup, when, and why (a rejection's reason is mailed to the contact).
ALTER TABLE customers ADD COLUMN decided_at BIGINT;
ALTER TABLE customers ADD COLUMN decided_by TEXT;
ALTER TABLE customers ADD COLUMN decision_reason TEXT;
