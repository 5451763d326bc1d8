/**
 * Joint and conditional entropies, mutual information and conditional mutual information of
 * discrete code columns, each built from one entropy estimator applied consistently:
 * I(X;Y) = H(X) + H(Y) - H(X,Y) and I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z).
 * Small joint alphabets are counted in one pass into a dense table whose margins give the other
 * terms; large ones are re-coded densely, so memory follows the number of distinct values.
 */
import { OpenloopError } from "../errors.js";
import {
  codeCardinality,
  countCodes,
  countDistinctTuples,
  denseLimit,
  densePairCodes,
  jointCodes,
} from "./encode.js";
import { type DiscreteEstimator, entropyFromCounts } from "./entropy.js";
import { convertNats, type Unit } from "./units.js";

/** Options shared by the discrete information functions. */
export interface EntropyOptions {
  /** The entropy estimator used for every term; default `plugin`. */
  estimator?: DiscreteEstimator;
  /** The unit of the result; default `bits`. */
  unit?: Unit;
  /**
   * The alphabet size K of each (joint) variable, for the estimators that use one (`nsb`,
   * `james-stein`): `observed` (default) = the number of distinct values seen (and `nsb` runs
   * without K); `product` = the product over its columns of (largest code + 1).
   */
  alphabet?: "observed" | "product";
}

/** A (joint) variable: one code column with its cardinality and its product alphabet size. */
interface Variable {
  codes: Int32Array;
  cardinality: number;
  productSize: number;
}

function rowCount(groups: Int32Array[][]): number {
  let n = -1;
  for (const group of groups) {
    for (const column of group) {
      if (n === -1) n = column.length;
      else if (column.length !== n) {
        throw new OpenloopError("input", `columns differ in length (${n} and ${column.length} rows)`);
      }
    }
  }
  if (n === -1) throw new OpenloopError("usage", "no columns given");
  if (n === 0) throw new OpenloopError("input", "no rows: cannot estimate from an empty sample");
  return n;
}

function variable(columns: Int32Array[], role: string): Variable {
  if (columns.length === 0) throw new OpenloopError("usage", `${role} needs at least one column`);
  if (columns.length === 1) {
    const codes = columns[0];
    const cardinality = codeCardinality(codes);
    if (cardinality <= denseLimit(codes.length)) return { codes, cardinality, productSize: cardinality };
    return { ...densePairCodes(codes, null), productSize: cardinality };
  }
  let productSize = 1;
  for (const column of columns) productSize *= Math.max(1, codeCardinality(column));
  const { codes, cardinality } = jointCodes(columns);
  return { codes, cardinality, productSize };
}

/** Entropy in nats of a tally (zeros dropped), with K per the alphabet option. */
function tallyEntropy(
  tally: ArrayLike<number>,
  size: number,
  options: EntropyOptions,
  productSize: number,
): number {
  let nonzero = 0;
  for (let i = 0; i < size; i++) if (tally[i] > 0) nonzero++;
  const counts = new Float64Array(nonzero);
  let j = 0;
  for (let i = 0; i < size; i++) if (tally[i] > 0) counts[j++] = tally[i];
  return entropyFromCounts(counts, {
    estimator: options.estimator,
    unit: "nats",
    alphabetSize: options.alphabet === "product" ? productSize : undefined,
  });
}

function variableEntropy(v: Variable, options: EntropyOptions): number {
  return tallyEntropy(countCodes(v.codes, v.cardinality), v.cardinality, options, v.productSize);
}

/**
 * The entropy H(X) of the joint variable formed by `columns`.
 * @example jointEntropy([Int32Array.of(0, 1, 0, 1), Int32Array.of(0, 0, 1, 1)]) // 2 (bits)
 */
export function jointEntropy(columns: Int32Array[], options: EntropyOptions = {}): number {
  rowCount([columns]);
  return convertNats(variableEntropy(variable(columns, "jointEntropy"), options), options.unit ?? "bits");
}

/**
 * The conditional entropy H(X | given) = H(X, given) - H(given); `given` may be empty.
 * @example conditionalEntropy([Int32Array.of(0, 1)], [Int32Array.of(0, 1)]) // 0
 */
export function conditionalEntropy(
  x: Int32Array[],
  given: Int32Array[],
  options: EntropyOptions = {},
): number {
  rowCount([x, given]);
  if (given.length === 0) return jointEntropy(x, options);
  const hxz = variableEntropy(variable([...x, ...given], "conditionalEntropy"), options);
  const hz = variableEntropy(variable(given, "conditionalEntropy"), options);
  return convertNats(hxz - hz, options.unit ?? "bits");
}

/** I(X;Y) in nats from the variables, through one dense joint table when it is small. */
function mutualInformationNats(vx: Variable, vy: Variable, n: number, options: EntropyOptions): number {
  const cx = vx.cardinality;
  const cy = vy.cardinality;
  if (cx * cy > denseLimit(n)) {
    const joint = countDistinctTuples([vx.codes, vy.codes], [vx.cardinality, vy.cardinality]);
    return (
      variableEntropy(vx, options) +
      variableEntropy(vy, options) -
      tallyEntropy(joint, joint.length, options, vx.productSize * vy.productSize)
    );
  }
  const xs = vx.codes;
  const ys = vy.codes;
  const joint = new Int32Array(cx * cy);
  for (let i = 0; i < n; i++) joint[xs[i] * cy + ys[i]]++;
  const mx = new Float64Array(cx);
  const my = new Float64Array(cy);
  for (let a = 0; a < cx; a++) {
    const row = a * cy;
    for (let b = 0; b < cy; b++) {
      const c = joint[row + b];
      mx[a] += c;
      my[b] += c;
    }
  }
  return (
    tallyEntropy(mx, cx, options, vx.productSize) +
    tallyEntropy(my, cy, options, vy.productSize) -
    tallyEntropy(joint, cx * cy, options, vx.productSize * vy.productSize)
  );
}

/**
 * Mutual information I(X;Y) = H(X) + H(Y) - H(X,Y) between two (joint) variables. May be
 * negative for bias-corrected estimators: see `clipInformation`.
 * @example mutualInformation([Int32Array.of(0, 1, 0, 1)], [Int32Array.of(0, 1, 0, 1)]) // 1 (bit)
 */
export function mutualInformation(x: Int32Array[], y: Int32Array[], options: EntropyOptions = {}): number {
  const n = rowCount([x, y]);
  const vx = variable(x, "mutualInformation x");
  const vy = variable(y, "mutualInformation y");
  return convertNats(mutualInformationNats(vx, vy, n, options), options.unit ?? "bits");
}

/**
 * Conditional mutual information I(X;Y|Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z); Z may be any set
 * of columns, and an empty Z gives I(X;Y). May be negative for bias-corrected estimators.
 * @example
 * // XOR: Y = X ^ Z with X, Z fair bits: I(X;Y) = 0 but I(X;Y|Z) = 1 bit
 * conditionalMutualInformation([x], [y], [z])
 */
export function conditionalMutualInformation(
  x: Int32Array[],
  y: Int32Array[],
  z: Int32Array[],
  options: EntropyOptions = {},
): number {
  const n = rowCount([x, y, z]);
  if (z.length === 0) return mutualInformation(x, y, options);
  const vx = variable(x, "conditionalMutualInformation x");
  const vy = variable(y, "conditionalMutualInformation y");
  const vz = variable(z, "conditionalMutualInformation z");
  return convertNats(cmiNats(vx, vy, vz, n, options), options.unit ?? "bits");
}

function cmiNats(vx: Variable, vy: Variable, vz: Variable, n: number, options: EntropyOptions): number {
  const cx = vx.cardinality;
  const cy = vy.cardinality;
  const cz = vz.cardinality;
  if (cx * cy * cz > denseLimit(n)) {
    const xz = countDistinctTuples([vx.codes, vz.codes], [cx, cz]);
    const yz = countDistinctTuples([vy.codes, vz.codes], [cy, cz]);
    const xyz = countDistinctTuples([vx.codes, vy.codes, vz.codes], [cx, cy, cz]);
    return (
      tallyEntropy(xz, xz.length, options, vx.productSize * vz.productSize) +
      tallyEntropy(yz, yz.length, options, vy.productSize * vz.productSize) -
      tallyEntropy(xyz, xyz.length, options, vx.productSize * vy.productSize * vz.productSize) -
      variableEntropy(vz, options)
    );
  }
  const xs = vx.codes;
  const ys = vy.codes;
  const zs = vz.codes;
  const cxy = cx * cy;
  const joint = new Int32Array(cxy * cz);
  for (let i = 0; i < n; i++) joint[zs[i] * cxy + xs[i] * cy + ys[i]]++;
  const xz = new Float64Array(cz * cx);
  const yz = new Float64Array(cz * cy);
  const mz = new Float64Array(cz);
  for (let c = 0; c < cz; c++) {
    for (let a = 0; a < cx; a++) {
      const row = c * cxy + a * cy;
      for (let b = 0; b < cy; b++) {
        const count = joint[row + b];
        xz[c * cx + a] += count;
        yz[c * cy + b] += count;
        mz[c] += count;
      }
    }
  }
  return (
    tallyEntropy(xz, cz * cx, options, vx.productSize * vz.productSize) +
    tallyEntropy(yz, cz * cy, options, vy.productSize * vz.productSize) -
    tallyEntropy(joint, cxy * cz, options, vx.productSize * vy.productSize * vz.productSize) -
    tallyEntropy(mz, cz, options, vz.productSize)
  );
}

/** An information estimate as reported: the raw estimator output and its clip at zero. */
export interface ClippedInformation {
  /** The estimator's value, possibly negative (bias correction or sampling noise). */
  raw: number;
  /** max(raw, 0): the true MI/CMI is never negative. */
  clipped: number;
}

/**
 * The negative-estimate policy of openloop: MI and CMI functions return the raw value; reports
 * show both the raw and the clipped value; nothing is clipped silently.
 * @example clipInformation(-0.01) // { raw: -0.01, clipped: 0 }
 */
export function clipInformation(value: number): ClippedInformation {
  return { raw: value, clipped: Math.max(value, 0) };
}
