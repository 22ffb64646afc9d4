// Small exact operations on decimal strings (no floats for money): the app only needs to check
// the shape of what the user typed and to move a decimal point.

/** A plain decimal as the user may type it ("1,234.50" with grouping commas allowed). */
export function normalizeDecimal(input: string): string | null {
  const s = input.trim().replace(/[\s,_]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  let [int = '', frac = ''] = s.replace(/^\+/, '').split('.');
  const neg = int.startsWith('-');
  if (neg) int = int.slice(1);
  int = int.replace(/^0+(?=\d)/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return neg && out !== '0' ? `-${out}` : out;
}

/** Divides a decimal string by 10^places exactly ("6.5", 2 -> "0.065"). */
export function shiftLeft(value: string, places: number): string {
  const n = normalizeDecimal(value);
  if (n === null) throw new Error(`not a decimal: ${value}`);
  const neg = n.startsWith('-');
  const [int = '0', frac = ''] = (neg ? n.slice(1) : n).split('.');
  const digits = (int + frac).replace(/^0+(?=\d)/, '');
  const scale = frac.length + places;
  const padded = digits.padStart(scale + 1, '0');
  const head = padded.slice(0, padded.length - scale);
  const tail = padded.slice(padded.length - scale);
  const out = normalizeDecimal(`${head}.${tail}`) ?? '0';
  return neg && out !== '0' ? `-${out}` : out;
}

/** Percent -> fraction ("6.5" -> "0.065"). */
export function percentToFraction(percent: string): string {
  return shiftLeft(percent, 2);
}

/** Fraction -> percent ("0.065" -> "6.5"). */
export function fractionToPercent(fraction: string): string {
  const n = normalizeDecimal(fraction);
  if (n === null) throw new Error(`not a decimal: ${fraction}`);
  const neg = n.startsWith('-');
  const [int = '0', frac = ''] = (neg ? n.slice(1) : n).split('.');
  const f = frac.padEnd(2, '0');
  const out = normalizeDecimal(`${int}${f.slice(0, 2)}.${f.slice(2)}`) ?? '0';
  return neg && out !== '0' ? `-${out}` : out;
}

/** Minor units (exact integer in a float) -> a number of major units for charts (display only). */
export function minorToNumber(minor: number, scale: number): number {
  return minor / 10 ** scale;
}

/** Exact comparison of two decimal strings: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const x = normalizeDecimal(a) ?? '0';
  const y = normalizeDecimal(b) ?? '0';
  const nx = x.startsWith('-');
  const ny = y.startsWith('-');
  if (nx !== ny) return nx ? -1 : 1;
  const sign = nx ? -1 : 1;
  const [xi = '', xf = ''] = (nx ? x.slice(1) : x).split('.');
  const [yi = '', yf = ''] = (ny ? y.slice(1) : y).split('.');
  if (xi.length !== yi.length) return xi.length < yi.length ? -sign : sign;
  const len = Math.max(xf.length, yf.length);
  const dx = xi + xf.padEnd(len, '0');
  const dy = yi + yf.padEnd(len, '0');
  return dx === dy ? 0 : dx < dy ? -sign : sign;
}
