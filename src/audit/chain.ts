/**
 * The chain of inequalities behind a verdict, written for this pipeline's signals:
 * I(X;Z_{t+1}) <= I(X;Z_t,S_t) = I(X;Z_t) + I(X;S_t|Z_t), then one chain-rule term per part of
 * S_t, each either zero (the part drifts with the student or ignores X) or bounded by the part's
 * range, and for fixed reservoirs a bound over all iterations.
 */
import type { Unit } from "../info/index.js";
import type { PipelineSpec } from "../spec/index.js";
import type { Channel, Source } from "./channels.js";

/** One step: a (in)equality and why it holds. */
export interface ChainStep {
  expression: string;
  reason: string;
}

interface Part {
  name: string;
  zero: boolean;
  reason: string;
  bound?: string;
  reservoir?: string;
}

function amount(value: number, unit: Unit): string {
  const rounded = Number(value.toFixed(3));
  return `${rounded} ${unit === "bits" ? (rounded === 1 ? "bit" : "bits") : rounded === 1 ? "nat" : "nats"}`;
}

function channelPart(channel: Channel, samples: string, unit: Unit): Part {
  const name = channel.name;
  if (!channel.external) {
    return {
      name,
      zero: true,
      reason:
        channel.model === "student"
          ? `${name} is computed by the student: a function of Z_t, Q_t, Y_t and noise independent of X`
          : `${name} comes from a model retrained on the student's outputs: a function of Z_t`,
    };
  }
  if (channel.source === "noise")
    return { name, zero: true, reason: `${name} is random: it depends only on its own noise` };
  if (!channel.taskInformation)
    return {
      name,
      zero: true,
      reason: `${name} checks form only: a function of the response, d-separated from X given Z_t`,
    };
  const capacity =
    channel.maxPerSample === null
      ? `H(${name} | Z_t)`
      : `H(${name} | Z_t) ≤ ${samples} × ${amount(channel.maxPerSample, unit)}`;
  const part: Part = {
    name,
    zero: false,
    reason:
      channel.maxPerSample === null
        ? `${channel.label}, ${channel.metaLevel} level; a continuous range gives no finite bound per sample`
        : `${channel.label}, ${channel.metaLevel} level: at most log2 of its range per sample`,
    bound: capacity,
  };
  if (channel.bounded)
    part.reservoir =
      channel.source === "model"
        ? `Σ_t I(X; ${name}_t | Z_t, …) ≤ I(X; J_${name}) ≤ H(J_${name})`
        : `Σ_t I(X; ${name}_t | Z_t, …) ≤ I(X; references of the fixed prompt set)`;
  return part;
}

function sourcePart(source: Source): Part {
  if (source.name === "teacher")
    return {
      name: "teacher responses",
      zero: false,
      reason: "responses of a fixed teacher T: functions of T, Q_t and noise",
      bound: "I(X; T)",
      reservoir: "I(X; Z_t) ≤ I(X; Z_0, T) for every t",
    };
  return source.bounded
    ? {
        name: "real data",
        zero: false,
        reason: "the same real dataset R every iteration",
        bound: "I(X; R)",
        reservoir: "Σ_t I(X; R | Z_t, …) ≤ I(X; R)",
      }
    : {
        name: "real data",
        zero: false,
        reason: "fresh real samples R_t drawn from the task",
        bound: "H(R_t)",
      };
}

/** The number of samples per iteration, when the spec says it. */
export function samplesPerIteration(spec: PipelineSpec): number | null {
  const count = spec.prompts.count;
  if (count === undefined) return null;
  return count * spec.generator.samples_per_prompt;
}

/** The inequality chain for a spec's verdict and channels. */
export function inequalityChain(
  spec: PipelineSpec,
  verdict: "open" | "closed",
  channels: Channel[],
  sources: Source[],
  unit: Unit,
): ChainStep[] {
  const samples = samplesPerIteration(spec);
  const n = samples === null ? "n_t" : String(samples);
  const signalParts = channels
    .filter((c) => c.used)
    .map((c) => channelPart(c, n, unit))
    .sort((a, b) => Number(b.zero) - Number(a.zero));
  const parts = [...sources.map(sourcePart), ...signalParts];
  const steps: ChainStep[] = [];
  if (parts.length === 0) {
    steps.push({
      expression: "I(X; Z_{t+1}) ≤ I(X; Z_t)",
      reason:
        "X → Z_t → D_t → Z_{t+1} is a Markov chain: D_t is generated from Z_t alone (data processing inequality)",
    });
    steps.push({
      expression: "I(X; Z_t) ≤ … ≤ I(X; Z_0)",
      reason: "by induction over iterations: no iteration adds task information",
    });
    return steps;
  }
  const names = parts.map((p) => p.name);
  steps.push({
    expression: "I(X; Z_{t+1}) ≤ I(X; Z_t, S_t)",
    reason:
      "data processing: Z_{t+1} is trained from Z_t and D_t, and D_t is selected from Z_t, S_t and noise independent of X",
  });
  steps.push({
    expression: "= I(X; Z_t) + I(X; S_t | Z_t)",
    reason: `chain rule, with S_t = (${names.join(", ")})`,
  });
  const term = (i: number) =>
    `I(X; ${parts[i].name} | Z_t${i > 0 ? `, ${names.slice(0, i).join(", ")}` : ""})`;
  if (parts.length > 1)
    steps.push({
      expression: `I(X; S_t | Z_t) = ${parts.map((_, i) => term(i)).join(" + ")}`,
      reason: "chain rule: teacher responses and real data first, then the signals that ignore X",
    });
  parts.forEach((part, i) => {
    steps.push(
      part.zero
        ? { expression: `${term(i)} = 0`, reason: part.reason }
        : { expression: `${term(i)} ≤ ${part.bound}`, reason: part.reason },
    );
  });
  if (verdict === "closed") {
    steps.push({
      expression: "I(X; Z_{t+1}) ≤ I(X; Z_t) ≤ … ≤ I(X; Z_0)",
      reason: "every part of S_t is zero: the loop is information-closed",
    });
    return steps;
  }
  const open = parts.filter((p) => !p.zero);
  steps.push({
    expression: `I(X; Z_{t+1}) ≤ I(X; Z_t) + ${open.map((_, i) => term(parts.indexOf(open[i]))).join(" + ")}`,
    reason: `only ${open.map((p) => p.name).join(", ")} can add task information`,
  });
  for (const part of open)
    if (part.reservoir)
      steps.push({
        expression: part.reservoir,
        reason: `${part.name} is a fixed reservoir: open but finite`,
      });
  return steps;
}
