import * as wasm from 'loansyncro';
import { describe, expect, it } from 'vitest';
import { ApiError, parseApiError } from '../api/client';
import type { LoanDto } from '../api/types';
import { checkForm, emptyForm, errorsFrom, fieldMessage, formField, formFromLoan, hasMoreOptions, looksLikeParserText, toLoanInput, type LoanForm } from './loanForm';
import { computePreview } from './preview';
import { checkRepayment, repaymentErrors } from './repayment';
import { whatIfFor } from './whatif';

const good: LoanForm = { ...emptyForm('2025-01-01'), title: 'House', amount: '250,000', interest_rate: '6.5', term_months: '360' };

describe('loan form checks', () => {
  it('accepts a complete form and builds the API body', () => {
    expect(checkForm(good)).toEqual({});
    expect(toLoanInput(good)).toEqual({ title: 'House', amount: '250000', interest_rate: '6.5', term_months: 360, start_date: '2025-01-01', description: '' });
  });
  it('names each bad field in words', () => {
    const e = checkForm({ ...good, title: ' ', amount: 'abc', interest_rate: '-1', term_months: '12.5', start_date: '2025-02-30' });
    expect(e).toEqual({
      title: 'Enter a title.',
      amount: 'Enter an amount such as 25000 or 25000.50.',
      interest_rate: 'The rate cannot be negative.',
      term_months: 'Enter a whole number of payments, such as 360.',
      start_date: 'Enter a date as YYYY-MM-DD.',
    });
    expect(checkForm({ ...good, amount: '0' }).amount).toBe('The amount must be greater than zero.');
    expect(checkForm({ ...good, term_months: '0' }).term_months).toBe('There must be at least one payment.');
  });
  it('sends the richer terms only when they differ from the defaults', () => {
    const f = { ...good, currency: 'EUR', method: 'equal_principal', rate_changes: [{ effective: '2030-01-01', rate: '7.25' }] };
    expect(checkForm(f)).toEqual({});
    expect(toLoanInput(f).terms).toEqual({ currency: 'EUR', method: 'equal_principal', rate_changes: [{ effective: '2030-01-01', annual_rate: '0.0725' }] });
    expect(checkForm({ ...f, rate_changes: [{ effective: '2024-01-01', rate: 'x' }] })).toEqual({
      'rate_changes.0.effective': 'The change must start after the loan does.',
      'rate_changes.0.rate': 'Enter the new rate in percent.',
    });
  });
  it('reads a loan back into the form', () => {
    const dto = {
      title: 'Car', amount: '9000', interest_rate: '4.9', term_months: 48, start_date: '2025-03-01', description: 'd', currency: 'EUR',
      terms: { frequency: 'monthly', day_count: 'actual/365F', method: 'equal_installments', rate_changes: [{ effective: '2026-03-01', annual_rate: '0.055' }] },
    } as unknown as LoanDto;
    const f = formFromLoan(dto);
    expect(f).toMatchObject({ title: 'Car', amount: '9000', term_months: '48', currency: 'EUR', day_count: 'actual/365F', rate_changes: [{ effective: '2026-03-01', rate: '5.5' }] });
    expect(hasMoreOptions(f)).toBe(true);
    expect(hasMoreOptions(good)).toBe(false);
  });
});

describe('errors next to their field, in words', () => {
  it('maps wire and core field names to the form', () => {
    expect(formField('amount')).toBe('amount');
    expect(formField('principal')).toBe('amount');
    expect(formField('installments')).toBe('term_months');
    expect(formField('terms.rate_changes[1].effective')).toBe('rate_changes.1.effective');
    expect(formField('rate_changes[0].annual_rate')).toBe('rate_changes.0.rate');
    expect(formField('terms.currency')).toBe('currency');
    expect(formField('body')).toBe('form');
    expect(formField(null)).toBe('form');
  });
  it('never shows parser text', () => {
    const raw = 'invalid type: string "abc", expected a decimal at line 1 column 12';
    expect(looksLikeParserText(raw)).toBe(true);
    expect(fieldMessage('amount', raw)).toBe('Enter an amount such as 25000 or 25000.50.');
    expect(fieldMessage('term_months', 'invalid value: integer `-1`, expected u32')).toBe('Enter a whole number of payments, such as 360.');
    expect(fieldMessage('amount', 'must be greater than zero')).toBe('Must be greater than zero.');
  });
  it('turns an API error body into a field error', () => {
    const e = parseApiError(400, { error: { code: 'validation', message: 'must be at most 200 characters', field: 'title' } });
    expect(e).toBeInstanceOf(ApiError);
    expect(errorsFrom(e.field, e.message)).toEqual({ title: 'Must be at most 200 characters.' });
    const raw = parseApiError(400, { error: { code: 'validation', message: 'invalid type: string "x", expected u32', field: 'term_months' } });
    expect(errorsFrom(raw.field, raw.message)).toEqual({ term_months: 'Enter a whole number of payments, such as 360.' });
    expect(parseApiError(502, 'Bad gateway').message).toBe('The server answered 502.');
  });
});

describe('repayments', () => {
  it('checks amount and date', () => {
    expect(checkRepayment({ amount: '', date: '2025-01-01', notes: '' })).toEqual({ amount: 'Enter the amount paid.' });
    expect(checkRepayment({ amount: '-5', date: '', notes: '' })).toEqual({ amount: 'The amount must be greater than zero.', date: 'Enter the payment date.' });
    expect(checkRepayment({ amount: '5', date: '2024-12-31', notes: '' }, '2025-01-01')).toEqual({ date: 'The payment cannot be before the loan starts.' });
    expect(checkRepayment({ amount: '5.001', date: '2025-01-01', notes: '' }, undefined, 'USD')).toEqual({ amount: 'Use at most 2 decimal places.' });
    expect(checkRepayment({ amount: '5.5', date: '2025-01-01', notes: '' }, undefined, 'JPY')).toEqual({ amount: 'Use a whole amount (no decimals).' });
    expect(checkRepayment({ amount: '5.50', date: '2025-01-01', notes: '' }, undefined, 'USD')).toEqual({});
  });
  it('explains an overpayment with the payoff', () => {
    const e = new ApiError(422, 'overpayment', 'the amount exceeds the payoff amount 1027.32 on 2025-02-01', 'amount', '1027.32');
    expect(repaymentErrors(e, 'USD')).toEqual({ amount: 'This is more than the $1,027.32 needed to pay the loan off on that date.' });
    expect(repaymentErrors(new ApiError(400, 'validation', 'must be greater than zero', 'amount'), 'USD')).toEqual({ amount: 'Must be greater than zero.' });
  });
});

describe('WASM preview and what-if', () => {
  it('computes the payment as the user types', () => {
    const p = computePreview(wasm, good, checkForm(good));
    expect(p.kind).toBe('ok');
    if (p.kind === 'ok') {
      expect(p.schedule.regular_payment).toBe('1580.17');
      expect(p.schedule.totals.interest).toBe('318861.58');
      expect(p.schedule.installments.length).toBe(360);
    }
  });
  it('shows no stale result while a value is incomplete', () => {
    const f = { ...good, amount: '25x' };
    expect(computePreview(wasm, f, checkForm(f))).toEqual({ kind: 'none' });
    expect(computePreview(null, good, {})).toEqual({ kind: 'none' });
  });
  it('puts a core validation error on its field', () => {
    const f = { ...good, rate_changes: [{ effective: '2030-01-01', rate: '150' }] };
    expect(computePreview(wasm, f, checkForm(f))).toEqual({ kind: 'error', errors: { 'rate_changes.0.rate': 'Must be at most 100% a year.' } });
    const g = { ...good, term_months: '1201' };
    expect(checkForm(g).term_months).toBe('Use at most 1200 payments.');
  });
  it('computes the savings of an extra monthly payment', () => {
    const loan = { currency: 'USD', terms: { principal: '250000', annual_rate_percent: '6.5', installments: 360, start: '2025-01-01' } } as unknown as LoanDto;
    expect(whatIfFor(wasm, loan, '200')).toEqual({ kind: 'ok', months: 95, interest: '97618.44', currency: 'USD' });
    expect(whatIfFor(wasm, loan, '')).toEqual({ kind: 'none' });
    expect(whatIfFor(wasm, loan, 'abc')).toEqual({ kind: 'error', message: 'Enter an amount such as 100 or 150.50.' });
    expect(whatIfFor(wasm, loan, '0')).toEqual({ kind: 'error', message: 'The extra payment must be greater than zero.' });
  });
});
