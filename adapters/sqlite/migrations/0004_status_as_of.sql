-- Schema version 4: status as of a date. The loan's days past due as of `position_as_of` and
-- the owner's explicit status (declared defaulted, or cured), kept until another explicit
-- action or the loan closing. Files of version 3 get 0 and no owner status; a loan stored
-- defaulted without one keeps its status (the service treats it as the owner's).

ALTER TABLE loans ADD COLUMN days_past_due INTEGER NOT NULL DEFAULT 0 CHECK (days_past_due >= 0);
ALTER TABLE loans ADD COLUMN owner_status TEXT
    CHECK (owner_status IS NULL OR owner_status IN ('active', 'paid', 'defaulted'));
