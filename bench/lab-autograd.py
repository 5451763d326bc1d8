"""One training step of the lab's student (tanh MLP + linear path over prompt features -> answer
logits over M*K tokens; padding logits from the hidden layer plus an embedding of the answer
token; weighted softmax cross-entropy on both; Adam), written with numpy by hand: the reference
bench/lab.mjs times against openloop's autograd (`Policy.step`).
Usage: python3 bench/lab-autograd.py BATCH FEATURES HIDDEN TOKENS PADS STEPS
Prints one JSON line: wall and CPU seconds per step (medians over 5 timing runs) and the last loss."""
import json
import sys
import time

import numpy as np

n, d, h, a, p, steps = (int(v) for v in sys.argv[1:7])
rng = np.random.default_rng(1)
params = {
    "W1": rng.normal(0, 1 / np.sqrt(d), (d, h)), "b1": rng.normal(0, 0.1, h),
    "W2": rng.normal(0, 0.01, (h, a)), "b2": rng.normal(0, 0.01, a),
    "W3": rng.normal(0, 0.01, (h, p)), "E": rng.normal(0, 0.01, (a, p)), "b3": rng.normal(0, 0.01, p),
    "V": rng.normal(0, 0.01, (d, a)),
}
m = {k: np.zeros_like(v) for k, v in params.items()}
v2 = {k: np.zeros_like(v) for k, v in params.items()}
x = rng.integers(0, 2, (n, d)) * 2.0 - 1.0
tok = rng.integers(0, a, n)
pad = rng.integers(0, p, n)
w = np.ones(n)


def ce(logits, t):
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    probs = e / e.sum(axis=1, keepdims=True)
    loss = (w * (np.log(e.sum(axis=1)) - z[np.arange(n), t])).sum()
    g = probs * w[:, None]
    g[np.arange(n), t] -= w
    return loss, g


def step(t):
    P = params
    hid = np.tanh(x @ P["W1"] + P["b1"])
    la, ga = ce(hid @ P["W2"] + x @ P["V"] + P["b2"], tok)
    lp, gp = ce(hid @ P["W3"] + P["E"][tok] + P["b3"], pad)
    ga /= n
    gp /= n
    g = {"W2": hid.T @ ga, "b2": ga.sum(0), "V": x.T @ ga, "W3": hid.T @ gp, "b3": gp.sum(0), "E": np.zeros_like(P["E"])}
    np.add.at(g["E"], tok, gp)
    gh = (ga @ P["W2"].T + gp @ P["W3"].T) * (1 - hid**2)
    g["W1"] = x.T @ gh
    g["b1"] = gh.sum(0)
    for k in P:
        m[k] = 0.9 * m[k] + 0.1 * g[k]
        v2[k] = 0.999 * v2[k] + 0.001 * g[k] ** 2
        P[k] -= 0.03 * (m[k] / (1 - 0.9**t)) / (np.sqrt(v2[k] / (1 - 0.999**t)) + 1e-8)
    return (la + lp) / n


runs = []
cpu = []
loss = None
t = 0
for _ in range(5):
    start = time.perf_counter()
    start_cpu = time.process_time()
    for _ in range(steps):
        t += 1
        loss = step(t)
    runs.append((time.perf_counter() - start) / steps)
    cpu.append((time.process_time() - start_cpu) / steps)
print(json.dumps({"seconds_per_step": sorted(runs)[2], "cpu_per_step": sorted(cpu)[2], "loss": float(loss)}))
