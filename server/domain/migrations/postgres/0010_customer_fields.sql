-- Customer fields: each reseller's own fields on its customers, and the customers' values.
-- A retired field keeps its values but is no longer shown or asked for.
CREATE TABLE customer_field_definitions (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT NOT NULL REFERENCES resellers (id),
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'yes_no', 'choice')),
    required    BIGINT NOT NULL CHECK (required IN (0, 1)),
    choices     TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT
);

CREATE INDEX customer_field_definitions_by_reseller ON customer_field_definitions (reseller_id, created_at);

CREATE TABLE customer_field_values (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    field_id    TEXT NOT NULL REFERENCES customer_field_definitions (id),
    value       TEXT NOT NULL,
    PRIMARY KEY (customer_id, field_id)
);
