/**
 * Throughput of `openloop serve` (dist/cli.js): 32 concurrent keep-alive fetch clients in this
 * process send chat completions for the add task's prompts (n = 1 and n = 8) and count samples
 * per second, with the server's CPU time read from /proc. Side by side, the same clients hit a
 * no-model Python standard-library stub (bench/serve-stub.py) that only parses and answers.
 * Usage: npm run build && node bench/serve.mjs [--requests 8000] [--concurrency 32] [--repeats 3]
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg("requests", 8000);
const CONCURRENCY = arg("concurrency", 32);
const REPEATS = arg("repeats", 3);
const root = fileURLToPath(new URL("..", import.meta.url));

function start(command, args, portPattern, stream) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let text = "";
    child[stream].on("data", (chunk) => {
      text += chunk;
      const m = text.match(portPattern);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on("exit", (code) => reject(new Error(`${command} exited ${code}: ${text}`)));
  });
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const prompts = [];
for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) prompts.push(`What is ${a} + ${b}?`);

async function measure(server, n) {
  const url = `http://127.0.0.1:${server.port}/v1/chat/completions`;
  const requests = Math.round(REQUESTS / n);
  let next = 0;
  let samples = 0;
  const cpu0 = cpuSeconds(server.child.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const i = next++;
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            model: "openloop-builtin-add",
            n,
            seed: i,
            messages: [{ role: "user", content: prompts[i % prompts.length] }],
          }),
        });
        const body = await res.json();
        samples += body.choices.length;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { rate: samples / seconds, serverCpuMs: ((cpuSeconds(server.child.pid) - cpu0) * 1000) / requests };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const servers = {
  "openloop serve": await start(
    process.execPath,
    ["dist/cli.js", "serve", "--port", "0"],
    /127\.0\.0\.1:(\d+)/,
    "stderr",
  ),
  "python stub": await start("/usr/bin/python3", ["bench/serve-stub.py"], /^(\d+)\s/, "stdout"),
};
try {
  for (const server of Object.values(servers)) await measure(server, 1); // warm-up
  console.log(`requests ~${REQUESTS} samples per measure, concurrency ${CONCURRENCY}, median of ${REPEATS}`);
  for (const n of [1, 8]) {
    const results = {};
    for (let r = 0; r < REPEATS; r++) {
      for (const [name, server] of Object.entries(servers)) {
        results[name] = [...(results[name] ?? []), await measure(server, n)];
      }
    }
    const row = {};
    for (const [name, runs] of Object.entries(results)) {
      row[name] = { rate: median(runs.map((x) => x.rate)), cpu: median(runs.map((x) => x.serverCpuMs)) };
      console.log(
        `n=${n}  ${name.padEnd(15)} ${row[name].rate.toFixed(0).padStart(7)} samples/s   server CPU ${row[name].cpu.toFixed(3)} ms/request`,
      );
    }
    console.log(
      `n=${n}  ratio openloop / python stub: ${(row["openloop serve"].rate / row["python stub"].rate).toFixed(2)}x samples/s`,
    );
  }
} finally {
  for (const server of Object.values(servers)) server.child.kill("SIGTERM");
}
