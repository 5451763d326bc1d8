import { describe, expect, it } from "vitest";
import { applyFieldMap, findPreset, getPath, PRESETS, parseFieldMap } from "../../src/records/index.js";

describe("field maps", () => {
  it("parses target=source entries", () => {
    expect(parseFieldMap(["class=final_answer", "signals.reward = score"])).toEqual([
      { target: "class", source: "final_answer" },
      { target: "signals.reward", source: "score" },
    ]);
  });

  it.each([["clas=x"], ["signals.=x"], ["class"], ["=x"], ["weights.a=b"]])(
    "rejects '%s' with a usage error",
    (entry) => {
      expect(() => parseFieldMap([entry])).toThrow(expect.objectContaining({ code: "usage" }));
    },
  );

  it.each([
    [{ a: { b: [1, { c: 5 }] } }, "a.b.1.c", 5],
    [{ a: { b: [1, 2, 3] } }, "a.b.-1", 3],
    [{ "a.b": 7, a: { b: 8 } }, "a.b", 7],
    [{ a: 1 }, "a.b", undefined],
  ])("reads %j at %s", (row, path, expected) => {
    expect(getPath(row, path)).toBe(expected);
  });

  it("sets nested signal and feature targets without touching the row", () => {
    const row = { q: "p1", score: 0.5, info: { len: 3 }, signals: { old: 1 } };
    const out = applyFieldMap(
      row,
      parseFieldMap(["prompt_id=q", "signals.reward=score", "features.len=info.len"]),
    );
    expect(out).toMatchObject({ prompt_id: "p1", signals: { old: 1, reward: 0.5 }, features: { len: 3 } });
    expect(row.signals).toEqual({ old: 1 });
  });

  it("knows its presets and rejects unknown ones", () => {
    expect(PRESETS.map((p) => p.name)).toEqual(["trl-grpo", "verl"]);
    expect(findPreset("verl").map).toContainEqual({ target: "response", source: "output" });
    expect(() => findPreset("openrlhf")).toThrow(/unknown preset 'openrlhf'/);
  });
});
