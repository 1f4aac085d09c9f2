-- Support plans (the guide: "Charges and Discounts - Support Plans: add AWS Business Level
-- Support"): each provider's plans as data, with the rule that prices them, and the plan each
-- customer has. A rule is a minimum monthly fee and the share of the month's cloud charges taken
-- in tiers: "up_to_cents:basis_points" pairs, comma-separated, the last one without a bound.
CREATE TABLE support_plans (
    id            TEXT PRIMARY KEY,
    provider_id   TEXT NOT NULL REFERENCES cloud_providers (id),
    name          TEXT NOT NULL,
    minimum_cents BIGINT NOT NULL CHECK (minimum_cents >= 0),
    tiers         TEXT NOT NULL,
    position      BIGINT NOT NULL
);
-- AWS's published prices: Business is the greater of $100 or 10% of the first $10K of monthly
-- charges, 7% of the next $70K, 5% of the next $170K and 3% above $250K; Enterprise the greater
-- of $15K or 10% up to $150K, 7% to $500K, 5% to $1M, 3% above.
INSERT INTO support_plans (id, provider_id, name, minimum_cents, tiers, position) VALUES
    ('aws-basic', 'aws', 'AWS Basic Support', 0, ':0', 1),
    ('aws-developer', 'aws', 'AWS Developer Support', 2900, ':300', 2),
    ('aws-business', 'aws', 'AWS Business Level Support', 10000, '1000000:1000,8000000:700,25000000:500,:300', 3),
    ('aws-enterprise-on-ramp', 'aws', 'AWS Enterprise On-Ramp Support', 550000, ':1000', 4),
    ('aws-enterprise', 'aws', 'AWS Enterprise Support', 1500000, '15000000:1000,50000000:700,100000000:500,:300', 5);

CREATE TABLE customer_support_plans (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    provider_id TEXT NOT NULL REFERENCES cloud_providers (id),
    plan_id     TEXT NOT NULL REFERENCES support_plans (id),
    chosen_at   BIGINT NOT NULL,
    PRIMARY KEY (customer_id, provider_id)
);
