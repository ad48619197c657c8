"""Max exact-vs-ode difference on the extreme-but-valid regimens of tests/test_properties.py.

Run from the repository root:  PYTHONPATH=$PWD python3 benchmarks/extremes.py
The difference is relative, floored at 1e-4 of the peak (see ``_agree``); the tests require < 1e-6.
"""

from __future__ import annotations

import time

from tests.test_properties import EXTREMES, _agree

if __name__ == "__main__":
    print(f"{'regimen':45s} {'max rel. diff':>13s} {'time [s]':>9s}")
    for name, (model, regimen, times) in EXTREMES.items():
        start = time.perf_counter()
        worst = _agree(model(), regimen(), times)
        print(f"{name:45s} {worst:13.2e} {time.perf_counter() - start:9.2f}")
