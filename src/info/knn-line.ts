/**
 * Neighbour queries on one dimension: the values sorted once, then counts within a radius by
 * exponential-then-binary search outward from the point's own rank, and the k-th neighbour
 * distance by walking outward. Faster than a k-d tree for the 1-D marginals of the kNN
 * estimators. Distances are |a - b| computed exactly as the k-d tree computes them, so a radius
 * found there marks the same boundary here.
 */

/**
 * Sorted view of one coordinate. Indices in and out are the original positions.
 * @example
 * const line = new SortedLine(new Float64Array([0, 5, 1, 2]));
 * line.countAround(0, 2, false); // 1 (only the value 1 is closer than 2 to 0)
 */
export class SortedLine {
  /** Number of values. */
  readonly size: number;
  private readonly sorted: Float64Array;
  private readonly rank: Int32Array;

  /** Sorts `values` (finite, validated by the caller); the array is not modified. */
  constructor(values: Float64Array) {
    const n = values.length;
    this.size = n;
    const order = sortOrder(values);
    this.sorted = new Float64Array(n);
    this.rank = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      this.sorted[r] = values[order[r]];
      this.rank[order[r]] = r;
    }
  }

  /** Number of values j != i with |v_j - v_i| below `radius` (`inclusive`: at most `radius`). */
  countAround(i: number, radius: number, inclusive: boolean): number {
    if (!inclusive && radius <= 0) return 0;
    const s = this.sorted;
    const n = this.size;
    const r = this.rank[i];
    const c = s[r];
    // Right side: first position after r whose value is outside.
    let step = 1;
    let good = r;
    let bad = r + 1;
    while (bad < n && (inclusive ? s[bad] - c <= radius : s[bad] - c < radius)) {
      good = bad;
      step *= 2;
      bad = r + step;
    }
    if (bad > n) bad = n;
    while (bad - good > 1) {
      const m = (good + bad) >>> 1;
      if (inclusive ? s[m] - c <= radius : s[m] - c < radius) good = m;
      else bad = m;
    }
    const right = good - r;
    // Left side: last position before r whose value is outside.
    step = 1;
    good = r;
    bad = r - 1;
    while (bad >= 0 && (inclusive ? c - s[bad] <= radius : c - s[bad] < radius)) {
      good = bad;
      step *= 2;
      bad = r - step;
    }
    if (bad < -1) bad = -1;
    while (good - bad > 1) {
      const m = (good + bad) >> 1;
      if (inclusive ? c - s[m] <= radius : c - s[m] < radius) good = m;
      else bad = m;
    }
    return right + (r - good);
  }

  /** Distance from value i to its k-th nearest other value (1 <= k < size, checked by the caller). */
  kthDistance(i: number, k: number): number {
    const s = this.sorted;
    const r = this.rank[i];
    const c = s[r];
    let l = r - 1;
    let h = r + 1;
    let d = 0;
    for (let j = 0; j < k; j++) {
      const dl = l >= 0 ? c - s[l] : Number.POSITIVE_INFINITY;
      const dh = h < this.size ? s[h] - c : Number.POSITIVE_INFINITY;
      if (dl <= dh) {
        d = dl;
        l--;
      } else {
        d = dh;
        h++;
      }
    }
    return d;
  }
}

/** Below this size a comparator sort is faster than four radix passes over 65536 buckets. */
const RADIX_MIN = 4096;
/** Positions of the low and high 32-bit halves of a float64 on this platform. */
const LOW = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH = 1 - LOW;

/**
 * The permutation that sorts `values` ascending (stable), by an LSD radix sort on the IEEE 754
 * bits mapped to unsigned order (negative numbers have all bits flipped, others the sign bit),
 * in four 16-bit passes: O(N), several times faster than a comparator sort.
 */
export function sortOrder(values: Float64Array): Int32Array {
  const n = values.length;
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  if (n < RADIX_MIN) return from.sort((a, b) => values[a] - values[b] || a - b);
  const words = new Uint32Array(Float64Array.from(values).buffer);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + HIGH];
    if (h & 0x80000000) {
      words[2 * i + LOW] = ~words[2 * i + LOW];
      words[2 * i + HIGH] = ~h;
    } else words[2 * i + HIGH] = h | 0x80000000;
  }
  let to = new Int32Array(n);
  const counts = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? LOW : HIGH;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((words[2 * i + word] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < n; i++) {
      const j = from[i];
      to[counts[(words[2 * j + word] >>> shift) & 0xffff]++] = j;
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}
