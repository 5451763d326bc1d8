import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Adam } from "../../src/lab/adam.js";
import {
  add,
  backward,
  constant,
  gather,
  logSoftmax,
  matmul,
  mean,
  mul,
  relu,
  rows,
  scale,
  softmaxCrossEntropy,
  sum,
  type Tensor,
  tanh,
  tensor,
} from "../../src/lab/autograd.js";

/** Central finite differences of `f` with respect to every element of every input. */
function numericGrads(inputs: Tensor[], f: () => Tensor, h = 1e-6): Float64Array[] {
  return inputs.map((t) => {
    const g = new Float64Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) {
      const keep = t.data[i];
      t.data[i] = keep + h;
      const up = f().data[0];
      t.data[i] = keep - h;
      const down = f().data[0];
      t.data[i] = keep;
      g[i] = (up - down) / (2 * h);
    }
    return g;
  });
}

function checkGrads(inputs: Tensor[], f: () => Tensor): void {
  for (const t of inputs) t.grad = null;
  backward(f());
  const numeric = numericGrads(inputs, f);
  inputs.forEach((t, k) => {
    const analytic = t.grad ?? new Float64Array(t.data.length);
    for (let i = 0; i < analytic.length; i++) {
      expect(Math.abs(analytic[i] - numeric[k][i])).toBeLessThan(1e-5 * (1 + Math.abs(numeric[k][i])));
    }
  });
}

const value = fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true });
const dims = fc.record({
  n: fc.integer({ min: 1, max: 4 }),
  k: fc.integer({ min: 1, max: 4 }),
  m: fc.integer({ min: 2, max: 5 }),
});
const withValues = dims.chain(({ n, k, m }) =>
  fc.record({
    n: fc.constant(n),
    k: fc.constant(k),
    m: fc.constant(m),
    x: fc.array(value, { minLength: n * k, maxLength: n * k }),
    w: fc.array(value, { minLength: k * m, maxLength: k * m }),
    b: fc.array(value, { minLength: m, maxLength: m }),
    targets: fc.array(fc.integer({ min: 0, max: m - 1 }), { minLength: n, maxLength: n }),
    weights: fc.array(value, { minLength: n, maxLength: n }),
  }),
);

describe("autograd against finite differences", () => {
  it("matmul + add + tanh + mul + mean", () => {
    fc.assert(
      fc.property(withValues, ({ n, k, m, x, w, b }) => {
        const X = tensor(x, [n, k]);
        const W = tensor(w, [k, m]);
        const B = tensor(b, [m]);
        checkGrads([X, W, B], () => {
          const h = tanh(add(matmul(X, W), B));
          return mean(mul(h, h));
        });
      }),
      { numRuns: 40 },
    );
  });

  it("weighted softmax cross-entropy (fused) equals -weighted log-softmax gather", () => {
    fc.assert(
      fc.property(withValues, ({ n, k, m, x, w, targets, weights }) => {
        const X = tensor(x, [n, k]);
        const W = tensor(w, [k, m]);
        const t = Int32Array.from(targets);
        const wt = Float64Array.from(weights);
        checkGrads([X, W], () => softmaxCrossEntropy(matmul(X, W), t, wt));
        const fused = softmaxCrossEntropy(matmul(X, W), t, wt).data[0];
        const lp = gather(logSoftmax(matmul(X, W)), t).data;
        const direct = -lp.reduce((s, v, i) => s + v * wt[i], 0);
        expect(fused).toBeCloseTo(direct, 10);
      }),
      { numRuns: 40 },
    );
  });

  it("log-softmax + gather + sum + scale", () => {
    fc.assert(
      fc.property(withValues, ({ n, k, m, x, w, targets }) => {
        const X = tensor(x, [n, k]);
        const W = tensor(w, [k, m]);
        const t = Int32Array.from(targets);
        checkGrads([X, W], () => scale(sum(gather(logSoftmax(matmul(X, W)), t)), -0.5));
      }),
      { numRuns: 40 },
    );
  });

  it("row lookup (embedding) + relu away from the kink", () => {
    fc.assert(
      fc.property(withValues, ({ n, m, b, w, targets }) => {
        const k = w.length / m;
        // every pre-activation at least 0.06 away from relu's kink at 0, for finite differences
        const table = tensor(
          w.map((v) => (v >= 0 ? v + 0.1 : v - 0.1)),
          [k, m],
        );
        const idx = Int32Array.from(targets, (t) => t % k);
        const B = tensor(
          b.map((v) => v * 0.02),
          [m],
        );
        checkGrads([table, B], () => sum(relu(add(rows(table, idx), B))));
        expect(rows(table, idx).shape).toEqual([n, m]);
      }),
      { numRuns: 40 },
    );
  });
});

describe("autograd closed forms", () => {
  it("softmax cross-entropy of zero logits is n log c, with gradient p - onehot", () => {
    const L = tensor(new Float64Array(6), [2, 3]);
    const loss = softmaxCrossEntropy(L, Int32Array.of(0, 2));
    expect(loss.data[0]).toBeCloseTo(2 * Math.log(3), 12);
    backward(loss);
    expect(Array.from(L.grad!)).toEqual(
      [1 / 3 - 1, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3 - 1].map((v) => expect.closeTo(v, 12)),
    );
  });
});

describe("constants", () => {
  it("take no gradient, while the parameters they meet do", () => {
    const x = constant(Float64Array.of(1, 2, 3, 4), [2, 2]);
    const w = tensor([0.5, -1, 2, 0.25], [2, 2]);
    backward(sum(matmul(x, w)));
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
    // d/dw sum(x w) = column sums of x, repeated over w's columns
    expect(Array.from(w.grad!)).toEqual([4, 4, 6, 6]);
  });
});

describe("Adam", () => {
  it("minimises a convex quadratic to its optimum", () => {
    const x = tensor([3, -2], [2]);
    const target = tensor([1, 0.5], [2]);
    const opt = new Adam([x], { lr: 0.05 });
    for (let i = 0; i < 2000; i++) {
      const d = add(x, scale(target, -1));
      backward(sum(mul(d, d)));
      opt.step();
    }
    expect(x.data[0]).toBeCloseTo(1, 3);
    expect(x.data[1]).toBeCloseTo(0.5, 3);
  });
});
