-- The Customers module: sorting by organization, search by word prefix, and the audit log.

-- Organization in lower case, the key of the "Organization" sort (written by the server).
ALTER TABLE customers ADD COLUMN organization_key TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE customers SET organization_key = lower(organization);

-- Keyset pagination: each sort and status filter walks one index and stops after a page.
DROP INDEX customers_by_reseller;
CREATE INDEX customers_by_created ON customers (reseller_id, created_at, id);
CREATE INDEX customers_by_status_created ON customers (reseller_id, status, created_at, id);
CREATE INDEX customers_by_organization ON customers (reseller_id, organization_key, id);
CREATE INDEX customers_by_status_organization ON customers (reseller_id, status, organization_key, id);

-- Every lower-case word of a customer's organization, contact name and e-mail (and the whole
-- e-mail and its domain). A search word matches the terms it is a prefix of: one index range.
-- Each term carries the customer's sort keys and status, so a search filters, orders and stops
-- after a page inside this table, and reads only that page's customers.
CREATE TABLE customer_search_terms (
    reseller_id      TEXT NOT NULL,
    term             TEXT COLLATE "C" NOT NULL,
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    created_at       BIGINT NOT NULL,
    organization_key TEXT COLLATE "C" NOT NULL,
    status           TEXT NOT NULL,
    PRIMARY KEY (reseller_id, term, customer_id)
);
CREATE INDEX customer_search_terms_by_customer ON customer_search_terms (customer_id, term);

-- A status change reaches the search terms whatever made it.
CREATE FUNCTION customer_status_to_search_terms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE customer_search_terms SET status = NEW.status WHERE customer_id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER customer_status_to_search_terms AFTER UPDATE OF status ON customers
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION customer_status_to_search_terms();

-- Who changed what, when: before and after as JSON objects of the changed fields.
CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT NOT NULL REFERENCES resellers (id),
    customer_id TEXT REFERENCES customers (id),
    actor_id    TEXT,
    actor_label TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX audit_events_by_reseller ON audit_events (reseller_id, at);
CREATE INDEX audit_events_by_customer ON audit_events (customer_id, at);

-- A contact e-mail belongs to one customer of a reseller: it is where that customer's notices go.
CREATE UNIQUE INDEX customers_by_contact_email ON customers (reseller_id, contact_email);
