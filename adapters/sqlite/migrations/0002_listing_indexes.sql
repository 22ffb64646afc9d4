-- Schema version 2: indexes for the reads of the ports (an owner's loans in listing order,
-- a loan's and an owner's repayments, users by e-mail).

CREATE INDEX loans_by_owner ON loans (owner, created_at, id);
CREATE INDEX repayments_by_loan ON repayments (loan_id, date);
CREATE INDEX repayments_by_owner ON repayments (owner);
CREATE INDEX users_by_email ON users (email, created_at);
