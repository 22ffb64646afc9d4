//! The output's money: scale and precision of the decimal128 columns, exact rescaling, and
//! writing an int128 into a buffer.

use loansyncro_core::{Error, LoanTerms};
use pyo3::prelude::*;
use rust_decimal::Decimal;

/// `10^n` as i128 (n <= 38).
pub(super) fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// `mantissa / 10^from` as a mantissa at scale `to`, exactly (`None` when it needs more digits
/// than `to` gives, or overflows).
pub(super) fn rescale(mantissa: i128, from: u32, to: u32) -> Option<i128> {
    if from <= to {
        mantissa.checked_mul(pow10(to - from)?)
    } else {
        let d = pow10(from - to)?;
        (mantissa % d == 0).then(|| mantissa / d)
    }
}

pub(super) fn at_scale(d: Decimal, to: u32, field: &str) -> Result<i128, Error> {
    rescale(d.mantissa(), d.scale(), to).ok_or_else(|| {
        Error::validation(
            field,
            format!("{d} has more decimal places than the output scale {to}: pass a larger scale"),
        )
    })
}

/// The output scale: `scale` when given, else the largest currency precision of the loans
/// whose terms are valid (2 when there is none).
pub(super) fn output_scale(
    terms: &[Result<LoanTerms, Error>],
    scale: Option<u32>,
) -> PyResult<u32> {
    if let Some(s) = scale {
        if s > 38 {
            return Err(crate::error::validation("scale", "must be from 0 to 38"));
        }
        return Ok(s);
    }
    Ok(terms
        .iter()
        .filter_map(|t| t.as_ref().ok().map(|t| t.currency().minor_units()))
        .max()
        .unwrap_or(2))
}

/// The output's money type: `decimal128(precision, scale)`; every value is checked to fit.
#[derive(Debug, Clone, Copy)]
pub(super) struct MoneyType {
    pub(super) precision: u32,
    pub(super) scale: u32,
    /// `10^precision`: the first magnitude that does not fit.
    pub(super) limit: i128,
}

impl MoneyType {
    pub(super) fn new(precision: u32, scale: u32) -> PyResult<Self> {
        if !(1..=38).contains(&precision) {
            return Err(crate::error::validation(
                "precision",
                "must be from 1 to 38",
            ));
        }
        if scale > precision {
            return Err(crate::error::validation(
                "scale",
                format!("must not exceed the precision {precision}"),
            ));
        }
        let limit = pow10(precision)
            .ok_or_else(|| crate::error::validation("precision", "must be from 1 to 38"))?;
        Ok(MoneyType {
            precision,
            scale,
            limit,
        })
    }

    /// `v` (a mantissa at `self.scale`) when it fits the precision.
    pub(super) fn fit(&self, v: i128, field: &str) -> Result<i128, Error> {
        if v.unsigned_abs() < self.limit.unsigned_abs() {
            Ok(v)
        } else {
            Err(Error::validation(
                field,
                format!(
                    "{} does not fit decimal({}, {}): pass a larger precision",
                    Decimal::try_from_i128_with_scale(v, self.scale)
                        .map_or_else(|_| v.to_string(), |d| d.to_string()),
                    self.precision,
                    self.scale
                ),
            ))
        }
    }
}

/// Writes `v` as a little-endian int128 (two i64) at row `at` of a decimal128 buffer.
pub(super) fn put_i128(out: &mut [i64], at: usize, v: i128) {
    if let Some(pair) = out.get_mut(2 * at..2 * at + 2) {
        let le = v.to_le_bytes();
        let (lo, hi) = le.split_at(8);
        pair[0] = i64::from_le_bytes(lo.try_into().unwrap_or_default());
        pair[1] = i64::from_le_bytes(hi.try_into().unwrap_or_default());
    }
}
