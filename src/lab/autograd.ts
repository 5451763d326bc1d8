/**
 * A small reverse-mode automatic differentiation over Float64Array: tensors are flat row-major
 * arrays with a shape; each operation records how to push its gradient back to its inputs, and
 * `backward` walks the graph in reverse topological order. Enough for the lab's learners:
 * matmul, additions, tanh/relu, log-softmax, the fused softmax cross-entropy, row and element
 * gathers, sums and means.
 */

/** A flat row-major array of numbers with a shape, and (after `backward`) its gradient. */
export class Tensor {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  grad: Float64Array | null = null;
  readonly parents: readonly Tensor[];
  readonly backwardFn: (() => void) | null;
  /** Whether gradients flow into this tensor: leaves by default, results when any input does. */
  readonly requiresGrad: boolean;

  constructor(
    data: Float64Array,
    shape: readonly number[],
    parents: readonly Tensor[] = [],
    backwardFn: (() => void) | null = null,
    requiresGrad = parents.length === 0 || parents.some((p) => p.requiresGrad),
  ) {
    this.data = data;
    this.shape = shape;
    this.parents = parents;
    this.backwardFn = backwardFn;
    this.requiresGrad = requiresGrad;
  }

  /** The gradient array, allocated (zero) on first use. */
  gradient(): Float64Array {
    if (this.grad === null) this.grad = new Float64Array(this.data.length);
    return this.grad;
  }
}

/**
 * A tensor from values and a shape.
 * @example const x = tensor([1, 2, 3, 4], [2, 2]);
 */
export function tensor(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new RangeError(`tensor: ${values.length} values for shape [${shape}]`);
  return new Tensor(Float64Array.from(values), shape);
}

/** A tensor that takes no gradient (inputs, data): backward skips the work for it. */
export function constant(values: Float64Array, shape: readonly number[]): Tensor {
  return new Tensor(values, shape, [], null, false);
}

function rowsCols(t: Tensor): [number, number] {
  if (t.shape.length !== 2) throw new RangeError(`expected a matrix, got shape [${t.shape}]`);
  return [t.shape[0], t.shape[1]];
}

/** Matrix product a[n,k] x b[k,m] -> [n,m]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [n, k] = rowsCols(a);
  const [k2, m] = rowsCols(b);
  if (k !== k2) throw new RangeError(`matmul: [${a.shape}] x [${b.shape}]`);
  const A = a.data;
  const B = b.data;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const oi = i * m;
    for (let p = 0; p < k; p++) {
      const av = A[i * k + p];
      if (av === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) out[oi + j] += av * B[bp + j];
    }
  }
  const result: Tensor = new Tensor(out, [n, m], [a, b], () => {
    const G = result.grad!;
    if (a.requiresGrad) accumulateGradA(G, B, a.gradient(), n, k, m);
    if (b.requiresGrad) accumulateGradB(A, G, b.gradient(), n, k, m);
  });
  return result;
}

/** gA += G B^T for G [n,m], B [k,m]. */
function accumulateGradA(
  G: Float64Array,
  B: Float64Array,
  gA: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = i * m;
    for (let p = 0; p < k; p++) {
      const bp = p * m;
      let acc = 0;
      for (let j = 0; j < m; j++) acc += G[gi + j] * B[bp + j];
      gA[i * k + p] += acc;
    }
  }
}

/** gB += A^T G for A [n,k], G [n,m] (rows of A that are zero are skipped). */
function accumulateGradB(
  A: Float64Array,
  G: Float64Array,
  gB: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  for (let i = 0; i < n; i++) {
    const gi = i * m;
    for (let p = 0; p < k; p++) {
      const av = A[i * k + p];
      if (av === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) gB[bp + j] += av * G[gi + j];
    }
  }
}

/** Elementwise sum of two tensors of the same shape, or a[n,m] plus a row vector b[m] on every row. */
export function add(a: Tensor, b: Tensor): Tensor {
  const n = a.data.length;
  const m = b.data.length;
  if (n % m !== 0 || (m !== n && a.shape[a.shape.length - 1] !== m)) {
    throw new RangeError(`add: [${a.shape}] + [${b.shape}]`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i] + b.data[i % m];
  const result: Tensor = new Tensor(out, a.shape, [a, b], () => {
    const G = result.grad!;
    const gA = a.gradient();
    const gB = b.gradient();
    for (let i = 0; i < n; i++) {
      gA[i] += G[i];
      gB[i % m] += G[i];
    }
  });
  return result;
}

/** Elementwise product of two tensors of the same shape. */
export function mul(a: Tensor, b: Tensor): Tensor {
  const n = a.data.length;
  if (b.data.length !== n) throw new RangeError(`mul: [${a.shape}] * [${b.shape}]`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i] * b.data[i];
  const result: Tensor = new Tensor(out, a.shape, [a, b], () => {
    const G = result.grad!;
    const gA = a.gradient();
    const gB = b.gradient();
    for (let i = 0; i < n; i++) {
      gA[i] += G[i] * b.data[i];
      gB[i] += G[i] * a.data[i];
    }
  });
  return result;
}

/** Multiplies every element by a constant. */
export function scale(a: Tensor, factor: number): Tensor {
  const out = a.data.map((v) => v * factor);
  const result: Tensor = new Tensor(out, a.shape, [a], () => {
    const G = result.grad!;
    const gA = a.gradient();
    for (let i = 0; i < G.length; i++) gA[i] += G[i] * factor;
  });
  return result;
}

/** Elementwise hyperbolic tangent. */
export function tanh(a: Tensor): Tensor {
  const out = a.data.map(Math.tanh);
  const result: Tensor = new Tensor(out, a.shape, [a], () => {
    const G = result.grad!;
    const gA = a.gradient();
    for (let i = 0; i < G.length; i++) gA[i] += G[i] * (1 - out[i] * out[i]);
  });
  return result;
}

/** Elementwise rectified linear unit. */
export function relu(a: Tensor): Tensor {
  const out = a.data.map((v) => Math.max(v, 0));
  const result: Tensor = new Tensor(out, a.shape, [a], () => {
    const G = result.grad!;
    const gA = a.gradient();
    for (let i = 0; i < G.length; i++) if (a.data[i] > 0) gA[i] += G[i];
  });
  return result;
}

/** Row-wise log-softmax of a matrix [n,c]. */
export function logSoftmax(a: Tensor): Tensor {
  const [n, c] = rowsCols(a);
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const o = i * c;
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, a.data[o + j]);
    let z = 0;
    for (let j = 0; j < c; j++) z += Math.exp(a.data[o + j] - max);
    const lse = max + Math.log(z);
    for (let j = 0; j < c; j++) out[o + j] = a.data[o + j] - lse;
  }
  const result: Tensor = new Tensor(out, [n, c], [a], () => {
    const G = result.grad!;
    const gA = a.gradient();
    for (let i = 0; i < n; i++) {
      const o = i * c;
      let gs = 0;
      for (let j = 0; j < c; j++) gs += G[o + j];
      for (let j = 0; j < c; j++) gA[o + j] += G[o + j] - Math.exp(out[o + j]) * gs;
    }
  });
  return result;
}

/**
 * Fused softmax cross-entropy of logits [n,c] against integer targets, weighted per row:
 * sum_i w_i * (-log softmax(logits_i)[target_i]). With weights = advantages this is the
 * policy-gradient surrogate; with unit weights, the SFT loss (divide by n for the mean).
 */
export function softmaxCrossEntropy(logits: Tensor, targets: Int32Array, weights?: Float64Array): Tensor {
  const [n, c] = rowsCols(logits);
  if (targets.length !== n)
    throw new RangeError(`softmaxCrossEntropy: ${targets.length} targets for ${n} rows`);
  const probs = new Float64Array(n * c);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const o = i * c;
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, logits.data[o + j]);
    let z = 0;
    for (let j = 0; j < c; j++) {
      const e = Math.exp(logits.data[o + j] - max);
      probs[o + j] = e;
      z += e;
    }
    for (let j = 0; j < c; j++) probs[o + j] /= z;
    const w = weights ? weights[i] : 1;
    loss += w * (max + Math.log(z) - logits.data[o + targets[i]]);
  }
  const result: Tensor = new Tensor(Float64Array.of(loss), [], [logits], () => {
    const g = result.grad![0];
    const gL = logits.gradient();
    for (let i = 0; i < n; i++) {
      const o = i * c;
      const w = (weights ? weights[i] : 1) * g;
      if (w === 0) continue;
      for (let j = 0; j < c; j++) gL[o + j] += w * probs[o + j];
      gL[o + targets[i]] -= w;
    }
  });
  return result;
}

/** Picks one element per row of a matrix [n,c]: out[i] = a[i, index[i]]. */
export function gather(a: Tensor, index: Int32Array): Tensor {
  const [n, c] = rowsCols(a);
  if (index.length !== n) throw new RangeError(`gather: ${index.length} indices for ${n} rows`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i * c + index[i]];
  const result: Tensor = new Tensor(out, [n], [a], () => {
    const G = result.grad!;
    const gA = a.gradient();
    for (let i = 0; i < n; i++) gA[i * c + index[i]] += G[i];
  });
  return result;
}

/** Picks whole rows of a matrix [v,m] (an embedding lookup): out[i,:] = table[index[i],:]. */
export function rows(table: Tensor, index: Int32Array): Tensor {
  const [, m] = rowsCols(table);
  const n = index.length;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) out.set(table.data.subarray(index[i] * m, index[i] * m + m), i * m);
  const result: Tensor = new Tensor(out, [n, m], [table], () => {
    const G = result.grad!;
    const gT = table.gradient();
    for (let i = 0; i < n; i++) {
      const o = index[i] * m;
      for (let j = 0; j < m; j++) gT[o + j] += G[i * m + j];
    }
  });
  return result;
}

/** Sum of all elements (a scalar). */
export function sum(a: Tensor): Tensor {
  let s = 0;
  for (const v of a.data) s += v;
  const result: Tensor = new Tensor(Float64Array.of(s), [], [a], () => {
    const g = result.grad![0];
    const gA = a.gradient();
    for (let i = 0; i < gA.length; i++) gA[i] += g;
  });
  return result;
}

/** Mean of all elements (a scalar). */
export function mean(a: Tensor): Tensor {
  return scale(sum(a), 1 / a.data.length);
}

/**
 * Back-propagates from a scalar: fills `grad` of every tensor it depends on (gradients add up
 * across calls; reset them with `zeroGrad` or let the optimizer do it).
 */
export function backward(loss: Tensor): void {
  if (loss.data.length !== 1) throw new RangeError(`backward needs a scalar, got shape [${loss.shape}]`);
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[loss, false]];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push([node, true]);
    for (const p of node.parents) if (!seen.has(p)) stack.push([p, false]);
  }
  loss.gradient()[0] += 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (node.backwardFn !== null && node.grad !== null && node.requiresGrad) node.backwardFn();
  }
}

/** Resets the gradients of the given tensors to zero. */
export function zeroGrad(params: readonly Tensor[]): void {
  for (const p of params) p.grad?.fill(0);
}
