#!/usr/bin/env python3
"""The pipeline a user would otherwise run for `mlwatch drift` on numerical CSV columns, for bench/drift-cli.bench.ts.

pandas.read_csv of both files (read_json(lines=True) for .jsonl / .ndjson), then per column: scipy.stats.ks_2samp, scipy.stats.wasserstein_distance, and
the PSI / Jensen-Shannon of the issue's definition in numpy (baseline-quantile bins, zero share -> 1e-4).
Prints one JSON object: per-column results and the script's own wall time and peak RSS.
Run with Debian's /usr/bin/python3 (python3-pandas, python3-scipy).
"""
import json
import resource
import sys
import time

start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.spatial.distance import jensenshannon  # noqa: E402


def psi(bs, cs):
    bs = np.where(bs == 0, 1e-4, bs)
    cs = np.where(cs == 0, 1e-4, cs)
    return float(np.sum((cs - bs) * np.log(cs / bs)))


def read(path):
    # JSON Lines as a notebook reads them; anything else as CSV.
    if path.endswith((".jsonl", ".ndjson")):
        return pd.read_json(path, lines=True)
    return pd.read_csv(path)


def main(baseline_path, current_path):
    baseline = read(baseline_path)
    current = read(current_path)
    out = {}
    for col in baseline.columns:
        if col not in current.columns:
            continue
        b = baseline[col].dropna().to_numpy(dtype=float)
        c = current[col].dropna().to_numpy(dtype=float)
        ks = stats.ks_2samp(b, c)
        w = stats.wasserstein_distance(b, c)
        edges = np.unique(np.quantile(b, np.arange(1, 10) / 10))
        bs = np.bincount(np.searchsorted(edges, b, side="right"), minlength=len(edges) + 1) / len(b)
        cs = np.bincount(np.searchsorted(edges, c, side="right"), minlength=len(edges) + 1) / len(c)
        out[col] = {"ks": float(ks.statistic), "pValue": float(ks.pvalue), "wasserstein": float(w),
                    "psi": psi(bs, cs), "jensenShannon": float(jensenshannon(bs, cs, base=2))}
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"features": out, "seconds": time.perf_counter() - start, "peakRssMb": peak_kb / 1024,
                      "versions": {"pandas": pd.__version__, "scipy": __import__("scipy").__version__,
                                   "numpy": np.__version__}}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
