// The JavaScript face of the optional second module `loansyncro/books` (statement
// reconciliation, statement importers, double-entry postings) over its raw wasm-bindgen module
// (`raw`). It shares the main package's helpers (`main`: errors, input translation, the `dates`
// option), so its errors are the same LoanSyncroError classes and LoanTerms objects are accepted.
//
// This file is not a module by itself: scripts/build-package.mjs wraps it into the CommonJS
// (Node) and ESM (browser/bundler) entry points, which call createBooksApi(raw, main).

/* eslint-disable no-var */
function createBooksApi(raw, main) {
  'use strict';
  const { call, invalid, wire, result, datesOf, modeOf, LoanTerms } = main[Symbol.for('loansyncro.internal')];
  if (raw.coreVersion() !== main.coreVersion()) {
    throw new Error(`loansyncro/books ${raw.coreVersion()} does not match loansyncro ${main.coreVersion()}`);
  }

  /** The terms (LoanTerms or an input object) as the core's JSON wire form. */
  function termsText(terms) {
    if (terms instanceof LoanTerms) return JSON.stringify(terms.toJSON());
    if (terms === null || typeof terms !== 'object' || Array.isArray(terms)) throw invalid('terms', 'expected an object');
    return wire(terms, '');
  }
  /** A JSON document given as text or as the parsed object. */
  function jsonText(field, v) {
    if (typeof v === 'string') return v;
    if (v !== null && typeof v === 'object') return JSON.stringify(v);
    throw invalid(field, `expected a JSON string or an object, got ${v === null ? 'null' : typeof v}`);
  }

  /** Reconciles the lender's statement lines with the terms. */
  function reconcile(terms, lines, options) {
    const dates = modeOf(terms, options);
    const t = termsText(terms);
    if (!Array.isArray(lines)) throw invalid('lines', 'expected an array of statement lines');
    return result(call(() => raw.reconcileStatement(t, wire(lines, 'lines'))), dates);
  }
  /** Statement lines from CSV text with a column mapping. */
  function statementFromCsv(text, mapping, options) {
    const dates = datesOf(options, 'iso');
    if (typeof text !== 'string') throw invalid('text', 'expected the CSV text');
    if (mapping === null || typeof mapping !== 'object' || Array.isArray(mapping)) {
      throw invalid('mapping', "expected an object such as { date: 'Posted', amount: 'Payment' }");
    }
    return result(call(() => raw.statementFromCsv(text, JSON.stringify(mapping))), dates);
  }
  /** Statement lines from an OFX or QFX loan statement. */
  function statementFromOfx(text, options) {
    const dates = datesOf(options, 'iso');
    if (typeof text !== 'string') throw invalid('text', 'expected the OFX/QFX text');
    return result(call(() => raw.statementFromOfx(text)), dates);
  }
  /** Statement lines of a loan account from Plaid's transactions (and liabilities) responses. */
  function statementFromPlaid(transactions, liabilities, accountId, options) {
    const dates = datesOf(options, 'iso');
    const tx = jsonText('transactions', transactions);
    const li = liabilities === undefined || liabilities === null ? undefined : jsonText('liabilities', liabilities);
    const id = accountId === undefined || accountId === null ? undefined : String(accountId);
    return result(call(() => raw.statementFromPlaid(tx, li, id)), dates);
  }

  function postingsArgs(terms, repayments, options, noTerms) {
    const t = noTerms ? '' : termsText(terms);
    if (repayments !== undefined && repayments !== null && !Array.isArray(repayments)) {
      throw invalid('repayments', 'expected an array of {date, amount, fees?, escrow?, memo?}');
    }
    if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
      throw invalid('options', "expected an object such as { format: 'ledger', name: 'Car' }");
    }
    const o = Object.assign({}, options || {});
    delete o.dates;
    return [t, wire(repayments || [], 'repayments'), wire(o, 'options')];
  }
  /** The loan's repayments as a beancount / hledger-ledger / CSV journal (text). */
  function postings(terms, repayments, options) {
    const [t, r, o] = postingsArgs(terms, repayments, options);
    return call(() => raw.postingsOf(t, r, o, true));
  }
  /** The same transactions as objects ({date, kind, pending, payee, narration, postings}). */
  function postingsRecords(terms, repayments, options) {
    const dates = modeOf(terms, options);
    const [t, r, o] = postingsArgs(terms, repayments, options);
    return result(call(() => raw.postingsOf(t, r, o, false)), dates);
  }

  // ------------------------------------------------ real-life events (issue 20 §3)

  // Whole numbers of the events' inputs and of the terms' `renewals` / `opening` (kept as
  // numbers; every other number becomes its decimal string).
  const EVENT_INTEGERS = new Set(['installments', 'amortization_installments', 'term_installments', 'original_installments']);
  const isoDay = (d) => (Number.isNaN(d.getTime()) ? d : d.toISOString().slice(0, 10));
  /** `value` as JSON with decimals as strings, Dates as `YYYY-MM-DD`, whole numbers kept. */
  function eventJson(value) {
    return JSON.stringify(value, function (key, v) {
      const held = this[key];
      if (held instanceof Date) return isoDay(held);
      if (typeof v === 'number' && !EVENT_INTEGERS.has(key)) return Number.isFinite(v) ? String(v) : v;
      if (typeof v === 'bigint') return v.toString();
      return v;
    });
  }
  /** Terms, their `renewals` and `opening` (the events' wire form) passed through as given. */
  function eventTermsText(terms) {
    if (terms instanceof LoanTerms || terms === null || typeof terms !== 'object' || Array.isArray(terms)) return termsText(terms);
    if (terms.renewals === undefined && terms.opening === undefined) return termsText(terms);
    const rest = Object.assign({}, terms);
    const events = { renewals: rest.renewals, opening: rest.opening };
    delete rest.renewals;
    delete rest.opening;
    const t = JSON.parse(termsText(rest));
    if (events.renewals !== undefined) t.renewals = JSON.parse(eventJson(events.renewals));
    if (events.opening !== undefined) t.opening = JSON.parse(eventJson(events.opening));
    return JSON.stringify(t);
  }
  function objectArg(field, v, example) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(field, `expected an object such as ${example}`);
    return eventJson(v);
  }
  function arrayArg(field, v, example) {
    if (v === undefined || v === null) return '[]';
    if (!Array.isArray(v)) throw invalid(field, `expected an array of ${example}`);
    return wire(v, field);
  }
  const terms = (text) => JSON.parse(text);

  /** A loan entered from what the borrower knows today: terms (wire form) starting one period before next_due. */
  function enterFromCurrent(current) {
    const c = objectArg('current', current, "{ balance: '182450.17', annual_rate_percent: '5.25', payment: '1325.00', next_due: '2026-03-01' }");
    return terms(call(() => raw.enterFromCurrent(c)));
  }
  /** The original terms entered mid-term with the lender's balance on a date; the history before is summarized. */
  function enterMidTerm(original, entry) {
    const t = eventTermsText(original);
    const e = objectArg('entry', entry, "{ date: '2024-06-01', balance: '180000.00' }");
    return terms(call(() => raw.enterMidTerm(t, e)));
  }
  /** The terms renewed or refinanced on a date (new rate, amortization and/or term), in one timeline. */
  function renew(loan, renewal) {
    const t = eventTermsText(loan);
    const r = objectArg('renewal', renewal, "{ effective: '2025-01-01', annual_rate_percent: '6', term_installments: 60 }");
    return terms(call(() => raw.renewTerms(t, r)));
  }
  /** The loan's timeline: history, opening, installments, segments (one per term), recasts. */
  function timeline(loan, options) {
    const dates = modeOf(loan, options);
    const t = eventTermsText(loan);
    return result(call(() => raw.timelineOf(t)), dates);
  }
  /** The position on asOf after the repayments and the lender's stated balances, each booked as an adjustment. */
  function correctedPosition(loan, repayments, statements, asOf, options) {
    const dates = modeOf(loan, options);
    const t = eventTermsText(loan);
    const r = arrayArg('repayments', repayments, '{date, amount}');
    const s = arrayArg('statements', statements, '{date, stated_balance}');
    if (asOf === undefined || asOf === null) throw invalid('as_of', 'is required');
    const on = JSON.parse(eventJson([asOf]))[0];
    if (typeof on !== 'string') throw invalid('as_of', 'expected a YYYY-MM-DD string or a Date');
    return result(call(() => raw.correctedPosition(t, r, s, on)), dates);
  }
  /** Monthly vs biweekly vs accelerated biweekly, with the interest and days saved. */
  function compareBiweekly(loan, options) {
    const dates = modeOf(loan, options);
    const t = eventTermsText(loan);
    const o = options || {};
    const dc = o.day_count === undefined || o.day_count === null ? undefined : String(o.day_count);
    return result(call(() => raw.compareBiweekly(t, dc)), dates);
  }
  /** The actual postings with the stated balances booked as adjustment transactions (text). */
  function correctedPostings(loan, repayments, statements, options) {
    const t = eventTermsText(loan);
    const [, r, o] = postingsArgs({}, repayments, options, true);
    const s = arrayArg('statements', statements, '{date, stated_balance}');
    return call(() => raw.correctedPostings(t, r, s, o));
  }

  const api = {
    reconcile, statementFromCsv, statementFromOfx, statementFromPlaid, postings, postingsRecords,
    enterFromCurrent, enterMidTerm, renew, timeline, correctedPosition, compareBiweekly, correctedPostings,
  };
  return api;
}
