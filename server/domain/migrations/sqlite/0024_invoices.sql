-- Closing a month: invoices numbered per reseller without gaps, immutable once written.

-- The next invoice number of each reseller, taken in the transaction that writes the invoice, so
-- a number is used exactly when its invoice exists.
ALTER TABLE resellers ADD COLUMN next_invoice_number INTEGER NOT NULL DEFAULT 1;

-- A reseller's month being closed, or closed. The primary key makes two closes of one month one.
CREATE TABLE month_closes (
    reseller_id  TEXT NOT NULL REFERENCES resellers (id),
    month        TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('closing', 'closed')),
    actor_label  TEXT NOT NULL,
    customers    INTEGER NOT NULL DEFAULT 0,
    invoices     INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    finished_at  INTEGER,
    PRIMARY KEY (reseller_id, month)
);

-- An invoice: one customer's bill for a closed month in one currency, as it was reckoned then.
-- Nothing updates an invoice; the customer's name and address are copied as they were.
CREATE TABLE invoices (
    id             TEXT PRIMARY KEY,
    reseller_id    TEXT NOT NULL REFERENCES resellers (id),
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    month          TEXT NOT NULL,
    currency       TEXT NOT NULL,
    number         INTEGER NOT NULL,
    subtotal_minor INTEGER NOT NULL,
    tax_minor      INTEGER NOT NULL,
    credits_minor  INTEGER NOT NULL,
    total_minor    INTEGER NOT NULL CHECK (total_minor >= 0),
    notes          TEXT NOT NULL,
    bill_to        TEXT NOT NULL,
    contact_email  TEXT NOT NULL,
    issued_at      INTEGER NOT NULL,
    UNIQUE (reseller_id, number),
    UNIQUE (customer_id, month, currency)
);
CREATE INDEX invoices_by_reseller ON invoices (reseller_id, month);

CREATE TABLE invoice_lines (
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    description  TEXT NOT NULL,
    source       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- What invoices drew from each credit grant: the ledger's uses, written with the invoice.
CREATE TABLE credit_uses (
    credit_id    TEXT NOT NULL REFERENCES credits (id),
    invoice_id   TEXT NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    PRIMARY KEY (credit_id, invoice_id)
);
