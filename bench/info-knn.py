"""KSG mutual information with scikit-learn, timed, on the data bench/info-knn.mjs wrote.

Usage: /usr/bin/python3 bench/info-knn.py DATA.f64 N K REPEATS
DATA.f64 holds N rows of (x, y) as little-endian float64, row-major. Prints one JSON line:
{"tool": "sklearn", "version": ..., "seconds": [...], "cpu_seconds": [...], "mi_nats": ...}
(wall-clock and process CPU time of each call).
"""

import json
import sys
import time

import numpy as np
import sklearn
from sklearn.feature_selection import mutual_info_regression


def main() -> None:
    path, n, k, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    data = np.fromfile(path, dtype="<f8").reshape(n, 2)
    x = data[:, :1].copy()
    y = data[:, 1].copy()
    seconds = []
    cpu_seconds = []
    mi = float("nan")
    for _ in range(repeats):
        start = time.perf_counter()
        cpu_start = time.process_time()
        mi = float(
            mutual_info_regression(x, y, n_neighbors=k, discrete_features=False, random_state=0)[0]
        )
        cpu_seconds.append(time.process_time() - cpu_start)
        seconds.append(time.perf_counter() - start)
    result = {
        "tool": "sklearn",
        "version": sklearn.__version__,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "mi_nats": mi,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
