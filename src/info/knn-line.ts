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
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => values[a] - values[b]);
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
    const inside = inclusive ? (d: number) => d <= radius : (d: number) => d < radius;
    // Right side: first position after r whose value is outside.
    let step = 1;
    let good = r;
    let bad = r + 1;
    while (bad < n && inside(s[bad] - c)) {
      good = bad;
      step *= 2;
      bad = r + step;
    }
    if (bad > n) bad = n;
    while (bad - good > 1) {
      const m = (good + bad) >>> 1;
      if (inside(s[m] - c)) good = m;
      else bad = m;
    }
    const right = good - r;
    // Left side: last position before r whose value is outside.
    step = 1;
    good = r;
    bad = r - 1;
    while (bad >= 0 && inside(c - s[bad])) {
      good = bad;
      step *= 2;
      bad = r - step;
    }
    if (bad < -1) bad = -1;
    while (good - bad > 1) {
      const m = (good + bad) >> 1;
      if (inside(c - s[m])) good = m;
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
