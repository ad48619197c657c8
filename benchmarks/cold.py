"""Whole-process benchmarks (issue 11): W1 cold start against a numpy-only process, W2 in a process.

    python3 benchmarks/cold.py pair --repeats 5   # W1 (both forms, and its setup) and the numpy-only baseline, alternated
    python3 benchmarks/cold.py pair --repeats 5 --before ../old  # and an older checkout's W1
    /usr/bin/time -v python3 benchmarks/cold.py w2  # W2: wall, CPU and peak RSS
    python3 benchmarks/cold.py load                 # the library load, in steps

``w1``: import ketpk, sample 1,000 subjects of ``esketamine`` (seed 2009), protocol
``sigtermans2009``, simulate 100.8 h at 1 min, read both concentrations in ng/mL (2 × 48 MB).
It writes the times as ``ketpk.TimeGrid("100.8 h", step="1 min")`` and reads the outputs with
``result.concentration_values(analyte, "ng/mL")`` (plain arrays, the same floats), the public
forms that need no pint: the whole process never imports pint.
``w1_quantity``: the same with pint Quantities, as W1 was first written:
``ketpk.Q_(np.arange(0, 100.8 * 60 + 1), "min")`` and ``result.concentration(a, "ng/mL").magnitude``
(pint is imported, ~0.2 s).
``w1_setup``: W1 up to, not including, ``simulate`` (import, model, subjects, protocol, grid):
the fixed cost of a first call.
``baseline``: import numpy only and make two arrays of the same shape and dtype (the same
97 MB of outputs): what any Python process producing these outputs must pay at least.
``load``: wall times (s) of ``import ketpk``, then ``models.get("esketamine")``, then importing
pint and building ketpk's registry (whether ``models.get`` imported pint is printed too).
``w2``: 100,000 subjects of ``racemic``, protocol ``schwartzman2009``, 10 days at 5 min,
``summarize`` of ketamine and norketamine (as W2 of run.py).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHAPE = (1000, 6049)


def w1() -> None:
    sys.path.insert(0, str(ROOT))
    import ketpk

    model = ketpk.models.get("esketamine")
    pop = ketpk.population.sample(model, SHAPE[0], seed=2009)
    result = ketpk.simulate(model, ketpk.protocols.get("sigtermans2009"),
                            ketpk.TimeGrid("100.8 h", step="1 min"), subjects=pop)
    outputs = [result.concentration_values(a, "ng/mL") for a in result.analytes]
    assert sum(o.nbytes for o in outputs) == 2 * SHAPE[0] * SHAPE[1] * 8


def w1_setup() -> None:
    """W1 without the simulation: import ketpk, the model, the 1,000 subjects, the protocol and
    the time grid (the fixed cost of a first call, which the numpy-only process does not pay)."""
    sys.path.insert(0, str(ROOT))
    import ketpk

    model = ketpk.models.get("esketamine")
    ketpk.population.sample(model, SHAPE[0], seed=2009)
    ketpk.protocols.get("sigtermans2009")
    ketpk.TimeGrid("100.8 h", step="1 min")


def w1_quantity() -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    import ketpk

    model = ketpk.models.get("esketamine")
    pop = ketpk.population.sample(model, SHAPE[0], seed=2009)
    result = ketpk.simulate(model, ketpk.protocols.get("sigtermans2009"),
                            ketpk.Q_(np.arange(0, 100.8 * 60 + 1), "min"), subjects=pop)
    outputs = [result.concentration(a, "ng/mL").magnitude for a in result.analytes]
    assert sum(o.nbytes for o in outputs) == 2 * SHAPE[0] * SHAPE[1] * 8


def baseline() -> None:
    import numpy as np

    grid = np.arange(SHAPE[1], dtype=float)
    outputs = [np.multiply.outer(np.linspace(1.0, 2.0, SHAPE[0]), np.exp(-grid / 600.0)) for _ in range(2)]
    assert sum(o.nbytes for o in outputs) == 2 * SHAPE[0] * SHAPE[1] * 8


def w2() -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    import ketpk

    model = ketpk.models.get("racemic")
    pop = ketpk.population.sample(model, 100_000, seed=2009)
    start = time.perf_counter()
    summary = ketpk.summarize(model, ketpk.protocols.get("schwartzman2009"),
                              ketpk.Q_(np.arange(0, 10 * 1440 + 1, 5.0), "min"), subjects=pop,
                              analytes=("ketamine", "norketamine"))
    print(f"summarize {time.perf_counter() - start:.2f} s; median Cmax "
          f"{np.median(summary.cmax('ketamine').magnitude):.4g} ng/mL")


def load() -> None:
    sys.path.insert(0, str(ROOT))
    start = time.perf_counter()
    import ketpk

    imported = time.perf_counter()
    ketpk.models.get("esketamine")
    loaded, had_pint = time.perf_counter(), "pint" in sys.modules
    ketpk.units.Q_(1.0, "mg")  # imports pint and builds the registry if not done yet
    done = time.perf_counter()
    print(f"import ketpk {imported - start:.4f} s, models.get {loaded - imported:.4f} s "
          f"(pint imported: {had_pint}), pint + registry afterwards {done - loaded:.4f} s")


def pair(repeats: int, before: str | None) -> None:
    """Run the W1 (both forms) and baseline processes alternately; print wall and CPU (user +
    sys) times, each run and the medians (s). On a loaded machine the CPU times are the steadier
    figure. ``before``: a checkout of older code whose own ``benchmarks/cold.py w1`` joins the
    alternation as ``w1_before``."""
    commands = {"w1": [__file__, "w1"], "w1_quantity": [__file__, "w1_quantity"],
                "w1_setup": [__file__, "w1_setup"]}
    if before:
        commands["w1_before"] = [str(Path(before) / "benchmarks" / "cold.py"), "w1"]
    commands["baseline"] = [__file__, "baseline"]
    kinds = tuple(commands)
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(repeats):
        for kind in wall:
            before_use = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, *commands[kind]], check=True)
            wall[kind].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[kind].append(after.ru_utime - before_use.ru_utime + after.ru_stime - before_use.ru_stime)
    for name, table in (("wall", wall), ("cpu", cpu)):
        for kind, values in table.items():
            print(f"{name} {kind}: median {statistics.median(values):.3f} s of "
                  f"{', '.join(f'{v:.3f}' for v in values)}")
        for kind in kinds[:-1]:
            print(f"{name} ratio {kind} / baseline: "
                  f"{statistics.median(table[kind]) / statistics.median(table['baseline']):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("w1", "w1_quantity", "w1_setup", "baseline", "w2", "load", "pair"))
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--before", metavar="CHECKOUT", help="pair: also run this checkout's W1")
    args = parser.parse_args()
    steps = {"w1": w1, "w1_quantity": w1_quantity, "w1_setup": w1_setup, "baseline": baseline,
             "w2": w2, "load": load}
    steps.get(args.what, lambda: pair(args.repeats, args.before))()


if __name__ == "__main__":
    main()
