/**
 * Metric family 6, diversity and collapse per iteration: the entropy of classes per prompt
 * H([Y]|Q), distinct and new (prompt, class) pairs, classes per prompt, the exact duplicate rate
 * of (prompt, response), the near-duplicate rate by MinHash on a bounded sample of prompts, the
 * Chao1 estimate of (prompt, class) pairs including unseen ones (bias-corrected form
 * S_obs + f1 (f1 - 1) / (2 (f2 + 1)), Chao 1987), and least-squares trends across iterations.
 */
import type { Unit } from "../info/index.js";
import { rangeEntropy } from "./bits.js";
import type { Chao1, Diversity, DiversityIteration } from "./document.js";
import { type Batches, round, slope } from "./estimate.js";
import type { Layout } from "./layout.js";
import { perUnit } from "./layout.js";
import { jaccardEstimate, MINHASH, type MinhashPrompt } from "./minhash.js";
import type { Tally } from "./tally.js";

/** Diversity per iteration and its trend. */
export function diversity(
  tally: Tally,
  layout: Layout,
  minhash: MinhashPrompt[][],
  hasClass: boolean,
  hasResponse: boolean,
  unit: Unit,
  batches: Batches,
): Diversity {
  const cells = tally.cellCount;
  // class entropy per cell
  const nH = new Float64Array(cells);
  let widest = 0;
  for (let c = 0; c < cells; c++) widest = Math.max(widest, layout.cellStart[c + 1] - layout.cellStart[c]);
  const counts = new Float64Array(widest);
  for (let c = 0; c < cells; c++) {
    const from = layout.cellStart[c];
    const to = layout.cellStart[c + 1];
    for (let k = from; k < to; k++) counts[k - from] = tally.stratumN[layout.cellStrata[k]];
    nH[c] = tally.cellN[c] < 2 ? 0 : tally.cellN[c] * rangeEntropy(counts, 0, to - from, unit);
  }
  // duplicates per cell: rows with a response, and rows repeating an earlier (cell, response)
  const withResponse = new Float64Array(cells);
  const repeats = new Float64Array(cells);
  for (let p = 0; p < tally.pairCount; p++) {
    const c = tally.stratumCell[tally.pairStratum[p]];
    withResponse[c] += tally.pairN[p];
    repeats[c] += tally.pairN[p] - 1;
  }
  const cellN = Float64Array.from(tally.cellN);
  const fresh = newClasses(tally, layout);
  const perIteration: DiversityIteration[] = layout.perIteration.map((scope, index) => {
    let distinct = 0;
    let f1 = 0;
    let f2 = 0;
    for (const c of scope.cells) {
      for (let k = layout.cellStart[c]; k < layout.cellStart[c + 1]; k++) {
        const st = layout.cellStrata[k];
        distinct++;
        const n = tally.stratumN[st];
        if (n === 1) f1++;
        if (n === 2) f2++;
      }
    }
    const chao1: Chao1 = {
      value: round(distinct + (f1 * (f1 - 1)) / (2 * (f2 + 1))),
      observed: distinct,
      singletons: f1,
      doubletons: f2,
    };
    const responses = perUnit(scope, withResponse);
    const responseCount = responses.reduce((a, b) => a + b, 0);
    return {
      iteration: scope.iteration ?? 0,
      records: scope.records,
      prompts: scope.units,
      class_entropy: hasClass
        ? batches.of(scope).ratio(perUnit(scope, nH), perUnit(scope, cellN), scope.records)
        : null,
      distinct_classes: hasClass ? distinct : null,
      new_classes: hasClass ? fresh[index] : null,
      classes_per_prompt: hasClass && scope.units > 0 ? round(distinct / scope.units) : null,
      duplicate_rate:
        hasResponse && responseCount > 0
          ? batches.of(scope).ratio(perUnit(scope, repeats), responses, responseCount)
          : null,
      near_duplicate_rate: hasResponse ? nearDuplicates(minhash[index], batches) : null,
      chao1: hasClass ? chao1 : null,
    };
  });
  const x = perIteration.map((d) => d.iteration);
  const entropy = perIteration.map((d) => d.class_entropy?.value ?? null);
  const dup = perIteration.map((d) => d.duplicate_rate?.value ?? null);
  const near = perIteration.map((d) => d.near_duplicate_rate?.value ?? null);
  return {
    per_iteration: perIteration,
    trend: {
      class_entropy_slope: slope(x, entropy),
      duplicate_rate_slope: slope(x, dup),
      near_duplicate_rate_slope: slope(x, near),
      collapsing: isCollapsing(entropy, dup, near),
    },
    minhash: {
      hashes: MINHASH.hashes,
      shingle: MINHASH.shingle,
      threshold: MINHASH.threshold,
      sampled_prompts: MINHASH.prompts,
    },
  };
}

/**
 * Per iteration (by index), the (prompt, class) pairs seen in no earlier iteration: the cells are
 * taken prompt by prompt in iteration order, and stamp[class] = 1 + the last prompt that had it.
 */
function newClasses(tally: Tally, layout: Layout): Int32Array {
  const prompts = layout.overall.units;
  const start = new Int32Array(prompts + 1);
  for (let c = 0; c < tally.cellCount; c++) start[tally.cellPrompt[c] + 1]++;
  for (let p = 0; p < prompts; p++) start[p + 1] += start[p];
  const next = start.slice(0, prompts);
  const byPrompt = new Int32Array(tally.cellCount);
  for (const scope of layout.perIteration)
    for (const c of scope.cells) byPrompt[next[tally.cellPrompt[c]]++] = c;
  let classes = 0;
  for (let st = 0; st < tally.strataCount; st++) classes = Math.max(classes, tally.stratumClass[st] + 1);
  const stamp = new Int32Array(classes);
  const fresh = new Int32Array(layout.perIteration.length);
  for (let p = 0; p < prompts; p++) {
    for (let i = start[p]; i < start[p + 1]; i++) {
      const c = byPrompt[i];
      for (let k = layout.cellStart[c]; k < layout.cellStart[c + 1]; k++) {
        const cls = tally.stratumClass[layout.cellStrata[k]];
        if (stamp[cls] === p + 1) continue;
        stamp[cls] = p + 1;
        fresh[tally.cellIter[c]]++;
      }
    }
  }
  return fresh;
}

/** Collapse: class entropy falls by more than a quarter, or (near-)duplicates rise by 0.1 / 0.2. */
function isCollapsing(entropy: (number | null)[], dup: (number | null)[], near: (number | null)[]): boolean {
  if (entropy.length < 2) return false;
  const first = <T>(v: (T | null)[]) => v.find((e) => e !== null) ?? null;
  const last = <T>(v: (T | null)[]) => [...v].reverse().find((e) => e !== null) ?? null;
  const e0 = first(entropy);
  const e1 = last(entropy);
  if (e0 !== null && e1 !== null && e0 > 0 && e1 < 0.75 * e0) return true;
  const d0 = first(dup);
  const d1 = last(dup);
  if (d0 !== null && d1 !== null && d1 - d0 > 0.1) return true;
  const n0 = first(near);
  const n1 = last(near);
  return n0 !== null && n1 !== null && n1 - n0 > 0.2;
}

/** Fraction of sampled responses with a same-prompt partner of estimated Jaccard >= threshold. */
function nearDuplicates(sample: MinhashPrompt[], batches: Batches) {
  if (sample.length === 0) return null;
  const hits = new Float64Array(sample.length);
  const sizes = new Float64Array(sample.length);
  sample.forEach((entry, u) => {
    const sketches = entry.sketches;
    sizes[u] = sketches.length;
    for (let i = 0; i < sketches.length; i++) {
      for (let j = 0; j < sketches.length; j++) {
        if (i !== j && jaccardEstimate(sketches[i], sketches[j], MINHASH.hashes) >= MINHASH.threshold) {
          hits[u]++;
          break;
        }
      }
    }
  });
  // units are the sampled prompts: resampled with the rest (a prompt's weight is its count in the draw)
  const units = { units: sample.length, unitPrompt: Int32Array.from(sample, (entry) => entry.prompt) };
  return batches.of(units).ratio(
    hits,
    sizes,
    sizes.reduce((a, b) => a + b, 0),
  );
}
