-- Schema version 1: the entities, their keys and the uniqueness rules of the ports.
-- Money is decimal TEXT (the exact string of rust_decimal, scale kept: "1000.50"),
-- dates are ISO TEXT (YYYY-MM-DD), instants RFC 3339 UTC TEXT with 9 fraction digits
-- (fixed width, so text order is time order).

CREATE TABLE users (
    id          TEXT PRIMARY KEY NOT NULL,
    email       TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE loans (
    id                     TEXT PRIMARY KEY NOT NULL,
    owner                  TEXT NOT NULL,
    title                  TEXT NOT NULL,
    -- title.to_lowercase() (Unicode, computed by the adapter): the search column.
    title_folded           TEXT NOT NULL,
    description            TEXT NOT NULL,
    -- LoanTerms as JSON (decimals as strings).
    terms                  TEXT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('active', 'paid', 'defaulted')),
    -- Optimistic concurrency: every write is `UPDATE ... WHERE version = expected`.
    version                INTEGER NOT NULL CHECK (version >= 0),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    total_repaid           TEXT NOT NULL,
    repayment_count        INTEGER NOT NULL CHECK (repayment_count >= 0),
    last_payment_date      TEXT,
    position_as_of         TEXT,
    principal_paid         TEXT NOT NULL,
    interest_paid          TEXT NOT NULL,
    principal_outstanding  TEXT NOT NULL,
    amount_due             TEXT NOT NULL,
    payoff_amount          TEXT NOT NULL,
    remaining_scheduled    TEXT NOT NULL
) STRICT;

CREATE TABLE repayments (
    id               TEXT PRIMARY KEY NOT NULL,
    loan_id          TEXT NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
    owner            TEXT NOT NULL,
    amount           TEXT NOT NULL,
    date             TEXT NOT NULL,
    notes            TEXT NOT NULL,
    idempotency_key  TEXT,
    created_at       TEXT NOT NULL
) STRICT;

-- An idempotency key is unique per loan (NULL keys never collide).
CREATE UNIQUE INDEX repayments_idempotency ON repayments (loan_id, idempotency_key);
