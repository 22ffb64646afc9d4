// The HTTP API's wire forms (lambdas/api/src/dto.rs): snake_case, amounts as decimal strings.
import type { LoanTermsInput, LoanTermsWire, Position } from 'loansyncro';

export type Decimal = string;
export type LoanStatus = 'active' | 'paid' | 'defaulted';

export interface LoanDto {
  id: string;
  title: string;
  description: string;
  amount: Decimal;
  interest_rate: Decimal;
  term_months: number;
  start_date: string;
  monthly_payment: Decimal;
  total_amount: Decimal;
  total_interest: Decimal;
  status: LoanStatus;
  currency: string;
  version: number;
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: string | null;
  created_at: string;
  updated_at: string;
  terms: LoanTermsWire;
}

export interface LoanPage {
  items: LoanDto[];
  next_cursor: string | null;
}

/** Body of POST /loans and PUT /loans/{id}. */
export interface LoanInput {
  title: string;
  amount: string;
  interest_rate: string;
  term_months: number;
  start_date: string;
  description?: string;
  terms?: Partial<Omit<LoanTermsInput, 'principal' | 'annual_rate_percent' | 'installments' | 'start'>>;
}

export interface RepaymentDto {
  id: string;
  loan_id: string;
  amount: Decimal;
  date: string;
  notes: string;
  idempotency_key: string | null;
  created_at: string;
}

export interface RepaymentInput {
  loan_id: string;
  amount: string;
  date: string;
  notes?: string;
}

export interface StatusChange {
  from: LoanStatus;
  to: LoanStatus;
  reason: { kind: string };
}

export interface RepaymentOutcome {
  repayment: RepaymentDto;
  loan: LoanDto;
  position: Position;
  transition: StatusChange | null;
}

export interface LedgerOutcome {
  loan: LoanDto;
  position: Position;
  transition: StatusChange | null;
}

export interface RepaymentGroup {
  loan_id: string;
  title: string;
  currency: string;
  status: LoanStatus;
  principal: Decimal;
  total_repaid: Decimal;
  repayment_count: number;
  last_payment_date: string | null;
  remaining_balance: Decimal;
  progress: Decimal;
  repayments: RepaymentDto[];
}

export interface CurrencySummary {
  currency: string;
  counts: { active: number; paid: number; defaulted: number };
  total_borrowed: Decimal;
  total_repaid: Decimal;
  principal_repaid: Decimal;
  interest_paid: Decimal;
  principal_outstanding: Decimal;
  outstanding_payoff: Decimal;
  remaining_scheduled: Decimal;
  amount_due: Decimal;
  repayment_count: number;
}

export interface Summary {
  currencies: CurrencySummary[];
}

export interface MeDto {
  id: string;
  email: string | null;
  full_name: string | null;
}
