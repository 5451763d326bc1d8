import { describe, expect, it } from "vitest";
import { analyzeRecords } from "../../src/analyze/index.js";
import { binaryEntropy } from "../../src/info/index.js";
import { binaryVerifier, classVerdict, collapsing, lengthJudge, type Row, writeJsonl } from "./generate.js";

const rates = [0.5, 0.25, 0.125, 0.75, 1, 0, 0.375, 0.625];

describe("bits per sample of a binary verifier", () => {
  it("equals the closed form: the mean over prompts of h(p_q)", async () => {
    const doc = await analyzeRecords([writeJsonl(binaryVerifier(rates, 64))], { seed: 1, bootstrap: 100 });
    const signal = doc.signals[0];
    const expected = rates.reduce((s, p) => s + binaryEntropy(p), 0) / rates.length;
    expect(signal.kind).toBe("binary");
    expect(signal.overall.bits_per_sample.value).toBeCloseTo(expected, 5);
    expect(signal.overall.bits_per_sample.n).toBe(rates.length * 64);
    expect(signal.overall.bits_per_sample.prompts).toBe(rates.length);
    const [lo, hi] = signal.overall.bits_per_sample.ci!;
    expect(lo).toBeLessThanOrEqual(expected);
    expect(hi).toBeGreaterThanOrEqual(expected);
    expect(signal.overall.zero_info_prompt_fraction.value).toBeCloseTo(2 / 8, 10);
    expect(signal.zero_info_prompts).toMatchObject({ count: 2, always_pass: 1, always_fail: 1 });
    expect(signal.zero_info_prompts.examples.sort()).toEqual(["q4", "q5"]);
    const pass = signal.overall.pass_rate!;
    expect(pass.prompts).toBe(8);
    expect(pass.always_pass).toBe(1);
    expect(pass.mean).toBeCloseTo(rates.reduce((a, b) => a + b, 0) / 8, 10);
    expect(pass.bins.map((b) => b.count)).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 0, 1]);
    expect(doc.findings.some((f) => f.id === "zero-info-prompts" && f.signal === "pass")).toBe(true);
  });

  it("reports nats with --unit nats (bits x ln 2)", async () => {
    const file = writeJsonl(binaryVerifier(rates, 16));
    const bits = await analyzeRecords([file], { bootstrap: 0 });
    const nats = await analyzeRecords([file], { bootstrap: 0, unit: "nats" });
    expect(nats.unit).toBe("nats");
    expect(nats.signals[0].overall.bits_per_sample.value!).toBeCloseTo(
      bits.signals[0].overall.bits_per_sample.value! * Math.LN2,
      5,
    );
  });

  it("is byte-for-byte deterministic for a seed", async () => {
    const file = writeJsonl(lengthJudge(20, 20));
    const a = await analyzeRecords([file], { seed: 9, bootstrap: 30, permutations: 50 });
    const b = await analyzeRecords([file], { seed: 9, bootstrap: 30, permutations: 50 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe("meta-level decomposition", () => {
  it("a verdict that depends only on the class has efficiency 1 and no intra-class bits", async () => {
    const doc = await analyzeRecords([writeJsonl(classVerdict(30, 40))], {
      seed: 2,
      bootstrap: 50,
      permutations: 99,
    });
    const m = doc.signals[0].overall;
    expect(m.intra_class_bits!.value).toBe(0);
    expect(m.efficiency!.value).toBe(1);
    expect(m.task_bits!.value).toBeCloseTo(m.bits_per_sample.value!, 10);
    expect(doc.signals[0].hacking_channels.every((c) => !c.flagged && c.bits.value === 0)).toBe(true);
  });

  it("task + intra-class bits add up to the bits per sample", async () => {
    const doc = await analyzeRecords([writeJsonl(lengthJudge(25, 30))], { bootstrap: 0, permutations: 20 });
    const m = doc.signals[0].overall;
    expect(m.task_bits!.value! + m.intra_class_bits!.value!).toBeCloseTo(m.bits_per_sample.value!, 5);
    expect(m.efficiency!.value!).toBeGreaterThan(0);
    expect(m.efficiency!.value!).toBeLessThan(1);
  });
});

describe("reward-hacking channels", () => {
  it("flags the length channel of a judge that rewards length inside a class", async () => {
    const doc = await analyzeRecords([writeJsonl(lengthJudge(40, 30))], {
      seed: 3,
      bootstrap: 50,
      permutations: 199,
    });
    const channels = doc.signals[0].hacking_channels;
    const length = channels.find((c) => c.feature === "length_tokens")!;
    expect(length.flagged).toBe(true);
    expect(length.p_value).toBeLessThanOrEqual(1 / 200 + 1e-9);
    expect(length.bits.value!).toBeGreaterThan(length.null_bits + 0.05);
    expect(channels[0].feature.startsWith("length")).toBe(true);
    // a format marker that never varies is not a channel at all
    expect(channels.find((c) => c.feature === "has_code_fence")).toBeUndefined();
    expect(doc.fields.features).not.toContain("has_code_fence");
    expect(doc.findings.some((f) => f.id === "hacking-channel" && f.feature === "length_tokens")).toBe(true);
  });

  it("does not flag a feature that is independent of the signal within class", async () => {
    const doc = await analyzeRecords([writeJsonl(classVerdict(30, 30))], {
      seed: 5,
      bootstrap: 0,
      permutations: 199,
    });
    expect(doc.signals[0].hacking_channels.filter((c) => c.flagged)).toEqual([]);
  });
});

describe("fidelity", () => {
  it("measures the false-positive and false-negative rates against gold", async () => {
    const rows: Row[] = [];
    for (let q = 0; q < 10; q++) {
      // per prompt: 10 gold-true (8 pass), 10 gold-false (1 pass)
      for (let i = 0; i < 20; i++) {
        const gold = i < 10;
        const pass = gold ? i < 8 : i < 11;
        rows.push({ prompt_id: `q${q}`, response: `r${i}`, gold, signals: { pass } });
      }
    }
    const doc = await analyzeRecords([writeJsonl(rows)], { bootstrap: 20 });
    const f = doc.signals[0].fidelity!;
    expect(f.fpr!.value).toBeCloseTo(0.1, 10);
    expect(f.fnr!.value).toBeCloseTo(0.2, 10);
    expect(f.gold_bits.value).toBeGreaterThan(0.3);
    expect(f.capacity!.value!).toBeGreaterThan(f.gold_bits.value! - 1e-9);
  });
});

describe("diversity and collapse", () => {
  it("sees class entropy fall, duplicates rise and calls it a collapse", async () => {
    const doc = await analyzeRecords([writeJsonl(collapsing(20, 30, 4))], {
      seed: 4,
      bootstrap: 20,
      permutations: 20,
    });
    const its = doc.diversity.per_iteration;
    expect(its.map((d) => d.iteration)).toEqual([0, 1, 2, 3]);
    const entropy = its.map((d) => d.class_entropy!.value!);
    expect(entropy[0]).toBeGreaterThan(2.5);
    expect(entropy[3]).toBe(0);
    expect(its[3].classes_per_prompt).toBe(1);
    expect(its[0].new_classes).toBe(its[0].distinct_classes);
    expect(its[1].new_classes).toBe(0);
    expect(its[3].duplicate_rate!.value!).toBeGreaterThan(its[0].duplicate_rate!.value!);
    expect(doc.diversity.trend.class_entropy_slope!).toBeLessThan(0);
    expect(doc.diversity.trend.collapsing).toBe(true);
    // the surviving class is the one 'pass' accepts: convergence on a signal, not a collapse
    const finding = doc.findings.find((f) => f.id === "collapse");
    expect(finding).toMatchObject({ severity: "warning" });
    expect(finding?.title).toBe("Diversity falls as the loop converges on what 'pass' accepts");
    expect(finding?.detail).toContain("mean pass rate of 'pass' rose from");
  });

  it("calls falling diversity a collapse when no signal's pass rate rises with it", async () => {
    const rows = collapsing(20, 30, 4).map((row, i) => ({ ...row, signals: { pass: i % 2 === 0 } }));
    const doc = await analyzeRecords([writeJsonl(rows)], { seed: 4, bootstrap: 20, permutations: 20 });
    expect(doc.diversity.trend.collapsing).toBe(true);
    expect(doc.findings.find((f) => f.id === "collapse")).toMatchObject({
      severity: "critical",
      title: "Diversity is collapsing across iterations",
    });
  });

  it("counts a (prompt, class) pair as new only in the first iteration that has it", async () => {
    // [iteration, prompt, class]; rows out of iteration order, class b shared by both prompts
    const cells: [number, string, string][] = [
      [2, "q1", "b"],
      [2, "q1", "c"],
      [2, "q1", "d"],
      [2, "q2", "a"],
      [2, "q2", "b"],
      [0, "q1", "a"],
      [0, "q1", "b"],
      [0, "q2", "a"],
      [1, "q1", "a"],
      [1, "q1", "c"],
      [1, "q2", "b"],
    ];
    const rows = cells.map(([iteration, prompt_id, cls], i) => ({
      iteration,
      prompt_id,
      class: cls,
      response: `r${i}`,
      signals: { s: i % 2 },
    }));
    const doc = await analyzeRecords([writeJsonl(rows)], { bootstrap: 0 });
    const its = doc.diversity.per_iteration;
    expect(its.map((d) => [d.iteration, d.distinct_classes, d.new_classes])).toEqual([
      [0, 3, 3],
      [1, 3, 2], // q1:c and q2:b (b was q1's before, not q2's)
      [2, 5, 1], // q1:d
    ]);
  });

  it("computes Chao1 from singletons and doubletons", async () => {
    // one prompt: classes a (1), b (1), c (2), d (3) -> f1 = 2, f2 = 1, chao1 = 4 + 2*1/(2*2) = 4.5
    const classes = ["a", "b", "c", "c", "d", "d", "d"];
    const rows = classes.map((c, i) => ({
      prompt_id: "q",
      class: c,
      response: `x${i}`,
      signals: { s: i % 2 },
    }));
    const doc = await analyzeRecords([writeJsonl(rows)], { bootstrap: 0 });
    expect(doc.diversity.per_iteration[0].chao1).toEqual({
      value: 4.5,
      observed: 4,
      singletons: 2,
      doubletons: 1,
    });
  });
});

describe("drift", () => {
  it("rises when the signal follows the student's majority answer", async () => {
    const rows: Row[] = [];
    for (let t = 0; t < 4; t++) {
      for (let q = 0; q < 30; q++) {
        for (let i = 0; i < 20; i++) {
          const cls = i < 12 ? "maj" : `other${i % 3}`;
          // at t = 0 the verdict ignores the majority; later it passes exactly the majority
          const pass = t === 0 ? i % 2 === 0 : cls === "maj";
          rows.push({
            iteration: t,
            prompt_id: `q${q}`,
            class: cls,
            response: `${cls} ${i}`,
            signals: { v: pass },
          });
        }
      }
    }
    const doc = await analyzeRecords([writeJsonl(rows)], { seed: 6, bootstrap: 50, permutations: 20 });
    const d = doc.signals[0].drift!;
    expect(d.per_iteration[0].bits.value!).toBeLessThan(0.05);
    expect(d.per_iteration[3].bits.value!).toBeCloseTo(binaryEntropy(0.6), 5);
    expect(d.rising).toBe(true);
  });
});
