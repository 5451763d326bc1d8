/**
 * Linear scales and "nice" axis ticks (steps of 1, 2 or 5 times a power of ten) for the charts.
 */

/** A domain extended to whole tick steps, with the ticks inside it. */
export interface NiceTicks {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** Rounds away float noise such as 0.30000000000000004 so labels and geometry are stable. */
function clean(value: number): number {
  const rounded = Number(value.toPrecision(12));
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** The tick step near `span / count`: 1, 2 or 5 times a power of ten. */
function tickStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1;
  return clean(power * factor);
}

/**
 * Extends [min, max] to whole steps and lists about `count` ticks. An empty span is widened so
 * a constant series still gets an axis; `integer` keeps the step at 1 or more (iterations).
 * @example niceTicks(0, 0.93, 5) // { min: 0, max: 1, step: 0.2, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] }
 */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
  options: { integer?: boolean } = {},
): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    min = 0;
    max = 1;
  }
  if (min > max) [min, max] = [max, min];
  // A span below float resolution (or tiny against the values) is drawn as a constant:
  // [0, 1] around zero, the value +- 10% otherwise.
  if (max - min < 1e-12 * Math.max(1, Math.abs(min), Math.abs(max))) {
    const centre = (min + max) / 2;
    const nearZero = Math.abs(centre) < 1e-9;
    min = nearZero ? 0 : centre - Math.abs(centre) * 0.1;
    max = nearZero ? 1 : centre + Math.abs(centre) * 0.1;
  }
  let step = tickStep(max - min, count);
  if (options.integer) step = Math.max(1, Math.round(step));
  const lo = Math.floor(clean(min / step));
  const hi = Math.ceil(clean(max / step));
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) ticks.push(clean(k * step));
  return { min: clean(lo * step), max: clean(hi * step), step, ticks };
}

/**
 * A linear map from a domain to a pixel range (the range may be reversed, as for a y axis).
 * @example linearScale([0, 1], [300, 20])(0.5) // 160
 */
export function linearScale(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  if (span === 0) return () => (r0 + r1) / 2;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Formats a tick value with as many decimals as its step needs (0.2 -> "0.2", 5 -> "5"). */
export function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const text = clean(value).toFixed(decimals);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}
