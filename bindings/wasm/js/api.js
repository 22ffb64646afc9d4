// The package's JavaScript face over the raw wasm-bindgen module (`raw`). Translation only:
// numbers become decimal strings, objects become the core's JSON wire form, thrown core errors
// become LoanSyncroError subclasses, and schedules arrive as one Float64Array of integer minor
// units that row views read lazily. Every rule and every figure comes from the Rust core.
//
// This file is not a module by itself: scripts/build-package.mjs wraps it into the CommonJS
// (Node) and ESM (browser/bundler) entry points, which call createApi(raw).

/* eslint-disable no-var */
function createApi(raw) {
  'use strict';

  // ---------------------------------------------------------------- errors

  class LoanSyncroError extends Error {
    constructor(data) {
      super(data.message || data.reason || data.code || 'LoanSyncro error');
      this.name = 'LoanSyncroError';
      /** Stable machine-readable code (the core's Error::code()). */
      this.code = data.code || 'internal';
      /** The offending input for validation errors, else null. */
      this.field = data.field === undefined ? null : data.field;
      /** Why, without the field name. */
      this.reason = data.reason !== undefined ? data.reason : (data.message || '');
      /** Everything the core's error carries (ids, amounts, ...). */
      this.details = data;
    }
  }
  function subclass(name) {
    const C = class extends LoanSyncroError {
      constructor(data) {
        super(data);
        this.name = name;
      }
    };
    Object.defineProperty(C, 'name', { value: name });
    return C;
  }
  const ValidationError = subclass('ValidationError');
  const NoSolutionError = subclass('NoSolutionError');
  const OverflowError = subclass('OverflowError');
  const NotFoundError = subclass('NotFoundError');
  const ConflictError = subclass('ConflictError');
  const InvalidTransitionError = subclass('InvalidTransitionError');
  const StorageError = subclass('StorageError');
  const OverpaymentError = class extends LoanSyncroError {
    constructor(data) {
      super(data);
      this.name = 'OverpaymentError';
      this.payoff = data.payoff;
      this.attempted = data.attempted;
      this.date = data.date;
    }
  };
  const BY_CODE = {
    validation: ValidationError,
    no_solution: NoSolutionError,
    overflow: OverflowError,
    not_found: NotFoundError,
    conflict: ConflictError,
    invalid_transition: InvalidTransitionError,
    overpayment: OverpaymentError,
    storage: StorageError,
  };

  function toError(e) {
    if (typeof e === 'string' && e.charAt(0) === '{') {
      let data;
      try {
        data = JSON.parse(e);
      } catch (_) {
        return new LoanSyncroError({ code: 'internal', message: e });
      }
      if (data.code === 'overflow' && data.reason === undefined) data.reason = data.operation;
      if (data.code === 'not_found' && data.reason === undefined) data.reason = data.message;
      if (data.code === 'storage' && data.reason === undefined) data.reason = data.message;
      if (data.code === 'overpayment' && data.reason === undefined) data.reason = data.message;
      const C = BY_CODE[data.code] || LoanSyncroError;
      return new C(data);
    }
    return e;
  }
  function call(f) {
    try {
      return f();
    } catch (e) {
      throw toError(e);
    }
  }
  function invalid(field, reason) {
    return new ValidationError({ code: 'validation', field, reason, message: `invalid ${field}: ${reason}` });
  }

  // ---------------------------------------------------------------- input translation

  /** A decimal input (string or number) as the string the core parses. */
  function dec(field, v) {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(field, `${v} is not a finite number`);
      return String(v);
    }
    if (typeof v === 'bigint') return v.toString();
    throw invalid(field, `expected a decimal string or a number, got ${v === null ? 'null' : typeof v}`);
  }
  function optDec(field, v, dflt) {
    return v === undefined || v === null ? dflt : dec(field, v);
  }

  // The finance functions are the spreadsheet's float-domain functions: a JS number there is
  // read as the exact binary value it holds (as numpy-financial computes with it), e.g. 0.1 is
  // 0.1000000000000000055511151231257827...; decimal strings stay exact decimals. (Amounts in
  // loan terms read numbers by their shortest representation instead: 0.1 is "0.1".)
  const F64 = new DataView(new ArrayBuffer(8));
  function exactNumber(x) {
    if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return String(x);
    F64.setFloat64(0, x);
    const bits = F64.getBigUint64(0);
    const negative = bits >> 63n === 1n;
    let exponent = Number((bits >> 52n) & 0x7ffn);
    let mantissa = bits & 0xfffffffffffffn;
    if (exponent === 0) exponent = 1;
    else mantissa |= 1n << 52n;
    const e = exponent - 1075;
    let digits;
    let scale;
    if (e >= 0) {
      digits = (mantissa << BigInt(e)).toString();
      scale = 0;
    } else {
      digits = (mantissa * 5n ** BigInt(-e)).toString();
      scale = -e;
    }
    // Keep 40 significant digits (beyond Decimal's 28; the core rounds the rest).
    if (digits.length > 40) {
      scale -= digits.length - 40;
      digits = digits.slice(0, 40);
    }
    let text;
    if (scale <= 0) text = digits + '0'.repeat(-scale);
    else if (digits.length > scale) text = digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale);
    else text = '0.' + '0'.repeat(scale - digits.length) + digits;
    return (negative ? '-' : '') + text;
  }
  function num(field, v) {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(field, `${v} is not a finite number`);
      return exactNumber(v);
    }
    return dec(field, v);
  }
  function optNum(field, v, dflt) {
    return v === undefined || v === null ? dflt : num(field, v);
  }
  function int(field, v) {
    if (typeof v !== 'number') throw invalid(field, `expected a whole number, got ${typeof v}`);
    return v;
  }
  function whenArg(w) {
    if (w === undefined || w === null) return 'end';
    if (w === 0 || w === 1) return String(w);
    if (typeof w !== 'string') throw invalid('when', "must be 'end' or 'begin'");
    return w;
  }
  // Dates: an ISO string ('YYYY-MM-DD') or a JS Date. A Date stands for its UTC calendar date
  // and must be midnight UTC (new Date(Date.UTC(2025, 0, 31)), new Date('2025-01-31')): a Date
  // at another time of day is refused rather than truncated, because a local-midnight Date east
  // of Greenwich (new Date(2025, 0, 31) in Berlin is 2025-01-30T23:00Z) would silently become
  // the previous day.
  const MS_PER_DAY = 86400000;
  /** Why a Date is not a calendar date, or null when it is (midnight UTC). */
  function badDate(d) {
    const t = d.getTime();
    if (Number.isNaN(t)) return 'is an invalid Date';
    if (t % MS_PER_DAY !== 0) {
      return `a Date must be midnight UTC (its UTC calendar date is the date), got ${d.toISOString()}; ` +
        "use new Date(Date.UTC(year, monthIndex, day)) or a 'YYYY-MM-DD' string";
    }
    return null;
  }
  /** A midnight-UTC Date as its ISO date (the caller checked it with badDate). */
  const dateText = (d) => fmtDate(d.getTime() / MS_PER_DAY);
  function isoDate(field, v) {
    if (typeof v === 'string') return v;
    if (v instanceof Date) {
      const why = badDate(v);
      if (why !== null) throw invalid(field, why);
      return dateText(v);
    }
    throw invalid(field, `expected an ISO date string (YYYY-MM-DD) or a Date, got ${v === null ? 'null' : typeof v}`);
  }
  /** The path of the first Date in `value` that is not a calendar date (field names as the core's errors give them). */
  function badDatePath(value, path) {
    if (value instanceof Date) return badDate(value) === null ? null : [path, badDate(value)];
    if (value === null || typeof value !== 'object') return null;
    const join = (k) => (typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const r = badDatePath(value[i], join(i));
        if (r !== null) return r;
      }
      return null;
    }
    for (const k of Object.keys(value)) {
      const r = badDatePath(value[k], join(k));
      if (r !== null) return r;
    }
    return null;
  }

  // Keys whose values are whole numbers in the core's wire forms; every other number is an
  // amount or a rate and is sent as its shortest round-trip decimal string.
  const INTEGER_KEYS = new Set([
    'installments', 'amortization_installments', 'principal_periods', 'interest_periods',
    'recurring_from', 'first_day', 'second_day', 'every_n_days', 'days', 'weeks', 'months',
    'term_installments', 'original_installments',
  ]);
  const BAD_DATE = {};
  function replacer(key, value) {
    // JSON.stringify has already called Date#toJSON: the holder still has the Date.
    const original = this[key];
    if (original instanceof Date) {
      if (badDate(original) !== null) throw BAD_DATE;
      return dateText(original);
    }
    if (typeof value === 'number' && !INTEGER_KEYS.has(key)) {
      return Number.isFinite(value) ? String(value) : value;
    }
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  /**
   * `value` in the core's JSON wire form. `root`: the name the core gives this argument in its
   * error fields ('' for terms, 'payments', 'extra', ...), for a bad Date's field path.
   */
  function wire(value, root) {
    // Fast path: a flat object without amounts given as numbers needs no replacer (a replacer
    // function takes V8 off its fast JSON.stringify path).
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      let plain = true;
      for (const k in value) {
        const v = value[k];
        if ((typeof v === 'number' && !INTEGER_KEYS.has(k)) || typeof v === 'bigint' || (v !== null && typeof v === 'object')) {
          plain = false;
          break;
        }
      }
      if (plain) return JSON.stringify(value);
    }
    try {
      return JSON.stringify(value, replacer);
    } catch (e) {
      if (e !== BAD_DATE) throw e;
      const [path, why] = badDatePath(value, root || '') || ['input', 'is an invalid Date'];
      throw invalid(path === '' ? (root || 'input') : path, why);
    }
  }

  // ---------------------------------------------------------------- finance functions

  const pmt = (rate, nper, pv, fv, when) =>
    call(() => raw.pmt(num('rate', rate), int('nper', nper), num('pv', pv), optNum('fv', fv, '0'), whenArg(when)));
  const fv = (rate, nper, pmtv, pv, when) =>
    call(() => raw.fv(num('rate', rate), int('nper', nper), num('pmt', pmtv), optNum('pv', pv, '0'), whenArg(when)));
  const pv = (rate, nper, pmtv, fvv, when) =>
    call(() => raw.pv(num('rate', rate), int('nper', nper), num('pmt', pmtv), optNum('fv', fvv, '0'), whenArg(when)));
  const nper = (rate, pmtv, pvv, fvv, when) =>
    call(() => raw.nper(num('rate', rate), num('pmt', pmtv), num('pv', pvv), optNum('fv', fvv, '0'), whenArg(when)));
  const rate = (n, pmtv, pvv, fvv, when) =>
    call(() => raw.rate(int('nper', n), num('pmt', pmtv), num('pv', pvv), optNum('fv', fvv, '0'), whenArg(when)));
  const ipmt = (r, per, n, pvv, fvv, when) =>
    call(() => raw.ipmt(num('rate', r), int('per', per), int('nper', n), num('pv', pvv), optNum('fv', fvv, '0'), whenArg(when)));
  const ppmt = (r, per, n, pvv, fvv, when) =>
    call(() => raw.ppmt(num('rate', r), int('per', per), int('nper', n), num('pv', pvv), optNum('fv', fvv, '0'), whenArg(when)));
  const cumipmt = (r, n, pvv, start, end, when) =>
    call(() => raw.cumipmt(num('rate', r), int('nper', n), num('pv', pvv), int('start', start), int('end', end), whenArg(when)));
  const cumprinc = (r, n, pvv, start, end, when) =>
    call(() => raw.cumprinc(num('rate', r), int('nper', n), num('pv', pvv), int('start', start), int('end', end), whenArg(when)));
  const effectiveAnnualRate = (nominal, m) =>
    call(() => raw.effectiveAnnualRate(num('nominal', nominal), int('m', m)));
  const apr = (input) => call(() => raw.aprOfFlows(wire(input, '')));

  // ---------------------------------------------------------------- schedules (columnar)

  const HEADER = 14;
  /** The money columns of ScheduleColumns and their field in the plain rows. */
  const MONEY_FIELDS = Object.freeze({
    __proto__: null,
    payment: 'payment',
    interest: 'interest',
    principal: 'principal',
    balance: 'balance',
    deferredInterest: 'deferred_interest',
    extraPrincipal: 'extra_principal',
  });

  /** Integer minor units -> the decimal string the core prints (scale digits). */
  function fmt(v, scale) {
    if (scale === 0) return String(v);
    const neg = v < 0;
    let s = String(neg ? -v : v);
    if (s.length <= scale) s = '0'.repeat(scale - s.length + 1) + s;
    const cut = s.length - scale;
    return (neg ? '-' : '') + s.slice(0, cut) + '.' + s.slice(cut);
  }
  function pad2(n) {
    return n < 10 ? '0' + n : String(n);
  }
  /** Days since 1970-01-01 -> YYYY-MM-DD (proleptic Gregorian, H. Hinnant's civil_from_days). */
  function fmtDate(days) {
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    return String(y).padStart(4, '0') + '-' + pad2(m) + '-' + pad2(d);
  }

  // ---------------------------------------------------------------- dates in results

  // The `dates` option of every call whose result holds calendar dates: 'iso' (the default,
  // 'YYYY-MM-DD' strings, the wire form) or 'date' (Date objects at midnight UTC of the day,
  // so date.toISOString().slice(0, 10) is the ISO date; read them with getUTC*).
  // Timestamps (created_at, updated_at) stay ISO strings; toJSON() always gives the wire form.
  function datesOf(options, dflt) {
    if (options === undefined || options === null) return dflt;
    if (typeof options !== 'object') throw invalid('options', "expected an object such as { dates: 'date' }");
    const d = options.dates;
    if (d === undefined) return dflt;
    if (d === 'iso' || d === 'date') return d;
    throw invalid('dates', `must be 'iso' or 'date', got ${typeof d === 'string' ? JSON.stringify(d) : typeof d}`);
  }
  /** The keys whose values are calendar dates in the core's results. */
  const DATE_KEYS = new Set([
    'as_of', 'date', 'debt_free_date', 'due_date', 'effective', 'end', 'first_date', 'first_due',
    'last_payment_date', 'next_due_date', 'payoff_date', 'position_as_of', 'start',
    'last_due', 'original_start',
  ]);
  const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
  /** 'YYYY-MM-DD' -> a Date at midnight UTC of that day. */
  const dayDate = (iso) => new Date(Date.parse(iso + 'T00:00:00Z'));
  function dateReviver(key, value) {
    return typeof value === 'string' && DATE_KEYS.has(key) && ISO_DAY.test(value) ? dayDate(value) : value;
  }
  /** A JSON result of the core, its dates as the `dates` mode says. */
  const result = (text, dates) => (dates === 'date' ? JSON.parse(text, dateReviver) : JSON.parse(text));

  /** One installment read lazily from the columns (decimal strings made on access). */
  class InstallmentView {
    constructor(columns, index) {
      this._c = columns;
      this._i = index;
    }
    get number() { return this._i + 1; }
    get due_date() { return this._c._due(this._i); }
    get payment() { return fmt(this._c.payment[this._i], this._c.scale); }
    get interest() { return fmt(this._c.interest[this._i], this._c.scale); }
    get principal() { return fmt(this._c.principal[this._i], this._c.scale); }
    get balance() { return fmt(this._c.balance[this._i], this._c.scale); }
    get deferred_interest() { return fmt(this._c.deferredInterest[this._i], this._c.scale); }
    get extra_principal() { return fmt(this._c.extraPrincipal[this._i], this._c.scale); }
    get negative_amortization() { return this._c._negative !== null && this._c._negative[this._i] === 1; }
    toJSON() { return this._c._record(this._i, 'iso'); }
  }

  /**
   * A schedule as columns of integer minor units (Float64Array views over one buffer; every
   * value is an exact integer) plus `scale`; `row(i)` is a cheap view, `toArray()` plain
   * objects with decimal strings.
   */
  class ScheduleColumns {
    constructor(data, recordsFallback, dates) {
      const n = data[1];
      this.length = n;
      this.scale = data[2];
      this.exact = data[3] === 1;
      this.currency = String.fromCharCode(data[10], data[11], data[12]);
      const col = (k) => data.subarray(HEADER + k * n, HEADER + (k + 1) * n);
      this.dueDate = col(0);
      this.payment = col(1);
      this.interest = col(2);
      this.principal = col(3);
      this.balance = col(4);
      // Optional columns (slot 13: 1 deferred interest, 2 extra principal, 4 negative
      // amortization) follow in that order; one left out is all zeros, made on access.
      const flags = data[13];
      let k = 5;
      this._deferred = flags & 1 ? col(k++) : null;
      this._extra = flags & 2 ? col(k++) : null;
      this._negative = flags & 4 ? col(k++) : null;
      this._head = data;
      this._dates = dates === 'date' ? 'date' : 'iso';
      this._records = null;
      if (!this.exact) this._records = recordsFallback();
    }
    get regular_payment() { return this._records ? this._records.regular_payment : fmt(this._head[4], this.scale); }
    get totals() {
      if (this._records) return this._records.totals;
      const h = this._head;
      return {
        interest: fmt(h[5], this.scale),
        principal: fmt(h[6], this.scale),
        paid: fmt(h[7], this.scale),
        extra_principal: fmt(h[8], this.scale),
      };
    }
    get negative_amortization() { return this._head[9] === 1; }
    /** Interest deferred by an interest grace, per installment (minor units). */
    get deferredInterest() { return this._deferred || (this._deferred = new Float64Array(this.length)); }
    /** Extra principal (what-if prepayments) per installment (minor units). */
    get extraPrincipal() { return this._extra || (this._extra = new Float64Array(this.length)); }
    /** Installment numbers (1..n). */
    get number() {
      const a = new Float64Array(this.length);
      for (let i = 0; i < a.length; i++) a[i] = i + 1;
      return a;
    }
    /**
     * A money column in currency units as floats (for charts and float maths): each value is
     * the double nearest the exact decimal amount (an exact integer divided by an exact 10^scale,
     * one correctly rounded division: relative error <= 2^-53), so it equals
     * Number(row(i)[field]). The exact amounts stay the decimal strings.
     */
    amounts(column) {
      const field = MONEY_FIELDS[column];
      if (field === undefined) throw new RangeError(`not a money column: ${column}`);
      const out = new Float64Array(this.length);
      if (this._records) {
        const rows = this._records.installments;
        for (let i = 0; i < out.length; i++) out[i] = Number(rows[i][field]);
        return out;
      }
      const col = this[column];
      const unit = 10 ** this.scale;
      for (let i = 0; i < out.length; i++) out[i] = col[i] / unit;
      return out;
    }
    /** 1 where the installment amortized negatively, else 0. */
    get negativeAmortization() { return this._negative || new Float64Array(this.length); }
    /** The due date of row `i` as the `dates` option says. */
    _due(i) {
      const days = this.dueDate[i];
      return this._dates === 'date' ? new Date(days * MS_PER_DAY) : fmtDate(days);
    }
    row(i) {
      if (!(i >= 0 && i < this.length)) throw new RangeError(`row ${i} out of 0..${this.length - 1}`);
      if (this._records) return this.record(i);
      return new InstallmentView(this, i);
    }
    record(i) { return this._record(i, this._dates); }
    _record(i, dates) {
      if (this._records) {
        const r = this._records.installments[i];
        return dates === 'date' ? Object.assign({}, r, { due_date: dayDate(r.due_date) }) : r;
      }
      const s = this.scale;
      const days = this.dueDate[i];
      return {
        number: i + 1,
        due_date: dates === 'date' ? new Date(days * MS_PER_DAY) : fmtDate(days),
        payment: fmt(this.payment[i], s),
        interest: fmt(this.interest[i], s),
        principal: fmt(this.principal[i], s),
        balance: fmt(this.balance[i], s),
        deferred_interest: fmt(this.deferredInterest[i], s),
        extra_principal: fmt(this.extraPrincipal[i], s),
        negative_amortization: this._negative !== null && this._negative[i] === 1,
      };
    }
    toArray() { return this._array(this._dates); }
    _array(dates) {
      const out = new Array(this.length);
      for (let i = 0; i < this.length; i++) out[i] = this._record(i, dates);
      return out;
    }
    *[Symbol.iterator]() {
      for (let i = 0; i < this.length; i++) yield this.row(i);
    }
    /** The plain-object form: {currency, regular_payment, totals, negative_amortization, installments}. */
    toSchedule() { return this._schedule(this._dates); }
    _schedule(dates) {
      return {
        currency: this.currency,
        regular_payment: this.regular_payment,
        totals: this.totals,
        negative_amortization: this.negative_amortization,
        installments: this._array(dates),
      };
    }
    /** The wire form (ISO dates whatever the `dates` option). */
    toJSON() { return this._schedule('iso'); }
  }

  function recordsOf(handle) {
    // Amounts beyond 2^53 minor units: the core's whole schedule with decimal strings.
    return () => JSON.parse(call(() => handle.records()));
  }

  // ---------------------------------------------------------------- loan terms

  const handles = new WeakMap();
  /** The `dates` option each LoanTerms / Portfolio was made with. */
  const dateModes = new WeakMap();
  function handleOf(terms) {
    const h = handles.get(terms);
    if (!h) throw new TypeError('not a LoanTerms object');
    return h;
  }

  class LoanTerms {
    /** Validates the terms (the core's LoanTermsBuilder wire form); throws ValidationError. */
    /** `options.dates`: 'iso' (default) or 'date', the form of the dates in every result. */
    constructor(input, options) {
      if (input === null || typeof input !== 'object') throw invalid('terms', 'expected an object');
      const dates = datesOf(options, 'iso');
      const h = call(() => new raw.Terms(wire(input, '')));
      handles.set(this, h);
      dateModes.set(this, dates);
      Object.freeze(this);
    }
    /** Every field in the canonical wire form (defaults filled in, ISO dates). */
    toJSON() { return JSON.parse(call(() => handleOf(this).toJson())); }
    /** New terms with some fields changed (same `dates` option). */
    with(changes) { return new LoanTerms(Object.assign(this.toJSON(), changes), { dates: dateModes.get(this) }); }
    /** The contractual schedule as columns (fast; rows are views). */
    scheduleColumns() { return columnsOf(this, dateModes.get(this)); }
    /** The contractual schedule with an array of plain installment objects. */
    schedule() { return this.scheduleColumns().toSchedule(); }
    /** Extra payments: {recurring, recurring_from, lump_sums: [{date, amount}], policy}. */
    whatIf(extra) { return whatIfOf(this, extra, dateModes.get(this)); }
    /** APR in percent (decimal string), with an optional prepaid finance charge. */
    apr(prepaidFinanceCharge) {
      return call(() => handleOf(this).apr(optDec('prepaid_finance_charge', prepaidFinanceCharge, '0')));
    }
    /** The effective annual rate of the note rate, in percent. */
    effectiveAnnualRate() { return call(() => handleOf(this).effectiveAnnualRate()); }
    /** The schedule as CSV (RFC 4180, CRLF). */
    toCsv() { return call(() => handleOf(this).toCsv()); }
    /** Chart series: [{date, balance, cumulative_interest, cumulative_principal}]. */
    series() { return result(call(() => handleOf(this).series()), dateModes.get(this)); }
    /** Where the loan stands on `asOf` given the repayments [{date, amount}]. */
    position(repayments, asOf) { return positionOf(this, repayments, asOf, dateModes.get(this)); }
    /** Payoff quote on `on` ('till_pre_close' default, or 'till_period_end'). */
    payoffQuote(repayments, on, rule) {
      return result(call(() => handleOf(this).payoffQuote(wire(repayments || [], 'payments'), isoDate('on', on), rule || 'till_pre_close')), dateModes.get(this));
    }
    /** What is payable on `on` for the installment due `forDue`. */
    payable(repayments, on, forDue) {
      return result(call(() => handleOf(this).payable(wire(repayments || [], 'payments'), isoDate('on', on), isoDate('for_due', forDue))), dateModes.get(this));
    }
    /** Throws (ValidationError / OverpaymentError) unless the new repayment is acceptable. */
    checkPayment(repayments, payment) {
      call(() => handleOf(this).checkPayment(wire(repayments || [], 'payments'), wire(payment, 'payment')));
    }
  }

  // The computations of LoanTerms that the free functions share, with their `dates` mode.
  function columnsOf(terms, dates) {
    const h = handleOf(terms);
    return new ScheduleColumns(call(() => h.columns()), recordsOf(h), dates);
  }
  function whatIfOf(terms, extra, dates) {
    const h = handleOf(terms);
    const out = call(() => h.whatIf(wire(extra || {}, 'extra')));
    try {
      const summary = JSON.parse(out.summary());
      const data = out.takeColumns();
      summary.schedule = new ScheduleColumns(data, () => {
        throw new OverflowError({ code: 'overflow', operation: 'what-if schedule beyond 2^53 minor units', message: 'amounts too large for the columnar form' });
      }, dates);
      return summary;
    } finally {
      out.free();
    }
  }
  function positionOf(terms, repayments, asOf, dates) {
    return result(call(() => handleOf(terms).position(wire(repayments || [], 'payments'), isoDate('as_of', asOf))), dates);
  }

  // ---------------------------------------------------------------- free functions

  /** The `dates` mode of a free function: its options, else the LoanTerms' own, else 'iso'. */
  const modeOf = (terms, options) => datesOf(options, terms instanceof LoanTerms ? dateModes.get(terms) : 'iso');
  const termsOf = (terms) => (terms instanceof LoanTerms ? terms : new LoanTerms(terms));

  // The fields of the direct path (every other field at its default): no JSON and no string
  // crosses; amounts go as an integer mantissa and a scale, the start as year, month, day.
  const DIRECT_KEYS = new Set(['currency', 'principal', 'annual_rate_percent', 'installments', 'start']);
  /** Plain decimal text with at most 15 digits (so its mantissa is an exact float). */
  const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;
  const PLAIN_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  /** [mantissa, scale] of a decimal input the wire form reads as that exact decimal, or null. */
  function mantissaScale(v) {
    const t = typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
    const m = t === null ? null : PLAIN_DECIMAL.exec(t);
    if (m === null) return null;
    const frac = m[2] === undefined ? '' : m[2];
    const digits = m[1] + frac;
    return digits.length > 15 ? null : [Number(digits), frac.length];
  }
  /** The module's memory (the numeric path's columns are read from it). */
  let memory = null;
  /**
   * The columns the numeric path wrote at `address`, in a buffer the module reuses: valid only
   * until the next call into it. A copy unless `view` (the `view: true` option; an inexact
   * layout, which reads the records through another call, is always copied).
   */
  function columnsAt(address, view) {
    if (memory === null) memory = raw.wasmMemory();
    const head = new Float64Array(memory.buffer, address, HEADER);
    const flags = head[13];
    const count = 5 + (flags & 1) + ((flags >> 1) & 1) + ((flags >> 2) & 1);
    const data = new Float64Array(memory.buffer, address, HEADER + count * head[1]);
    return view && head[3] === 1 ? data : data.slice();
  }
  /** The columns of simple terms through `scheduleColumnsNumeric`, or null (take the JSON path). */
  function directColumns(t, view) {
    for (const k in t) if (!DIRECT_KEYS.has(k)) return null;
    const { currency, principal: p, annual_rate_percent: r, installments: n, start } = t;
    let cur = 0;
    if (currency !== undefined) {
      // An empty or non-ASCII code goes through JSON, whose error names it.
      if (typeof currency !== 'string' || currency.length !== 3) return null;
      for (let i = 0; i < 3; i++) {
        const c = currency.charCodeAt(i);
        if (c === 0 || c > 127) return null;
        cur = cur * 128 + c;
      }
    }
    const dayText = typeof start === 'string' ? start : start instanceof Date && badDate(start) === null ? dateText(start) : null;
    const day = dayText === null ? null : PLAIN_DAY.exec(dayText);
    if (day === null || typeof n !== 'number') return null;
    const ps = mantissaScale(p);
    const rs = r === undefined ? [0, 0] : mantissaScale(r);
    if (ps === null || rs === null) return null;
    const address = call(() => raw.scheduleColumnsNumeric(ps[0], ps[1], rs[0], rs[1], n, +day[1], +day[2], +day[3], cur));
    return address === 0 ? null : columnsAt(address, view);
  }

  /** The `view` option of scheduleColumns (false when absent). */
  function viewOf(options) {
    const v = options === undefined || options === null ? undefined : options.view;
    if (v === undefined || v === true || v === false) return v === true;
    throw invalid('view', `must be true or false, got ${typeof v}`);
  }
  function scheduleColumns(terms, options) {
    const dates = modeOf(terms, options);
    const view = viewOf(options);
    if (terms instanceof LoanTerms) return columnsOf(terms, dates);
    if (terms === null || typeof terms !== 'object') throw invalid('terms', 'expected an object');
    const direct = Array.isArray(terms) ? null : directColumns(terms, view);
    if (direct !== null) return new ScheduleColumns(direct, () => JSON.parse(call(() => new raw.Terms(wire(terms, '')).records())), dates);
    const text = wire(terms, '');
    const data = call(() => raw.scheduleColumnsOf(text));
    return new ScheduleColumns(data, () => JSON.parse(call(() => new raw.Terms(text).records())), dates);
  }
  const schedule = (terms, options) => scheduleColumns(terms, options).toSchedule();
  const whatIf = (terms, extra, options) => whatIfOf(termsOf(terms), extra, modeOf(terms, options));
  const position = (terms, repayments, asOf, options) =>
    positionOf(termsOf(terms), repayments, asOf, modeOf(terms, options));
  const toCsv = (terms) => termsOf(terms).toCsv();

  /**
   * Many schedules in one call: columns (Float64Array, integer minor units) of installments,
   * regular payment, total interest and total paid per loan, plus the scale of each.
   */
  function scheduleSummaries(list) {
    if (!Array.isArray(list)) throw invalid('terms', 'expected an array of terms');
    const data = call(() => raw.scheduleSummaries(wire(list, '')));
    const n = list.length;
    const pick = (k) => {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = data[i * 5 + k];
      return a;
    };
    const out = {
      length: n,
      installments: pick(0),
      scale: pick(1),
      regularPayment: pick(2),
      totalInterest: pick(3),
      totalPaid: pick(4),
      row(i) {
        const s = this.scale[i];
        return {
          installments: this.installments[i],
          regular_payment: fmt(this.regularPayment[i], s),
          total_interest: fmt(this.totalInterest[i], s),
          total_paid: fmt(this.totalPaid[i], s),
        };
      },
    };
    return out;
  }

  /** The debt payoff planner (avalanche, snowball or a custom order) vs minimums only. */
  const plan = (input, options) => result(call(() => raw.plan(wire(input, ''))), datesOf(options, 'iso'));

  // ---------------------------------------------------------------- portfolio (in-memory service)

  /**
   * The whole LoanSyncro service in memory for one local user: loans, repayments, positions,
   * the per-currency summary, repayments grouped by loan, the payoff planner. There is no clock
   * inside WebAssembly: pass today's date (ISO) and move it with setToday().
   */
  class Portfolio {
    constructor(options) {
      const o = options || {};
      const dates = datesOf(o, 'iso');
      const today = o.today !== undefined ? isoDate('today', o.today) : new Date().toISOString().slice(0, 10);
      const h = call(() => new raw.Portfolio(o.user !== undefined ? String(o.user) : 'local', today));
      handles.set(this, h);
      dateModes.set(this, dates);
      Object.freeze(this);
    }
    get today() {
      const t = handleOf(this).today();
      return dateModes.get(this) === 'date' ? dayDate(t) : t;
    }
    setToday(date) { call(() => handleOf(this).setToday(isoDate('today', date))); }
    addLoan(command) { return this._out(call(() => handleOf(this).addLoan(wire(command, 'loan')))); }
    getLoan(id) { return this._out(call(() => handleOf(this).getLoan(String(id)))); }
    listLoans(query) { return this._out(call(() => handleOf(this).listLoans(wire(query || {}, 'query')))); }
    updateLoan(id, command, expectedVersion) {
      return this._out(call(() => handleOf(this).updateLoan(String(id), wire(command, 'loan'), int('expected_version', expectedVersion))));
    }
    deleteLoan(id) { call(() => handleOf(this).deleteLoan(String(id))); }
    setDefaulted(id) { return this._out(call(() => handleOf(this).setDefaulted(String(id)))); }
    cure(id) { return this._out(call(() => handleOf(this).cure(String(id)))); }
    recordRepayment(loanId, command) {
      return this._out(call(() => handleOf(this).recordRepayment(String(loanId), wire(command, 'repayment'))));
    }
    updateRepayment(id, command) { return this._out(call(() => handleOf(this).updateRepayment(String(id), wire(command, 'repayment')))); }
    deleteRepayment(id) { return this._out(call(() => handleOf(this).deleteRepayment(String(id)))); }
    listRepayments(loanId) { return this._out(call(() => handleOf(this).listRepayments(loanId === undefined ? '' : String(loanId)))); }
    groupedRepayments(search) { return this._out(call(() => handleOf(this).groupedRepayments(search === undefined ? undefined : String(search)))); }
    position(loanId, asOf) {
      return this._out(call(() => handleOf(this).position(String(loanId), asOf === undefined ? undefined : isoDate('as_of', asOf))));
    }
    summary(asOf) { return this._out(call(() => handleOf(this).summary(asOf === undefined ? undefined : isoDate('as_of', asOf)))); }
    plan(request) { return this._out(call(() => handleOf(this).plan(wire(request, '')))); }
    /** A JSON result with dates as the `dates` option says. */
    _out(text) { return result(text, dateModes.get(this)); }
    takeNotifications() { return this._out(call(() => handleOf(this).takeNotifications())); }
  }

  const api = {
    // errors
    LoanSyncroError, ValidationError, NoSolutionError, OverflowError, NotFoundError, ConflictError,
    InvalidTransitionError, OverpaymentError, StorageError,
    // finance
    pmt, fv, pv, nper, rate, ipmt, ppmt, cumipmt, cumprinc, effectiveAnnualRate, apr,
    // loans
    LoanTerms, ScheduleColumns, schedule, scheduleColumns, scheduleSummaries, whatIf, position, toCsv,
    plan, Portfolio,
    // helpers
    formatMinor: fmt,
    formatDays: fmtDate,
    coreVersion: () => raw.coreVersion(),
  };
  // The helpers the optional `loansyncro/books` entry shares (not an export: a symbol-keyed,
  // non-enumerable property), so that its errors are these classes and its inputs read alike.
  Object.defineProperty(api, Symbol.for('loansyncro.internal'), {
    value: Object.freeze({ call, invalid, wire, result, datesOf, modeOf, LoanTerms }),
  });
  return api;
}
