"""ketpk TCI benchmarks (issue 14): a 4-h schedule at a 10-s update interval for one subject
(target <= 50 ms) and for 1,000 individual subjects, each their own schedule (target <= 5 s).

    PYTHONPATH=$PWD python3 benchmarks/tci.py

Times (wall clock and process CPU) are the median of 5 calls after one warm-up, of the whole ``target_infusion`` call
(model, subjects, matrix exponentials and the pump loop), plasma and effect-site targeting, on
the Kamp 2020 model (3 compartments) and the default S-ketamine model (S-ketamine + S-norketamine).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ketpk  # noqa: E402
from ketpk import tci  # noqa: E402

TARGETS = {"0 min": "0.5 ug/mL", "60 min": "1 ug/mL", "120 min": "0.3 ug/mL", "180 min": "0.6 ug/mL"}


def median_time(call, repeats: int = 5) -> tuple[float, float]:
    """Median wall time and median process CPU time (s) of ``call``."""
    call()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def shown(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.processor() or platform.machine()}, "
          f"nproc {os.cpu_count()}, load {os.getloadavg()[0]:.2f}; Python {platform.python_version()}, "
          f"numpy {np.__version__}")
    print("| model | subjects | site | 4 h at 10 s (1,440 updates), wall | CPU | target |")
    print("|---|---|---|---|---|---|")
    one = ketpk.Subject(weight="70 kg")
    for model_id in ("racemic.kamp2020", "esketamine.otto2021"):
        population = ketpk.population.sample(model_id, 1000, seed=14)
        for site, ke0 in (("plasma", None), ("effect", "0.2 1/min")):
            for who, n, goal in ((one, 1, "50 ms"), (population, 1000, "5 s")):
                wall, cpu = median_time(lambda: tci.target_infusion(
                    model_id, TARGETS, subject=who, until="4 h", site=site, ke0=ke0))
                print(f"| {model_id} | {n:,} | {site} | {shown(wall)} | {shown(cpu)} | <= {goal} |")


if __name__ == "__main__":
    main()
