import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dag, dSeparated, reachableGiven } from "../../src/audit/index.js";

/** Koller & Friedman (2009), the Student network (figure 3.4). */
const student = Dag.from([
  ["Difficulty", "Grade"],
  ["Intelligence", "Grade"],
  ["Intelligence", "SAT"],
  ["Grade", "Letter"],
]);

/** Lauritzen & Spiegelhalter (1988), the Asia (chest clinic) network. */
const asia = Dag.from([
  ["Asia", "Tuberculosis"],
  ["Smoking", "LungCancer"],
  ["Smoking", "Bronchitis"],
  ["Tuberculosis", "Either"],
  ["LungCancer", "Either"],
  ["Either", "Xray"],
  ["Either", "Dyspnoea"],
  ["Bronchitis", "Dyspnoea"],
]);

describe("d-separation on textbook graphs", () => {
  it.each([
    [
      "chain A->B->C, nothing observed",
      [
        ["A", "B"],
        ["B", "C"],
      ],
      "A",
      "C",
      [],
      false,
    ],
    [
      "chain A->B->C, B observed",
      [
        ["A", "B"],
        ["B", "C"],
      ],
      "A",
      "C",
      ["B"],
      true,
    ],
    [
      "fork A<-B->C, nothing observed",
      [
        ["B", "A"],
        ["B", "C"],
      ],
      "A",
      "C",
      [],
      false,
    ],
    [
      "fork A<-B->C, B observed",
      [
        ["B", "A"],
        ["B", "C"],
      ],
      "A",
      "C",
      ["B"],
      true,
    ],
    [
      "collider A->C<-B, nothing observed",
      [
        ["A", "C"],
        ["B", "C"],
      ],
      "A",
      "B",
      [],
      true,
    ],
    [
      "collider A->C<-B, C observed",
      [
        ["A", "C"],
        ["B", "C"],
      ],
      "A",
      "B",
      ["C"],
      false,
    ],
    [
      "collider with descendant D observed",
      [
        ["A", "C"],
        ["B", "C"],
        ["C", "D"],
      ],
      "A",
      "B",
      ["D"],
      false,
    ],
    [
      "collider with a deeper descendant observed",
      [
        ["A", "C"],
        ["B", "C"],
        ["C", "D"],
        ["D", "E"],
      ],
      "A",
      "B",
      ["E"],
      false,
    ],
    [
      "chain through an unobserved collider child",
      [
        ["A", "C"],
        ["B", "C"],
        ["C", "D"],
      ],
      "A",
      "D",
      [],
      false,
    ],
  ] as [string, [string, string][], string, string, string[], boolean][])(
    "%s",
    (_name, edges, x, y, given, separated) => {
      expect(dSeparated(Dag.from(edges), [x], [y], given)).toBe(separated);
      expect(dSeparated(Dag.from(edges), [y], [x], given)).toBe(separated);
    },
  );

  it.each([
    ["Difficulty", "Intelligence", [], true],
    ["Difficulty", "Intelligence", ["Grade"], false],
    ["Difficulty", "Intelligence", ["Letter"], false],
    ["Difficulty", "SAT", [], true],
    ["Difficulty", "SAT", ["Grade"], false],
    ["Difficulty", "SAT", ["Grade", "Intelligence"], true],
    ["Letter", "SAT", [], false],
    ["Letter", "SAT", ["Grade"], true],
    ["Letter", "SAT", ["Intelligence"], true],
  ] as [string, string, string[], boolean][])(
    "Student network: %s vs %s given %j -> separated %s",
    (x, y, z, sep) => {
      expect(dSeparated(student, [x], [y], z)).toBe(sep);
    },
  );

  it.each([
    ["Asia", "Smoking", [], true],
    ["Asia", "Smoking", ["Either"], false],
    ["Tuberculosis", "Smoking", ["Dyspnoea"], false],
    ["Tuberculosis", "Smoking", ["Xray"], false],
    ["Xray", "Dyspnoea", ["Either"], true],
    ["Xray", "Dyspnoea", [], false],
    ["Bronchitis", "Xray", ["Smoking"], true],
    ["Bronchitis", "Xray", ["Smoking", "Dyspnoea"], false],
    ["Asia", "Dyspnoea", ["Tuberculosis"], true],
    ["Asia", "Bronchitis", ["Dyspnoea"], false],
  ] as [string, string, string[], boolean][])(
    "Asia network: %s vs %s given %j -> separated %s",
    (x, y, z, sep) => {
      expect(dSeparated(asia, [x], [y], z)).toBe(sep);
    },
  );

  it("returns the reachable set of Koller & Friedman's Algorithm 3.1 (Student network, given Grade)", () => {
    const { reachable } = reachableGiven(student, ["Difficulty"], ["Grade"]);
    const names = student.ids.filter((_, i) => reachable[i]).sort();
    expect(names).toEqual(["Difficulty", "Intelligence", "SAT"]);
  });

  it("reconstructs an active trail through an observed collider", () => {
    const { trail } = reachableGiven(student, ["Difficulty"], ["Letter"]);
    expect(trail("SAT")).toEqual(["Difficulty", "Grade", "Intelligence", "SAT"]);
    expect(trail("Grade")).toEqual(["Difficulty", "Grade"]);
  });
});

/** An independent criterion: separation in the moralised ancestral graph (Lauritzen et al. 1990). */
function moralSeparated(dag: Dag, x: string, y: string, z: string[]): boolean {
  const keep = new Set<number>();
  const stack = [x, y, ...z].map((id) => dag.indexOf(id));
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (keep.has(v)) continue;
    keep.add(v);
    stack.push(...dag.parents[v]);
  }
  const adjacent = new Map<number, Set<number>>();
  const link = (a: number, b: number) => {
    if (!adjacent.has(a)) adjacent.set(a, new Set());
    if (!adjacent.has(b)) adjacent.set(b, new Set());
    adjacent.get(a)!.add(b);
    adjacent.get(b)!.add(a);
  };
  for (const v of keep) {
    const parents = dag.parents[v];
    for (const p of parents) link(p, v);
    for (const p of parents) for (const q of parents) if (p !== q) link(p, q);
  }
  const blocked = new Set(z.map((id) => dag.indexOf(id)));
  const seen = new Set<number>([dag.indexOf(x)]);
  const queue = [dag.indexOf(x)];
  while (queue.length > 0) {
    const v = queue.shift()!;
    if (v === dag.indexOf(y)) return false;
    for (const w of adjacent.get(v) ?? []) {
      if (!seen.has(w) && !blocked.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return true;
}

describe("d-separation agrees with the moralised ancestral graph criterion", () => {
  it("on random DAGs of up to 8 nodes", () => {
    const arbitraryCase = fc.integer({ min: 2, max: 8 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 16 }),
        x: fc.nat(n - 1),
        y: fc.nat(n - 1),
        z: fc.subarray([...Array(n).keys()]),
      }),
    );
    fc.assert(
      fc.property(arbitraryCase, ({ n, edges, x, y, z }) => {
        fc.pre(x !== y && !z.includes(x) && !z.includes(y));
        const names = [...Array(n).keys()].map((i) => `v${i}`);
        // orient every edge from the lower to the higher index: always acyclic
        const dag = Dag.from(
          edges.filter(([a, b]) => a !== b).map(([a, b]) => [names[Math.min(a, b)], names[Math.max(a, b)]]),
          names,
        );
        const given = z.map((i) => names[i]);
        expect(dSeparated(dag, [names[x]], [names[y]], given)).toBe(
          moralSeparated(dag, names[x], names[y], given),
        );
      }),
      { numRuns: 2000, seed: 20260516 },
    );
  });
});
