"""d-separation with networkx (the Python tool a user would pick), for bench/audit.mjs.

Reads edge lists written by bench/audit.mjs and prints one JSON line per graph:
{"n": nodes, "edges": m, "separated": bool, "seconds": median time of nx.d_separated}.
Usage: /usr/bin/python3 bench/audit-dsep.py FILE...
"""
import json
import statistics
import sys
import time

import networkx as nx


def load(path):
    with open(path) as f:
        header = f.readline().split()
        n, x, y = int(header[0]), int(header[1]), int(header[2])
        given = {int(v) for v in f.readline().split()}
        graph = nx.DiGraph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from((int(a), int(b)) for a, b in (line.split() for line in f))
    return graph, x, y, given


def main():
    for path in sys.argv[1:]:
        graph, x, y, given = load(path)
        separated = None
        times = []
        budget = time.perf_counter() + 3.0
        while len(times) < 3 or (time.perf_counter() < budget and len(times) < 50):
            start = time.perf_counter()
            separated = nx.d_separated(graph, {x}, {y}, given)
            times.append(time.perf_counter() - start)
        print(json.dumps({
            "n": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "separated": separated,
            "seconds": statistics.median(times),
        }))


if __name__ == "__main__":
    main()
