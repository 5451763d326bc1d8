/**
 * Decorrelation of a feature F from a signal S inside each answer class: per-record weights
 * w = n_f n_s / (n n_fs), computed within each (iteration, prompt, class) stratum from the counts
 * of F's level f and S's level s, make the weighted joint law of (F, S) in the stratum the product
 * of its margins, so I_w(S;F|[Y],Q) = 0 while each stratum keeps its total weight and both
 * margins. A stratum in which some (f, s) pair with n_f, n_s > 0 never occurs cannot be made
 * independent by re-weighting; the residual shows in the "after" bits. Three streaming passes:
 * scan, count, write.
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
  /** strata where some (f, s) combination is missing, so independence is only approximate */
  incomplete_strata: number;
  weight_range: [number, number];
  out: string;
}

function plugIn(table: Float64Array, B: number, L: number): { n: number; nats: number } {
  const fm = new Float64Array(B);
  const sm = new Float64Array(L);
  let n = 0;
  for (let b = 0; b < B; b++)
    for (let l = 0; l < L; l++) {
      fm[b] += table[b * L + l];
      sm[l] += table[b * L + l];
      n += table[b * L + l];
    }
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
  let incomplete = 0;
  for (const [key, table] of strata) {
    const fm = new Float64Array(B);
    const sm = new Float64Array(L);
    let n = 0;
    for (let b = 0; b < B; b++)
      for (let l = 0; l < L; l++) {
        fm[b] += table[b * L + l];
        sm[l] += table[b * L + l];
        n += table[b * L + l];
      }
    const w = new Float64Array(B * L);
    const weighted = new Float64Array(B * L);
    let missing = false;
    for (let b = 0; b < B; b++)
      for (let l = 0; l < L; l++) {
        const c = table[b * L + l];
        if (c > 0) {
          w[b * L + l] = (fm[b] * sm[l]) / (n * c);
          weighted[b * L + l] = c * w[b * L + l];
        } else if (fm[b] > 0 && sm[l] > 0) missing = true;
      }
    if (missing) incomplete++;
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
        lo = Math.min(lo, weight);
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
    incomplete_strata: incomplete,
    weight_range: [round(weightedRecords === 0 ? 1 : lo), round(weightedRecords === 0 ? 1 : hi)],
    out: options.out,
  };
}
