import { describe, expect, it } from "vitest";
import { auditSpec, renderAuditDot, renderAuditMarkdown, renderAuditText } from "../../src/audit/index.js";
import { specWith } from "./helpers.js";

const ids = (report: ReturnType<typeof auditSpec>) => report.findings.map((f) => f.id);

describe("channels", () => {
  it.each([
    [{ type: "binary" }, "verdict", 1],
    [{ type: "scalar", levels: 10 }, "score", Math.log2(10)],
    [{ type: "scalar" }, "score", null],
    [{ type: "class", count: 8 }, "class", 3],
  ])("range %j: meta-level %s, at most %s bits per sample", (range, level, bits) => {
    const report = auditSpec(
      specWith({ signals: [{ name: "s", kind: "human-label", range }], selection: { mode: "reward" } }),
    );
    const channel = report.channels[0];
    expect(channel.metaLevel).toBe(level);
    if (bits === null) expect(channel.maxPerSample).toBeNull();
    else expect(channel.maxPerSample).toBeCloseTo(bits, 12);
  });

  it("a reference with M forms and K classes: log2(K M) per sample, log2 M of it surface", () => {
    const report = auditSpec(
      specWith({
        task: { name: "t", acceptable_forms: 16 },
        signals: [{ name: "ref", kind: "reference", range: { type: "reference", classes: 4 } }],
        selection: { mode: "reference" },
      }),
    );
    const channel = report.channels[0];
    expect(channel.metaLevel).toBe("instance");
    expect(channel.forms).toBe(16);
    expect(channel.maxPerSample).toBeCloseTo(6, 12);
    expect(channel.surfacePerSample).toBeCloseTo(4, 12);
  });

  it("reports capacities in nats on request (log 2 nats per bit)", () => {
    const report = auditSpec(
      specWith({
        signals: [{ name: "s", kind: "tests", range: { type: "class", count: 4 } }],
        selection: { mode: "reward" },
      }),
      { unit: "nats" },
    );
    expect(report.unit).toBe("nats");
    expect(report.channels[0].maxPerSample).toBeCloseTo(Math.log(4), 12);
  });

  it.each([
    ["tests", "fixed", true, true, false],
    ["answer-match", "fixed", true, true, false],
    ["proof-checker", "fixed", true, true, false],
    ["format-check", "fixed", true, false, true],
    ["random", "fixed", true, false, false],
    ["llm-judge", "student", false, false, true],
    ["majority-vote", "student", false, false, false],
    ["rubric-judge", "fixed", true, true, true],
    ["human-label", "fixed", true, true, true],
  ])(
    "%s: computed by %s, external %s, task information %s, surface %s",
    (kind, model, external, info, surface) => {
      const report = auditSpec(specWith({ signals: [{ name: "s", kind }], selection: { mode: "reward" } }));
      const channel = report.channels[0];
      expect([
        channel.model,
        channel.external,
        channel.stable,
        channel.taskInformation,
        channel.surfaceDependent,
      ]).toEqual([model, external, external, info, surface]);
      expect(report.verdict).toBe(info ? "open" : "closed");
    },
  );

  it("a fixed judge and gold answers of a fixed set are bounded; a proof checker and fresh references are not", () => {
    const fixed = auditSpec(
      specWith({
        signals: [
          { name: "judge", kind: "rubric-judge" },
          { name: "gold", kind: "answer-match" },
          { name: "proof", kind: "proof-checker" },
        ],
        selection: { mode: "reward" },
      }),
    );
    expect(fixed.channels.map((c) => c.bounded)).toEqual([true, true, false]);
    const fresh = auditSpec(
      specWith({
        prompts: { source: "procedural", origin: "real" },
        signals: [{ name: "gold", kind: "answer-match" }],
        selection: { mode: "filter" },
      }),
    );
    expect(fresh.channels[0].bounded).toBe(false);
    expect(ids(fresh)).not.toContain("bounded-reservoir");
  });

  it("an open channel carries a trail from X to Z_{t+1} through the signal", () => {
    const report = auditSpec(
      specWith({ signals: [{ name: "ok", kind: "tests" }], selection: { mode: "filter" } }),
    );
    expect(report.channels[0].trail).toEqual([
      "task X",
      "ok's references (fixed)",
      "signal ok",
      "selected data D_t",
      "student Z_{t+1}",
    ]);
  });
});

describe("findings", () => {
  it("closed loop: high severity first, with a recommendation naming external signals", () => {
    const report = auditSpec(specWith({}));
    expect(report.verdict).toBe("closed");
    expect(report.findings[0].id).toBe("closed-loop");
    expect(report.findings[0].severity).toBe("high");
    expect(report.findings[0].recommendation).toMatch(/external, stable signal/);
  });

  it("an unused grounded signal keeps the loop closed and is reported", () => {
    const report = auditSpec(
      specWith({
        signals: [
          { name: "gold", kind: "answer-match" },
          { name: "judge", kind: "llm-judge" },
        ],
        selection: { mode: "pairs", signals: ["judge"] },
      }),
    );
    expect(report.verdict).toBe("closed");
    expect(report.findings.find((f) => f.id === "unused-signal")?.subject).toBe("gold");
    expect(report.findings.find((f) => f.id === "drifting-signal")?.severity).toBe("high");
  });

  it("a drifting signal next to an open channel is a medium finding", () => {
    const report = auditSpec(
      specWith({
        signals: [
          { name: "gold", kind: "answer-match" },
          { name: "judge", kind: "llm-judge", model: "trained-on-student" },
        ],
        selection: { mode: "reward" },
      }),
    );
    expect(report.verdict).toBe("open");
    const drift = report.findings.find((f) => f.id === "drifting-signal")!;
    expect([drift.subject, drift.severity]).toEqual(["judge", "medium"]);
  });

  it("instance-level SFT names log2 M bits per sample", () => {
    const report = auditSpec(
      specWith({
        task: { name: "t", acceptable_forms: 8 },
        signals: [{ name: "ref", kind: "reference" }],
        selection: { mode: "reference" },
      }),
    );
    const finding = report.findings.find((f) => f.id === "instance-level-sft")!;
    expect(finding.message).toContain("M = 8");
    expect(finding.message).toContain("log2 M = 3 bits");
  });

  it("no instance-level finding when only one form is acceptable", () => {
    const report = auditSpec(
      specWith({ signals: [{ name: "ref", kind: "reference" }], selection: { mode: "reference" } }),
    );
    expect(ids(report)).not.toContain("instance-level-sft");
  });

  it.each([
    ["once", "medium"],
    ["replace", "low"],
  ])("real data mode %s is flagged as replaced (%s)", (mode, severity) => {
    const report = auditSpec(specWith({ real_data: { mode } }));
    expect(report.findings.find((f) => f.id === "real-data-replaced")?.severity).toBe(severity);
  });

  it("accumulated fresh real data opens the loop with no reservoir finding", () => {
    const report = auditSpec(specWith({ real_data: { mode: "accumulate", fresh: true } }));
    expect(report.verdict).toBe("open");
    expect(ids(report)).toEqual(["open-loop"]);
  });

  it("a fixed prompt set is flagged only when reused over several iterations by an open channel", () => {
    const gold = { signals: [{ name: "gold", kind: "answer-match" }], selection: { mode: "filter" } };
    expect(ids(auditSpec(specWith({ ...gold, iterations: 1 })))).not.toContain("fixed-prompt-set");
    expect(ids(auditSpec(specWith({ ...gold, iterations: 2 })))).toContain("fixed-prompt-set");
    expect(ids(auditSpec(specWith({ iterations: 2 })))).not.toContain("fixed-prompt-set");
  });

  it("findings are sorted by severity", () => {
    const rank = { high: 0, medium: 1, low: 2, info: 3 };
    const report = auditSpec(
      specWith({
        signals: [
          { name: "judge", kind: "llm-judge" },
          { name: "coin", kind: "random" },
          { name: "unused", kind: "tests" },
        ],
        selection: { mode: "reward", signals: ["judge", "coin"] },
        real_data: { mode: "once" },
      }),
    );
    const ranks = report.findings.map((f) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe("the inequality chain", () => {
  it("closed with no signal: the Markov chain and induction to Z_0", () => {
    const report = auditSpec(specWith({}));
    expect(report.chain.map((s) => s.expression)).toEqual([
      "I(X; Z_{t+1}) ≤ I(X; Z_t)",
      "I(X; Z_t) ≤ … ≤ I(X; Z_0)",
    ]);
  });

  it("names each signal, zero terms first, with the per-sample bound", () => {
    const report = auditSpec(
      specWith({
        prompts: { source: "fixed", origin: "real", count: 100 },
        generator: { role: "student", samples_per_prompt: 4 },
        signals: [
          { name: "gold", kind: "answer-match" },
          { name: "judge", kind: "llm-judge" },
        ],
        selection: { mode: "reward" },
      }),
    );
    const lines = report.chain.map((s) => s.expression);
    expect(lines).toContain("= I(X; Z_t) + I(X; S_t | Z_t)");
    expect(lines).toContain("I(X; S_t | Z_t) = I(X; judge | Z_t) + I(X; gold | Z_t, judge)");
    expect(lines).toContain("I(X; judge | Z_t) = 0");
    expect(lines).toContain("I(X; gold | Z_t, judge) ≤ H(gold | Z_t) ≤ 400 × 1 bit");
    expect(lines).toContain("I(X; Z_{t+1}) ≤ I(X; Z_t) + I(X; gold | Z_t, judge)");
    expect(report.samplesPerIteration).toBe(400);
  });
});

describe("teacher responses", () => {
  it("a self-judge of a teacher's responses relays the teacher: the teacher is the open source", () => {
    const report = auditSpec(
      specWith({
        generator: { role: "teacher" },
        signals: [{ name: "judge", kind: "llm-judge" }],
        selection: { mode: "filter" },
      }),
    );
    expect(report.verdict).toBe("open");
    expect(report.channels[0].taskInformation).toBe(false);
    expect(report.sources.map((s) => [s.name, s.open, s.bounded])).toEqual([["teacher", true, true]]);
    const lines = report.chain.map((s) => s.expression);
    expect(lines).toContain("I(X; judge | Z_t, teacher responses) = 0");
    expect(lines).toContain("I(X; teacher responses | Z_t) ≤ I(X; T)");
  });
});

describe("rendering", () => {
  const report = auditSpec(
    specWith({ signals: [{ name: "judge", kind: "llm-judge" }], selection: { mode: "pairs" } }),
  );

  it("text shows the verdict, the channel table, the chain and the findings", () => {
    const text = renderAuditText(report, undefined, "loop.yaml");
    expect(text).toContain("openloop audit: test (loop.yaml)");
    expect(text).toContain("verdict: CLOSED (information-closed)");
    expect(text).toMatch(/judge\s+llm-judge\s+student\s+no\s+drifts\s+no\s+yes\s+score\s+continuous\s+yes/);
    expect(text).toContain("I(X; judge | Z_t) = 0");
    expect(text).toContain("[high] closed-loop");
  });

  it("DOT draws every node and edge, the open trail in red, nothing red in a closed loop", () => {
    const open = auditSpec(
      specWith({ signals: [{ name: "ok", kind: "tests" }], selection: { mode: "filter" } }),
    );
    const dot = renderAuditDot(open);
    expect(dot.startsWith('digraph "test" {')).toBe(true);
    expect(dot.match(/ -> /g)).toHaveLength(open.graph.edges.length);
    const red = dot.split("\n").filter((l) => l.includes("color=red"));
    expect(red).toEqual([
      '  "X" -> "R[ok]" [color=red, penwidth=2];',
      '  "D_t" -> "Z_t+1" [color=red, penwidth=2];',
      '  "S[ok]" -> "D_t" [color=red, penwidth=2];',
      '  "R[ok]" -> "S[ok]" [color=red, penwidth=2];',
    ]);
    expect(renderAuditDot(report)).not.toContain("color=red");
  });

  it("Markdown has a verdict line, a channel table and findings", () => {
    const md = renderAuditMarkdown(report);
    expect(md).toContain("# Audit: test");
    expect(md).toContain("**Verdict: closed**");
    expect(md).toContain("| signal | kind | computed by |");
    expect(md).toContain("- **high** `closed-loop`");
  });
});
