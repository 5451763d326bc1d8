/**
 * The estimate command's plan: which estimator applies to a quantity (entropy, MI, CMI) over
 * columns of given kinds, the defaults, and the statistic that computes it on any subset of rows
 * (the whole table, a bootstrap resample, or a permutation).
 */
import { OpenloopError } from "../errors.js";
import {
  conditionalEntropy,
  conditionalMutualInformation,
  DISCRETE_ESTIMATORS,
  type DiscreteEstimator,
  frenzelPompeCMI,
  isDiscreteEstimator,
  jointEntropy,
  type KnnTransform,
  klEntropy,
  ksgMutualInformation,
  mixedMutualInformation,
  mutualInformation,
  type Unit,
} from "../info/index.js";
import type { Table, TableColumn } from "../records/index.js";

/** The quantities `openloop estimate` computes. */
export type Quantity = "entropy" | "mi" | "cmi";

/** The quantities, as written on the command line. */
export const QUANTITIES: readonly Quantity[] = ["entropy", "mi", "cmi"];

/** The k-nearest-neighbour estimators, as named on the command line. */
export type KnnEstimator = "kl" | "ksg" | "ksg2" | "frenzel-pompe" | "mixed";

/** Every estimator name the command accepts. */
export type EstimatorName = DiscreteEstimator | KnnEstimator;

/** What each kNN estimator computes and which columns it takes. */
export const KNN_ESTIMATORS: Record<
  KnnEstimator,
  { quantities: Quantity[]; columns: string; about: string }
> = {
  kl: { quantities: ["entropy"], columns: "continuous", about: "Kozachenko-Leonenko differential entropy" },
  ksg: { quantities: ["mi"], columns: "continuous", about: "Kraskov-Stoegbauer-Grassberger MI, algorithm 1" },
  ksg2: {
    quantities: ["mi"],
    columns: "continuous",
    about: "Kraskov-Stoegbauer-Grassberger MI, algorithm 2",
  },
  "frenzel-pompe": { quantities: ["cmi"], columns: "continuous", about: "Frenzel-Pompe conditional MI" },
  mixed: {
    quantities: ["mi", "cmi"],
    columns: "any mix",
    about: "Gao-Kannan-Oh-Viswanath MI for discrete-continuous mixtures (CMI by the chain rule)",
  },
};

/** All estimator names, discrete first. */
export const ESTIMATOR_NAMES: readonly EstimatorName[] = [
  ...DISCRETE_ESTIMATORS,
  ...(Object.keys(KNN_ESTIMATORS) as KnnEstimator[]),
];

/** The default estimators, for help text and docs. */
export const DEFAULTS_TEXT =
  "discrete columns: miller-madow; continuous: kl (entropy), ksg with k = 3 (mi), frenzel-pompe (cmi);\n" +
  "a mix of discrete and continuous columns: mixed (mi, cmi)";

/** The request: the quantity and the column roles, as given on the command line. */
export interface EstimateRequest {
  quantity: Quantity;
  x: string[];
  y: string[];
  given: string[];
  estimator?: string;
  k: number;
  /** Per-column transform of the kNN MI/CMI estimators before distances are taken. */
  transform: KnnTransform;
  unit: Unit;
  seed: number;
}

/** A chosen estimator and the statistic it computes on a set of rows (all rows when omitted). */
export interface EstimatePlan {
  estimator: EstimatorName;
  family: "discrete" | "knn";
  /**
   * The statistic in the requested unit on the rows `rows` (indices, repeats allowed; all rows
   * when omitted). With `xOrder` (a permutation, for permutation tests) row i takes its X
   * values from row xOrder[i] while Y and Z stay in place.
   */
  statistic: (rows?: Int32Array, xOrder?: Int32Array) => number;
}

function isKnn(name: string): name is KnnEstimator {
  return Object.hasOwn(KNN_ESTIMATORS, name);
}

function roleColumns(request: EstimateRequest): string[] {
  return [...request.x, ...request.y, ...request.given];
}

/** Picks the default estimator for the quantity and the kinds of its columns. */
function defaultEstimator(request: EstimateRequest, table: Table): EstimatorName {
  const columns = roleColumns(request).map((name) => table.columns[name]);
  const continuous = columns.filter((c) => c.kind === "continuous");
  if (continuous.length === 0) return "miller-madow";
  if (continuous.length === columns.length) {
    return request.quantity === "entropy" ? "kl" : request.quantity === "mi" ? "ksg" : "frenzel-pompe";
  }
  if (request.quantity === "entropy") {
    const discrete = columns.find((c) => c.kind === "discrete") as TableColumn;
    throw new OpenloopError(
      "estimator",
      `cannot estimate the entropy of discrete column '${discrete.name}' together with continuous column '${continuous[0].name}' (a discrete entropy and a differential entropy do not add up)`,
      { where: { file: table.file }, hint: `force one kind with --discrete or --continuous` },
    );
  }
  return "mixed";
}

function checkEstimator(name: string, request: EstimateRequest, table: Table): EstimatorName {
  if (!isDiscreteEstimator(name) && !isKnn(name)) {
    throw new OpenloopError(
      "estimator",
      `unknown estimator '${name}' (choose from: ${ESTIMATOR_NAMES.join(", ")})`,
      {
        where: { file: table.file },
      },
    );
  }
  const columns = roleColumns(request).map((c) => table.columns[c]);
  if (isDiscreteEstimator(name)) {
    const continuous = columns.find((c) => c.kind === "continuous");
    if (continuous !== undefined) {
      throw new OpenloopError(
        "estimator",
        `${name} is a discrete estimator but the column is continuous (non-integer numbers)`,
        {
          where: { file: table.file, column: continuous.name },
          hint: `use a kNN estimator (ksg, kl, frenzel-pompe, mixed) or --discrete ${continuous.name} to count its values as categories`,
        },
      );
    }
    return name;
  }
  const spec = KNN_ESTIMATORS[name];
  if (!spec.quantities.includes(request.quantity)) {
    throw new OpenloopError(
      "estimator",
      `${name} estimates ${spec.quantities.join(" and ")}, not ${request.quantity}`,
      {
        where: { file: table.file },
        hint: `for ${request.quantity} use ${ESTIMATOR_NAMES.filter((e) => isKnn(e) && KNN_ESTIMATORS[e].quantities.includes(request.quantity)).join(" or ")}, or a discrete estimator`,
      },
    );
  }
  if (name !== "mixed") {
    const discrete = columns.find((c) => c.kind === "discrete");
    if (discrete !== undefined) {
      throw new OpenloopError("estimator", `${name} needs continuous columns but the column is discrete`, {
        where: { file: table.file, column: discrete.name },
        hint: `use --estimator mixed for discrete and continuous columns together, or --continuous ${discrete.name}`,
      });
    }
  }
  return name;
}

function gatherCodes(codes: Int32Array, rows?: Int32Array): Int32Array {
  if (rows === undefined) return codes;
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = codes[rows[i]];
  return out;
}

function gatherValues(values: Float64Array, rows?: Int32Array): Float64Array {
  if (rows === undefined) return values;
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/** The numbers a kNN estimator sees for a column: its values, or its codes for text columns. */
function numericValues(column: TableColumn): Float64Array {
  if (column.kind === "continuous") return column.values;
  return column.values ?? Float64Array.from(column.codes);
}

/**
 * Rows of a resample with repeats removed: a row drawn twice would be its own zero-distance
 * neighbour, which kNN estimators read as a huge local density (or a discrete atom).
 */
function distinctRows(rows?: Int32Array): Int32Array | undefined {
  if (rows === undefined) return undefined;
  return Int32Array.from(new Set(rows)).sort();
}

/**
 * Chooses and checks the estimator (the given name or the default for the quantity and column
 * kinds) and returns the statistic. Errors name the file and the offending column.
 * @example planEstimate({ quantity: "mi", x: ["a"], y: ["b"], given: [], k: 3, unit: "bits", seed: 1 }, table).statistic()
 */
export function planEstimate(request: EstimateRequest, table: Table): EstimatePlan {
  const estimator =
    request.estimator === undefined
      ? defaultEstimator(request, table)
      : checkEstimator(request.estimator, request, table);
  const { quantity, unit, k, seed, transform } = request;
  if (isDiscreteEstimator(estimator)) {
    const codes = (names: string[], rows?: Int32Array) =>
      names.map((name) => {
        const column = table.columns[name];
        if (column.kind !== "discrete") throw new Error(`internal: column ${name} is not discrete`);
        return gatherCodes(column.codes, rows);
      });
    const options = { estimator, unit };
    const statistic = (rows?: Int32Array, xOrder?: Int32Array): number => {
      const x = codes(request.x, xOrder ?? rows);
      const z = codes(request.given, rows);
      if (quantity === "entropy")
        return z.length === 0 ? jointEntropy(x, options) : conditionalEntropy(x, z, options);
      const y = codes(request.y, rows);
      return quantity === "mi"
        ? mutualInformation(x, y, options)
        : conditionalMutualInformation(x, y, z, options);
    };
    return { estimator, family: "discrete", statistic };
  }
  if (estimator === "kl" && transform !== "none") {
    throw new OpenloopError("usage", `--transform ${transform} applies to MI and CMI estimators, not to kl`, {
      where: { file: table.file },
      hint: "a differential entropy changes under rescaling; transform the column yourself if that is meant",
    });
  }
  if (k >= table.n) {
    throw new OpenloopError("estimator", `--k ${k} must be below the number of rows, ${table.n}`, {
      where: { file: table.file },
      hint: "lower --k or provide more rows",
    });
  }
  const values = (names: string[], rows?: Int32Array) =>
    names.map((name) => gatherValues(numericValues(table.columns[name]), rows));
  const statistic = (all?: Int32Array, xOrder?: Int32Array): number => {
    const rows = distinctRows(all);
    const x = values(request.x, xOrder ?? rows);
    const y = values(request.y, rows);
    const z = values(request.given, rows);
    switch (estimator) {
      case "kl":
        return z.length === 0
          ? klEntropy(x, { k, unit, seed })
          : klEntropy([...x, ...z], { k, unit, seed }) - klEntropy(z, { k, unit, seed });
      case "ksg":
      case "ksg2":
        return ksgMutualInformation(x, y, {
          k,
          unit,
          seed,
          transform,
          algorithm: estimator === "ksg" ? 1 : 2,
        });
      case "frenzel-pompe":
        return frenzelPompeCMI(x, y, z, { k, unit, seed, transform });
      default:
        return z.length === 0
          ? mixedMutualInformation(x, y, { k, unit, transform })
          : mixedMutualInformation(x, [...y, ...z], { k, unit, transform }) -
              mixedMutualInformation(x, z, { k, unit, transform });
    }
  };
  return { estimator, family: "knn", statistic };
}
