import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { auditSpec } from "../../src/audit/index.js";
import { realDataModes, selectionModes, signalKinds, signalModels } from "../../src/spec/index.js";
import { specWith } from "./helpers.js";

const arbitrarySignal = fc
  .record({
    kind: fc.constantFrom(...signalKinds.filter((k) => k !== "reward-model" && k !== "reference")),
    model: fc.constantFrom(...signalModels),
  })
  .map((s) => (s.kind === "random" ? { kind: s.kind } : s));

const arbitrarySpec = fc
  .record({
    signals: fc.array(arbitrarySignal, { maxLength: 4 }),
    mode: fc.constantFrom(...selectionModes),
    used: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    real: fc.constantFrom(...realDataModes),
    fresh: fc.boolean(),
    source: fc.constantFrom("fixed", "procedural"),
    origin: fc.constantFrom("real", "human", "student", "teacher"),
    role: fc.constantFrom("student", "teacher"),
    iterations: fc.integer({ min: 1, max: 5 }),
  })
  .map((r) => {
    const signals = r.signals.map((s, i) => ({ name: `s${i}`, ...s }));
    const names = signals.filter((_, i) => r.used[i]).map((s) => s.name);
    const mode = r.mode === "none" || names.length > 0 ? r.mode : "reference";
    return {
      iterations: r.iterations,
      prompts: { source: r.source, origin: r.origin, count: 10 },
      generator: { role: r.role },
      signals,
      selection: mode === "none" ? { mode } : { mode, signals: names },
      real_data:
        r.real === "fraction"
          ? { mode: r.real, fraction: 0.2, fresh: r.fresh }
          : { mode: r.real, fresh: r.fresh },
    };
  });

describe("audit invariants over random specs", () => {
  it("the verdict is open exactly when some used channel or source is open, and explains itself", () => {
    fc.assert(
      fc.property(arbitrarySpec, (overrides) => {
        const report = auditSpec(specWith(overrides));
        const anyOpen = report.channels.some((c) => c.open) || report.sources.some((s) => s.open);
        expect(report.verdict === "open").toBe(anyOpen);
        expect(report.channels).toHaveLength(overrides.signals.length);
        expect(report.findings[0].id).toBe(
          report.verdict === "closed" ? "closed-loop" : report.findings[0].id,
        );
        expect(
          report.findings.some((f) => f.id === (report.verdict === "closed" ? "closed-loop" : "open-loop")),
        ).toBe(true);
        expect(report.chain.at(-1)!.expression.endsWith("I(X; Z_0)")).toBe(report.verdict === "closed");
        for (const channel of report.channels) {
          // a channel computed from the student never carries task information
          if (!channel.external) expect(channel.taskInformation).toBe(false);
          expect(channel.open).toBe(channel.taskInformation && channel.used);
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("adding a used answer check against gold to any spec opens it; removing every external input closes it", () => {
    fc.assert(
      fc.property(arbitrarySpec, (overrides) => {
        const withGold = {
          ...overrides,
          signals: [...overrides.signals, { name: "gold", kind: "answer-match" }],
          selection: { mode: "filter", signals: ["gold"] },
        };
        expect(auditSpec(specWith(withGold)).verdict).toBe("open");
        const selfOnly = {
          ...overrides,
          generator: { role: "student" },
          signals: overrides.signals.map((s) => (s.kind === "random" ? s : { ...s, model: "student" })),
          real_data: { mode: "none" },
        };
        expect(auditSpec(specWith(selfOnly)).verdict).toBe("closed");
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
