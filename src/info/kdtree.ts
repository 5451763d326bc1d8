/**
 * A k-d tree over N points of any dimension stored row-major in one Float64Array. Built in
 * O(N log N) expected time by median splits on the widest side of each node's bounding box, with
 * small leaf buckets; the points are copied into tree order so each leaf is contiguous in memory.
 * Answers the two questions the kNN estimators ask: the k nearest neighbours of a stored point
 * (excluding the point itself, by index, so duplicates still count as neighbours) under the max
 * (Chebyshev) or Euclidean norm, searched bottom-up from the point's own leaf, and how many
 * points lie strictly within, or within or on, a max-norm radius. Distances are compared exactly as |a - b| per coordinate, so a radius taken
 * from one query reproduces the same boundary in another.
 */
import { OpenloopError } from "../errors.js";

/** A vector norm: `max` is the Chebyshev (L-infinity) norm, `euclidean` the L2 norm. */
export type Norm = "max" | "euclidean";

/** The k nearest neighbours of each point: row i holds point i's neighbours, nearest first. */
export interface Neighbors {
  /** Number of neighbours per point. */
  k: number;
  /** `indices[i * k + j]` is the original index of point i's (j+1)-th nearest neighbour. */
  indices: Int32Array;
  /** `distances[i * k + j]` is the distance to that neighbour (non-decreasing in j). */
  distances: Float64Array;
}

/** Build options. */
export interface KdTreeOptions {
  /** Maximum number of points in a leaf bucket (default 12). */
  leafSize?: number;
}

const DEFAULT_LEAF_SIZE = 12;

/**
 * A static k-d tree. Point indices in and out are the original row numbers.
 * @example
 * const tree = new KdTree(new Float64Array([0, 0, 1, 1, 3, 0]), 2);
 * tree.kNearest(0, 1, "max").indices; // Int32Array [1]
 */
export class KdTree {
  /** Number of points. */
  readonly size: number;
  /** Dimension of each point. */
  readonly dim: number;
  private readonly pts: Float64Array;
  private readonly order: Int32Array;
  private readonly position: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly parent: Int32Array;
  /** Cell of each node: the region its ancestors' split planes leave it (may be infinite). */
  private readonly cellLo: Float64Array;
  private readonly cellHi: Float64Array;
  /** Leaf holding each tree position. */
  private readonly leafOf: Int32Array;
  private nodeCount = 0;
  // Search state, reused across queries (a tree is not re-entrant).
  private readonly query: Float64Array;
  private heapDist: Float64Array = new Float64Array(0);
  private heapIndex: Int32Array = new Int32Array(0);
  private heapSize = 0;
  private heapCap = 0;
  private readonly stackNode = new Int32Array(256);
  private readonly stackDist = new Float64Array(256);
  private exclude = -1;
  private euclid = false;

  /**
   * Builds the tree over `points` (row-major, `points.length / dim` rows). The array is copied.
   * Throws `OpenloopError("input")` for an empty set, a length that is not a multiple of `dim`,
   * or a value that is NaN or infinite.
   */
  constructor(points: Float64Array, dim: number, options: KdTreeOptions = {}) {
    if (!Number.isInteger(dim) || dim < 1) {
      throw new OpenloopError("input", `k-d tree dimension must be a positive integer, got ${dim}`);
    }
    if (points.length === 0 || points.length % dim !== 0) {
      throw new OpenloopError(
        "input",
        `k-d tree needs a non-empty row-major array whose length is a multiple of the dimension ${dim}, got length ${points.length}`,
      );
    }
    for (let i = 0; i < points.length; i++) {
      if (!Number.isFinite(points[i])) {
        throw new OpenloopError(
          "input",
          `k-d tree point ${Math.floor(i / dim)} has a non-finite coordinate (${points[i]}) in dimension ${i % dim}`,
        );
      }
    }
    const leafSize = options.leafSize ?? DEFAULT_LEAF_SIZE;
    if (!Number.isInteger(leafSize) || leafSize < 1) {
      throw new OpenloopError("input", `k-d tree leaf size must be a positive integer, got ${leafSize}`);
    }
    const n = points.length / dim;
    this.size = n;
    this.dim = dim;
    this.query = new Float64Array(dim);
    const maxNodes = 2 * Math.ceil(n / Math.max(1, Math.floor((leafSize + 1) / 2))) + 1;
    this.lo = new Float64Array(maxNodes * dim);
    this.hi = new Float64Array(maxNodes * dim);
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes);
    this.right = new Int32Array(maxNodes);
    this.parent = new Int32Array(maxNodes);
    this.cellLo = new Float64Array(maxNodes * dim).fill(Number.NEGATIVE_INFINITY);
    this.cellHi = new Float64Array(maxNodes * dim).fill(Number.POSITIVE_INFINITY);
    this.leafOf = new Int32Array(n);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // The working copy is permuted in place while building and ends up in tree order.
    this.pts = Float64Array.from(points);
    this.parent[0] = -1;
    this.build(order, 0, n, leafSize);
    this.order = order;
    this.position = new Int32Array(n);
    for (let p = 0; p < n; p++) this.position[order[p]] = p;
  }

  /** Coordinate `c` of stored point `i` (original index). */
  coordinate(i: number, c: number): number {
    return this.pts[this.position[i] * this.dim + c];
  }

  /**
   * The k nearest neighbours of stored point `i`, excluding `i` itself (other points at distance
   * 0 are neighbours). Ties at the k-th distance are broken arbitrarily.
   */
  kNearest(i: number, k: number, norm: Norm): { indices: Int32Array; distances: Float64Array } {
    this.checkIndex(i);
    this.checkK(k, this.size - 1);
    const p = this.position[i];
    this.query.set(this.pts.subarray(p * this.dim, (p + 1) * this.dim));
    this.knnFromLeaf(k, norm, p);
    const indices = new Int32Array(k);
    const distances = new Float64Array(k);
    this.readHeap(indices, distances, 0);
    return { indices, distances };
  }

  /** The k nearest stored points to an arbitrary point (nothing is excluded). */
  kNearestTo(
    point: ArrayLike<number>,
    k: number,
    norm: Norm,
  ): { indices: Int32Array; distances: Float64Array } {
    this.setQuery(point);
    this.checkK(k, this.size);
    this.resetHeap(k, norm, -1);
    this.descend(0, Number.POSITIVE_INFINITY);
    const indices = new Int32Array(k);
    const distances = new Float64Array(k);
    this.readHeap(indices, distances, 0);
    return { indices, distances };
  }

  /** The k nearest neighbours of every stored point, each excluding itself. */
  allNearest(k: number, norm: Norm): Neighbors {
    this.checkK(k, this.size - 1);
    const n = this.size;
    const dim = this.dim;
    const indices = new Int32Array(n * k);
    const distances = new Float64Array(n * k);
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < dim; c++) this.query[c] = this.pts[p * dim + c];
      this.knnFromLeaf(k, norm, p);
      this.readHeap(indices, distances, this.order[p] * k);
    }
    return { k, indices, distances };
  }

  /** The distance from every stored point to its k-th nearest neighbour (itself excluded). */
  kthDistances(k: number, norm: Norm): Float64Array {
    this.checkK(k, this.size - 1);
    const n = this.size;
    const dim = this.dim;
    const out = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      for (let c = 0; c < dim; c++) this.query[c] = this.pts[p * dim + c];
      this.knnFromLeaf(k, norm, p);
      const d = this.heapDist[k - 1];
      out[this.order[p]] = norm === "euclidean" ? Math.sqrt(d) : d;
    }
    return out;
  }

  /**
   * Number of stored points j != i with max-norm distance to point i below `radius`
   * (`inclusive`: at most `radius`).
   */
  countAround(i: number, radius: number, inclusive: boolean): number {
    this.checkIndex(i);
    checkRadius(radius);
    if (!inclusive && radius <= 0) return 0;
    const p = this.position[i];
    for (let c = 0; c < this.dim; c++) this.query[c] = this.pts[p * this.dim + c];
    return this.countNode(0, radius, inclusive) - 1;
  }

  /** Number of stored points with max-norm distance to `point` below `radius` (`inclusive`: at most). */
  countWithin(point: ArrayLike<number>, radius: number, inclusive: boolean): number {
    this.setQuery(point);
    checkRadius(radius);
    if (!inclusive && radius <= 0) return 0;
    return this.countNode(0, radius, inclusive);
  }

  private checkIndex(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) {
      throw new OpenloopError("input", `point index ${i} is outside 0..${this.size - 1}`);
    }
  }

  private checkK(k: number, available: number): void {
    if (!Number.isInteger(k) || k < 1) {
      throw new OpenloopError("estimator", `k must be a positive integer, got ${k}`);
    }
    if (k > available) {
      throw new OpenloopError(
        "estimator",
        `k = ${k} neighbours asked but only ${available} other points exist (N = ${this.size})`,
      );
    }
  }

  private setQuery(point: ArrayLike<number>): void {
    if (point.length !== this.dim) {
      throw new OpenloopError("input", `query point has dimension ${point.length}, the tree has ${this.dim}`);
    }
    for (let c = 0; c < this.dim; c++) {
      const v = point[c];
      if (!Number.isFinite(v)) throw new OpenloopError("input", `query point coordinate ${c} is ${v}`);
      this.query[c] = v;
    }
  }

  /** Recursively builds the node covering tree positions [from, to) and returns its id. */
  private build(order: Int32Array, from: number, to: number, leafSize: number): number {
    const node = this.nodeCount++;
    const dim = this.dim;
    const pts = this.pts;
    const base = node * dim;
    for (let c = 0; c < dim; c++) {
      this.lo[base + c] = Number.POSITIVE_INFINITY;
      this.hi[base + c] = Number.NEGATIVE_INFINITY;
    }
    for (let row = from * dim, last = to * dim; row < last; row += dim) {
      for (let c = 0; c < dim; c++) {
        const v = pts[row + c];
        if (v < this.lo[base + c]) this.lo[base + c] = v;
        if (v > this.hi[base + c]) this.hi[base + c] = v;
      }
    }
    this.start[node] = from;
    this.end[node] = to;
    let axis = 0;
    let widest = -1;
    for (let c = 0; c < dim; c++) {
      const w = this.hi[base + c] - this.lo[base + c];
      if (w > widest) {
        widest = w;
        axis = c;
      }
    }
    if (to - from <= leafSize || widest <= 0) {
      this.left[node] = -1;
      this.right[node] = -1;
      this.leafOf.fill(node, from, to);
      return node;
    }
    const mid = (from + to) >>> 1;
    selectNth(pts, order, dim, axis, from, to - 1, mid);
    // Points left of mid have coordinate <= split, points from mid on have coordinate >= split.
    const split = pts[mid * dim + axis];
    const l = this.nodeCount;
    this.inheritCell(node, l, axis, Number.NEGATIVE_INFINITY, split);
    this.left[node] = this.build(order, from, mid, leafSize);
    const r = this.nodeCount;
    this.inheritCell(node, r, axis, split, Number.POSITIVE_INFINITY);
    this.right[node] = this.build(order, mid, to, leafSize);
    this.parent[l] = node;
    this.parent[r] = node;
    return node;
  }

  /** Gives `child` its parent's cell, cut at `split` on `axis` (lo or hi side). */
  private inheritCell(node: number, child: number, axis: number, lo: number, hi: number): void {
    const dim = this.dim;
    for (let c = 0; c < dim; c++) {
      this.cellLo[child * dim + c] = this.cellLo[node * dim + c];
      this.cellHi[child * dim + c] = this.cellHi[node * dim + c];
    }
    if (lo > Number.NEGATIVE_INFINITY) this.cellLo[child * dim + axis] = lo;
    if (hi < Number.POSITIVE_INFINITY) this.cellHi[child * dim + axis] = hi;
  }

  /**
   * k nearest neighbours of the stored point at tree position p, bottom-up: scan its own leaf,
   * then climb, searching each sibling subtree that may hold closer points, until the ball of the
   * current k-th distance lies inside the cell reached (every point outside a cell is at least
   * its distance to the cell's boundary away).
   */
  private knnFromLeaf(k: number, norm: Norm, p: number): void {
    this.resetHeap(k, norm, p);
    let node = this.leafOf[p];
    let worst = this.euclid
      ? this.scanLeafEuclid(node, Number.POSITIVE_INFINITY)
      : this.scanLeafMax(node, Number.POSITIVE_INFINITY);
    while (worst > 0 && node !== 0 && !this.ballInsideCell(node, worst)) {
      const up = this.parent[node];
      const sibling = this.left[up] === node ? this.right[up] : this.left[up];
      if (this.boxDistance(sibling) < worst) worst = this.descend(sibling, worst);
      node = up;
    }
  }

  /** True when no point outside `node`'s cell can be closer to the query than `worst`. */
  private ballInsideCell(node: number, worst: number): boolean {
    const dim = this.dim;
    const base = node * dim;
    const q = this.query;
    for (let c = 0; c < dim; c++) {
      const gap = Math.min(q[c] - this.cellLo[base + c], this.cellHi[base + c] - q[c]);
      if ((this.euclid ? gap * gap : gap) < worst) return false;
    }
    return true;
  }

  private resetHeap(k: number, norm: Norm, exclude: number): void {
    if (norm !== "max" && norm !== "euclidean") {
      throw new OpenloopError("estimator", `unknown norm '${String(norm)}': expected max or euclidean`);
    }
    if (this.heapDist.length < k) {
      this.heapDist = new Float64Array(k);
      this.heapIndex = new Int32Array(k);
    }
    this.heapCap = k;
    this.heapSize = 0;
    this.exclude = exclude;
    this.euclid = norm === "euclidean";
  }

  /**
   * Searches the subtree of `start` depth-first, nearer child first, with an explicit stack of
   * (node, lower bound on distance); returns the new k-th best distance.
   */
  private descend(start: number, worst: number): number {
    const stackNode = this.stackNode;
    const stackDist = this.stackDist;
    stackNode[0] = start;
    stackDist[0] = 0;
    let top = 1;
    while (top > 0) {
      top--;
      const node = stackNode[top];
      if (stackDist[top] >= worst) continue;
      const l = this.left[node];
      if (l < 0) {
        worst = this.euclid ? this.scanLeafEuclid(node, worst) : this.scanLeafMax(node, worst);
        if (worst <= 0) return worst; // k neighbours at distance 0: nothing can come closer
        continue;
      }
      const r = this.right[node];
      const dl = this.boxDistance(l);
      const dr = this.boxDistance(r);
      if (dl <= dr) {
        if (dr < worst) {
          stackNode[top] = r;
          stackDist[top++] = dr;
        }
        if (dl < worst) {
          stackNode[top] = l;
          stackDist[top++] = dl;
        }
      } else {
        if (dl < worst) {
          stackNode[top] = l;
          stackDist[top++] = dl;
        }
        if (dr < worst) {
          stackNode[top] = r;
          stackDist[top++] = dr;
        }
      }
    }
    return worst;
  }

  /** Lower bound of the distance (squared for Euclidean) from the query to a node's box. */
  private boxDistance(node: number): number {
    const dim = this.dim;
    const base = node * dim;
    const q = this.query;
    const lo = this.lo;
    const hi = this.hi;
    let d = 0;
    if (this.euclid) {
      for (let c = 0; c < dim; c++) {
        const gap = Math.max(lo[base + c] - q[c], q[c] - hi[base + c], 0);
        d += gap * gap;
      }
    } else {
      for (let c = 0; c < dim; c++) {
        const gap = Math.max(lo[base + c] - q[c], q[c] - hi[base + c]);
        if (gap > d) d = gap;
      }
    }
    return d;
  }

  /** Scans a leaf under the max norm; returns the new k-th best distance (or +Infinity). */
  private scanLeafMax(node: number, worst: number): number {
    const dim = this.dim;
    const pts = this.pts;
    const q = this.query;
    const exclude = this.exclude;
    for (let p = this.start[node], e = this.end[node]; p < e; p++) {
      if (p === exclude) continue;
      const row = p * dim;
      let d = 0;
      for (let c = 0; c < dim; c++) {
        const t = pts[row + c] - q[c];
        const a = t < 0 ? -t : t;
        if (a > d) {
          d = a;
          if (d >= worst) break;
        }
      }
      if (d < worst) {
        worst = this.insert(d, p);
        if (worst <= 0) return worst;
      }
    }
    return worst;
  }

  /** Scans a leaf under the Euclidean norm (squared distances). */
  private scanLeafEuclid(node: number, worst: number): number {
    const dim = this.dim;
    const pts = this.pts;
    const q = this.query;
    const exclude = this.exclude;
    for (let p = this.start[node], e = this.end[node]; p < e; p++) {
      if (p === exclude) continue;
      const row = p * dim;
      let d = 0;
      for (let c = 0; c < dim && d < worst; c++) {
        const t = pts[row + c] - q[c];
        d += t * t;
      }
      if (d < worst) {
        worst = this.insert(d, p);
        if (worst <= 0) return worst;
      }
    }
    return worst;
  }

  /** Inserts (distance, tree position) into the sorted best-k list; returns the new k-th best. */
  private insert(d: number, p: number): number {
    const dist = this.heapDist;
    const idx = this.heapIndex;
    const cap = this.heapCap;
    let j = this.heapSize < cap ? this.heapSize++ : cap - 1;
    while (j > 0 && dist[j - 1] > d) {
      dist[j] = dist[j - 1];
      idx[j] = idx[j - 1];
      j--;
    }
    dist[j] = d;
    idx[j] = p;
    return this.heapSize < cap ? Number.POSITIVE_INFINITY : dist[cap - 1];
  }

  private readHeap(indices: Int32Array, distances: Float64Array, offset: number): void {
    for (let j = 0; j < this.heapCap; j++) {
      indices[offset + j] = this.order[this.heapIndex[j]];
      const d = this.heapDist[j];
      distances[offset + j] = this.euclid ? Math.sqrt(d) : d;
    }
  }

  private countNode(node: number, radius: number, inclusive: boolean): number {
    const dim = this.dim;
    const base = node * dim;
    const q = this.query;
    let near = 0;
    let far = 0;
    for (let c = 0; c < dim; c++) {
      const qc = q[c];
      const below = this.lo[base + c] - qc;
      const above = qc - this.hi[base + c];
      if (below > near) near = below;
      if (above > near) near = above;
      const toHi = this.hi[base + c] - qc;
      const toLo = qc - this.lo[base + c];
      if (toHi > far) far = toHi;
      if (toLo > far) far = toLo;
    }
    if (inclusive ? near > radius : near >= radius) return 0;
    if (inclusive ? far <= radius : far < radius) return this.end[node] - this.start[node];
    const l = this.left[node];
    if (l >= 0) {
      return this.countNode(l, radius, inclusive) + this.countNode(this.right[node], radius, inclusive);
    }
    const pts = this.pts;
    let count = 0;
    for (let p = this.start[node], e = this.end[node]; p < e; p++) {
      const row = p * dim;
      let inside = true;
      for (let c = 0; c < dim; c++) {
        const t = pts[row + c] - q[c];
        const a = t < 0 ? -t : t;
        if (inclusive ? a > radius : a >= radius) {
          inside = false;
          break;
        }
      }
      if (inside) count++;
    }
    return count;
  }
}

function checkRadius(radius: number): void {
  if (Number.isNaN(radius)) throw new OpenloopError("input", "count radius is NaN");
}

/**
 * Rearranges tree positions from..to (inclusive) of `pts` (rows) and `order` together so that
 * position nth holds the point whose coordinate `axis` has rank nth, with no larger values
 * before it and no smaller after it (Hoare's selection with a median-of-three pivot; equal
 * values are split evenly, so duplicates do not degrade it).
 */
function selectNth(
  pts: Float64Array,
  order: Int32Array,
  dim: number,
  axis: number,
  from: number,
  to: number,
  nth: number,
): void {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const a = pts[lo * dim + axis];
    const b = pts[((lo + hi) >>> 1) * dim + axis];
    const c = pts[hi * dim + axis];
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (pts[i * dim + axis] < pivot) i++;
      while (pts[j * dim + axis] > pivot) j--;
      if (i <= j) {
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
        for (let ri = i * dim, rj = j * dim, e = ri + dim; ri < e; ri++, rj++) {
          const v = pts[ri];
          pts[ri] = pts[rj];
          pts[rj] = v;
        }
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
