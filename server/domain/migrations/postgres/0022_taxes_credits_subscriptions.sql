-- Taxes, credits and subscriptions: the rest of a customer's commercial settings.

-- The reseller's tax rates. A rate is an exact decimal percent as text ("8.875"); days are
-- "YYYY-MM-DD". Once a customer had a rate (used_at) it is only ever retired (retired_on), so
-- the invoices that printed it can still name it.
CREATE TABLE tax_rates (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT NOT NULL REFERENCES resellers (id),
    name        TEXT NOT NULL,
    country     TEXT NOT NULL,
    region      TEXT,
    postal_code TEXT,
    rate        TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    retired_on  TEXT,
    used_at     BIGINT,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX tax_rates_by_reseller ON tax_rates (reseller_id);

-- A customer's tax profile: its tax id and exemption, and the rates that apply to it.
CREATE TABLE customer_tax_profiles (
    customer_id        TEXT PRIMARY KEY REFERENCES customers (id),
    reseller_id        TEXT NOT NULL REFERENCES resellers (id),
    tax_id             TEXT,
    exemption          TEXT NOT NULL CHECK (exemption IN ('none', 'exempt', 'reverse_charge')),
    certificate_number TEXT,
    certificate_expiry TEXT,
    version            BIGINT NOT NULL DEFAULT 1,
    updated_at         BIGINT NOT NULL
);
CREATE TABLE customer_tax_rates (
    customer_id TEXT NOT NULL REFERENCES customers (id),
    rate_id     TEXT NOT NULL REFERENCES tax_rates (id),
    PRIMARY KEY (customer_id, rate_id)
);

-- The credit ledger, append-only: grants, and reversals that each take one grant back. Amounts
-- are positive integer minor units of the entry's currency.
CREATE TABLE credits (
    id          TEXT PRIMARY KEY,
    reseller_id TEXT NOT NULL REFERENCES resellers (id),
    customer_id TEXT NOT NULL REFERENCES customers (id),
    kind        TEXT NOT NULL CHECK (kind IN ('grant', 'reversal')),
    amount_minor BIGINT NOT NULL CHECK (amount_minor > 0),
    currency    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    expires_on  TEXT,
    comment     TEXT NOT NULL DEFAULT '',
    reverses    TEXT REFERENCES credits (id),
    actor_label TEXT NOT NULL,
    invoice_id  TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX credits_by_customer ON credits (customer_id, created_at);
-- A grant is reversed at most once.
CREATE UNIQUE INDEX credits_one_reversal ON credits (reverses) WHERE reverses IS NOT NULL;

-- The reseller's products. Prices are integer minor units of the product's currency. A product a
-- customer has had (used_at) is retired (retired_on), never deleted.
CREATE TABLE products (
    id              TEXT PRIMARY KEY,
    reseller_id     TEXT NOT NULL REFERENCES resellers (id),
    name            TEXT NOT NULL,
    sku             TEXT NOT NULL,
    unit_price_minor BIGINT NOT NULL CHECK (unit_price_minor >= 0),
    currency        TEXT NOT NULL,
    billing_period  TEXT NOT NULL CHECK (billing_period IN ('monthly', 'annual', 'one_time')),
    term_months     BIGINT,
    retired_on      TEXT,
    used_at         BIGINT,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX products_sku ON products (reseller_id, sku);

-- A customer's subscriptions, at the unit price of the day they were taken.
CREATE TABLE subscriptions (
    id               TEXT PRIMARY KEY,
    reseller_id      TEXT NOT NULL REFERENCES resellers (id),
    customer_id      TEXT NOT NULL REFERENCES customers (id),
    product_id       TEXT NOT NULL REFERENCES products (id),
    quantity         BIGINT NOT NULL CHECK (quantity >= 1),
    unit_price_minor BIGINT NOT NULL,
    currency         TEXT NOT NULL,
    billing_period   TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT,
    auto_renew       BIGINT NOT NULL DEFAULT 0,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'pending_cancel', 'cancelled', 'expired')),
    version          BIGINT NOT NULL DEFAULT 1,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id, created_at);

-- Every version of a subscription, as billing will prorate it: what it was from when.
CREATE TABLE subscription_versions (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    version         BIGINT NOT NULL,
    step            TEXT NOT NULL,
    status          TEXT NOT NULL,
    quantity        BIGINT NOT NULL,
    end_date        TEXT,
    auto_renew      BIGINT NOT NULL,
    actor_label     TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, version)
);
