/**
 * Decorrelation of a feature F from a signal S inside each answer class. Within each (iteration,
 * prompt, class) stratum, the feature levels on which every present signal level occurs are kept
 * and their records get w = (n_f n_s / (n' n_fs)) (n / n'), where n_f, n_s, n_fs count the kept
 * records (n' of them) and n is the stratum size: the weighted joint law of (F, S) is then the
 * product of its margins, so the weighted I(S;F|[Y],Q) is 0, and each stratum keeps its total
 * weight. Records of a feature level that lacks some signal level cannot be balanced and get
 * weight 0; a stratum with no complete level is left unweighted (its bits remain in "after").
 * Strata where S or F is constant are already independent (weight 1). Three streaming passes.
 */
import { OpenloopError } from "../errors.js";
import { convertNats, entropyFromCounts, type Unit } from "../info/index.js";
import { createRecordWriter, forEachRecord, type RecordSource } from "../records/index.js";
import { round } from "./estimate.js";
import { scanRecords } from "./scan.js";
import { discretise } from "./variables.js";

/** Options of {@link decorrelate}. */
export interface DecorrelateOptions {
  feature: string;
  signal: string;
  out: string;
  source?: RecordSource;
  unit?: Unit;
}

/** What decorrelation did. */
export interface DecorrelateResult {
  feature: string;
  signal: string;
  discretisation: { feature: string; signal: string };
  unit: Unit;
  /** I(S;F|[Y],Q) before, and under the weights */
  bits_before: number;
  bits_after: number;
  records: number;
  /** records that had both F and S (the others get weight 1) */
  weighted: number;
  strata: number;
  /** records given weight 0: their feature level lacks some signal level in their stratum */
  zero_weight: number;
  /** strata where no feature level has every signal level: left unweighted (residual bits) */
  unbalanceable_strata: number;
  weight_range: [number, number];
  out: string;
}

/** Feature margins, signal margins and total of a B x L (feature, signal) count table. */
function margins(
  table: Float64Array,
  B: number,
  L: number,
): { fm: Float64Array; sm: Float64Array; n: number } {
  const fm = new Float64Array(B);
  const sm = new Float64Array(L);
  let n = 0;
  for (let b = 0; b < B; b++)
    for (let l = 0; l < L; l++) {
      fm[b] += table[b * L + l];
      sm[l] += table[b * L + l];
      n += table[b * L + l];
    }
  return { fm, sm, n };
}

function plugIn(table: Float64Array, B: number, L: number): { n: number; nats: number } {
  const { fm, sm, n } = margins(table, B, L);
  if (n <= 0) return { n: 0, nats: 0 };
  const h = (c: Float64Array) => entropyFromCounts(c, { unit: "nats" });
  return { n, nats: Math.max(0, h(fm) + h(sm) - h(table)) };
}

/**
 * Writes `out` (the records with a `weight` field, JSONL or Parquet) and reports the channel's
 * bits before and after.
 * @example await decorrelate(["log.jsonl"], { feature: "length_chars", signal: "judge", out: "w.jsonl" })
 */
export async function decorrelate(
  files: readonly string[],
  options: DecorrelateOptions,
): Promise<DecorrelateResult> {
  const source = options.source ?? {};
  const unit = options.unit ?? "bits";
  const scan = await scanRecords(files, source);
  const signalScan = scan.signals.find((s) => s.name === options.signal && s.count > 0);
  if (signalScan === undefined) {
    throw new OpenloopError("usage", `no signal '${options.signal}' in the records`, {
      hint: `signals are ${scan.signals.map((s) => s.name).join(", ")}`,
    });
  }
  const featureScan = scan.features.find((f) => f.name === options.feature && f.count > 0);
  if (featureScan === undefined) {
    throw new OpenloopError("usage", `no feature '${options.feature}' in the records`, {
      hint: `features are ${scan.features.map((f) => f.name).join(", ")}`,
    });
  }
  const S = discretise(signalScan);
  const F = discretise(featureScan);
  const B = F.levels;
  const L = S.levels;
  const strata = new Map<string, Float64Array>();
  const locate = (iteration: number, promptId: string, cls: string | undefined) =>
    `${iteration}\u0000${promptId}\u0000${cls ?? ""}`;
  const levels = (
    record: { prompt_id: string; signals: Record<string, unknown> },
    values: Record<string, unknown>,
  ) => {
    const prompt = scan.prompts.get(record.prompt_id) ?? 0;
    const s = record.signals[options.signal];
    const f = values[options.feature];
    if (s === undefined || f === undefined) return null;
    return { b: F.code(f as never, prompt), l: S.code(s as never, prompt) };
  };
  await forEachRecord(files, source, ({ record, features }) => {
    const code = levels(record, features);
    if (code === null) return;
    const key = locate(record.iteration, record.prompt_id, record.class);
    let table = strata.get(key);
    if (table === undefined) {
      table = new Float64Array(B * L);
      strata.set(key, table);
    }
    table[code.b * L + code.l]++;
  });
  // weights per stratum cell, and the weighted tables
  const weights = new Map<string, Float64Array>();
  let before = 0;
  let after = 0;
  let total = 0;
  let weightedTotal = 0;
  let unbalanceable = 0;
  for (const [key, table] of strata) {
    const { fm, sm, n } = margins(table, B, L);
    const w = new Float64Array(B * L).fill(1);
    const weighted = Float64Array.from(table);
    let sLevels = 0;
    let fLevels = 0;
    for (let l = 0; l < L; l++) if (sm[l] > 0) sLevels++;
    for (let b = 0; b < B; b++) if (fm[b] > 0) fLevels++;
    if (sLevels > 1 && fLevels > 1) {
      // keep the feature levels on which every present signal level occurs
      const kept: number[] = [];
      for (let b = 0; b < B; b++) {
        let complete = fm[b] > 0;
        for (let l = 0; l < L && complete; l++) if (sm[l] > 0 && table[b * L + l] === 0) complete = false;
        if (complete) kept.push(b);
      }
      if (kept.length === 0) {
        unbalanceable++;
      } else {
        const km = new Float64Array(L);
        let kn = 0;
        for (const b of kept)
          for (let l = 0; l < L; l++) {
            km[l] += table[b * L + l];
            kn += table[b * L + l];
          }
        w.fill(0);
        weighted.fill(0);
        for (const b of kept)
          for (let l = 0; l < L; l++) {
            const c = table[b * L + l];
            if (c === 0) continue;
            w[b * L + l] = ((fm[b] * km[l]) / (kn * c)) * (n / kn);
            weighted[b * L + l] = c * w[b * L + l];
          }
      }
    }
    weights.set(key, w);
    const pre = plugIn(table, B, L);
    const post = plugIn(weighted, B, L);
    before += pre.n * pre.nats;
    total += pre.n;
    after += post.n * post.nats;
    weightedTotal += post.n;
  }
  const writer = createRecordWriter(options.out, { validate: false });
  let records = 0;
  let weightedRecords = 0;
  let zeroWeight = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  try {
    await forEachRecord(files, source, async ({ record, features }) => {
      const code = levels(record, features);
      let weight = 1;
      if (code !== null) {
        weight =
          weights.get(locate(record.iteration, record.prompt_id, record.class))?.[code.b * L + code.l] ?? 1;
        weightedRecords++;
        if (weight === 0) zeroWeight++;
        else lo = Math.min(lo, weight);
        hi = Math.max(hi, weight);
      }
      records++;
      await writer.write({ ...record, weight: round(weight) });
    });
    await writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
  return {
    feature: options.feature,
    signal: options.signal,
    discretisation: { feature: F.method, signal: S.method },
    unit,
    bits_before: round(convertNats(total === 0 ? 0 : before / total, unit)),
    bits_after: round(convertNats(weightedTotal === 0 ? 0 : after / weightedTotal, unit)),
    records,
    weighted: weightedRecords,
    strata: strata.size,
    zero_weight: zeroWeight,
    unbalanceable_strata: unbalanceable,
    weight_range: [round(weightedRecords === 0 ? 1 : lo), round(weightedRecords === 0 ? 1 : hi)],
    out: options.out,
  };
}
