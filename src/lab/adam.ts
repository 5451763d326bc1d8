/**
 * The Adam optimizer (Kingma & Ba 2015) over autograd tensors: bias-corrected first and second
 * moment estimates of the gradient, one step per call.
 */
import type { Tensor } from "./autograd.js";

/** Adam's hyper-parameters. */
export interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

/**
 * Adam over a fixed list of parameter tensors.
 * @example const opt = new Adam(policy.params, { lr: 0.05 }); backward(loss); opt.step();
 */
export class Adam {
  readonly params: readonly Tensor[];
  readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    this.params = params;
    this.lr = options.lr ?? 0.01;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = params.map((p) => new Float64Array(p.data.length));
    this.v = params.map((p) => new Float64Array(p.data.length));
  }

  /** Applies one update from the current gradients, then zeroes them. */
  step(): void {
    this.t += 1;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    this.params.forEach((p, k) => {
      const g = p.grad;
      if (g === null) return;
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < g.length; i++) {
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * g[i];
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * g[i] * g[i];
        p.data[i] -= (this.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
      }
      g.fill(0);
    });
  }
}
