-- Charges and discounts: the rules that set what each customer pays on top of (or off) their
-- cloud usage. Amounts are integer minor units of the rule's currency; a percent is an exact
-- decimal as text; tiers are "up_to:value" pairs (a value is a percent such as "10%" or an amount
-- in minor units), comma-separated, ascending, the last without a bound. A rule that ended is
-- kept (removed_at): bills of past months still name it.
CREATE TABLE charge_rules (
    id            TEXT PRIMARY KEY,
    reseller_id   TEXT NOT NULL REFERENCES resellers (id),
    customer_id   TEXT NOT NULL REFERENCES customers (id),
    kind          TEXT NOT NULL CHECK (kind IN ('charge', 'discount')),
    calculation   TEXT NOT NULL CHECK (calculation IN ('fixed', 'percent', 'tiered')),
    amount_minor  BIGINT,
    percent       TEXT,
    tiers         TEXT,
    minimum_minor BIGINT,
    maximum_minor BIGINT,
    currency      TEXT NOT NULL,
    base          TEXT NOT NULL CHECK (base IN ('customer_cost', 'seller_cost')),
    recurrence    TEXT NOT NULL CHECK (recurrence IN ('one_time', 'monthly')),
    start_month   TEXT NOT NULL,
    end_month     TEXT,
    description   TEXT NOT NULL,
    -- A support plan's rule: the template it was made from, for the provider it is the plan of.
    template_id   TEXT REFERENCES support_plans (id),
    provider_id   TEXT REFERENCES cloud_providers (id),
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    removed_at    BIGINT
);
CREATE INDEX charge_rules_by_customer ON charge_rules (customer_id, removed_at);
-- One support plan per provider and customer.
CREATE UNIQUE INDEX charge_rules_one_support_plan ON charge_rules (customer_id, provider_id)
    WHERE template_id IS NOT NULL AND removed_at IS NULL;

-- The cloud accounts a rule applies to; a rule without any applies to the customer as a whole.
CREATE TABLE charge_rule_accounts (
    rule_id    TEXT NOT NULL REFERENCES charge_rules (id),
    account_id TEXT NOT NULL REFERENCES cloud_accounts (id),
    PRIMARY KEY (rule_id, account_id)
);

-- Support plans are the templates of charge rules: their tiers in the rules' form, in US dollars.
ALTER TABLE support_plans ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
UPDATE support_plans SET tiers = ':0%' WHERE id = 'aws-basic';
UPDATE support_plans SET tiers = ':3%' WHERE id = 'aws-developer';
UPDATE support_plans SET tiers = '1000000:10%,8000000:7%,25000000:5%,:3%' WHERE id = 'aws-business';
UPDATE support_plans SET tiers = ':10%' WHERE id = 'aws-enterprise-on-ramp';
UPDATE support_plans SET tiers = '15000000:10%,50000000:7%,100000000:5%,:3%' WHERE id = 'aws-enterprise';

-- The support plans customers chose become their rules, from the month they were chosen.
INSERT INTO charge_rules (id, reseller_id, customer_id, kind, calculation, tiers, minimum_minor, currency, base,
    recurrence, start_month, description, template_id, provider_id, created_at, updated_at)
SELECT 'chr_' || c.id || '_' || p.provider_id, c.reseller_id, c.id, 'charge', 'tiered', s.tiers, s.minimum_cents,
    s.currency, 'customer_cost', 'monthly', to_char(to_timestamp(p.chosen_at / 1000) AT TIME ZONE 'UTC', 'YYYY-MM'), s.name, s.id, p.provider_id, p.chosen_at, p.chosen_at
FROM customer_support_plans p JOIN customers c ON c.id = p.customer_id JOIN support_plans s ON s.id = p.plan_id;
DROP TABLE customer_support_plans;
