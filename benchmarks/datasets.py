"""Time and accuracy of ketpk.simulate_dataset on the nmtests suite (run by hand, not a test).

From the repository root: ``PYTHONPATH=$PWD python3 benchmarks/datasets.py``. Reads the NONMEM
data from ../shared/conformance/nmtests (never copied here) and prints, per solver, the wall
time for all 29 scenarios (3,838 records), the records that do not round to NONMEM's printed
CP, and the largest exact-vs-ODE difference (relative, floored at 1e-3 of each scenario's peak).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.getcwd())

import ketpk  # noqa: E402
from tests import nmreference as ref  # noqa: E402


def main() -> None:
    data = ref.folder()
    _, tab = ref.read_tab(data / "TAB")
    model = ref.model()
    results = {}
    print(f"load {os.getloadavg()[0]:.2f}, nproc {os.cpu_count()}")
    for solver in ("exact", "ode"):
        start = time.perf_counter()
        res = ketpk.simulate_dataset(data / "1001.csv", model, cmt=ref.CMT, solver=solver)
        elapsed = time.perf_counter() - start
        results[solver] = res["PRED"]
        off = int(np.sum(~ref.within_print(res["PRED"], tab[:, 2])))
        print(f"{solver}: {elapsed:.2f} s for {len(res)} records; {off} not within NONMEM's printed digits")
    worst = 0.0
    for number in np.unique(tab[:, 0]):
        mask = tab[:, 0] == number
        a, b = results["exact"][mask], results["ode"][mask]
        worst = max(worst, float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-3 * np.abs(a).max()))))
    print(f"exact vs ode: max relative difference {worst:.2e}")


if __name__ == "__main__":
    main()
