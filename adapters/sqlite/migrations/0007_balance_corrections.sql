-- Schema version 7: balance corrections. A correction belongs to a loan (deleted with it) and
-- its owner; `amount` is the signed adjustment booked (decimal TEXT), `stated_balance` the
-- lender's balance on `correction_date` (ISO TEXT). An idempotency key is unique per loan.

CREATE TABLE balance_corrections (
    id               TEXT PRIMARY KEY NOT NULL,
    owner            TEXT NOT NULL,
    loan_id          TEXT NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
    correction_date  TEXT NOT NULL,
    stated_balance   TEXT NOT NULL,
    amount           TEXT NOT NULL,
    reason           TEXT NOT NULL,
    idempotency_key  TEXT,
    created_at       TEXT NOT NULL
) STRICT;

CREATE INDEX balance_corrections_by_loan
    ON balance_corrections (loan_id, owner, correction_date, created_at, id);
CREATE UNIQUE INDEX balance_corrections_idempotency
    ON balance_corrections (loan_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
