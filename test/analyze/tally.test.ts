import { describe, expect, it } from "vitest";
import type { Scan } from "../../src/analyze/scan.js";
import { SPILL_BLOCK_ROWS, Spill } from "../../src/analyze/spill.js";
import { type Tally, tallyRecords } from "../../src/analyze/tally.js";
import { type Discretiser, discretise, VariableScan } from "../../src/analyze/variables.js";
import type { RecordValue } from "../../src/records/index.js";

/** One record as the first pass sees it; variables by name (absent when missing). */
interface Rec {
  prompt: number;
  iteration: number;
  cls: number;
  hash: number;
  gold: number;
  vars: Record<string, RecordValue>;
}

/** A small seeded generator (LCG), enough to shuffle test logs reproducibly. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * Builds the first pass's result over `recs` as scan.ts does: variables in first-seen order
 * with their moments, each record written to a spill with the variables known so far.
 */
function scanOf(recs: Rec[], iterations: number[], prompts: number, spill: Spill) {
  const variables: VariableScan[] = [];
  const byName = new Map<string, VariableScan>();
  const values = new Float64Array(16).fill(Number.NaN);
  for (const rec of recs) {
    for (const [name, raw] of Object.entries(rec.vars)) {
      let v = byName.get(name);
      if (v === undefined) {
        v = new VariableScan(name, name.startsWith("f_") ? "user" : "signal", variables.length);
        variables.push(v);
        byName.set(name, v);
      }
      values[v.id] = v.observe(raw, rec.prompt);
    }
    spill.write(rec.prompt, rec.iteration, rec.cls, rec.hash, rec.gold, values, variables.length);
    values.fill(Number.NaN);
  }
  const promptIds = Array.from({ length: prompts }, (_, p) => `p${p}`);
  const scan: Scan = {
    report: { files: [], records: recs.length, skipped: 0, skippedExamples: [] },
    prompts: new Map(promptIds.map((id, p) => [id, p])),
    promptIds,
    iterations,
    errorRecords: new Map(),
    variables,
    signals: variables.filter((v) => v.role === "signal"),
    features: variables.filter((v) => v.role !== "signal"),
    present: new Set(["prompt_id", "signals", "gold", "response", "class"]),
    minhash: [],
    spill,
  };
  return {
    scan,
    signals: scan.signals.map(discretise),
    features: scan.features.map(discretise),
  };
}

/**
 * The second pass written the plain way, row by row with string-keyed maps and `fromSpill` per
 * value: the meaning `tallyRecords` must keep (numbering in first-seen order included).
 */
function referenceTally(recs: Rec[], scan: Scan, signalDiscs: Discretiser[], featureDiscs: Discretiser[]) {
  const sigs = signalDiscs.filter((d) => d.levels > 0);
  const feats = featureDiscs.filter((d) => d.levels > 1);
  const cells = new Map<string, number>();
  const strata = new Map<string, number>();
  const pairs = new Map<string, number>();
  const out = {
    cellPrompt: [] as number[],
    cellIter: [] as number[],
    cellN: [] as number[],
    stratumCell: [] as number[],
    stratumClass: [] as number[],
    stratumN: [] as number[],
    pairStratum: [] as number[],
    pairN: [] as number[],
    signals: sigs.map((d) => ({
      counts: [] as number[],
      gold: [] as number[],
      features: feats.map(() => [] as number[]),
      repeated: 0,
      inconsistent: 0,
      first: [] as number[],
      L: d.levels,
    })),
  };
  const inc = (a: number[], i: number) => {
    a[i] = (a[i] ?? 0) + 1;
  };
  for (const rec of recs) {
    const level = (d: Discretiser) => {
      const raw = rec.vars[d.name];
      if (raw === undefined) return -1;
      const v = scan.variables[d.id];
      // the spilled value of a string is its index among the distinct values (-1 beyond the cap)
      const spilled =
        typeof raw === "string" ? [...v.distinct.keys()].indexOf(raw) : typeof raw === "boolean" ? +raw : raw;
      return d.fromSpill(spilled, rec.prompt);
    };
    const iter = scan.iterations.indexOf(rec.iteration);
    const cellKey = `${rec.prompt}/${iter}`;
    let cell = cells.get(cellKey);
    if (cell === undefined) {
      cell = cells.size;
      cells.set(cellKey, cell);
      out.cellPrompt.push(rec.prompt);
      out.cellIter.push(iter);
    }
    inc(out.cellN, cell);
    const stratumKey = `${cell}/${rec.cls}`;
    let stratum = strata.get(stratumKey);
    if (stratum === undefined) {
      stratum = strata.size;
      strata.set(stratumKey, stratum);
      out.stratumCell.push(cell);
      out.stratumClass.push(rec.cls);
    }
    inc(out.stratumN, stratum);
    let pair = -1;
    let pairIsNew = false;
    if (rec.hash >= 0) {
      const pairKey = `${cell}/${rec.hash}`;
      const known = pairs.get(pairKey);
      pairIsNew = known === undefined;
      pair = known ?? pairs.size;
      if (pairIsNew) {
        pairs.set(pairKey, pair);
        out.pairStratum.push(stratum);
      }
      inc(out.pairN, pair);
    }
    sigs.forEach((d, s) => {
      const l = level(d);
      if (l < 0) return;
      const t = out.signals[s];
      inc(t.counts, stratum * t.L + l);
      if (rec.gold >= 0) inc(t.gold, (cell * 2 + rec.gold) * t.L + l);
      feats.forEach((fd, f) => {
        const b = level(fd);
        if (b >= 0) inc(t.features[f], (stratum * fd.levels + b) * t.L + l);
      });
      if (pair >= 0) {
        if (pairIsNew) t.first[pair] = l + 1;
        else {
          t.repeated++;
          if ((t.first[pair] ?? 0) !== l + 1) t.inconsistent++;
        }
      }
    });
  }
  const dense = (a: number[], n: number) => Array.from({ length: n }, (_, i) => a[i] ?? 0);
  return {
    cellCount: cells.size,
    cellPrompt: out.cellPrompt,
    cellIter: out.cellIter,
    cellN: dense(out.cellN, cells.size),
    strataCount: strata.size,
    stratumCell: out.stratumCell,
    stratumClass: out.stratumClass,
    stratumN: dense(out.stratumN, strata.size),
    pairCount: pairs.size,
    pairStratum: out.pairStratum,
    pairN: dense(out.pairN, pairs.size),
    signals: out.signals.map((t, s) => ({
      name: sigs[s].name,
      counts: dense(t.counts, strata.size * t.L),
      gold: dense(t.gold, cells.size * 2 * t.L),
      features: t.features.map((c, f) => dense(c, strata.size * feats[f].levels * t.L)),
      repeated: t.repeated,
      inconsistent: t.inconsistent,
    })),
  };
}

/** A tally as plain arrays, comparable with the reference. */
function plain(t: Tally) {
  return {
    cellCount: t.cellCount,
    cellPrompt: Array.from(t.cellPrompt),
    cellIter: Array.from(t.cellIter),
    cellN: Array.from(t.cellN),
    strataCount: t.strataCount,
    stratumCell: Array.from(t.stratumCell),
    stratumClass: Array.from(t.stratumClass),
    stratumN: Array.from(t.stratumN),
    pairCount: t.pairCount,
    pairStratum: Array.from(t.pairStratum),
    pairN: Array.from(t.pairN),
    signals: t.signals.map((s) => ({
      name: s.disc.name,
      counts: Array.from(s.counts),
      gold: Array.from(s.gold ?? []),
      features: s.features.map((f) => (f.counts === null ? null : Array.from(f.counts))),
      repeated: s.repeated,
      inconsistent: s.inconsistent,
    })),
  };
}

/**
 * A log over several blocks: 3 iterations (numbered out of order), 300 prompts, cells mostly
 * contiguous but interleaved in stretches, duplicate responses with differing verdicts, gaps
 * in every variable, a late variable, and two prompts whose cells have 40 classes and 60
 * responses each (past the per-cell lists, into the hash maps).
 */
function mixedLog(): { recs: Rec[]; iterations: number[]; prompts: number } {
  const next = lcg(7);
  const iterations = [3, 7, 10];
  const prompts = 300;
  const recs: Rec[] = [];
  const labels = ["a", "b", "c", "d", "e"];
  for (const iteration of [10, 3, 7]) {
    for (let p = 0; p < prompts; p++) {
      const samples = p < 2 ? 400 : 45;
      for (let k = 0; k < samples; k++) {
        const vars: Record<string, RecordValue> = {};
        if (next() > 0.05) vars.pass = next() < 0.3 + p / 600;
        if (next() > 0.05) vars.score = Math.round(next() * 1000) / 100;
        if (next() > 0.05) vars.label = labels[Math.floor(next() * labels.length)];
        if (next() > 0.05) vars.f_len = 50 + Math.floor(next() * 400);
        vars.f_flag = next() < 0.5 ? 1 : 0;
        vars.f_const = 1;
        if (recs.length > 20000 && next() < 0.5) vars.late = next() < 0.5 ? 2 : 5;
        recs.push({
          prompt: p,
          iteration,
          cls: p < 2 ? k % 40 : Math.floor(next() * 3),
          hash: next() < 0.05 ? -1 : p < 2 ? (k % 60) * 1e12 + 12345 : Math.floor(next() * 8) * 2 ** 40 + p,
          gold: Math.floor(next() * 3) - 1,
          vars,
        });
      }
    }
  }
  // interleave: swap stretches of rows so cells recur after other cells
  for (let i = 0; i + 200 < recs.length; i += 997) {
    const a = recs.slice(i, i + 100);
    recs.splice(i, 100, ...recs.slice(i + 100, i + 200));
    recs.splice(i + 100, 100, ...a);
  }
  return { recs, iterations, prompts };
}

describe("tallyRecords", () => {
  const log = mixedLog();

  it.each([
    ["in memory", undefined],
    ["from the temporary file", 0],
  ])("counts like the plain row-by-row tally (%s)", async (_, memoryBytes) => {
    expect(log.recs.length).toBeGreaterThan(2 * SPILL_BLOCK_ROWS);
    const spill = new Spill({ memoryBytes });
    const { scan, signals, features } = scanOf(log.recs, log.iterations, log.prompts, spill);
    expect(signals.map((d) => d.kind)).toEqual(["binary", "continuous", "categorical", "binary"]);
    expect(features.map((d) => [d.kind, d.levels])).toEqual([
      ["continuous", 4],
      ["binary", 2],
      ["categorical", 1],
    ]);
    const tally = await tallyRecords(scan, signals, features);
    spill.dispose();
    const reference = referenceTally(log.recs, scan, signals, features);
    expect(plain(tally)).toEqual(reference);
    // the log has what the comparison is meant to exercise
    expect(reference.signals[0].inconsistent).toBeGreaterThan(0);
    expect(reference.stratumCell.filter((c) => c === 0)).toHaveLength(40);
  });

  it("widens counts past 65,535 without losing any", async () => {
    const recs: Rec[] = Array.from({ length: 70000 }, (_, i) => ({
      prompt: 0,
      iteration: 0,
      cls: 0,
      hash: 99,
      gold: 1,
      vars: { pass: i % 10 !== 0, f_len: i % 7 },
    }));
    const spill = new Spill();
    const { scan, signals, features } = scanOf(recs, [0], 1, spill);
    const tally = await tallyRecords(scan, signals, features);
    spill.dispose();
    expect(tally.strataCount).toBe(1);
    expect(Array.from(tally.signals[0].counts)).toEqual([7000, 63000]);
    expect(tally.pairN).toBeInstanceOf(Uint32Array);
    expect(Array.from(tally.pairN)).toEqual([70000]);
    expect(tally.signals[0].repeated).toBe(69999);
    expect(tally.signals[0].inconsistent).toBe(63000); // the first row failed
    expect(plain(tally)).toEqual(referenceTally(recs, scan, signals, features));
  });

  it("numbers the cells of prompts with more than 16 iterations through a hash map", async () => {
    const next = lcg(3);
    const iterations = Array.from({ length: 2000 }, (_, i) => i);
    const recs: Rec[] = Array.from({ length: 5000 }, (_, i) => ({
      // the first 2,500 rows: 9,000 prompts and 5 iterations (per-prompt lists); then 40 prompts
      // over all 2,000 iterations (lists moved to the map after 16)
      prompt: i < 2500 ? Math.floor(next() * 9000) : Math.floor(next() * 40),
      iteration: i < 2500 ? Math.floor(next() * 2000) % 5 : Math.floor(next() * 2000),
      cls: Math.floor(next() * 2),
      hash: Math.floor(next() * 4),
      gold: -1,
      vars: { pass: next() < 0.5 },
    }));
    const spill = new Spill();
    const { scan, signals, features } = scanOf(recs, iterations, 9000, spill);
    const tally = await tallyRecords(scan, signals, features);
    spill.dispose();
    const reference = referenceTally(recs, scan, signals, features);
    expect(plain(tally)).toEqual(reference);
  });
});
