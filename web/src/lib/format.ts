// Display formatting with Intl, by the user's locale and each loan's currency. Decimal strings
// are passed to Intl as strings (exact: Intl.NumberFormat reads a numeric string as a decimal).

const cache = new Map<string, Intl.NumberFormat>();

function nf(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

type Numeric = string | number;

function asIntl(value: Numeric): number {
  // Intl.NumberFormat.prototype.format accepts decimal strings (ES2023); the cast is the lib's type.
  return value as unknown as number;
}

/** `1234.5`, "USD", "en-US" -> "$1,234.50"; an unknown currency code falls back to "1,234.50 XYZ". */
export function money(value: Numeric, currency: string, locale?: string): string {
  try {
    return nf(locale, { style: 'currency', currency }).format(asIntl(value));
  } catch {
    return `${nf(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(asIntl(value))} ${currency}`;
  }
}

/** A compact money figure for chart axes ("$250K"). */
export function moneyCompact(value: number, currency: string, locale?: string): string {
  try {
    return nf(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(value);
  } catch {
    return nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  }
}

/** A rate in percent ("6.5") -> "6.5%". */
export function percent(value: Numeric, locale?: string): string {
  return `${nf(locale, { maximumFractionDigits: 4 }).format(asIntl(value))}%`;
}

/** A fraction 0..1 -> "42%". */
export function ratio(value: number, locale?: string): string {
  return nf(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}

export function integer(value: number, locale?: string): string {
  return nf(locale, { maximumFractionDigits: 0 }).format(value);
}

/** An ISO date "2025-01-31" -> "Jan 31, 2025" in the locale (read as a calendar date, no time zone shift). */
export function date(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

/** Today's calendar date in the user's time zone, ISO. */
export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Months of a term: 360 -> "30 years", 18 -> "1 year 6 months", 7 -> "7 months". */
export function termText(months: number): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  const parts: string[] = [];
  if (y) parts.push(`${y} ${y === 1 ? 'year' : 'years'}`);
  if (m || !y) parts.push(`${m} ${m === 1 ? 'month' : 'months'}`);
  return parts.join(' ');
}
