"""Benchmarks of ketpk.individualize (issue 15 targets): one patient, and 1,000 from one dataset.

    PYTHONPATH=$PWD python3 benchmarks/individualize.py          # full run
    PYTHONPATH=$PWD python3 benchmarks/individualize.py --quick  # 100 patients instead of 1,000

* **I1**: one patient of esketamine.otto2021 (80 kg, 0.3 mg/kg/h IV for 24 h), 5 measured
  levels of two analytes (S-ketamine at 2, 8, 20 h; S-norketamine at 8, 20 h): the MAP with its
  Laplace covariance, median of 20 calls after one warm-up, in a process that has already
  imported ketpk (target <= 100 ms).
* **I2**: 1,000 patients of the virtual trial of scripts/reestimation.py (seed 15; 5 levels of
  two analytes each, weight-based 24-h infusions) in one dataset, written to a CSV file and fitted
  by :func:`ketpk.posterior.individualize_dataset` from the file (reading included), once after a
  warm-up on 10 patients (target <= 20 s).

Prints the machine (CPU, nproc, load average at start and end, versions, date) and the results.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import scipy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ketpk  # noqa: E402
from ketpk.posterior import individualize, individualize_dataset  # noqa: E402


def _trial_module():
    spec = importlib.util.spec_from_file_location("reestimation", ROOT / "scripts" / "reestimation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def one_patient() -> tuple[float, object]:
    regimen = ketpk.Infusion(start="0 h", rate="0.3 mg/kg/h", duration="24 h")
    levels = [("2 h", "ketamine", "80 ng/mL"), ("8 h", "ketamine", "120 ng/mL"),
              ("8 h", "norketamine", "150 ng/mL"), ("20 h", "ketamine", "140 ng/mL"),
              ("20 h", "norketamine", "260 ng/mL")]
    subject = ketpk.Subject(weight="80 kg")
    individualize("esketamine.otto2021", regimen, levels, subject=subject)  # warm-up
    times, posterior = [], None
    for _ in range(20):
        start = time.perf_counter()
        posterior = individualize("esketamine.otto2021", regimen, levels, subject=subject)
        times.append(time.perf_counter() - start)
    return statistics.median(times), posterior


def many_patients(n: int) -> tuple[float, dict]:
    trial = _trial_module()
    rows, _ = trial.trial(n, 15)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "patients.csv"
        trial.write_dataset(rows, path)
        warm = [r for r in rows if int(r["ID"]) <= 10]
        individualize_dataset(warm, trial.MODEL)
        start = time.perf_counter()
        fits = individualize_dataset(path, trial.MODEL)
        return time.perf_counter() - start, fits


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; CPU {cpu!r}, nproc {os.cpu_count()}, "
          f"load {os.getloadavg()[0]:.2f} / {os.getloadavg()[1]:.2f} / {os.getloadavg()[2]:.2f}; "
          f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    seconds, posterior = one_patient()
    print(f"I1 one patient, 5 levels of 2 analytes: {1000 * seconds:.1f} ms (median of 20), "
          f"{posterior.message}, {posterior.evaluations} simulated subject-curves")
    n = 100 if args.quick else 1000
    seconds, fits = many_patients(n)
    converged = sum(f.converged for f in fits.values())
    print(f"I2 {n} patients from one dataset: {seconds:.1f} s ({1000 * seconds / n:.1f} ms per "
          f"patient), {converged}/{n} converged")
    print(f"load at end {os.getloadavg()[0]:.2f} / {os.getloadavg()[1]:.2f} / {os.getloadavg()[2]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
