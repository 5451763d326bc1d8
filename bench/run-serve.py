"""The same orchestration as bench/run-serve.mjs in plain Python (the loop people write by hand
with a thread pool, as distilabel- or NeMo-Skills-style generation scripts do): for every prompt,
one chat-completions request with n choices to `openloop serve`, the last number of each choice
checked against the gold count, the prompt's results appended to a JSONL journal and fsync'd.
Prints samples per second.

    /usr/bin/python3 bench/run-serve.py BASE_URL PROMPTS_JSONL N ITERATIONS CONCURRENCY JOURNAL
"""
import http.client
import json
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

base, prompts_file, n, iterations, concurrency, journal_path = sys.argv[1:7]
n, iterations, concurrency = int(n), int(iterations), int(concurrency)
url = urlparse(base)
prompts = [json.loads(line) for line in open(prompts_file) if line.strip()]
local = threading.local()
lock = threading.Lock()
journal = open(journal_path, "a")
last_number = re.compile(r"-?\d+(?:\.\d+)?")


def connection():
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    return local.conn


def unit(task):
    iteration, index = task
    p = prompts[index]
    body = json.dumps({"model": "openloop-builtin-count", "n": n, "seed": iteration * 100003 + index,
                       "messages": [{"role": "user", "content": p["prompt"]}]})
    conn = connection()
    conn.request("POST", url.path + "/chat/completions", body, {"content-type": "application/json"})
    choices = json.loads(conn.getresponse().read())["choices"]
    rows = []
    for c in choices:
        text = c["message"]["content"]
        found = last_number.findall(text)
        ok = bool(found) and float(found[-1]) == float(p["gold"])
        rows.append({"response": text, "correct": ok})
    line = json.dumps({"iteration": iteration, "index": index, "candidates": rows}) + "\n"
    with lock:
        journal.write(line)
        journal.flush()
        os.fdatasync(journal.fileno())
    return len(rows)


start = time.perf_counter()
tasks = [(it, i) for it in range(iterations) for i in range(len(prompts))]
with ThreadPoolExecutor(concurrency) as pool:
    samples = sum(pool.map(unit, tasks))
elapsed = time.perf_counter() - start
print(json.dumps({"samples": samples, "elapsed_s": elapsed, "samples_per_second": samples / elapsed}))
