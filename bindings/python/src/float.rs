//! The float path of `loansyncro.finance`: numpy-financial's formulas in `f64`, evaluated in the
//! same order as numpy-financial so that float results match it (the same `pow` of the C
//! library), with three changes that make them accurate:
//!
//! - below `|rate| < 1e-3` the growth factor is `exp(n·ln1p(r))` and `(1+r)^n - 1` is
//!   `expm1(n·ln1p(r))`, so tiny rates do not cancel (numpy-financial loses digits there);
//! - `nper` is `ln1p(x) / ln1p(r)` (exact for small rates) and has the right sign at 0%;
//! - `rate` and `irr` refine their root to full `f64` precision (numpy-financial stops at 1e-6).
//!
//! One exception to "the same order": `pmt` over arrays with a whole `nper` (up to 4096) and one
//! `when` ([`pmt_into`]) raises `1+r` by repeated squaring, eight elements at a time, and divides
//! once; its elements can differ from the scalar `pmt` (and numpy-financial) in the last bits,
//! within the same 1e-12 (tests/test_array_kernels.py).
//!
//! Results are within 1e-12 relative of the exact value of the same (decimal) arguments (checked
//! against the reference vectors by the tests). Invalid arguments (a rate at or below -100%, a
//! period outside `1..=nper`, no solution) give NaN here; the callers turn NaN into a typed error
//! by asking the exact core why (`errors="raise"`) or keep it (`errors="nan"`). A NaN
//! argument gives NaN.

// This module is the float path on purpose: its tolerance is stated above and tested against
// every reference vector (tests/test_finance_paths.py). NaN-aware comparisons (`!(x > 0.0)`)
// are deliberate: a NaN argument must fail them.
#![allow(clippy::float_arithmetic, clippy::neg_cmp_op_on_partial_ord)]

use crate::arrays::{Column, Part};

/// Below this `|rate|`, `(1+r)^n` is computed through `ln1p` (rounding `1 + r` would cost
/// `1e-16 / |r|` of relative precision).
const SMALL_RATE: f64 = 1e-3;

/// `((1+r)^n, (1+r)^n - 1)`.
fn growth(r: f64, n: f64) -> (f64, f64) {
    if r.abs() < SMALL_RATE {
        let x = n * r.ln_1p();
        (x.exp(), x.exp_m1())
    } else {
        let t = (1.0 + r).powf(n);
        (t, t - 1.0)
    }
}

fn valid_rate(r: f64) -> bool {
    r > -1.0
}

/// `(1 + r·w)·((1+r)^n - 1)/r` (`n` at 0%) and `(1+r)^n`.
fn factors(r: f64, n: f64, w: f64) -> (f64, f64) {
    if r == 0.0 {
        return (n, 1.0);
    }
    let (temp, tm1) = growth(r, n);
    ((1.0 + r * w) * tm1 / r, temp)
}

/// numpy-financial's `pmt`.
pub(crate) fn pmt(r: f64, n: f64, pv: f64, fv: f64, w: f64) -> f64 {
    if !valid_rate(r) || !(n > 0.0) {
        return f64::NAN;
    }
    if r == 0.0 {
        return -(fv + pv) / n;
    }
    let (fact, temp) = factors(r, n, w);
    -(fv + pv * temp) / fact
}

/// The largest whole `nper` that [`pmt_into`] raises to by repeated squaring: the squarings add at
/// most `(n - 1)` roundings of relative error to `(1+r)^n`, which stays below 1e-12 with the
/// rounding of `1 + r` itself (`n/2` more) up to here.
const POWI_MAX: f64 = 4096.0;

/// `b^n` by repeated squaring (`n >= 1`).
#[inline(always)]
fn powi(mut b: f64, mut n: u32) -> f64 {
    let mut acc = 1.0;
    while n > 0 {
        if n & 1 == 1 {
            acc *= b;
        }
        b *= b;
        n >>= 1;
    }
    acc
}

/// A [`Part`] read per element: a constant or a slice (monomorphised, so the loops below have no
/// per-element dispatch).
trait Lane: Copy {
    fn at(self, j: usize) -> f64;
}

impl Lane for f64 {
    #[inline(always)]
    fn at(self, _: usize) -> f64 {
        self
    }
}

impl Lane for &[f64] {
    #[inline(always)]
    fn at(self, j: usize) -> f64 {
        self[j]
    }
}

/// Elements computed together by [`pmt_whole`]: their squarings are independent, so they overlap
/// (one element's chain of dependent multiplications would leave the multiplier idle).
const LANES: usize = 8;

/// [`pmt`] of one element whose `(1+r)^n` is `t`, for `r` with `|r| >= SMALL_RATE`, `r > -1`.
#[inline(always)]
fn pmt_grown(r: f64, t: f64, pv: f64, fv: f64, w: f64) -> f64 {
    -(fv + pv * t) * (r / ((1.0 + r * w) * (t - 1.0)))
}

/// Whether [`pmt_whole`] computes `r` by repeated squaring (else [`pmt`] itself).
#[inline(always)]
fn squarable(r: f64) -> bool {
    r.abs() >= SMALL_RATE && r > -1.0 && r.is_finite()
}

/// [`pmt`] of every element, for a whole `nper` `n` and one `when` `w`: `(1+r)^n` by repeated
/// squaring of [`LANES`] elements at a time instead of `powf`, and one division. Rates below
/// [`SMALL_RATE`], at or below -100 % and non-finite ones take [`pmt`] itself.
#[inline(always)]
fn pmt_whole<R: Lane, P: Lane, F: Lane>(out: &mut [f64], rate: R, pv: P, fv: F, n: u32, w: f64) {
    let mut chunks = out.chunks_exact_mut(LANES);
    let mut base = 0;
    for o in &mut chunks {
        let r: [f64; LANES] = std::array::from_fn(|k| rate.at(base + k));
        let mut b = r.map(|r| 1.0 + r);
        let mut t = [1.0f64; LANES];
        let mut e = n;
        while e > 0 {
            if e & 1 == 1 {
                for (t, b) in t.iter_mut().zip(&b) {
                    *t *= b;
                }
            }
            for b in &mut b {
                *b *= *b;
            }
            e >>= 1;
        }
        for (k, slot) in o.iter_mut().enumerate() {
            let (r, p, f) = (r[k], pv.at(base + k), fv.at(base + k));
            *slot = if squarable(r) {
                pmt_grown(r, t[k], p, f, w)
            } else {
                pmt(r, f64::from(n), p, f, w)
            };
        }
        base += LANES;
    }
    for (j, slot) in chunks.into_remainder().iter_mut().enumerate() {
        let i = base + j;
        let (r, p, f) = (rate.at(i), pv.at(i), fv.at(i));
        *slot = if squarable(r) {
            pmt_grown(r, powi(1.0 + r, n), p, f, w)
        } else {
            pmt(r, f64::from(n), p, f, w)
        };
    }
}

/// [`pmt`] of output elements `start..start + out.len()` of broadcast columns (`rate`, `nper`,
/// `pv`, `fv`) and `when`, written into `out`. A whole `nper` up to [`POWI_MAX`] and one `when` for
/// the whole array (the common shapes: arrays of rates or amounts) take a loop specialised for
/// them; every other shape the scalar [`pmt`] per element. Within 1e-12 relative of the exact
/// value either way.
pub(crate) fn pmt_into(out: &mut [f64], start: usize, columns: &[Column<'_>], when: &Column<'_>) {
    let len = out.len();
    let part = |k: usize| columns.get(k).and_then(|c| c.part(start, len));
    let (rate, nper, pv, fv) = (part(0), part(1), part(2), part(3));
    let when_part = when.part(start, len);
    let whole = match nper {
        Some(Part::Scalar(n)) if (1.0..=POWI_MAX).contains(&n) && n.fract() == 0.0 => {
            Some(n as u32)
        }
        _ => None,
    };
    match (whole, when_part, rate, pv, fv) {
        (Some(n), Some(Part::Scalar(w)), Some(rate), Some(pv), Some(fv)) => {
            use Part::{Scalar as S, Values as V};
            match (rate, pv, fv) {
                (V(r), S(p), S(f)) => pmt_whole(out, r, p, f, n, w),
                (V(r), V(p), S(f)) => pmt_whole(out, r, p, f, n, w),
                (V(r), S(p), V(f)) => pmt_whole(out, r, p, f, n, w),
                (V(r), V(p), V(f)) => pmt_whole(out, r, p, f, n, w),
                (S(r), V(p), S(f)) => pmt_whole(out, r, p, f, n, w),
                (S(r), S(p), V(f)) => pmt_whole(out, r, p, f, n, w),
                (S(r), V(p), V(f)) => pmt_whole(out, r, p, f, n, w),
                (S(r), S(p), S(f)) => pmt_whole(out, r, p, f, n, w),
            }
        }
        _ => {
            let get = |k: usize, i: usize| columns.get(k).map_or(f64::NAN, |c| c.get(i));
            for (j, o) in out.iter_mut().enumerate() {
                let i = start + j;
                *o = pmt(get(0, i), get(1, i), get(2, i), get(3, i), when.get(i));
            }
        }
    }
}

/// numpy-financial's `fv`.
pub(crate) fn fv(r: f64, n: f64, pmt: f64, pv: f64, w: f64) -> f64 {
    if !valid_rate(r) || !(n >= 0.0) {
        return f64::NAN;
    }
    let (fact, temp) = factors(r, n, w);
    -(pv * temp + pmt * fact)
}

/// numpy-financial's `pv`.
pub(crate) fn pv(r: f64, n: f64, pmt: f64, fv: f64, w: f64) -> f64 {
    if !valid_rate(r) || !(n >= 0.0) {
        return f64::NAN;
    }
    let (fact, temp) = factors(r, n, w);
    -(fv + pmt * fact) / temp
}

/// `(1 - (1+r)^-m) / r` (`m` at 0%), without cancellation.
fn annuity(r: f64, m: f64) -> f64 {
    if r == 0.0 {
        m
    } else {
        -(-m * r.ln_1p()).exp_m1() / r
    }
}

/// The balance owed after `k` of `n` periods, interest of period `k` included, in the closed
/// form `(pv·a(n-k) - fv·v(n-k)·a(k)) / a(n)` that never subtracts two grown amounts (the core's
/// formula; numpy-financial's `fv`-based one cancels late in long loans).
fn balance_after(r: f64, k: f64, n: f64, pv: f64, fv: f64) -> f64 {
    if k == 0.0 {
        return pv;
    }
    let rest = n - k;
    let v_rest = (-rest * r.ln_1p()).exp();
    (pv * annuity(r, rest) - fv * v_rest * annuity(r, k)) / annuity(r, n)
}

fn valid_period(per: f64, n: f64) -> bool {
    per >= 1.0 && per <= n
}

/// numpy-financial's `ipmt`: `-r` times the balance before payment `per` (divided by `1+r` for
/// payments at the beginning, 0 for the first of them); NaN for a period outside `1..=nper` (as
/// numpy-financial 1.1; 1.0 extrapolated the formula).
pub(crate) fn ipmt(r: f64, per: f64, n: f64, pv: f64, fv: f64, w: f64) -> f64 {
    if !valid_rate(r) || !valid_period(per, n) {
        return f64::NAN;
    }
    if w == 1.0 && per == 1.0 {
        return 0.0;
    }
    let i = -balance_after(r, per - 1.0, n, pv, fv) * r;
    if w == 1.0 {
        i / (1.0 + r)
    } else {
        i
    }
}

/// numpy-financial's `ppmt` (`pmt - ipmt`), computed as the principal part directly: with
/// payments at the end it grows geometrically from `-r(fv+pv) / ((1+r)^n - 1)`; with payments
/// at the beginning the first payment is all principal and payment `k` repays what payment
/// `k-1` repays at the end. No cancellation, even when the part is tiny next to the payment.
pub(crate) fn ppmt(r: f64, per: f64, n: f64, pv: f64, fv: f64, w: f64) -> f64 {
    if !valid_rate(r) || !valid_period(per, n) {
        return f64::NAN;
    }
    if r == 0.0 {
        return -(fv + pv) / n;
    }
    if w == 1.0 && per == 1.0 {
        return pmt(r, n, pv, fv, w);
    }
    let j = if w == 1.0 { per - 1.0 } else { per };
    let log = r.ln_1p();
    -r * (fv + pv) / (n * log).exp_m1() * ((j - 1.0) * log).exp()
}

/// numpy-financial's `nper`, as `ln1p(-r(fv+pv) / (pmt(1+rw) + pv·r)) / ln1p(r)`; `±inf`
/// where the payment exactly equals the interest, NaN where the payments never get there.
pub(crate) fn nper(r: f64, pmt: f64, pv: f64, fv: f64, w: f64) -> f64 {
    if !valid_rate(r) {
        return f64::NAN;
    }
    if r == 0.0 {
        return -(fv + pv) / pmt;
    }
    let x = -r * (fv + pv) / (pmt * (1.0 + r * w) + pv * r);
    x.ln_1p() / r.ln_1p()
}

/// `g(r)/g'(r)` of the rate equation `fv + pv(1+r)^n + pmt(1+rw)((1+r)^n - 1)/r` (numpy-financial's
/// `_g_div_gp`, with the small-rate growth factors).
fn rate_step(r: f64, n: f64, p: f64, x: f64, y: f64, w: f64) -> f64 {
    let (t1, t1m1) = growth(r, n);
    let t2 = t1 / (1.0 + r);
    let g = y + t1 * x + p * t1m1 * (r * w + 1.0) / r;
    let gp = n * t2 * x - p * t1m1 * (r * w + 1.0) / (r * r)
        + n * p * t2 * (r * w + 1.0) / r
        + p * t1m1 * w / r;
    g / gp
}

/// The rate by Newton's method from `guess` to full precision, `None` when it does not converge
/// in 100 steps (the caller then brackets the root exactly).
pub(crate) fn rate_newton(n: f64, pmt: f64, pv: f64, fv: f64, w: f64, guess: f64) -> Option<f64> {
    if !(n > 0.0) {
        return None;
    }
    let mut r = guess;
    for _ in 0..100 {
        if r == 0.0 {
            // The equation's `/r` form is singular at 0: step off it.
            r = 1e-9;
        }
        let next = r - rate_step(r, n, pmt, pv, fv, w);
        if !next.is_finite() || next <= -1.0 {
            return None;
        }
        if (next - r).abs() <= 4.0 * f64::EPSILON * next.abs().max(1e-8) {
            return Some(next);
        }
        r = next;
    }
    None
}

/// `Σ values[t] / (1+r)^t` (Horner in `1/(1+r)`) and its derivative with respect to `r`.
fn npv_and_slope(r: f64, values: &[f64]) -> (f64, f64) {
    let x = 1.0 / (1.0 + r);
    let mut value = 0.0;
    let mut d = 0.0; // derivative with respect to x
    for v in values.iter().rev() {
        d = d * x + value;
        value = value * x + v;
    }
    // dx/dr = -x².
    (value, -d * x * x)
}

/// numpy-financial's `npv`: `Σ values[t] / (1+rate)^t`, the first value undiscounted.
pub(crate) fn npv(r: f64, values: &[f64]) -> f64 {
    if !valid_rate(r) {
        return f64::NAN;
    }
    let x = 1.0 / (1.0 + r);
    values.iter().rev().fold(0.0, |acc, v| acc * x + v)
}

/// Trial rates for bracketing an IRR, ordered by distance from 0 (negative and positive).
const IRR_GRID: [f64; 14] = [
    1e-4, 1e-3, 1e-2, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0,
];
const IRR_GRID_NEGATIVE: [f64; 11] = [
    -1e-4, -1e-3, -1e-2, -0.05, -0.1, -0.2, -0.5, -0.9, -0.99, -0.999, -0.9999,
];

/// The IRR of periodic cash flows: the root of `npv(r, values)` nearest to 0 (numpy-financial
/// returns the real root closest to zero), found by bracketing outward from 0 and refined by
/// safeguarded Newton steps to full precision. NaN when no sign change is found (for example
/// when every flow has the same sign).
pub(crate) fn irr(values: &[f64]) -> f64 {
    if values.iter().any(|v| !v.is_finite()) || values.len() < 2 {
        return f64::NAN;
    }
    let at_zero: f64 = npv(0.0, values);
    if at_zero == 0.0 {
        return 0.0;
    }
    // Scan each side outward from 0; a side stops at its first bracket (later ones on that side
    // hold roots farther from 0) or once its points are farther than the best root found.
    let mut best = f64::NAN;
    for grid in [&IRR_GRID[..], &IRR_GRID_NEGATIVE[..]] {
        let mut prev: (f64, f64) = (0.0, at_zero);
        for &r in grid {
            if best.is_finite() && prev.0.abs() >= best.abs() {
                break;
            }
            let v = npv(r, values);
            if !v.is_finite() {
                break;
            }
            if v == 0.0 {
                if !(best.abs() <= r.abs()) {
                    best = r;
                }
                break;
            }
            if (v < 0.0) != (prev.1 < 0.0) {
                let root = refine(|x| npv_and_slope(x, values), prev, (r, v));
                if root.is_finite() && !(best.abs() <= root.abs()) {
                    best = root;
                }
                break;
            }
            prev = (r, v);
        }
    }
    best
}

/// Newton's method kept inside the bracket `[a, b]` (a step leaving it bisects), to full
/// precision.
fn refine(f: impl Fn(f64) -> (f64, f64), (a, fa): (f64, f64), (b, _fb): (f64, f64)) -> f64 {
    // Orient so that f(lo_side) < 0.
    let (mut neg, mut pos) = if fa < 0.0 { (a, b) } else { (b, a) };
    let mut x = 0.5 * (a + b);
    for _ in 0..200 {
        let (value, slope) = f(x);
        if value == 0.0 || !value.is_finite() {
            return if value == 0.0 { x } else { f64::NAN };
        }
        if value < 0.0 {
            neg = x;
        } else {
            pos = x;
        }
        let (lo, hi) = if neg < pos { (neg, pos) } else { (pos, neg) };
        let newton = x - value / slope;
        let next = if slope != 0.0 && newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
        if (next - x).abs() <= 2.0 * f64::EPSILON * next.abs().max(1e-12)
            || next == lo
            || next == hi
        {
            return next;
        }
        x = next;
    }
    x
}

/// numpy-financial's `mirr`: NaN unless the flows have both signs.
pub(crate) fn mirr(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> f64 {
    let n = values.len();
    let has_pos = values.iter().any(|v| *v > 0.0);
    let has_neg = values.iter().any(|v| *v < 0.0);
    if !(has_pos && has_neg) || n < 2 {
        return f64::NAN;
    }
    let positives: Vec<f64> = values.iter().map(|v| v.max(0.0)).collect();
    let negatives: Vec<f64> = values.iter().map(|v| v.min(0.0)).collect();
    let numer = npv(reinvest_rate, &positives).abs();
    let denom = npv(finance_rate, &negatives).abs();
    (numer / denom).powf(1.0 / (n as f64 - 1.0)) * (1.0 + reinvest_rate) - 1.0
}
