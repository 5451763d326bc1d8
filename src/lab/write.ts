/**
 * Writes a lab run to a directory: `lab.json` (the document `--json` prints), the rollout
 * records of every (experiment, arm, seed) run as JSON Lines under `records/`, one SVG line
 * chart per experiment and quantity under `plots/`, and `index.html` with the table of
 * predicted against measured, the audit verdicts and the charts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OpenloopError } from "../errors.js";
import { createRecordWriter } from "../records/index.js";
import {
  escapeHtml,
  htmlChartGrid,
  htmlFigure,
  htmlNav,
  htmlPage,
  htmlSection,
  htmlTable,
  type LineSeries,
  lineChart,
  svgFile,
} from "../report/index.js";
import type { ExperimentResult, LabRun } from "./run.js";

/** The JSON document of a lab run: `{ experiments: [...] }`. */
export function labDocument(run: LabRun): { experiments: ExperimentResult[] } {
  return { experiments: run.experiments };
}

const BAND = /_(lo|hi)$/;

/** The plotted quantities of a result, grouped: quantity -> [series key, arm label]. */
function quantities(result: ExperimentResult): Map<string, [string, string][]> {
  const first = result.series[0] ?? {};
  const x = result.kind === "calibration" ? "generation" : "iteration";
  const arms = result.audit?.map((a) => a.arm) ?? [];
  const groups = new Map<string, [string, string][]>();
  for (const key of Object.keys(first)) {
    if (key === x || key === "samples" || BAND.test(key)) continue;
    const arm = arms.length > 1 ? arms.find((a) => key.startsWith(`${a}_`)) : undefined;
    const quantity = arm === undefined ? key : key.slice(arm.length + 1);
    const list = groups.get(quantity) ?? [];
    list.push([key, arm ?? quantity]);
    groups.set(quantity, list);
  }
  return groups;
}

/** One SVG line chart per quantity of a result (a line per arm, with its 95% band). */
export function labCharts(result: ExperimentResult): { name: string; svg: string }[] {
  const x = result.kind === "calibration" ? "generation" : "iteration";
  return [...quantities(result)].map(([quantity, keys]) => {
    const series: LineSeries[] = keys.map(([key, label]) => ({
      name: label,
      points: result.series.map((row) => ({
        x: row[x],
        y: Number.isFinite(row[key]) ? row[key] : null,
        lo: row[`${key}_lo`] ?? null,
        hi: row[`${key}_hi`] ?? null,
      })),
    }));
    const svg = lineChart({
      title: `${result.experiment}: ${quantity}`,
      id: `${result.experiment}-${quantity}`,
      series,
      xLabel: x,
      yLabel: quantity,
      includeZero: false,
    });
    return { name: `${result.experiment}-${quantity}`, svg };
  });
}

function claimsTable(result: ExperimentResult): string {
  return htmlTable(
    ["claim", "predicted", "measured", "holds"],
    result.claims.map((c) => [c.claim, String(c.predicted), String(c.measured), c.holds ? "yes" : "NO"]),
  );
}

/** The HTML page of a lab run. */
export function labHtml(run: LabRun): string {
  const sections = run.experiments.map((result) => {
    const audit =
      result.audit === undefined
        ? ""
        : `<p>Audit of each arm's pipeline spec: ${result.audit
            .map((a) => `<code>${escapeHtml(a.arm)}</code> ${escapeHtml(a.verdict)}`)
            .join(", ")}.</p>`;
    const params = `<p class="ol-muted">${result.seeds} seeds from ${result.seed}; params ${escapeHtml(
      Object.entries(result.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(" "),
    )}. Series: means over seeds with 95% intervals.</p>`;
    const reported =
      result.reported === undefined
        ? ""
        : htmlTable(
            ["reported (measured, no closed form)", "measured"],
            result.reported.map((r) => [r.quantity, r.measured]),
          );
    const charts = htmlChartGrid(labCharts(result).map((c) => htmlFigure(c.svg)));
    return htmlSection(
      result.experiment,
      params + audit + claimsTable(result) + reported + charts,
      result.experiment,
    );
  });
  const held = run.experiments.flatMap((r) => r.claims).filter((c) => c.holds).length;
  const total = run.experiments.reduce((a, r) => a + r.claims.length, 0);
  return htmlPage({
    title: "openloop lab: predicted against measured",
    subtitle: `${held} of ${total} claims hold across ${run.experiments.length} experiments`,
    body:
      htmlNav(run.experiments.map((r) => ({ id: r.experiment, title: r.experiment }))) + sections.join("\n"),
    footer: "openloop lab (Li, Sun, Deng, ICML 2026)",
  });
}

/** Writes the run to `dir` (created if missing); returns the paths written. */
export async function writeLabOutput(dir: string, run: LabRun): Promise<string[]> {
  const written: string[] = [];
  const put = (path: string, text: string) => {
    writeFileSync(path, text);
    written.push(path);
  };
  try {
    mkdirSync(join(dir, "plots"), { recursive: true });
    put(
      join(dir, "lab.json"),
      `${JSON.stringify(labDocument(run), (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
    );
    for (const result of run.experiments) {
      for (const chart of labCharts(result)) put(join(dir, "plots", `${chart.name}.svg`), svgFile(chart.svg));
    }
    put(join(dir, "index.html"), labHtml(run));
  } catch (error) {
    throw new OpenloopError("io", `cannot write lab output: ${(error as Error).message}`, {
      where: { file: dir },
    });
  }
  for (const part of run.records) {
    const folder = join(dir, "records", part.experiment);
    mkdirSync(folder, { recursive: true });
    const writer = createRecordWriter(join(folder, `${part.arm}-seed${part.seed}.jsonl`));
    for (const record of part.records) await writer.write(record);
    await writer.close();
    written.push(writer.path);
  }
  return written;
}
