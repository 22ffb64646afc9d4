// Exact decimal arithmetic on strings for the tests (BigInt mantissa + scale): expected values
// are compared without ever going through binary floats.
'use strict';

function parse(s) {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(String(s).trim());
  if (!m) throw new Error(`not a decimal: ${s}`);
  const frac = m[3] || '';
  let mant = BigInt((m[2] || '0') + frac);
  let scale = frac.length - Number(m[4] || 0);
  if (scale < 0) {
    mant *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { mant: m[1] === '-' ? -mant : mant, scale };
}
function align(a, b) {
  const s = Math.max(a.scale, b.scale);
  return [a.mant * 10n ** BigInt(s - a.scale), b.mant * 10n ** BigInt(s - b.scale), s];
}
const abs = (x) => (x < 0n ? -x : x);
function cmp(a, b) {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
const eq = (a, b) => cmp(a, b) === 0;
/** |a - b| <= tolAbs */
function withinAbs(a, b, tol) {
  const pa = parse(a), pb = parse(b), pt = parse(tol);
  const [x, y, s] = align(pa, pb);
  const [d, t] = align({ mant: abs(x - y), scale: s }, pt);
  return d <= t;
}
/** |a - b| <= rel * |b| */
function withinRel(a, b, rel) {
  const pb = parse(b), pr = parse(rel);
  const tol = { mant: abs(pb.mant) * pr.mant, scale: pb.scale + pr.scale };
  const [x, y, s] = align(parse(a), pb);
  const [d, t] = align({ mant: abs(x - y), scale: s }, tol);
  return d <= t;
}
/** Rounds to `dp` places, ties to even (rust_decimal's round_dp). */
function roundDp(a, dp) {
  const p = parse(a);
  if (p.scale <= dp) return p;
  const div = 10n ** BigInt(p.scale - dp);
  let q = p.mant / div;
  const r = p.mant - q * div;
  const twice = abs(r) * 2n;
  if (twice > div || (twice === div && q % 2n !== 0n)) q += p.mant < 0n ? -1n : 1n;
  return { mant: q, scale: dp };
}
function toString(p) {
  const neg = p.mant < 0n;
  let s = abs(p.mant).toString();
  if (p.scale === 0) return (neg ? '-' : '') + s;
  s = s.padStart(p.scale + 1, '0');
  return (neg ? '-' : '') + s.slice(0, -p.scale) + '.' + s.slice(-p.scale);
}
function mul(a, b) {
  const x = parse(a), y = parse(b);
  return toString({ mant: x.mant * y.mant, scale: x.scale + y.scale });
}

module.exports = { parse, cmp, eq, withinAbs, withinRel, roundDp, toString, mul };
