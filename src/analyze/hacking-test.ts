/**
 * The permutation test of a hacking channel: a seeded random subset of an iteration's (or all)
 * informative strata, at most MAX_PERMUTATION_ROWS rows, expanded to rows and tested with
 * `contingencyPermutationTest` (S shuffled within strata), sequential at the flagging level.
 */
import { contingencyPermutationTest, createRng } from "../info/index.js";
import type { Informative } from "./hacking-strata.js";
import { mixKey } from "./table.js";

/** Rows the permutation test runs on, at most. */
const MAX_PERMUTATION_ROWS = 10_000;

/** The rows of the informative strata of one iteration (-1: of all). */
function scopeRows(informative: Informative, iteration: number): number {
  let rows = 0;
  for (let i = 0; i < informative.count; i++)
    if (iteration < 0 || informative.iteration[i] === iteration) rows += informative.sizes[i];
  return rows;
}

/**
 * The informative strata of one iteration (-1: all) in the order of their seeded keys
 * mixKey(stratum, seed), as long as their rows stay <= MAX_PERMUTATION_ROWS (the first is always
 * taken), and their rows. Only keys below a threshold that holds about twice the rows needed are
 * sorted; when those run out first, all are.
 */
function chooseStrata(
  informative: Informative,
  iteration: number,
  rows: number,
  seed: number,
): { chosen: number[]; rows: number } {
  const needed = (2 * MAX_PERMUTATION_ROWS) / Math.max(1, rows);
  if (needed < 1) {
    const quick = keyPrefix(informative, iteration, seed, needed * 2 ** 53);
    if (quick.complete) return quick;
  }
  return keyPrefix(informative, iteration, seed, Number.POSITIVE_INFINITY);
}

/** The prefix of `chooseStrata` among the strata whose key is below `threshold`. */
function keyPrefix(
  informative: Informative,
  iteration: number,
  seed: number,
  threshold: number,
): { chosen: number[]; rows: number; complete: boolean } {
  const keys = new Float64Array(informative.count);
  const index = new Int32Array(informative.count);
  const scope = { candidates: 0, all: 0 };
  collectKeys(informative, iteration, seed, threshold, keys, index, scope);
  const order = Array.from(index.subarray(0, scope.candidates)).sort((a, b) => keys[a] - keys[b] || a - b);
  const out = { chosen: [] as number[], rows: 0, complete: scope.candidates === scope.all };
  for (const i of order) {
    const size = informative.sizes[i];
    if (out.rows > 0 && out.rows + size > MAX_PERMUTATION_ROWS) {
      out.complete = true;
      break;
    }
    out.chosen.push(informative.strata[i]);
    out.rows += size;
  }
  return out;
}

function collectKeys(
  informative: Informative,
  iteration: number,
  seed: number,
  threshold: number,
  keys: Float64Array,
  index: Int32Array,
  scope: { candidates: number; all: number },
): void {
  for (let i = 0; i < informative.count; i++) {
    if (iteration >= 0 && informative.iteration[i] !== iteration) continue;
    scope.all++;
    const key = mixKey(informative.strata[i], seed >>> 0);
    keys[i] = key;
    if (key < threshold) index[scope.candidates++] = i;
  }
}

/** One row per record of the chosen strata: its stratum (index into `chosen`), F and S codes. */
function expandStrata(
  counts: Uint16Array | Uint32Array,
  chosen: number[],
  B: number,
  L: number,
  rows: number,
): { strata: Int32Array; fCode: Int32Array; sCode: Int32Array } {
  const out = { strata: new Int32Array(rows), fCode: new Int32Array(rows), sCode: new Int32Array(rows) };
  fillStrata(counts, chosen, B, L, out.strata, out.fCode, out.sCode);
  return out;
}

// a loop with nothing after it: one optimised compile serves every call
function fillStrata(
  counts: Uint16Array | Uint32Array,
  chosen: number[],
  B: number,
  L: number,
  strata: Int32Array,
  fCode: Int32Array,
  sCode: Int32Array,
): void {
  for (let k = 0, r = 0; k < chosen.length; k++) {
    for (let b = 0, i = chosen[k] * B * L; b < B; b++) {
      for (let l = 0; l < L; l++, i++) {
        for (let v = counts[i]; v > 0; v--, r++) {
          strata[r] = k;
          fCode[r] = b;
          sCode[r] = l;
        }
      }
    }
  }
}

/**
 * Within-stratum permutation test (`contingencyPermutationTest` of src/info, sequential at the
 * flagging level `alpha`) on the informative strata chosen by `chooseStrata`; the null
 * mean is in nats per sample of the rows tested.
 */
export function permutationOnStrata(
  counts: Uint16Array | Uint32Array,
  B: number,
  L: number,
  informative: Informative,
  iteration: number,
  permutations: number,
  alpha: number,
  seed: number,
): { pValue: number; permutations: number; nullNats: number; excessNats: number; informativeRows: number } {
  const informativeRows = scopeRows(informative, iteration);
  if (informativeRows === 0 || permutations < 1)
    return { pValue: 1, permutations: 0, nullNats: 0, excessNats: 0, informativeRows };
  const { chosen, rows } = chooseStrata(informative, iteration, informativeRows, seed);
  const { strata, fCode, sCode } = expandStrata(counts, chosen, B, L, rows);
  const result = contingencyPermutationTest(fCode, sCode, strata, {
    permutations,
    rng: createRng(seed),
    sequential: { alpha },
    unit: "nats",
  });
  return {
    pValue: result.pValue,
    permutations: result.permutations,
    nullNats: Math.max(0, result.nullMean),
    excessNats: result.observed - result.nullMean,
    informativeRows,
  };
}
