// LoanSyncro example page: plain ES modules, no framework, no build step. Every figure on the
// page comes from the `loansyncro` package (the Rust core in WebAssembly); this file only reads
// the form, calls the library and renders strings. Validation is the library's: its
// ValidationError names the field, and the message is shown next to that input.
import { LoanTerms, ValidationError, LoanSyncroError, plan } from 'loansyncro';

const $ = (sel) => document.querySelector(sel);
const form = $('#loan-form');

// The library's field names -> the form's inputs.
const FIELD_TO_INPUT = {
  principal: 'principal',
  annual_rate_percent: 'rate',
  annual_rate: 'rate',
  installments: 'term',
  start: 'start',
  recurring: 'extra',
};

function clearErrors(scope) {
  for (const el of scope.querySelectorAll('.error')) el.textContent = '';
  for (const el of scope.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showError(e, fallback) {
  const name = e instanceof ValidationError ? FIELD_TO_INPUT[e.field] : undefined;
  const slot = name ? document.querySelector(`[data-error-for="${name}"]`) : document.querySelector(`[data-error-for="${fallback}"]`);
  if (name) document.getElementById(name).setAttribute('aria-invalid', 'true');
  // The reason alone next to its own field; the full message where the field is not obvious.
  slot.textContent = name ? e.reason : e.message;
}

const money = (s) => {
  const [i, f] = s.split('.');
  const sign = i.startsWith('-') ? '-' : '';
  const grouped = i.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (f !== undefined ? '.' + f : '');
};

function renderTable(columns) {
  const tbody = $('#schedule tbody');
  const rows = [];
  for (const r of columns) {
    rows.push(
      `<tr><td>${r.number}</td><td>${r.due_date}</td><td>${money(r.payment)}</td><td>${money(r.interest)}</td>` +
        `<td>${money(r.principal)}</td><td>${money(r.extra_principal)}</td><td>${money(r.balance)}</td></tr>`,
    );
  }
  tbody.innerHTML = rows.join('');
}

// ---------------------------------------------------------------- chart (SVG)

function renderChart(series, whatIf) {
  const W = 900;
  const H = 320;
  const pad = { l: 70, r: 20, t: 16, b: 36 };
  // Plot coordinates are display-only floats; the figures themselves stay decimal strings.
  const pts = series.map((p) => ({
    t: Date.parse(p.date),
    balance: Number(p.balance),
    interest: Number(p.cumulative_interest),
    principal: Number(p.cumulative_principal),
  }));
  const t0 = pts[0].t;
  const t1 = pts[pts.length - 1].t;
  const yMax = Math.max(...pts.map((p) => Math.max(p.balance, p.interest, p.principal))) || 1;
  const x = (t) => pad.l + ((t - t0) / (t1 - t0 || 1)) * (W - pad.l - pad.r);
  const y = (v) => H - pad.b - (v / yMax) * (H - pad.t - pad.b);
  const line = (key, data) => data.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = yMax * f;
    return `<line x1="${pad.l}" x2="${W - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eceff3"/>` +
      `<text x="${pad.l - 8}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#5a6473">${Math.round(v).toLocaleString('en-US')}</text>`;
  });
  const y0 = new Date(t0).getUTCFullYear();
  const y1 = new Date(t1).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0) / 10));
  const years = [];
  for (let yr = y0 + 1; yr <= y1; yr += step) {
    const t = Date.UTC(yr, 0, 1);
    years.push(`<text x="${x(t)}" y="${H - pad.b + 16}" text-anchor="middle" font-size="11" fill="#5a6473">${yr}</text>`);
  }
  let extra = '';
  if (whatIf) {
    const wp = [{ t: t0, balance: pts[0].balance }];
    for (let i = 0; i < whatIf.length; i++) {
      // dueDate is in days since 1970-01-01; amounts in minor units (display-only floats here).
      wp.push({ t: whatIf.dueDate[i] * 86400000, balance: whatIf.balance[i] / 10 ** whatIf.scale });
    }
    extra = `<path d="${line('balance', wp)}" fill="none" stroke="#1f6feb" stroke-width="2" stroke-dasharray="6 4"><title>balance with the extra payment</title></path>`;
  }
  $('#chart').innerHTML =
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Balance and cumulative interest versus principal">` +
    ticks.join('') + years.join('') +
    `<path d="${line('balance', pts)}" fill="none" stroke="#1f6feb" stroke-width="2.5"><title>balance</title></path>` +
    `<path d="${line('interest', pts)}" fill="none" stroke="#d9480f" stroke-width="2"><title>cumulative interest</title></path>` +
    `<path d="${line('principal', pts)}" fill="none" stroke="#2b8a3e" stroke-width="2"><title>cumulative principal</title></path>` +
    extra +
    `<g class="legend" font-size="12">` +
    `<rect x="${pad.l + 10}" y="${pad.t}" width="12" height="3" fill="#1f6feb"/><text x="${pad.l + 28}" y="${pad.t + 5}">Balance</text>` +
    `<rect x="${pad.l + 100}" y="${pad.t}" width="12" height="3" fill="#d9480f"/><text x="${pad.l + 118}" y="${pad.t + 5}">Cumulative interest</text>` +
    `<rect x="${pad.l + 260}" y="${pad.t}" width="12" height="3" fill="#2b8a3e"/><text x="${pad.l + 278}" y="${pad.t + 5}">Cumulative principal</text>` +
    (whatIf ? `<text x="${pad.l + 430}" y="${pad.t + 5}" fill="#1f6feb">- - balance with extra</text>` : '') +
    `</g></svg>`;
}

// ---------------------------------------------------------------- loan form

function calculate() {
  clearErrors(form);
  const v = (id) => document.getElementById(id).value.trim();
  const termText = v('term');
  let terms;
  try {
    terms = new LoanTerms({
      principal: v('principal'),
      annual_rate_percent: v('rate'),
      // A count: passed as a number (the library names the field if it is not a whole number).
      installments: termText === '' ? 0 : Number(termText),
      start: v('start'),
    });
  } catch (e) {
    if (!(e instanceof LoanSyncroError)) throw e;
    showError(e, 'form');
    return false;
  }
  const columns = terms.scheduleColumns();
  let shown = columns;
  let whatIfColumns = null;
  const extra = v('extra') || '0';
  try {
    const w = terms.whatIf({ recurring: extra });
    if (w.schedule.totals.extra_principal !== columns.totals.extra_principal) {
      whatIfColumns = w.schedule;
      shown = w.schedule;
      $('#what-if').textContent =
        `${w.installments_saved} installments sooner, ${money(w.interest_saved)} less interest (total interest ${money(w.schedule.totals.interest)})`;
    } else {
      $('#what-if').textContent = 'no extra payment';
    }
  } catch (e) {
    if (!(e instanceof LoanSyncroError)) throw e;
    showError(e, 'form');
    return false;
  }
  $('#payment').textContent = money(columns.regular_payment);
  $('#total-interest').textContent = money(columns.totals.interest);
  $('#total-paid').textContent = money(columns.totals.paid);
  const aprPercent = terms.apr();
  $('#apr').textContent = `${aprPercent.slice(0, aprPercent.indexOf('.') + 3)}%`;
  renderTable(shown);
  renderChart(terms.series(), whatIfColumns);
  return true;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  calculate();
});

// ---------------------------------------------------------------- payoff plans

const planForm = $('#plan-form');
function comparePlans() {
  clearErrors(planForm);
  const debts = [...document.querySelectorAll('#debts tbody tr')].map((tr, i) => {
    const val = (n) => tr.querySelector(`[name="${n}"]`).value.trim();
    const name = tr.cells[0].textContent;
    return { id: `loan${i + 1}`, name, balance: val('balance'), annual_rate: String(Number(val('rate')) / 100), minimum_payment: val('minimum') };
  });
  const input = { currency: 'USD', debts, monthly_budget: $('#budget').value.trim(), start: '2025-02-01', strategy: 'avalanche' };
  const rows = [];
  try {
    for (const strategy of ['avalanche', 'snowball']) {
      const r = plan({ ...input, strategy });
      rows.push(`<tr><td>${strategy}</td><td>${r.months_to_debt_free}</td><td>${r.debt_free_date}</td><td>${money(r.total_interest)}</td><td>${r.interest_saved === null ? 'n/a' : money(r.interest_saved)}</td></tr>`);
      if (strategy === 'snowball') {
        const b = r.baseline;
        rows.push(b.kind === 'paid_off'
          ? `<tr><td>minimums only</td><td>${b.months}</td><td>${b.debt_free_date}</td><td>${money(b.total_interest)}</td><td>–</td></tr>`
          : `<tr><td>minimums only</td><td colspan="4">never paid off: ${b.debt_ids.join(', ')}</td></tr>`);
      }
    }
  } catch (e) {
    if (!(e instanceof LoanSyncroError)) throw e;
    $('[data-error-for="plan"]').textContent = e.message;
    return;
  }
  $('#plans tbody').innerHTML = rows.join('');
}
planForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  comparePlans();
});

calculate();
comparePlans();
$('#status').textContent = 'Ready.';
document.body.dataset.ready = 'true';
