/**
 * Benchmark: drawing 24M uniform integers in 0..19,999 (one 1M-record bootstrap: 200 resamples
 * x 6 scopes x 20,000 prompts) with `rng.int` per draw, `rng.next` per draw, and `Rng.ints`
 * filling an array per resample; nanoseconds per draw, each mode run twice.
 * Run: npm run build && node bench/info-rng.mjs
 */
import { createRng } from "../dist/info/index.js";

const out = new Int32Array(20000);
for (const mode of ["int", "next", "ints", "int", "next", "ints"]) {
  const rng = createRng(1);
  const start = performance.now();
  for (let r = 0; r < 1200; r++) {
    if (mode === "ints") rng.ints(20000, out);
    else if (mode === "next") for (let i = 0; i < out.length; i++) out[i] = Math.floor(rng.next() * 20000);
    else for (let i = 0; i < out.length; i++) out[i] = rng.int(20000);
  }
  const ns = ((performance.now() - start) * 1e6) / (1200 * out.length);
  console.log(`${mode.padEnd(5)} ${ns.toFixed(2)} ns per draw`);
}
