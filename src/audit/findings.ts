/**
 * Findings of an audit: each names what is wrong or limited in a pipeline's information flow,
 * how severe it is, and a concrete recommendation. Every rule reads only the spec, the verdict
 * and the channel facts.
 */
import type { Unit } from "../info/index.js";
import type { PipelineSpec } from "../spec/index.js";
import type { Channel, Source } from "./channels.js";

/** How much a finding matters. */
export type Severity = "high" | "medium" | "low" | "info";

/** The finding rules, by stable id. */
export type FindingId =
  | "closed-loop"
  | "open-loop"
  | "drifting-signal"
  | "no-task-information"
  | "bounded-reservoir"
  | "instance-level-sft"
  | "surface-sensitive-reward"
  | "fixed-prompt-set"
  | "real-data-replaced"
  | "unused-signal";

/** One finding. */
export interface Finding {
  id: FindingId;
  severity: Severity;
  /** The signal or source the finding is about, if any. */
  subject?: string;
  message: string;
  recommendation: string;
}

const severityRank: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

function amount(value: number, unit: Unit): string {
  const rounded = Number(value.toFixed(3));
  return `${rounded} ${unit === "bits" ? (rounded === 1 ? "bit" : "bits") : rounded === 1 ? "nat" : "nats"}`;
}

function closedLoop(spec: PipelineSpec, channels: Channel[]): Finding {
  const used = channels.filter((c) => c.used);
  const why =
    used.length === 0
      ? spec.selection.mode === "none"
        ? "no signal enters the training data (selection 'none'): the student trains on its own outputs"
        : "no signal enters the training data"
      : `every signal that enters the training data (${used.map((c) => c.name).join(", ")}) is computed from the student or carries no task information`;
  return {
    id: "closed-loop",
    severity: "high",
    message:
      `Information-closed: X is d-separated from Z_{t+1} given Z_t, so X -> Z_t -> D_t -> Z_{t+1} is a Markov chain and ` +
      `I(X;Z_{t+1}) <= I(X;Z_t) at every iteration; ${why}. No number of iterations adds task information; ` +
      "sampling and optimisation error make the loss strict, and the tails of the distribution go first (model collapse).",
    recommendation:
      "Add an external, stable signal that selection uses: an answer check against gold answers, unit tests, a proof " +
      "checker, a fixed rubric judge, or fresh real data mixed into every iteration (accumulated, not replaced).",
  };
}

function openLoop(channels: Channel[], sources: Source[]): Finding {
  const names = [
    ...channels.filter((c) => c.open).map((c) => c.name),
    ...sources.filter((s) => s.open).map((s) => s.name),
  ];
  return {
    id: "open-loop",
    severity: "info",
    message: `Information-open: X reaches Z_{t+1} other than through Z_t, via ${names.join(", ")}; I(X;Z_{t+1}) <= I(X;Z_t) + I(X;S_t|Z_t) and only these channels make the second term positive.`,
    recommendation:
      "Measure what the channels inject with `openloop analyze` on the rollout records (bits per sample, per prompt).",
  };
}

function driftingSignal(channel: Channel, closed: boolean): Finding {
  const who =
    channel.model === "student"
      ? "computed by the student itself"
      : "computed by a model retrained on the student's outputs";
  const vote =
    channel.kind === "majority-vote"
      ? " The majority answer is the student's own modal answer: rewarding agreement sharpens the student's distribution (entropy minimisation) and can surface what it already knows, but cannot correct an error it makes consistently."
      : "";
  return {
    id: "drifting-signal",
    severity: !channel.used ? "low" : closed ? "high" : "medium",
    subject: channel.name,
    message:
      `'${channel.name}' (${channel.label}) is ${who}: a function of Z_t, the prompt, the response and independent noise, so ` +
      `I(X;${channel.name}|Z_t) = 0. It drifts with the student and injects no task information.${vote}`,
    recommendation:
      channel.kind === "majority-vote"
        ? "Replace or anchor the vote with gold answers on a share of the prompts (answer-match), or a verifier that does not depend on the student."
        : "Use a fixed external source instead: a frozen judge trained once on human labels, a rubric judge that is not the student, or a programmatic verifier; re-ground any retrained judge on fresh human labels.",
  };
}

function noTaskInformation(channel: Channel): Finding {
  if (channel.source === "noise") {
    return {
      id: "no-task-information",
      severity: "medium",
      subject: channel.name,
      message:
        `'${channel.name}' is a random reward: it depends only on its own noise, so I(X;${channel.name}|Z_t) = 0. ` +
        "Subtle: such a reward can still change behaviour. Shao et al. (2025, 'Spurious Rewards') report large MATH gains for " +
        "Qwen2.5-Math under random rewards, from the clipping bias of GRPO amplifying reasoning the model already had; that " +
        "re-weights what Z_t already contains, it adds no task information and did not transfer to other model families.",
      recommendation:
        "Do not credit gains to this signal: compare with a grounded verifier (answer-match, tests) and check on a second model family; as a control it measures elicitation, not learning.",
    };
  }
  return {
    id: "no-task-information",
    severity: "medium",
    subject: channel.name,
    message:
      `'${channel.name}' (${channel.label}) checks form only: it depends on the response's surface, not on whether it is right, ` +
      `so I(X;${channel.name}|Z_t) = 0 unless the format is itself part of the task. It shapes behaviour (format) but carries no task information.`,
    recommendation:
      "Keep it as a guard, but pair it with a signal about correctness (answer-match, tests); if the format is part of the task, set `grounded: true` on the signal.",
  };
}

function boundedChannel(channel: Channel, spec: PipelineSpec): Finding {
  const count = spec.prompts.count;
  const what =
    channel.source === "model"
      ? `a fixed model (J): over all iterations sum_t I(X;${channel.name}_t|Z_t) <= I(X;J) <= H(J). Once the student agrees with the judge nothing more flows, and the judge's blind spots become the student's targets`
      : `the references of a fixed prompt set${count === undefined ? "" : ` of ${count} prompts`}: over all iterations the signal can pass on at most I(X; references) bits, whatever the number of iterations`;
  return {
    id: "bounded-reservoir",
    severity: "low",
    subject: channel.name,
    message: `'${channel.name}' keeps the loop open, but its task information comes from ${what}. Open but finite: gains saturate.`,
    recommendation:
      channel.source === "model"
        ? "Refresh the judge from new human labels when the student's agreement with it saturates, or add a programmatic verifier whose answers are grounded per prompt."
        : "Draw fresh prompts with references (a procedural generator or a growing pool) so each iteration brings new task information.",
  };
}

function boundedSource(source: Source): Finding {
  return source.name === "teacher"
    ? {
        id: "bounded-reservoir",
        severity: "low",
        subject: "teacher",
        message:
          "The responses come from a fixed teacher T: the loop is open through T, but I(X;Z_t) <= I(X;Z_0,T) for every t: the student can approach the teacher, not pass it.",
        recommendation:
          "To go beyond the teacher, add a verifier (answer-match, tests) and filter or reward the teacher's or student's samples with it.",
      }
    : {
        id: "bounded-reservoir",
        severity: "low",
        subject: "real-data",
        message:
          "The same real dataset is mixed into every iteration: it anchors the loop against collapse, but it is a fixed reservoir: what it can teach is bounded by I(X; dataset).",
        recommendation:
          "Draw fresh real samples each iteration where possible (set real_data.fresh when you do).",
      };
}

function instanceLevel(spec: PipelineSpec, channel: Channel | undefined, unit: Unit): Finding | undefined {
  const forms = channel?.forms ?? spec.task.acceptable_forms;
  if (forms <= 1) return undefined;
  const bits = amount(unit === "bits" ? Math.log2(forms) : Math.log(forms), unit);
  const subject = channel?.name ?? "teacher";
  return {
    id: "instance-level-sft",
    severity: "medium",
    subject,
    message:
      `Instance-level supervision: the student imitates one reference ('${subject}') among M = ${forms} equally acceptable forms, ` +
      `so up to log2 M = ${bits} per sample go to identifying a surface form, H(Y|[Y],Q), rather than the behaviour class.`,
    recommendation:
      "Supervise at the class level: sample from the student and accept any response whose answer (or behaviour on tests) is right (RFT / RLVR), or give several references per prompt.",
  };
}

function surfaceSensitive(channel: Channel): Finding {
  return {
    id: "surface-sensitive-reward",
    severity: "medium",
    subject: channel.name,
    message:
      `'${channel.name}' (${channel.label}) is a scalar score that may depend on surface form (length, style, format) inside a ` +
      `behaviour class: I(${channel.name};F|[Y],Q) > 0 opens a reward-hacking channel the learner can take first when F is simpler than the class.`,
    recommendation:
      "Decorrelate surface features from the score within each class (length-controlled judging, normalised formatting, paired comparisons), and measure I(S;F|[Y],Q) on the rollout records with `openloop analyze`.",
  };
}

/** All findings for a spec, most severe first. */
export function collectFindings(
  spec: PipelineSpec,
  verdict: "open" | "closed",
  channels: Channel[],
  sources: Source[],
  unit: Unit,
): Finding[] {
  const findings: Finding[] = [];
  const closed = verdict === "closed";
  findings.push(closed ? closedLoop(spec, channels) : openLoop(channels, sources));
  for (const channel of channels) {
    if (!channel.used) {
      findings.push({
        id: "unused-signal",
        severity: "info",
        subject: channel.name,
        message: `'${channel.name}' is computed but selection does not use it, so it cannot reach Z_{t+1}.`,
        recommendation: "Add it to selection.signals, or drop it to save compute.",
      });
    }
    if (!channel.external) findings.push(driftingSignal(channel, closed));
    else if (channel.used && (channel.source === "noise" || channel.source === "none"))
      findings.push(noTaskInformation(channel));
    if (channel.open && channel.bounded) findings.push(boundedChannel(channel, spec));
    if (channel.used && channel.surfaceDependent && channel.metaLevel === "score")
      findings.push(surfaceSensitive(channel));
  }
  for (const source of sources) if (source.open && source.bounded) findings.push(boundedSource(source));
  if (spec.selection.mode === "reference" || spec.selection.mode === "pairs") {
    const references = channels.filter((c) => c.used && c.metaLevel === "instance");
    for (const channel of references) {
      const finding = instanceLevel(spec, channel, unit);
      if (finding) findings.push(finding);
    }
    if (references.length === 0 && spec.selection.mode === "reference" && spec.generator.role === "teacher") {
      const finding = instanceLevel(spec, undefined, unit);
      if (finding) findings.push(finding);
    }
  }
  if (spec.prompts.source === "fixed" && spec.iterations > 1 && channels.some((c) => c.open)) {
    findings.push({
      id: "fixed-prompt-set",
      severity: "low",
      message:
        `The same prompt set is reused in all ${spec.iterations} iterations: a binary verdict on prompt q carries h(p_q) bits per sample, ` +
        "which falls to 0 as the prompt's pass rate p_q approaches 0 or 1, so fresh bits diminish from one iteration to the next.",
      recommendation:
        "Generate fresh prompts each iteration (prompts.source: procedural), or drop prompts that are always or never solved and refill the pool.",
    });
  }
  const mode = spec.real_data.mode;
  if (mode === "once" || mode === "replace") {
    findings.push({
      id: "real-data-replaced",
      severity: mode === "once" ? "medium" : "low",
      subject: "real-data",
      message:
        mode === "once"
          ? "Real data is used only at the start and then replaced by synthetic data: the setting in which recursive training collapses (Shumailov et al. 2024)."
          : "Each iteration's real batch replaces the previous one instead of accumulating: earlier real samples stop anchoring the student.",
      recommendation:
        "Accumulate: keep the real data (and earlier synthetic data) in every training set; Gerstgrasser et al. (2024) show accumulation keeps test error bounded where replacement diverges.",
    });
  }
  return findings.sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}
