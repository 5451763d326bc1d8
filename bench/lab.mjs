// The lab's speed: (1) `openloop lab` with every experiment at its default seeds (at least 5),
// wall time of the whole command; (2) the `gaussian` calibration at 1,000 seeds x 200 generations
// x 100 samples, side by side with a vectorised numpy implementation (bench/lab-gaussian.py);
// (3) one training step of the student (autograd forward + backward + Adam) against the same
// step written by hand in numpy (bench/lab-autograd.py).
// Run after `npm run build`:
//   node bench/lab.mjs [--repeats 3] [--skip-all]
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRng } from "../dist/info/index.js";
import { calibrations, Policy, taskFamily } from "../dist/lab/index.js";

const { values } = parseArgs({
  options: { repeats: { type: "string", default: "3" }, "skip-all": { type: "boolean", default: false } },
});
const repeats = Number(values.repeats);
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s) => `${s.toFixed(2)} s`;

console.log(
  `node ${process.version}, load average ${loadavg()
    .map((v) => v.toFixed(1))
    .join(" ")}`,
);

if (!values["skip-all"]) {
  const walls = [];
  let claims = "";
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const run = spawnSync(process.execPath, [cli, "lab", "--json"], { encoding: "utf8", maxBuffer: 1 << 28 });
    walls.push((performance.now() - start) / 1000);
    if (run.status !== 0 && run.status !== 1) throw new Error(`openloop lab failed: ${run.stderr}`);
    const doc = JSON.parse(run.stdout);
    const all = doc.experiments.flatMap((e) => e.claims);
    const runs = doc.experiments.reduce((a, e) => a + (e.audit ? e.audit.length * e.seeds : 0), 0);
    claims = `${all.filter((c) => c.holds).length}/${all.length} claims hold; ${doc.experiments.length} experiments, ${runs} learner runs, seeds ${doc.experiments.map((e) => e.seeds).join(",")}`;
  }
  console.log(
    `openloop lab (all experiments, default seeds): wall median ${fmt(median(walls))}, min ${fmt(Math.min(...walls))} (${claims})`,
  );
}

const gaussian = calibrations.find((c) => c.name === "gaussian");
const params = { sample_size: 100, generations: 200, fit: "mle", mode: "replace" };
const ours = [];
let ourFinal = 0;
for (let r = 0; r < repeats; r++) {
  const start = performance.now();
  const result = gaussian.run(params, 1000, createRng(r + 1));
  ours.push((performance.now() - start) / 1000);
  ourFinal = result.series[result.series.length - 1].variance_mean;
}
const py = spawnSync(
  "/usr/bin/python3",
  [fileURLToPath(new URL("./lab-gaussian.py", import.meta.url)), "1000", "200", "100", String(repeats)],
  {
    encoding: "utf8",
  },
);
if (py.status !== 0) throw new Error(`numpy reference failed: ${py.stderr}`);
const ref = JSON.parse(py.stdout);
console.log(
  `gaussian 1000 seeds x 200 generations x 100 samples: openloop median ${fmt(median(ours))} (final mean variance ${ourFinal.toPrecision(3)}), ` +
    `numpy median ${fmt(median(ref.times))} (final mean variance ${ref.final_variance_mean.toPrecision(3)}); ratio openloop/numpy ${(median(ours) / median(ref.times)).toFixed(2)}`,
);

// (3) one student training step, the meta-level's largest shape: count task, M = 16 forms.
const task = taskFamily("count");
const shape = { batch: 128, hidden: 16, forms: 16, pads: 4, steps: 200 };
const policy = new Policy(
  {
    featureDim: task.featureDim,
    hidden: shape.hidden,
    classes: task.classes,
    forms: shape.forms,
    pads: shape.pads,
    lr: 0.03,
  },
  createRng(1),
);
const rng = createRng(2);
const examples = Array.from({ length: shape.batch }, () => {
  const prompt = task.prompts[rng.int(task.prompts.length)];
  return { prompt, token: rng.int(policy.tokens), pad: rng.int(shape.pads), weight: 1 };
});
const stepTimes = [];
const stepCpu = [];
for (let r = 0; r < 5; r++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < shape.steps; i++) policy.step(examples);
  stepTimes.push((performance.now() - start) / 1000 / shape.steps);
  const used = process.cpuUsage(cpu);
  stepCpu.push((used.user + used.system) / 1e6 / shape.steps);
}
const np = spawnSync(
  "/usr/bin/python3",
  [
    fileURLToPath(new URL("./lab-autograd.py", import.meta.url)),
    String(shape.batch),
    String(task.featureDim),
    String(shape.hidden),
    String(policy.tokens),
    String(shape.pads),
    String(shape.steps),
  ],
  { encoding: "utf8" },
);
if (np.status !== 0) throw new Error(`numpy reference failed: ${np.stderr}`);
const npRef = JSON.parse(np.stdout);
const ms = (s) => `${(s * 1000).toFixed(3)} ms`;
console.log(
  `student step (batch ${shape.batch}, ${task.featureDim} features, ${shape.hidden} hidden, ${policy.tokens} answer tokens, ${shape.pads} pads): ` +
    `openloop autograd wall ${ms(median(stepTimes))} CPU ${ms(median(stepCpu))}, numpy by hand wall ${ms(npRef.seconds_per_step)} CPU ${ms(npRef.cpu_per_step)}; ` +
    `ratio openloop/numpy wall ${(median(stepTimes) / npRef.seconds_per_step).toFixed(2)}, CPU ${(median(stepCpu) / npRef.cpu_per_step).toFixed(2)}`,
);
