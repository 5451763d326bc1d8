/**
 * Findings in the paper's terms, each with a severity and advice: signals that inject nothing
 * (an information-closed loop), zero-information prompts to drop or re-weight, reward-hacking
 * channels with a decorrelation plan, low meta-level efficiency, weak fidelity, drift toward the
 * student's own view, collapse of diversity, non-deterministic signals, and missing fields.
 */
import type { AnalysisDocument, AnalysisFinding, SignalAnalysis } from "./document.js";

function pct(x: number | null | undefined): string {
  return x === null || x === undefined ? "n/a" : `${(100 * x).toFixed(1)}%`;
}

function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined ? "n/a" : Number(x.toFixed(digits)).toString();
}

function signalFindings(signal: SignalAnalysis, unit: string, file: string): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  const s = signal.name;
  const bits = signal.overall.bits_per_sample;
  if (bits.value !== null && bits.value < 1e-3) {
    out.push({
      id: "no-information",
      severity: "critical",
      signal: s,
      title: `Signal '${s}' injects no information`,
      detail: `I(Y;S|Q) = ${num(bits.value, 4)} ${unit} per sample: on every prompt the signal takes one value, so it tells the learner nothing about its responses. A loop fed only by it is information-closed.`,
      advice:
        "Use prompts on which the signal varies (neither always passed nor always failed), or a signal that discriminates among the student's responses.",
    });
  }
  const zero = signal.overall.zero_info_prompt_fraction.value ?? 0;
  const z = signal.zero_info_prompts;
  if (z.count > 0) {
    const split =
      signal.kind === "binary" ? ` (${z.always_pass} always pass, ${z.always_fail} always fail)` : "";
    out.push({
      id: "zero-info-prompts",
      severity: zero >= 0.5 ? "critical" : zero >= 0.2 ? "warning" : "info",
      signal: s,
      title: `${pct(zero)} of prompts inject nothing through '${s}'`,
      detail: `${z.count} (iteration, prompt) cells had a constant signal${split}: h(p_q) = 0, so their samples cost compute and add 0 bits. Examples: ${z.examples.slice(0, 5).join(", ")}.`,
      advice:
        signal.kind === "binary"
          ? "Drop or down-weight always-pass prompts (too easy) and always-fail prompts (too hard, or add hints/easier variants); sample more responses where the pass rate is near 1/2, where h(p) is largest."
          : "Drop or down-weight prompts on which the signal is constant; spend samples where it varies.",
    });
  }
  for (const channel of signal.hacking_channels.filter((c) => c.flagged)) {
    const task = signal.overall.task_bits?.value ?? null;
    const big = task !== null && (channel.bits.value ?? 0) >= 0.1 * Math.max(task, 1e-9);
    out.push({
      id: "hacking-channel",
      severity: big ? "critical" : "warning",
      signal: s,
      feature: channel.feature,
      title: `Reward-hacking channel: '${s}' carries information about ${channel.feature} inside answer classes`,
      detail: `I(S;F|[Y],Q) = ${num(channel.bits.value, 4)} ${unit} per sample (permutation null ${num(channel.null_bits, 4)}, p = ${num(channel.p_value, 4)}); without conditioning on the class, I(S;F|Q) = ${num(channel.marginal_bits.value, 4)}. Learning may take this channel first when ${channel.feature} is simpler than the class.`,
      advice: `Decorrelate ${channel.feature} from '${s}' within each (prompt, class): openloop decorrelate ${file} --feature ${channel.feature} --signal ${s} --out weighted.jsonl, then train with the weights; or remove the dependence from the judge/reward (normalise ${channel.feature} before scoring).`,
    });
  }
  out.push(...openingChannels(signal, unit));
  const eta = signal.overall.efficiency?.value ?? null;
  if (eta !== null && bits.value !== null && bits.value >= 1e-3 && eta < 0.5) {
    out.push({
      id: "low-efficiency",
      severity: eta < 0.2 ? "critical" : "warning",
      signal: s,
      title: `Low meta-level efficiency of '${s}': eta = ${num(eta)}`,
      detail: `Only ${pct(eta)} of the ${num(bits.value)} ${unit} per sample are task-relevant (I([Y];S|Q) = ${num(signal.overall.task_bits?.value)}); the rest, I(Y;S|[Y],Q) = ${num(signal.overall.intra_class_bits?.value)}, distinguishes responses of the same class by surface form.`,
      advice:
        "Use a coarser signal that depends only on the class (e.g. binary correctness of the final answer), or canonicalise responses before scoring, so the signal's bits go to the task.",
    });
  }
  const f = signal.fidelity;
  if (f && ((f.fpr?.value ?? 0) > 0.2 || (f.fnr?.value ?? 0) > 0.2)) {
    out.push({
      id: "low-fidelity",
      severity: "warning",
      signal: s,
      title: `'${s}' disagrees with gold often`,
      detail: `False-positive rate ${pct(f.fpr?.value)}, false-negative rate ${pct(f.fnr?.value)}; the implied channel gold -> S has capacity ${num(f.capacity?.value)} ${unit} per use, and I(gold;S|Q) = ${num(f.gold_bits.value)}.`,
      advice: "Fix the verifier before scaling: false positives inject wrong bits that training will follow.",
    });
  }
  if (signal.drift?.rising) {
    out.push({
      id: "drift",
      severity: "warning",
      signal: s,
      title: `'${s}' is becoming predictable from the student's own majority answer`,
      detail: `I(S;M|Q) with M = "response is its prompt's majority class" rises across iterations (slope ${num(signal.drift.slope, 4)} ${unit} per iteration).`,
      advice:
        "A signal that follows the student closes the loop; keep it fixed and external (a verifier or a frozen judge), not derived from the student's samples.",
    });
  }
  if ((signal.inconsistent_duplicate_fraction ?? 0) > 0.05) {
    out.push({
      id: "non-deterministic-signal",
      severity: "info",
      signal: s,
      title: `'${s}' is not a function of (prompt, response)`,
      detail: `${pct(signal.inconsistent_duplicate_fraction)} of repeated (prompt, response) pairs got a different value, so H(S|Q) overstates I(Y;S|Q) by the noise H(S|Y,Q).`,
      advice:
        "Make the signal deterministic (temperature 0 for judges, fixed seeds for tests) or average repeated judgements.",
    });
  }
  return out;
}

/**
 * Channels that open as training proceeds: flagged in the last iteration but not in the first
 * (per-iteration `hacking_channels`), with the iterations where they are flagged.
 */
function openingChannels(signal: SignalAnalysis, unit: string): AnalysisFinding[] {
  const its = signal.per_iteration;
  if (its.length < 2) return [];
  const flaggedIn = (i: number, feature: string) =>
    its[i].hacking_channels.find((c) => c.feature === feature && c.flagged);
  const s = signal.name;
  return its[its.length - 1].hacking_channels
    .filter((c) => c.flagged && flaggedIn(0, c.feature) === undefined)
    .map((c): AnalysisFinding => {
      const open = its
        .map((it, i) => ({ it, channel: flaggedIn(i, c.feature) }))
        .filter((x) => x.channel !== undefined)
        .map((x) => `${x.it.iteration} (${num(x.channel?.bits.value, 4)})`);
      return {
        id: "hacking-channel-opens",
        severity: "warning",
        signal: s,
        feature: c.feature,
        title: `The channel '${s}' -> ${c.feature} opens as training proceeds`,
        detail: `I(S;F|[Y],Q) is not flagged in iteration ${its[0].iteration} but is flagged in iteration${open.length === 1 ? "" : "s"} ${open.join(", ")} (${unit} per sample): the signal started rewarding ${c.feature} inside answer classes during the run.`,
        advice: `Find what changed when it opened (judge, reward shaping, the student's response style) and decorrelate ${c.feature} from '${s}' in the iterations where it is flagged.`,
      };
    });
}

/**
 * The binary signal whose mean pass rate rose most from the first iteration to the last, when
 * it rose by at least 10 points: falling diversity then means the loop converges on what an
 * external signal accepts, not that it collapses on its own outputs.
 */
function risingPassRate(
  doc: Omit<AnalysisDocument, "findings">,
): { signal: string; from: number; to: number } | undefined {
  let best: { signal: string; from: number; to: number } | undefined;
  for (const signal of doc.signals) {
    const first = signal.per_iteration[0]?.pass_rate?.mean;
    const last = signal.per_iteration[signal.per_iteration.length - 1]?.pass_rate?.mean;
    if (first === null || first === undefined || last === null || last === undefined) continue;
    if (last - first >= 0.1 && (best === undefined || last - first > best.to - best.from)) {
      best = { signal: signal.name, from: first, to: last };
    }
  }
  return best;
}

/** Falling diversity: a collapse, or convergence on what a signal accepts when its pass rate rises. */
function collapseFinding(doc: Omit<AnalysisDocument, "findings">): AnalysisFinding {
  const d = doc.diversity;
  const first = d.per_iteration[0];
  const last = d.per_iteration[d.per_iteration.length - 1];
  const trend = `Class entropy per prompt went from ${num(first.class_entropy?.value)} to ${num(last.class_entropy?.value)} ${doc.unit}, exact duplicates from ${pct(first.duplicate_rate?.value)} to ${pct(last.duplicate_rate?.value)}, near-duplicates from ${pct(first.near_duplicate_rate?.value)} to ${pct(last.near_duplicate_rate?.value)}.`;
  const rising = risingPassRate(doc);
  if (rising !== undefined) {
    return {
      id: "collapse",
      severity: "warning",
      title: `Diversity falls as the loop converges on what '${rising.signal}' accepts`,
      detail: `${trend} Over the same iterations the mean pass rate of '${rising.signal}' rose from ${pct(rising.from)} to ${pct(rising.to)}: the student concentrates on accepted answers, which is the intended effect of a fixed signal, but repeated (prompt, response) pairs carry no new bits and prompts that now always pass inject nothing.`,
      advice:
        "Refresh the prompts (new or harder ones) as they saturate, keep sampling at a temperature that leaves several candidates per prompt, and deduplicate the selected data.",
    };
  }
  return {
    id: "collapse",
    severity: "critical",
    title: "Diversity is collapsing across iterations",
    detail: `${trend} No signal's pass rate rose with it, so the loop is losing diversity without gaining task information; repeated (prompt, response) pairs carry no new bits.`,
    advice:
      "Keep an external signal in the loop, accumulate real data instead of replacing it, deduplicate, and sample at a higher temperature or from more prompts.",
  };
}

/** All findings of a document (everything but `findings` filled in), most severe first. */
export function findings(doc: Omit<AnalysisDocument, "findings">, file: string): AnalysisFinding[] {
  const out: AnalysisFinding[] = [];
  for (const signal of doc.signals) out.push(...signalFindings(signal, doc.unit, file));
  const d = doc.diversity;
  if (d.trend.collapsing) out.push(collapseFinding(doc));
  if (doc.surface_waste && (doc.surface_waste.bits.value ?? 0) > 1) {
    out.push({
      id: "surface-waste",
      severity: "info",
      title: "Training on these responses as references spends bits on surface form",
      detail: `H(Y|[Y],Q) = ${num(doc.surface_waste.bits.value)} ${doc.unit} per sample with ${num(doc.surface_waste.surface_forms_per_class.mean, 1)} distinct surface forms per class on average.`,
      advice:
        "Prefer class-level supervision (a verifier or preference on the answer) over instance-level SFT on one reference among many acceptable ones.",
    });
  }
  for (const missing of doc.fields.missing.filter((m) => m.field === "class" || m.field === "response")) {
    out.push({
      id: "missing-field",
      severity: "info",
      title: `No '${missing.field}' field`,
      detail: `Disabled: ${missing.disables.join("; ")}.`,
      advice:
        missing.field === "class"
          ? "Add a class column, map one (--map class=FIELD), or derive it (--class-from response:last-number)."
          : "Add or map the response text (--map response=FIELD).",
    });
  }
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return out.sort((a, b) => rank[a.severity] - rank[b.severity]);
}
