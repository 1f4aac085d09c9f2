-- The day of the next month on which each of the reseller's months closes by itself; NULL: only
-- by hand.
ALTER TABLE resellers ADD COLUMN auto_close_day INTEGER CHECK (auto_close_day BETWEEN 1 AND 28);
