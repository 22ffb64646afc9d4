-- Schema version 6: recurring repayment plans. A plan belongs to a loan (deleted with it) and
-- its owner; `frequency` is the core's Frequency as JSON ("monthly", {"every_n_days":10}, ...).
-- `next_due` is the earliest occurrence not materialized yet (NULL once the plan has ended);
-- the partial index lists the due plans of every owner in (next_due, id) order. Dates are ISO
-- TEXT (fixed width in the supported range, so text order is date order).

CREATE TABLE recurring_plans (
    id          TEXT PRIMARY KEY NOT NULL,
    owner       TEXT NOT NULL,
    loan_id     TEXT NOT NULL REFERENCES loans (id) ON DELETE CASCADE,
    amount      TEXT NOT NULL,
    frequency   TEXT NOT NULL,
    first_date  TEXT NOT NULL,
    end_date    TEXT,
    created_at  TEXT NOT NULL,
    next_due    TEXT
) STRICT;

CREATE INDEX recurring_plans_by_loan ON recurring_plans (loan_id, owner, created_at, id);
CREATE INDEX recurring_plans_due ON recurring_plans (next_due, id) WHERE next_due IS NOT NULL;
