/**
 * Applies defaults to calibration parameters and checks each value against its declared type and
 * range, so a bad `--param` is reported with the valid names, types and ranges.
 */
import { OpenloopError } from "../../errors.js";
import type { CalibrationParam, ParamValues } from "./types.js";

/** Describes a parameter as `name (int 2..1000000, default 100)`. */
export function describeParam(param: CalibrationParam): string {
  const range =
    param.type === "enum"
      ? (param.values ?? []).join(" | ")
      : `${param.type} ${param.min ?? "-inf"}..${param.max ?? "inf"}`;
  return `${param.name} (${range}, default ${param.default})`;
}

/** Merges `given` over the defaults of `params`, rejecting unknown names and ill-typed values. */
export function resolveParams(
  experiment: string,
  params: readonly CalibrationParam[],
  given: ParamValues,
): ParamValues {
  const valid = params.map(describeParam).join("; ");
  const resolved: ParamValues = Object.fromEntries(params.map((p) => [p.name, p.default]));
  for (const [name, raw] of Object.entries(given)) {
    const param = params.find((p) => p.name === name);
    if (param === undefined) {
      throw new OpenloopError("usage", `unknown param '${name}' for experiment '${experiment}'`, {
        hint: `valid params: ${valid}`,
      });
    }
    resolved[name] = checkValue(experiment, param, raw);
  }
  return resolved;
}

function checkValue(experiment: string, param: CalibrationParam, raw: number | string): number | string {
  const bad = (why: string) =>
    new OpenloopError("usage", `param '${param.name}' of '${experiment}' ${why}, got '${raw}'`, {
      hint: `expected ${describeParam(param)}`,
    });
  if (param.type === "enum") {
    if (!param.values?.includes(String(raw))) throw bad(`must be one of ${param.values?.join(", ")}`);
    return String(raw);
  }
  const value = typeof raw === "number" ? raw : Number(raw);
  if (typeof raw === "string" && raw.trim() === "") throw bad("must be a number");
  if (!Number.isFinite(value)) throw bad("must be a number");
  if (param.type === "int" && !Number.isInteger(value)) throw bad("must be a whole number");
  if ((param.min !== undefined && value < param.min) || (param.max !== undefined && value > param.max)) {
    throw bad(`must be between ${param.min} and ${param.max}`);
  }
  return value;
}

/**
 * The `mode` param the calibrations share: `replace` trains each generation on the last one's
 * output only, `accumulate` on everything so far; `help` says it in the experiment's own terms.
 */
export function modeParam(help: string): CalibrationParam {
  return { name: "mode", type: "enum", default: "replace", values: ["replace", "accumulate"], help };
}
