import { describe, expect, it } from "vitest";
import { buildArms, loopParams } from "../../src/lab/arms.js";
import { resolveParams } from "../../src/lab/calibration/index.js";
import { ciClaim, DOES_NOT_RISE, FALLS, POSITIVE, RISES, ZERO } from "../../src/lab/claims.js";
import { meanCI } from "../../src/lab/stats.js";

describe("predictions", () => {
  // [1, 2, 3] has mean 2 and 95% t interval 2 -+ 4.303/sqrt(3) = [-0.484, 4.484].
  it.each([
    ["RISES", RISES, [1, 2, 3], false],
    ["RISES", RISES, [3, 4, 5], true],
    ["DOES_NOT_RISE", DOES_NOT_RISE, [1, 2, 3], true],
    ["DOES_NOT_RISE", DOES_NOT_RISE, [3, 4, 5], false],
    ["FALLS", FALLS, [-3, -2, -1], false],
    ["FALLS", FALLS, [-5, -4, -3], true],
    ["POSITIVE", POSITIVE, [0.5, 0.6, 0.7], true],
    ["ZERO", ZERO, [0.005, -0.005, 0.009], true],
    ["ZERO", ZERO, [0.02, 0.02, 0.02], false],
  ])("%s on %j holds: %s", (_name, prediction, values, holds) => {
    expect(prediction.holds(meanCI(values))).toBe(holds);
  });

  it("ciClaim decides in bits and shows the measurement in the asked unit", () => {
    const bits = ciClaim("c", POSITIVE, [1, 1, 1], "bits");
    const nats = ciClaim("c", POSITIVE, [1, 1, 1], "nats");
    expect(bits).toEqual({ claim: "c", predicted: "> 0", measured: "1 [1, 1] bits", holds: true });
    expect(nats.measured).toBe(`${Number(Math.LN2.toFixed(3))} [0.693, 0.693] nats`);
    expect(ciClaim("c", RISES, [1, 2, 3]).measured).toBe("2 [-0.484, 4.484]");
  });
});

describe("buildArms", () => {
  it("gives each arm the shared params, its own loop options and the spec they implement", () => {
    const params = resolveParams("t", loopParams(), { iterations: 7 });
    const [judge, coin] = buildArms(params, [
      { name: "judge", loop: { method: "judge" }, spec: "s-judge", description: "d1" },
      { name: "coin", loop: { method: "rlvr", reward: "random" }, spec: "s-coin", description: "d2" },
    ]);
    expect(judge.options).toMatchObject({ method: "judge", reward: "verdict", iterations: 7, batch: 16 });
    expect(judge.spec).toMatchObject({ name: "s-judge", description: "d1", iterations: 7 });
    expect(judge.spec.signals).toEqual([expect.objectContaining({ name: "judge", model: "student" })]);
    expect(coin.options).toMatchObject({ method: "rlvr", reward: "random" });
    expect(coin.spec.signals).toEqual([expect.objectContaining({ name: "coin", kind: "random" })]);
    expect(coin.spec.selection).toEqual({ mode: "reward" });
  });
});
