"""Simulation–re-estimation of ketpk.individualize; writes docs/individualize.md and its figure.

    PYTHONPATH=$PWD python3 scripts/reestimation.py            # 300 subjects, seed 15
    PYTHONPATH=$PWD python3 scripts/reestimation.py --n 50     # quicker, prints only

A virtual trial (``trial``): subjects of esketamine.otto2021 with known etas drawn from the
published omega (ketpk.population.sample), weights from the default distribution, each given
0.25 mg/kg/h S-ketamine IV for 24 h (a long analgesic infusion) and sampled sparsely: S-ketamine
at 2, 12 and 30 h, S-norketamine at 12 and 30 h (5 levels of two analytes), each time jittered
uniformly by ±30 min, residual error added by the model's published error (never negative), an
LLOQ of 1 ng/mL (values below it are reported BLQ). The rows form one NONMEM-style dataset
(``ID, TIME [h], EVID, AMT [mg], RATE [mg/h], CMT, DV [ng/mL], MDV, BLQ, LLOQ, WT``), which
:func:`ketpk.posterior.individualize_dataset` re-estimates. Also used by benchmarks/individualize.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ketpk  # noqa: E402
from ketpk.population import add_residual_error, sample  # noqa: E402
from ketpk.posterior import individualize_dataset  # noqa: E402

MODEL = "esketamine.otto2021"
RATE_MG_PER_KG_H = 0.25
HOURS = 24.0
DESIGN = (("ketamine", 2.0), ("ketamine", 12.0), ("norketamine", 12.0), ("ketamine", 30.0),
          ("norketamine", 30.0))
JITTER_H = 0.5
LLOQ_NG_ML = 1.0
CMT = {"ketamine": 1, "norketamine": 4}  # state numbers of the two centrals (ketpk.eventtable.cmt_map)
TARGET = ROOT / "docs" / "individualize.md"
FIGURE = ROOT / "docs" / "figures" / "individualize.png"


def trial(n: int, seed: int) -> tuple[list[dict[str, str]], object]:
    """Dataset rows of ``n`` virtual subjects and their Population (the true etas)."""
    model = ketpk.models.resolve(MODEL)
    pop = sample(model, n, seed=seed)
    rng = np.random.default_rng(seed + 1)
    regimen = ketpk.Infusion(start="0 h", rate=f"{RATE_MG_PER_KG_H} mg/kg/h", duration=f"{HOURS} h")
    rows = []
    for i in range(n):
        one = pop[i]
        wt = float(one.covariates["weight"][0])
        times = np.array([t for _, t in DESIGN]) + rng.uniform(-JITTER_H, JITTER_H, len(DESIGN))
        grid = np.unique(times)
        sim = add_residual_error(ketpk.simulate(model, regimen, ketpk.Q_(grid, "h"), subjects=one),
                                 seed=rng)
        rate = RATE_MG_PER_KG_H * wt
        rows.append({"ID": str(i + 1), "TIME": "0", "EVID": "1", "AMT": f"{rate * HOURS:.10g}",
                     "RATE": f"{rate:.10g}", "CMT": "1", "DV": ".", "MDV": "1", "BLQ": "0",
                     "LLOQ": ".", "WT": f"{wt:.6g}"})
        for (analyte, _), t in sorted(zip(DESIGN, times), key=lambda x: x[1]):
            value = float(sim.concentration(analyte).magnitude[0, np.searchsorted(grid, t)])
            blq = value < LLOQ_NG_ML
            rows.append({"ID": str(i + 1), "TIME": f"{t:.6g}", "EVID": "0", "AMT": "0", "RATE": "0",
                         "CMT": str(CMT[analyte]), "DV": "." if blq else f"{value:.6g}", "MDV": "0",
                         "BLQ": "1" if blq else "0", "LLOQ": f"{LLOQ_NG_ML:g}", "WT": f"{wt:.6g}"})
    return rows, pop


def write_dataset(rows: list[dict[str, str]], path: Path) -> None:
    """The rows as a CSV file."""
    columns = list(rows[0])
    path.write_text("\n".join([",".join(columns)] + [",".join(r[c] for c in columns) for r in rows]) + "\n")


def summarise(pop, fits) -> list[dict[str, float]]:
    """Per eta: bias and precision of the individual parameter, shrinkage, 90 % coverage."""
    first = next(iter(fits.values()))
    true_params = pop.parameters()
    out = []
    for name in first.names:
        est = np.array([f.parameters[name].magnitude for f in fits.values()])
        true = true_params[name].to(first.parameters[name].units).magnitude
        rel = est / true - 1
        eta_hat = np.array([f.etas[name] for f in fits.values()])
        omega = float(np.sqrt(first.omega[first.names.index(name)] [first.names.index(name)]))
        inside = []
        for f, t in zip(fits.values(), true):
            low, high = f.interval(name, 0.9)
            inside.append(low.magnitude <= t <= high.magnitude)
        expected = np.mean([f.shrinkage[name] for f in fits.values()])
        out.append({"name": name, "unit": f"{first.parameters[name].units:~P}",
                    "bias": 100 * float(np.mean(rel)), "median": 100 * float(np.median(rel)),
                    "rmse": 100 * float(np.sqrt(np.mean(rel ** 2))),
                    "typical_rmse": 100 * float(np.sqrt(np.mean((np.array(
                        [f.typical_parameters[name].magnitude for f in fits.values()]) / true - 1) ** 2))),
                    "shrinkage": 100 * (1 - float(np.std(eta_hat)) / omega),
                    "expected": 100 * float(expected), "coverage": 100 * float(np.mean(inside))})
    return out


def table(stats: list[dict[str, float]]) -> str:
    """The Markdown table of :func:`summarise`."""
    lines = ["| parameter | bias (mean rel. error) | median rel. error | precision (RMSE) | "
             "RMSE of the typical value | η-shrinkage 1 − SD(η̂)/ω | expected shrinkage (mean) | "
             "90 % interval coverage |", "|---|---|---|---|---|---|---|---|"]
    for s in stats:
        lines.append(f"| {s['name']} [{s['unit']}] | {s['bias']:+.1f} % | {s['median']:+.1f} % | "
                     f"{s['rmse']:.1f} % | {s['typical_rmse']:.1f} % | {s['shrinkage']:.0f} % | "
                     f"{s['expected']:.0f} % | {s['coverage']:.0f} % |")
    return "\n".join(lines)


def example_figure(rows: list[dict[str, str]], path: Path) -> str:
    """Plot subject 1's fit and a 48-h forecast; return its describe() text."""
    import matplotlib

    matplotlib.use("Agg")
    from ketpk.plotting import plot_posterior, save_figure

    own = [r for r in rows if r["ID"] == "1"]
    posterior = individualize_dataset(own, MODEL)["1"]
    forecast = posterior.simulate(times=ketpk.Q_(np.linspace(0, 48, 289), "h"))
    save_figure(plot_posterior(posterior, forecast), path)
    return posterior.describe()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    rows, pop = trial(args.n, args.seed)
    start = time.perf_counter()
    fits = individualize_dataset(rows, MODEL)
    seconds = time.perf_counter() - start
    stats = summarise(pop, fits)
    text = table(stats)
    n_blq = sum(r["BLQ"] == "1" for r in rows)
    converged = sum(f.converged for f in fits.values())
    print(text)
    print(f"{args.n} subjects, {n_blq} BLQ levels, {converged} converged, fitted in {seconds:.1f} s")
    if args.n == 300 and args.seed == 15:
        card = example_figure(rows, FIGURE)
        body = TARGET.read_text(encoding="utf-8")
        start_mark, end_mark = "<!-- reestimation:start -->", "<!-- reestimation:end -->"
        head, _, rest = body.partition(start_mark)
        _, _, tail = rest.partition(end_mark)
        generated = (f"{start_mark}\n{text}\n\n{args.n} subjects (seed {args.seed}), {n_blq} "
                     f"levels below the LLOQ, {converged}/{args.n} fits converged.\n\nSubject 1 "
                     f"(the figure):\n\n```text\n{card}\n```\n{end_mark}")
        TARGET.write_text(head + generated + tail, encoding="utf-8")
        print(f"wrote {TARGET} and {FIGURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
