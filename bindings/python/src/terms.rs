//! `loansyncro.LoanTerms`: keyword arguments mirroring the core's `LoanTermsBuilder`, validated
//! by the core's `build()`. Enums are accepted as strings (or the `str` enums of the package).

use loansyncro_core::{
    Accrual, AmortizationMethod, BalancePrecision, Compounding, Currency, DayCount, Frequency,
    Grace, PrepaymentPolicy, Rate, RateChange, RoundingMode,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use rust_decimal::Decimal;

use crate::convert::{
    count, date, money, number, parse_enum, text, to_py_date, to_py_decimal, to_py_opt_date,
};
use crate::error::{validation, CoreResultExt};

/// `method` (a name of the core's vocabulary); `fixed_installment` takes `installment_amount`.
fn parse_method(ob: &Bound<'_, PyAny>, amount: Option<Decimal>) -> PyResult<AmortizationMethod> {
    let s = text(ob, "method")?;
    AmortizationMethod::parse_with_amount(&s, amount).py()
}

fn rate_changes(ob: &Bound<'_, PyAny>) -> PyResult<Vec<RateChange>> {
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let (effective, percent) = if let Ok(d) = item.cast::<PyDict>() {
            let effective = d.get_item("effective")?.ok_or_else(|| {
                validation(&format!("rate_changes[{i}].effective"), "is required")
            })?;
            let percent = d.get_item("annual_rate_percent")?.ok_or_else(|| {
                validation(
                    &format!("rate_changes[{i}].annual_rate_percent"),
                    "is required",
                )
            })?;
            (effective, percent)
        } else if let Ok(t) = item.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(validation(
                    &format!("rate_changes[{i}]"),
                    "must be a (date, annual_rate_percent) pair",
                ));
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else {
            (
                item.getattr("effective")?,
                item.getattr("annual_rate_percent")?,
            )
        };
        let effective = date(&effective, &format!("rate_changes[{i}].effective"))?;
        let field = format!("rate_changes[{i}].annual_rate");
        let annual_rate = Rate::from_percent(number(&percent, &field)?)
            .map_err(|e| match e {
                loansyncro_core::MathError::InvalidArgument { reason, .. } => {
                    loansyncro_core::Error::validation(field.clone(), reason)
                }
                other => other.into(),
            })
            .py()?;
        out.push(RateChange {
            effective,
            annual_rate,
        });
    }
    Ok(out)
}

/// Validated loan terms (immutable). See the package documentation for every argument.
#[pyclass(frozen, module = "loansyncro", name = "LoanTerms")]
#[derive(Debug, Clone)]
pub(crate) struct PyLoanTerms {
    pub(crate) inner: loansyncro_core::LoanTerms,
}

#[pymethods]
impl PyLoanTerms {
    #[new]
    #[pyo3(signature = (
        *, principal, start, installments=None, annual_rate=None, annual_rate_percent=None,
        currency=None, frequency=None, first_due=None, method=None, installment_amount=None,
        day_count=None, compounding=None, rounding=None, payment_rounding=None,
        interest_rounding=None, installment_multiple=None, balance_precision=None, balloon=None,
        amortization_installments=None, grace_principal_periods=None,
        grace_interest_periods=None, rate_changes=None, payment_cap=None,
        prepayment_policy=None, accrual=None, payment_day_count=None,
        adjustment_payment_numbers=None, payment_cap_percent=None,
        default_after_days_past_due=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        principal: &Bound<'_, PyAny>,
        start: &Bound<'_, PyAny>,
        installments: Option<&Bound<'_, PyAny>>,
        annual_rate: Option<&Bound<'_, PyAny>>,
        annual_rate_percent: Option<&Bound<'_, PyAny>>,
        currency: Option<&Bound<'_, PyAny>>,
        frequency: Option<&Bound<'_, PyAny>>,
        first_due: Option<&Bound<'_, PyAny>>,
        method: Option<&Bound<'_, PyAny>>,
        installment_amount: Option<&Bound<'_, PyAny>>,
        day_count: Option<&Bound<'_, PyAny>>,
        compounding: Option<&Bound<'_, PyAny>>,
        rounding: Option<&Bound<'_, PyAny>>,
        payment_rounding: Option<&Bound<'_, PyAny>>,
        interest_rounding: Option<&Bound<'_, PyAny>>,
        installment_multiple: Option<&Bound<'_, PyAny>>,
        balance_precision: Option<&Bound<'_, PyAny>>,
        balloon: Option<&Bound<'_, PyAny>>,
        amortization_installments: Option<&Bound<'_, PyAny>>,
        grace_principal_periods: Option<&Bound<'_, PyAny>>,
        grace_interest_periods: Option<&Bound<'_, PyAny>>,
        rate_changes: Option<&Bound<'_, PyAny>>,
        payment_cap: Option<&Bound<'_, PyAny>>,
        prepayment_policy: Option<&Bound<'_, PyAny>>,
        accrual: Option<&Bound<'_, PyAny>>,
        payment_day_count: Option<&Bound<'_, PyAny>>,
        adjustment_payment_numbers: Option<&Bound<'_, PyAny>>,
        payment_cap_percent: Option<&Bound<'_, PyAny>>,
        default_after_days_past_due: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut b = loansyncro_core::LoanTerms::builder()
            .principal(money(principal, "principal")?)
            .start(date(start, "start")?);
        if let Some(c) = currency {
            b = b.currency(parse_enum::<Currency>(c, "currency")?);
        }
        match (annual_rate, annual_rate_percent) {
            (Some(_), Some(_)) => {
                return Err(validation(
                    "annual_rate",
                    "give either annual_rate (a fraction) or annual_rate_percent, not both",
                ))
            }
            (Some(r), None) => {
                let rate = Rate::from_fraction(number(r, "annual_rate")?).py()?;
                b = b.annual_rate(rate);
            }
            (None, Some(p)) => b = b.annual_rate_percent(number(p, "annual_rate_percent")?),
            (None, None) => {}
        }
        if let Some(n) = installments {
            b = b.installments(count(n, "installments")?);
        }
        if let Some(f) = frequency {
            b = b.frequency(parse_enum::<Frequency>(f, "frequency")?);
        }
        if let Some(d) = first_due {
            b = b.first_due(date(d, "first_due")?);
        }
        let amount = installment_amount
            .map(|a| money(a, "installment_amount"))
            .transpose()?;
        match method {
            Some(m) => b = b.method(parse_method(m, amount)?),
            None => {
                if let Some(amount) = amount {
                    b = b.method(AmortizationMethod::FixedInstallment { amount });
                }
            }
        }
        if let Some(d) = day_count {
            b = b.day_count(parse_enum::<DayCount>(d, "day_count")?);
        }
        if let Some(c) = compounding {
            b = b.compounding(parse_enum::<Compounding>(c, "compounding")?);
        }
        if let Some(r) = rounding {
            let mode = parse_enum::<RoundingMode>(r, "rounding")?;
            b = b.payment_rounding(mode).interest_rounding(mode);
        }
        if let Some(r) = payment_rounding {
            b = b.payment_rounding(parse_enum::<RoundingMode>(r, "payment_rounding")?);
        }
        if let Some(r) = interest_rounding {
            b = b.interest_rounding(parse_enum::<RoundingMode>(r, "interest_rounding")?);
        }
        if let Some(m) = installment_multiple {
            b = b.installment_multiple(money(m, "installment_multiple")?);
        }
        if let Some(p) = balance_precision {
            b = b.balance_precision(parse_enum::<BalancePrecision>(p, "balance_precision")?);
        }
        if let Some(x) = balloon {
            b = b.balloon(money(x, "balloon")?);
        }
        if let Some(n) = amortization_installments {
            b = b.amortization_installments(count(n, "amortization_installments")?);
        }
        if grace_principal_periods.is_some() || grace_interest_periods.is_some() {
            b = b.grace(Grace {
                principal_periods: grace_principal_periods
                    .map(|g| count(g, "grace_principal_periods"))
                    .transpose()?
                    .unwrap_or(0),
                interest_periods: grace_interest_periods
                    .map(|g| count(g, "grace_interest_periods"))
                    .transpose()?
                    .unwrap_or(0),
            });
        }
        if let Some(r) = rate_changes {
            b = b.rate_changes(self::rate_changes(r)?);
        }
        if let Some(c) = payment_cap {
            b = b.payment_cap(number(c, "payment_cap")?);
        }
        if let Some(p) = prepayment_policy {
            b = b.prepayment_policy(parse_enum::<PrepaymentPolicy>(p, "prepayment_policy")?);
        }
        if let Some(d) = payment_day_count {
            b = b.payment_day_count(parse_enum::<DayCount>(d, "payment_day_count")?);
        }
        if let Some(items) = adjustment_payment_numbers {
            let mut numbers = Vec::new();
            for (i, k) in items.try_iter()?.enumerate() {
                numbers.push(count(&k?, &format!("adjustment_payment_numbers[{i}]"))?);
            }
            b = b.adjustment_payment_numbers(numbers);
        }
        if let Some(c) = payment_cap_percent {
            if payment_cap.is_some() {
                return Err(validation(
                    "payment_cap",
                    "give either payment_cap (a factor) or payment_cap_percent, not both",
                ));
            }
            b = b.payment_cap_percent(number(c, "payment_cap_percent")?);
        }
        if let Some(n) = default_after_days_past_due {
            b = b.default_after_days_past_due(count(n, "default_after_days_past_due")?);
        }
        if let Some(a) = accrual {
            b = b.accrual(parse_enum::<Accrual>(a, "accrual")?);
        }
        Ok(PyLoanTerms {
            inner: b.build().py()?,
        })
    }

    /// The contractual schedule.
    fn schedule(&self, py: Python<'_>) -> PyResult<crate::schedule::PySchedule> {
        let s = py.detach(|| self.inner.schedule()).py()?;
        Ok(crate::schedule::PySchedule::new(s))
    }

    /// The schedule with extra payments and what they save.
    #[pyo3(signature = (*, recurring=None, recurring_from=None, lump_sums=None, policy=None))]
    fn what_if(
        &self,
        py: Python<'_>,
        recurring: Option<&Bound<'_, PyAny>>,
        recurring_from: Option<&Bound<'_, PyAny>>,
        lump_sums: Option<&Bound<'_, PyAny>>,
        policy: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<crate::schedule::PyWhatIf> {
        let mut extra = loansyncro_core::ExtraPayments::default();
        if let Some(r) = recurring {
            extra.recurring = money(r, "recurring")?;
        }
        extra.recurring_from = match recurring_from {
            Some(n) => count(n, "recurring_from")?,
            None => 1,
        };
        if let Some(items) = lump_sums {
            for (i, item) in items.try_iter()?.enumerate() {
                let item = item?;
                let (d, a) = if let Ok(t) = item.cast::<PyTuple>() {
                    if t.len() != 2 {
                        return Err(validation(
                            &format!("lump_sums[{i}]"),
                            "must be a (date, amount) pair",
                        ));
                    }
                    (t.get_item(0)?, t.get_item(1)?)
                } else {
                    (item.getattr("date")?, item.getattr("amount")?)
                };
                extra.lump_sums.push(loansyncro_core::LumpSum {
                    date: date(&d, &format!("lump_sums[{i}].date"))?,
                    amount: money(&a, &format!("lump_sums[{i}].amount"))?,
                });
            }
        }
        if let Some(p) = policy {
            extra.policy = parse_enum::<PrepaymentPolicy>(p, "policy")?;
        } else {
            extra.policy = self.inner.prepayment_policy();
        }
        let w = py.detach(|| self.inner.what_if(&extra)).py()?;
        crate::schedule::PyWhatIf::new(py, w)
    }

    /// APR in percent (Regulation Z Appendix J) with an optional prepaid finance charge.
    #[pyo3(signature = (prepaid_finance_charge=None))]
    fn apr<'py>(
        &self,
        py: Python<'py>,
        prepaid_finance_charge: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let fee = prepaid_finance_charge
            .map(|f| money(f, "prepaid_finance_charge"))
            .transpose()?
            .unwrap_or(Decimal::ZERO);
        let apr = py.detach(|| self.inner.apr(fee)).py()?;
        to_py_decimal(py, apr)
    }

    /// Effective annual rate of the note rate, in percent.
    fn effective_annual_rate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.effective_annual_rate().py()?)
    }

    /// A copy with some arguments changed (same keywords as the constructor).
    #[pyo3(signature = (**changes))]
    fn replace(&self, py: Python<'_>, changes: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let kwargs = self.to_dict(py)?;
        if let Some(c) = changes {
            if c.contains("annual_rate")? {
                kwargs.del_item("annual_rate_percent")?;
            }
            if c.contains("method")? && !c.contains("installment_amount")? {
                let _ = kwargs.del_item("installment_amount");
            }
            kwargs.update(c.as_mapping())?;
        }
        let cls = py.get_type::<PyLoanTerms>();
        let replaced = cls.call((), Some(&kwargs))?;
        if !self.inner.has_events() {
            return Ok(replaced.unbind());
        }
        // Renewals and the opening of a loan entered mid-term are kept (they are not
        // constructor arguments); a change that contradicts them is their validation error.
        let mut b = replaced
            .extract::<PyRef<'_, PyLoanTerms>>()?
            .inner
            .to_builder();
        b.renewals = self.inner.renewals().to_vec();
        b.opening = self.inner.opening().copied();
        let inner = b.build().py()?;
        Ok(Py::new(py, PyLoanTerms { inner })?.into_any())
    }

    /// The constructor's keyword arguments for these terms (`LoanTerms(**t.to_dict()) == t`;
    /// renewals and the opening of a loan entered mid-term are not constructor arguments: see
    /// `timeline()`, and `replace()` keeps them).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t = &self.inner;
        let d = PyDict::new(py);
        d.set_item("principal", to_py_decimal(py, t.principal())?)?;
        d.set_item("start", to_py_date(py, t.start())?)?;
        d.set_item("installments", t.installments())?;
        d.set_item(
            "annual_rate_percent",
            to_py_decimal(py, t.annual_rate().percent())?,
        )?;
        d.set_item("currency", t.currency().code())?;
        d.set_item("frequency", t.frequency().to_string())?;
        if let Some(f) = t.first_due() {
            d.set_item("first_due", to_py_date(py, f)?)?;
        }
        d.set_item("method", t.method().name())?;
        if let AmortizationMethod::FixedInstallment { amount } = t.method() {
            d.set_item("installment_amount", to_py_decimal(py, amount)?)?;
        }
        d.set_item("day_count", t.day_count().to_string())?;
        d.set_item("compounding", t.compounding().as_str())?;
        d.set_item("payment_rounding", t.payment_rounding().as_str())?;
        d.set_item("interest_rounding", t.interest_rounding().as_str())?;
        if let Some(m) = t.installment_multiple() {
            d.set_item("installment_multiple", to_py_decimal(py, m)?)?;
        }
        d.set_item("balance_precision", t.balance_precision().as_str())?;
        if let Some(b) = t.balloon() {
            d.set_item("balloon", to_py_decimal(py, b)?)?;
        }
        if let Some(n) = t.amortization_installments() {
            d.set_item("amortization_installments", n)?;
        }
        d.set_item("grace_principal_periods", t.grace().principal_periods)?;
        d.set_item("grace_interest_periods", t.grace().interest_periods)?;
        let changes = PyList::empty(py);
        for c in t.rate_changes() {
            changes.append((
                to_py_date(py, c.effective)?,
                to_py_decimal(py, c.annual_rate.percent())?,
            ))?;
        }
        d.set_item("rate_changes", changes)?;
        if let Some(c) = t.payment_cap() {
            d.set_item("payment_cap", to_py_decimal(py, c)?)?;
        }
        d.set_item("prepayment_policy", t.prepayment_policy().as_str())?;
        if let Some(basis) = t.payment_day_count() {
            d.set_item("payment_day_count", basis.to_string())?;
        }
        if !t.adjustment_payment_numbers().is_empty() {
            d.set_item(
                "adjustment_payment_numbers",
                t.adjustment_payment_numbers().to_vec(),
            )?;
        }
        if let Some(n) = t.default_after_days_past_due() {
            d.set_item("default_after_days_past_due", n)?;
        }
        d.set_item("accrual", t.accrual().as_str())?;
        Ok(d)
    }

    #[getter]
    fn principal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.principal())
    }
    /// Annual rate as a fraction (0.065).
    #[getter]
    fn annual_rate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.annual_rate().fraction())
    }
    #[getter]
    fn annual_rate_percent<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_decimal(py, self.inner.annual_rate().percent())
    }
    #[getter]
    fn installments(&self) -> u32 {
        self.inner.installments()
    }
    #[getter]
    fn currency(&self) -> String {
        self.inner.currency().code().to_owned()
    }
    #[getter]
    fn frequency(&self) -> String {
        self.inner.frequency().to_string()
    }
    #[getter]
    fn start<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_date(py, self.inner.start())
    }
    #[getter]
    fn first_due<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.first_due())
    }
    #[getter]
    fn first_due_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_opt_date(py, self.inner.first_due_date())
    }
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method().name()
    }
    #[getter]
    fn day_count(&self) -> String {
        self.inner.day_count().to_string()
    }
    #[getter]
    fn payment_rounding(&self) -> &'static str {
        self.inner.payment_rounding().as_str()
    }
    #[getter]
    fn interest_rounding(&self) -> &'static str {
        self.inner.interest_rounding().as_str()
    }
    #[getter]
    fn prepayment_policy(&self) -> &'static str {
        self.inner.prepayment_policy().as_str()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyLoanTerms>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        let t = &self.inner;
        format!(
            "LoanTerms(principal=Decimal('{}'), annual_rate_percent=Decimal('{}'), installments={}, start={}, currency='{}', frequency='{}', method='{}')",
            t.principal(),
            t.annual_rate().percent(),
            t.installments(),
            t.start(),
            t.currency().code(),
            t.frequency(),
            t.method().name()
        )
    }
}

/// Schedules of many terms at once, computed without the GIL on up to `threads` threads.
#[pyfunction]
#[pyo3(signature = (terms, *, threads=None))]
pub(crate) fn schedules(
    py: Python<'_>,
    terms: &Bound<'_, PyAny>,
    threads: Option<usize>,
) -> PyResult<Vec<crate::schedule::PySchedule>> {
    let mut all = Vec::new();
    for t in terms.try_iter()? {
        let t = t?;
        let t = t
            .cast::<PyLoanTerms>()
            .map_err(|_| crate::error::type_error("terms", "LoanTerms", &t))?;
        all.push(t.get().inner.clone());
    }
    let threads = threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let results: Vec<loansyncro_core::Result<loansyncro_core::Schedule>> = py.detach(|| {
        if threads == 1 || all.len() < 64 {
            return all.iter().map(|t| t.schedule()).collect();
        }
        let chunk = all.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = all
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || part.iter().map(|t| t.schedule()).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    });
    results
        .into_iter()
        .map(|r| r.py().map(crate::schedule::PySchedule::new))
        .collect()
}
