import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRng } from "../../src/info/index.js";
import { runOpenloop } from "../helpers/cli.js";

let dir: string;
const path = (name: string) => join(dir, name);

async function sql(statement: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(statement);
  connection.closeSync();
  instance.closeSync();
}

function writeCsv(name: string, header: string[], rows: (string | number | boolean)[][]): void {
  writeFileSync(path(name), `${header.join(",")}\n${rows.map((r) => r.join(",")).join("\n")}\n`);
}

function writeJsonl(name: string, header: string[], rows: (string | number | boolean)[][]): void {
  const lines = rows.map((r) => JSON.stringify(Object.fromEntries(header.map((h, j) => [h, r[j]]))));
  writeFileSync(path(name), `${lines.join("\n")}\n`);
}

/** Runs `openloop estimate ... --json` and returns the parsed document. */
function estimateJson(args: string[]): Record<string, unknown> {
  const result = runOpenloop(["estimate", ...args, "--json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "openloop-estimate-"));
  // XOR and AND over every (x, z) pair equally often: plug-in values are exact.
  const logic: number[][] = [];
  for (let r = 0; r < 250; r++) {
    for (const x of [0, 1]) for (const z of [0, 1]) logic.push([x, z, x ^ z, x & z, r % 5]);
  }
  const header = ["x", "z", "xor", "and", "u5"];
  writeCsv("logic.csv", header, logic);
  writeJsonl("logic.jsonl", header, logic);
  await sql(
    `COPY (SELECT * FROM read_csv('${path("logic.csv")}')) TO '${path("logic.parquet")}' (FORMAT parquet)`,
  );

  const rng = createRng(2026);
  const n = 2000;
  const rho = 0.8;
  const gauss: number[][] = [];
  const mixed: (number | string)[][] = [];
  const chain: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.normal();
    const b = rho * a + Math.sqrt(1 - rho * rho) * rng.normal();
    gauss.push([a, b, b ** 3]);
    const x = rng.int(4);
    mixed.push([x, x + 2 * rng.next(), `g${i % 50}`]);
    const z = rng.normal();
    chain.push([z + 0.5 * rng.normal(), z + 0.5 * rng.normal(), z]);
  }
  writeCsv("gauss.csv", ["a", "b", "b3"], gauss);
  await sql(
    `COPY (SELECT * FROM read_csv('${path("gauss.csv")}')) TO '${path("gauss.parquet")}' (FORMAT parquet)`,
  );
  writeJsonl("mixed.jsonl", ["x", "y", "prompt"], mixed);
  writeCsv("chain.csv", ["x", "y", "z"], chain);

  writeCsv(
    "small.csv",
    ["x", "y"],
    [
      [0.5, 1.5],
      [1.25, 2.5],
      [2.75, 0.25],
    ],
  );
  writeFileSync(path("empty.csv"), "x,y\n");
  writeFileSync(path("nan.csv"), "x,y\n1,2\nNaN,3\n");
  writeFileSync(path("inf.jsonl"), '{"x":1,"y":2}\n{"x":Infinity,"y":2}\n');
  writeFileSync(path("types.jsonl"), '{"x":1,"y":2}\n{"x":"two","y":2}\n');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("openloop estimate: closed-form values", () => {
  it.each(["logic.csv", "logic.jsonl", "logic.parquet"])(
    "XOR in %s: I(X;Y) = 0 and I(X;Y|Z) = 1 bit",
    (file) => {
      const mi = estimateJson(["mi", path(file), "--x", "x", "--y", "xor", "--estimator", "plugin"]);
      expect(mi.value).toBeCloseTo(0, 12);
      const cmi = estimateJson([
        "cmi",
        path(file),
        "--x",
        "x",
        "--y",
        "xor",
        "--given",
        "z",
        "--estimator",
        "plugin",
      ]);
      expect(cmi.value).toBeCloseTo(1, 12);
      expect(cmi.n).toBe(1000);
    },
  );

  it("AND gate: I(X; X AND Z) = h(1/4) - 1/2 bits", () => {
    const h = -(0.25 * Math.log2(0.25) + 0.75 * Math.log2(0.75));
    const mi = estimateJson(["mi", path("logic.csv"), "--x", "x", "--y", "and", "--estimator", "plugin"]);
    expect(mi.value).toBeCloseTo(h - 0.5, 12);
  });

  it("entropy of a uniform variable over 5 values is log2 5 bits = ln 5 nats", () => {
    const bits = estimateJson(["entropy", path("logic.csv"), "--x", "u5", "--estimator", "plugin"]);
    expect(bits.value).toBeCloseTo(Math.log2(5), 12);
    const nats = estimateJson([
      "entropy",
      path("logic.parquet"),
      "--x",
      "u5",
      "--estimator",
      "plugin",
      "--unit",
      "nats",
    ]);
    expect(nats.value).toBeCloseTo(Math.log(5), 12);
    expect(nats.unit).toBe("nats");
  });

  it("conditional entropy H(XOR | X) = 1 bit and joint H(X, Z) = 2 bits", () => {
    const args = ["--estimator", "plugin"];
    expect(
      estimateJson(["entropy", path("logic.csv"), "--x", "xor", "--given", "x", ...args]).value,
    ).toBeCloseTo(1, 12);
    expect(estimateJson(["entropy", path("logic.csv"), "--x", "x,z", ...args]).value).toBeCloseTo(2, 12);
  });

  it("defaults to miller-madow on discrete columns: the plug-in value plus (K-1)/(2N) per term", () => {
    const doc = estimateJson(["entropy", path("logic.csv"), "--x", "u5"]);
    expect(doc.estimator).toBe("miller-madow");
    expect(doc.value).toBeCloseTo(Math.log2(5) + 4 / (2 * 1000 * Math.LN2), 10);
  });

  it.each(["gauss.csv", "gauss.parquet"])(
    "correlated Gaussians (rho = 0.8) in %s: KSG near -0.5 log2(1 - rho^2)",
    (file) => {
      const doc = estimateJson(["mi", path(file), "--x", "a", "--y", "b"]);
      expect(doc.estimator).toBe("ksg");
      expect(doc.k).toBe(3);
      expect(doc.kinds).toEqual({ a: "continuous", b: "continuous" });
      // 0.08 bits is about three standard errors of KSG at N = 2000
      expect(Math.abs((doc.value as number) - -0.5 * Math.log2(1 - 0.64))).toBeLessThan(0.08);
    },
  );

  it("--transform rank makes KSG exactly invariant to a monotone map of a column", () => {
    const args = ["--x", "a", "--transform", "rank", "--seed", "3"];
    const b = estimateJson(["mi", path("gauss.csv"), ...args, "--y", "b"]);
    const b3 = estimateJson(["mi", path("gauss.csv"), ...args, "--y", "b3"]);
    expect(b.transform).toBe("rank");
    expect(b3.value).toBe(b.value);
    expect(Math.abs((b.value as number) - 0.737)).toBeLessThan(0.08);
  });

  it("differential entropy of a standard normal (KL) near 0.5 log2(2 pi e)", () => {
    const doc = estimateJson(["entropy", path("gauss.csv"), "--x", "a"]);
    expect(doc.estimator).toBe("kl");
    expect(Math.abs((doc.value as number) - 0.5 * Math.log2(2 * Math.PI * Math.E))).toBeLessThan(0.06);
  });

  it("discrete X with Y ~ U[X, X+2]: the mixed estimator is chosen and finds 1.25 bits", () => {
    const doc = estimateJson(["mi", path("mixed.jsonl"), "--x", "x", "--y", "y"]);
    expect(doc.estimator).toBe("mixed");
    expect(doc.kinds).toEqual({ x: "discrete", y: "continuous" });
    expect(Math.abs((doc.value as number) - 1.25)).toBeLessThan(0.08);
  });

  it("X and Y independent given Z: Frenzel-Pompe CMI near 0 while I(X;Y) is clearly positive", () => {
    const cmi = estimateJson(["cmi", path("chain.csv"), "--x", "x", "--y", "y", "--given", "z"]);
    expect(cmi.estimator).toBe("frenzel-pompe");
    expect(Math.abs(cmi.value as number)).toBeLessThan(0.05);
    // I(X;Y) for corr(X,Y) = 1/1.25 = 0.8: 0.737 bits
    const mi = estimateJson(["mi", path("chain.csv"), "--x", "x", "--y", "y"]);
    expect(Math.abs((mi.value as number) - 0.737)).toBeLessThan(0.05);
  });
});

describe("openloop estimate: output", () => {
  it("--json prints one object with the documented fields, raw and clipped", () => {
    const doc = estimateJson(["mi", path("logic.csv"), "--x", "x", "--y", "xor", "--estimator", "chao-shen"]);
    expect(Object.keys(doc)).toEqual([
      "quantity",
      "estimator",
      "unit",
      "value",
      "raw",
      "clipped",
      "n",
      "file",
      "x",
      "y",
      "given",
      "kinds",
      "seed",
    ]);
    expect(doc).toMatchObject({
      quantity: "mi",
      estimator: "chao-shen",
      unit: "bits",
      n: 1000,
      x: ["x"],
      y: ["xor"],
    });
    expect(doc.raw).toBe(doc.value);
    expect(doc.clipped).toBe(Math.max(doc.value as number, 0));
  });

  it("prints one readable line by default", () => {
    const result = runOpenloop([
      "estimate",
      "cmi",
      path("logic.csv"),
      "--x",
      "x",
      "--y",
      "xor",
      "--given",
      "z",
      "--estimator",
      "plugin",
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("I(x;xor|z) = 1 bits  [plugin, n = 1000]\n");
  });

  it("a bootstrap CI over groups and a permutation test are reported", () => {
    const doc = estimateJson([
      "mi",
      path("mixed.jsonl"),
      "--x",
      "x",
      "--y",
      "y",
      "--ci",
      "0.9",
      "--bootstrap",
      "50",
      "--group",
      "prompt",
      "--permutations",
      "19",
    ]);
    const [lo, hi] = doc.ci as number[];
    expect(lo).toBeLessThan(doc.value as number);
    expect(hi).toBeGreaterThan(doc.value as number);
    expect(hi - lo).toBeLessThan(0.3);
    expect(doc).toMatchObject({ level: 0.9, bootstrap: 50, group: "prompt", groups: 50, permutations: 19 });
    expect(doc.p_value).toBeCloseTo(1 / 20, 12);
    expect(Math.abs(doc.null_mean as number)).toBeLessThan(0.05);
  });

  it("the CMI permutation test permutes within strata of Z: XOR gives the smallest p-value", () => {
    const doc = estimateJson([
      "cmi",
      path("logic.csv"),
      "--x",
      "x",
      "--y",
      "xor",
      "--given",
      "z",
      "--permutations",
      "99",
    ]);
    expect(doc.p_value).toBeCloseTo(0.01, 12);
    expect(Math.abs(doc.null_mean as number)).toBeLessThan(0.01);
  });

  it("the same seed gives byte-identical output; another seed changes the random parts", () => {
    const args = [
      "estimate",
      "mi",
      path("gauss.csv"),
      "--x",
      "a",
      "--y",
      "b",
      "--ci",
      "0.95",
      "--bootstrap",
      "20",
      "--permutations",
      "9",
      "--json",
    ];
    const first = runOpenloop([...args, "--seed", "7"]);
    const second = runOpenloop([...args, "--seed", "7"]);
    const other = runOpenloop([...args, "--seed", "8"]);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(other.stdout).ci).not.toEqual(JSON.parse(first.stdout).ci);
  });

  it("lists the estimators and defaults in --help", () => {
    const help = runOpenloop(["estimate", "--help"]).stdout;
    for (const name of [
      "plugin",
      "miller-madow",
      "chao-shen",
      "james-stein",
      "nsb",
      "grassberger",
      "jackknife",
      "kl",
      "ksg2",
      "frenzel-pompe",
      "mixed",
    ]) {
      expect(help).toContain(name);
    }
    expect(help).toContain("Defaults: discrete columns: miller-madow");
  });
});

describe("openloop estimate: bad input exits 2 with one message naming file, column and problem", () => {
  it.each<[string, string[], RegExp]>([
    ["a missing file", ["mi", "nope.csv", "--x", "x", "--y", "y"], /^openloop: .*nope\.csv: file not found$/],
    [
      "a missing column",
      ["mi", "logic.csv", "--x", "x", "--y", "w"],
      /logic\.csv column 'w': column not found \(the file has: x, z, xor, and, u5\)$/,
    ],
    ["empty data", ["mi", "empty.csv", "--x", "x", "--y", "y"], /empty\.csv: no rows: the file has no data$/],
    ["NaN", ["mi", "nan.csv", "--x", "x", "--y", "y"], /nan\.csv:3 column 'x': non-finite value 'NaN'/],
    [
      "Infinity",
      ["mi", "inf.jsonl", "--x", "x", "--y", "y"],
      /inf\.jsonl:2 column 'x': non-finite value Infinity/,
    ],
    [
      "a column of mixed types",
      ["mi", "types.jsonl", "--x", "x", "--y", "y"],
      /types\.jsonl:2 column 'x': mixed types: number values \(the first at line 1\) and string "two"/,
    ],
    [
      "k >= N",
      ["mi", "small.csv", "--x", "x", "--y", "y", "--k", "3"],
      /small\.csv: --k 3 must be below the number of rows, 3/,
    ],
    [
      "a continuous column to a discrete estimator",
      ["mi", "gauss.csv", "--x", "a", "--y", "b", "--estimator", "plugin"],
      /gauss\.csv column 'a': plugin is a discrete estimator but the column is continuous/,
    ],
    [
      "an unknown estimator",
      ["mi", "logic.csv", "--x", "x", "--y", "z", "--estimator", "magic"],
      /logic\.csv: unknown estimator 'magic' \(choose from: plugin, /,
    ],
    [
      "a kNN estimator of the wrong quantity",
      ["cmi", "gauss.csv", "--x", "a", "--y", "b", "--given", "a", "--estimator", "ksg"],
      /gauss\.csv: ksg estimates mi, not cmi/,
    ],
    [
      "a discrete column to ksg",
      ["mi", "logic.csv", "--x", "x", "--y", "z", "--estimator", "ksg"],
      /logic\.csv column 'x': ksg needs continuous columns but the column is discrete/,
    ],
    [
      "text forced continuous",
      ["mi", "mixed.jsonl", "--x", "prompt", "--y", "y", "--continuous", "prompt"],
      /mixed\.jsonl:1 column 'prompt': string value "g0" in a continuous column/,
    ],
    ["mi without --y", ["mi", "logic.csv", "--x", "x"], /logic\.csv: mi needs --y COLS/],
    [
      "an unknown unit",
      ["entropy", "logic.csv", "--x", "x", "--unit", "dits"],
      /--unit expects one of bits, nats, got 'dits'/,
    ],
  ])("%s", (_name, args, message) => {
    const [quantity, file, ...rest] = args;
    const result = runOpenloop([
      "estimate",
      quantity,
      file === "nope.csv" ? path(file) : path(file),
      ...rest,
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
