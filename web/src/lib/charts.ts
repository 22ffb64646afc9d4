// Chart data: series of (date, value) points aligned on one x axis (seconds), as uPlot wants.

export type Point = readonly [seconds: number, value: number];

export interface Aligned {
  x: number[];
  /** One array per input series, null where that series has no point. */
  values: (number | null)[][];
}

/** Aligns several point series on the sorted union of their x values. */
export function align(series: readonly (readonly Point[])[]): Aligned {
  const xs = [...new Set(series.flatMap((s) => s.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const values = series.map((s) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [x, y] of s) col[index.get(x) ?? 0] = y;
    return col;
  });
  return { x: xs, values };
}

/** ISO date -> seconds since the epoch at UTC midnight. */
export function isoToSeconds(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`) / 1000;
}

/** Running sum of (date, amount) points, sorted by date; same-date points are added together. */
export function cumulative(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const out: Point[] = [];
  let sum = 0;
  for (const [x, y] of sorted) {
    sum = Math.round((sum + y) * 100) / 100;
    const last = out[out.length - 1];
    if (last && last[0] === x) out[out.length - 1] = [x, sum];
    else out.push([x, sum]);
  }
  return out;
}

/** Forward-fills nulls after the first value (a stepped series drawn over the common x axis). */
export function fillForward(values: readonly (number | null)[]): (number | null)[] {
  let last: number | null = null;
  return values.map((v) => {
    if (v !== null) last = v;
    return last;
  });
}
