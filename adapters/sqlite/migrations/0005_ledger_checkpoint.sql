-- Schema version 5: the ledger checkpoint and the row's layout version. `ledger_checkpoint` is
-- the replay state of the loan's ledger after its repayments (the core's versioned
-- `LedgerCheckpoint` text): a repayment dated on or after the latest one updates the position
-- from it without reading the repayments; NULL means the next write replays and stores one.
-- `schema_version` is the layout the row was written with: from 2 on, the terms were validated
-- when the row was written and are not validated again on read; rows of earlier files read 1
-- and are validated on read.

ALTER TABLE loans ADD COLUMN ledger_checkpoint TEXT;
ALTER TABLE loans ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1 CHECK (schema_version >= 1);
