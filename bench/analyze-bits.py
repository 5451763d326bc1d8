"""Bits per sample per signal, I(Y;S|Q) = H(S | iteration, prompt), with pandas + scikit-learn.

The same core metric `openloop analyze` reports as signals[].overall.bits_per_sample (plug-in,
conditioning on the (iteration, prompt) cell). H(S|C) = H(S) - I(S;C), with I from
sklearn.metrics.mutual_info_score (nats). Prints one JSON line: {"signal": bits, ..., "seconds": t}.
Usage: /usr/bin/python3 bench/analyze-bits.py FILE.jsonl (Parquet needs pyarrow, absent on Debian)
"""
import json
import math
import sys
import time

import pandas as pd
from sklearn.metrics import mutual_info_score

start = time.perf_counter()
path = sys.argv[1]
if path.endswith(".parquet"):
    frame = pd.read_parquet(path)
    signals = pd.json_normalize(frame["signals"].tolist())
else:
    frame = pd.read_json(path, lines=True)
    signals = pd.json_normalize(frame["signals"].tolist())
cell = frame["iteration"].astype(str) + "\x00" + frame["prompt_id"].astype(str)
out = {}
for name in signals.columns:
    s = signals[name].astype(str)
    p = s.value_counts(normalize=True).to_numpy()
    h = float(-(p * pd.Series(p).apply(math.log)).sum())
    mi = mutual_info_score(cell, s)
    out[name] = (h - mi) / math.log(2)
out["seconds"] = time.perf_counter() - start
print(json.dumps(out))
