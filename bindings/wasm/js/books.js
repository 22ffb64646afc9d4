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

  function postingsArgs(terms, repayments, options) {
    const t = termsText(terms);
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

  const api = { reconcile, statementFromCsv, statementFromOfx, statementFromPlaid, postings, postingsRecords };
  return api;
}
