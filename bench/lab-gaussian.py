"""Recursive Gaussian fitting (Shumailov et al. 2024), replace mode, MLE fit, in numpy: the
reference implementation bench/lab.mjs times against openloop's `gaussian` calibration.
Usage: python3 bench/lab-gaussian.py SEEDS GENERATIONS SAMPLES REPEATS
Prints one JSON line: wall seconds per repeat and the mean final variance."""
import json
import sys
import time

import numpy as np

seeds, generations, n, repeats = (int(a) for a in sys.argv[1:5])
times = []
final = None
for r in range(repeats):
    rng = np.random.default_rng(r)
    start = time.perf_counter()
    mu = np.zeros(seeds)
    sigma = np.ones(seeds)
    variances = np.empty((generations + 1, seeds))
    variances[0] = 1.0
    for g in range(1, generations + 1):
        x = mu[:, None] + sigma[:, None] * rng.standard_normal((seeds, n))
        mu = x.mean(axis=1)
        var = x.var(axis=1)  # MLE, 1/n
        sigma = np.sqrt(var)
        variances[g] = var
    summary = (variances.mean(axis=1), np.median(variances, axis=1))
    times.append(time.perf_counter() - start)
    final = float(summary[0][-1])
print(json.dumps({"times": times, "final_variance_mean": final}))
