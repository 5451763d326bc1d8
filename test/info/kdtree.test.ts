import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OpenloopError } from "../../src/errors.js";
import { KdTree, type Norm } from "../../src/info/kdtree.js";
import { createRng } from "../../src/info/rng.js";

function distance(points: Float64Array, dim: number, i: number, q: ArrayLike<number>, norm: Norm): number {
  let d = 0;
  for (let c = 0; c < dim; c++) {
    const t = Math.abs(points[i * dim + c] - q[c]);
    d = norm === "max" ? Math.max(d, t) : d + t * t;
  }
  return norm === "max" ? d : Math.sqrt(d);
}

function row(points: Float64Array, dim: number, i: number): Float64Array {
  return points.subarray(i * dim, (i + 1) * dim);
}

/** Sorted distances from point i to every other point. */
function bruteDistances(points: Float64Array, dim: number, i: number, norm: Norm): number[] {
  const n = points.length / dim;
  const out: number[] = [];
  for (let j = 0; j < n; j++) if (j !== i) out.push(distance(points, dim, j, row(points, dim, i), norm));
  return out.sort((a, b) => a - b);
}

function bruteCount(
  points: Float64Array,
  dim: number,
  q: ArrayLike<number>,
  r: number,
  inclusive: boolean,
): number {
  let count = 0;
  for (let j = 0; j < points.length / dim; j++) {
    const d = distance(points, dim, j, q, "max");
    if (inclusive ? d <= r : d < r) count++;
  }
  return count;
}

/** Random points, on a coarse grid when `grid` so that ties and duplicates are common. */
function randomPoints(n: number, dim: number, seed: number, grid: boolean): Float64Array {
  const rng = createRng(seed);
  const points = new Float64Array(n * dim);
  for (let i = 0; i < points.length; i++) points[i] = grid ? rng.int(5) : rng.normal();
  return points;
}

const cases = fc.record({
  n: fc.integer({ min: 2, max: 200 }),
  dim: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  grid: fc.boolean(),
  leafSize: fc.integer({ min: 1, max: 20 }),
});

describe("KdTree", () => {
  it.each(["max", "euclidean"] as const)("kNN distances equal brute force (%s norm)", (norm) => {
    fc.assert(
      fc.property(cases, fc.integer({ min: 1, max: 8 }), ({ n, dim, seed, grid, leafSize }, kWanted) => {
        const points = randomPoints(n, dim, seed, grid);
        const tree = new KdTree(points, dim, { leafSize });
        const k = Math.min(kWanted, n - 1);
        const all = tree.allNearest(k, norm);
        const kth = tree.kthDistances(k, norm);
        const expected: number[][] = [];
        const got: number[][] = [];
        for (let i = 0; i < n; i++) {
          const brute = bruteDistances(points, dim, i, norm).slice(0, k);
          const found = Array.from(all.distances.subarray(i * k, (i + 1) * k));
          // The listed neighbours are other points, at the listed distances.
          const listed = Array.from(all.indices.subarray(i * k, (i + 1) * k), (j) =>
            j === i ? -1 : distance(points, dim, j, row(points, dim, i), norm),
          );
          // Top-down search from an arbitrary point: the point itself comes first, at distance 0.
          const to = Array.from(tree.kNearestTo(row(points, dim, i), k, norm).distances);
          expected.push([...brute, brute[k - 1], ...brute, 0, ...brute.slice(0, k - 1)]);
          got.push([...found, kth[i], ...listed, ...to]);
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it("counts within a max-norm radius like brute force, strict and inclusive, at exact boundaries", () => {
    fc.assert(
      fc.property(cases, ({ n, dim, seed, grid, leafSize }) => {
        const points = randomPoints(n, dim, seed, grid);
        const tree = new KdTree(points, dim, { leafSize });
        const rng = createRng(seed + 1);
        for (let t = 0; t < 10; t++) {
          const i = rng.int(n);
          // A radius equal to an actual distance puts points exactly on the boundary.
          const r = distance(points, dim, rng.int(n), row(points, dim, i), "max");
          for (const inclusive of [false, true]) {
            const expected = bruteCount(points, dim, row(points, dim, i), r, inclusive);
            expect(tree.countWithin(row(points, dim, i), r, inclusive)).toBe(expected);
            expect(tree.countAround(i, r, inclusive)).toBe(Math.max(0, expected - 1));
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it("finds neighbours of an arbitrary query point and of a stored point", () => {
    const points = new Float64Array([0, 0, 1, 1, 3, 0, 0, 0.5]);
    const tree = new KdTree(points, 2);
    expect(Array.from(tree.kNearest(0, 2, "euclidean").indices)).toEqual([3, 1]);
    expect(Array.from(tree.kNearest(0, 2, "euclidean").distances)).toEqual([0.5, Math.SQRT2]);
    expect(Array.from(tree.kNearestTo([2.9, 0.1], 1, "max").indices)).toEqual([2]);
    expect(tree.kNearestTo([2.9, 0.1], 1, "max").distances[0]).toBeCloseTo(0.1, 15);
    expect(tree.coordinate(2, 0)).toBe(3);
  });

  it("treats duplicates as neighbours at distance 0 and excludes only the query itself", () => {
    const points = new Float64Array([2, 2, 2, 2, 2, 2, 5, 5]);
    const tree = new KdTree(points, 2);
    const { indices, distances } = tree.kNearest(1, 2, "max");
    expect(Array.from(distances)).toEqual([0, 0]);
    expect(Array.from(indices).sort()).toEqual([0, 2]);
    expect(tree.countAround(1, 0, true)).toBe(2);
    expect(tree.countAround(1, 0, false)).toBe(0);
    expect(tree.countAround(1, 3, true)).toBe(3);
    expect(tree.countAround(1, 3, false)).toBe(2);
  });

  it("handles 100,000 points with many duplicates (4 distinct values)", () => {
    const n = 100_000;
    const rng = createRng(7);
    const points = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) points[2 * i] = points[2 * i + 1] = rng.int(4);
    const tree = new KdTree(points, 2);
    const kth = tree.kthDistances(3, "max");
    expect(kth.every((d) => d === 0)).toBe(true);
    const size = tree.countAround(0, 0, true) + 1;
    expect(size).toBe(bruteCount(points, 2, row(points, 2, 0), 0, true));
  });

  it.each([
    ["an empty set", () => new KdTree(new Float64Array(0), 2), /non-empty/],
    [
      "a length that is not a multiple of dim",
      () => new KdTree(new Float64Array(5), 2),
      /multiple of the dimension 2/,
    ],
    ["NaN", () => new KdTree(new Float64Array([0, Number.NaN]), 1), /point 1 has a non-finite/],
    [
      "k >= N",
      () => new KdTree(new Float64Array([0, 1, 2]), 1).kthDistances(3, "max"),
      /k = 3 .* only 2 other/,
    ],
    ["k = 0", () => new KdTree(new Float64Array([0, 1, 2]), 1).allNearest(0, "max"), /positive integer/],
    [
      "a query of the wrong dimension",
      () => new KdTree(new Float64Array([0, 1]), 2).kNearestTo([0], 1, "max"),
      /dimension 1/,
    ],
    [
      "an unknown norm",
      () => new KdTree(new Float64Array([0, 1]), 1).kthDistances(1, "l1" as Norm),
      /unknown norm 'l1'/,
    ],
    [
      "a NaN radius",
      () => new KdTree(new Float64Array([0, 1]), 1).countAround(0, Number.NaN, true),
      /radius is NaN/,
    ],
  ])("rejects %s", (_name, run, message) => {
    expect(run).toThrow(OpenloopError);
    expect(run).toThrow(message);
  });
});
