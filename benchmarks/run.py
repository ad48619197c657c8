"""ketpk benchmarks: W1 (1,000 subjects, Sigtermans 2009, 100.8 h), W2 (100,000 subjects,
Schwartzman 2009, 10-day percentiles), W3 (one subject, 25 mg by 7 routes), import and CLI wall time.

    python benchmarks/run.py            # full run, prints a Markdown table
    python benchmarks/run.py --quick    # fewer repeats and baseline subjects, for a smoke test

Each workload is run with the exact core, the ``ode`` solver and a naive per-subject
``scipy.integrate.solve_ivp`` loop (what a Python user would write: LSODA, rtol 1e-8, one call
per dosing segment). The slow baselines run on a subset of subjects and their time is scaled
to the full population (they are linear in subjects); the subset is printed. "max rel diff" is
``max |a - b| / max |b|`` per analyte and subject, over the outputs both computed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import scipy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ketpk  # noqa: E402
from ketpk import Bolus, Q_, Regimen  # noqa: E402
from ketpk.plan import request  # noqa: E402


def timed(fn, repeats: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def peak_mb(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def naive_loop(model, regimen, minutes, subjects) -> np.ndarray:
    """Per-subject solve_ivp, one call per dosing segment; returns (S, O, T) concentrations."""
    from scipy.integrate import solve_ivp

    req = request(model, regimen, Q_(minutes, "min"), subjects=subjects)
    out = []
    for s in range(req.subjects.n):
        plan = req.plan(req.subjects.subset(s, s + 1))
        sched, A, C = plan.groups[0][1], plan.A[0], plan.C
        x, bps = sched.x0[0].copy(), sched.breakpoints
        y = np.zeros((C.shape[1], minutes.size))
        for k, t0 in enumerate(bps):
            x = x + sched.jumps[k, 0]
            t1 = bps[k + 1] if k + 1 < len(bps) else minutes[-1]
            mask = (minutes >= t0) & ((minutes < t1) if k + 1 < len(bps) else (minutes <= t1))
            if t1 <= t0:
                y[:, mask] = (C[0] @ x)[:, None]
                continue
            u = sched.rates[k, 0]
            sol = solve_ivp(lambda t, z: A @ z + u, (t0, t1), x, method="LSODA", rtol=1e-8,
                            atol=1e-12, t_eval=np.unique(np.append(minutes[mask], t1)))
            y[:, mask] = C[0] @ sol.y[:, :mask.sum()]
            x = sol.y[:, -1]
        out.append(y)
    return np.stack(out)


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    scale = np.abs(b).max(axis=-1, keepdims=True)
    scale[scale == 0] = 1.0
    return float((np.abs(a - b) / scale).max())


def stack(result) -> np.ndarray:
    return np.stack([result.concentrations_umol_per_l[a] for a in result.analytes], axis=1)


def workload_1(repeats: int, subset: int) -> list[str]:
    model = ketpk.models.get("esketamine")
    regimen = ketpk.protocols.get("sigtermans2009")
    minutes = np.arange(0, 100.8 * 60 + 1)
    times = Q_(minutes, "min")
    pop = ketpk.population.sample(model, 1000, seed=2009)
    run = lambda: ketpk.simulate(model, regimen, times, subjects=pop, record="plasma")  # noqa: E731
    run()
    t_exact, result = timed(run, repeats)
    returned = sum(v.nbytes for v in result.concentrations_umol_per_l.values()) / 1e6
    peak = peak_mb(run)
    exact = stack(result)[:subset]
    t_ode, ode = timed(lambda: ketpk.simulate(model, regimen, times, subjects=pop[:subset],
                                              record="plasma", solver="ode"), 1)
    t_naive, naive = timed(lambda: naive_loop(model, regimen, minutes, pop[:subset]), 1)
    scale = 1000 / subset
    return [
        f"| W1 | {model.id}, 1,000 subjects, protocol sigtermans2009, 100.8 h at 1 min ({minutes.size} times) | "
        f"{t_exact:.3f} s | {t_ode * scale:.1f} s ({subset} subj. ×{scale:g}) | "
        f"{t_naive * scale:.1f} s ({subset} subj. ×{scale:g}) | {t_naive * scale / t_exact:.0f}× | "
        f"{rel_diff(exact, stack(ode)):.1e} / {rel_diff(exact, naive):.1e} | "
        f"{peak:.0f} MB (returned {returned:.0f} MB, {peak / returned:.2f}×) |"
    ]


def workload_2(repeats: int, subset: int) -> list[str]:
    model = ketpk.models.get("racemic")
    regimen = ketpk.protocols.get("schwartzman2009")
    minutes = np.arange(0, 10 * 1440 + 1, 5.0)
    times = Q_(minutes, "min")
    pop = ketpk.population.sample(model, 100_000, seed=2009)
    # Total ketamine and norketamine (what a non-chiral assay measures); the model's four
    # enantiomer analytes would triple the output work.
    analytes = ("ketamine", "norketamine")
    run = lambda: ketpk.summarize(model, regimen, times, subjects=pop, analytes=analytes)  # noqa: E731
    t_exact, summary = timed(run, repeats)
    peak = peak_mb(run)
    small = pop[:subset]
    exact = stack(ketpk.simulate(model, regimen, times, subjects=small, record="plasma"))
    t_ode, ode = timed(lambda: ketpk.simulate(model, regimen, times, subjects=small, record="plasma",
                                              solver="ode"), 1)
    t_naive, naive = timed(lambda: naive_loop(model, regimen, minutes, small), 1)
    scale = 100_000 / subset
    return [
        f"| W2 | {model.id}, 100,000 subjects, protocol schwartzman2009 (25 mg/h cap per subject), 10 days at 5 min ({minutes.size} times), "
        f"{' + '.join(analytes)}: percentiles {summary.q} + mean + Cmax/Tmax/AUC | {t_exact:.2f} s | "
        f"{t_ode * scale:.0f} s ({subset} subj. ×{scale:g}) | {t_naive * scale:.0f} s ({subset} subj. "
        f"×{scale:g}) | {t_naive * scale / t_exact:.0f}× | "
        f"{rel_diff(exact, stack(ode)):.1e} / {rel_diff(exact, naive):.1e} | {peak:.0f} MB |"
    ]


#: W3 routes: the 7 everyday routes of the default racemic model (buccal, transdermal and
#: inhaled are left out: buccal is sublingual's twin, the other two are rarely used).
W3_ROUTES = ("iv", "im", "intranasal", "sublingual", "oral", "rectal", "sc")


def workload_3(repeats: int) -> list[str]:
    model = ketpk.models.get("racemic")
    minutes = np.arange(0, 24 * 60 + 1.0)
    times = Q_(minutes, "min")
    subject = ketpk.Subject(weight="70 kg")
    rows = []
    for route in W3_ROUTES:
        regimen = Regimen([Bolus(time="0 min", amount="25 mg", route=route)])
        run = lambda: ketpk.simulate(model, regimen, times, subjects=subject)  # noqa: E731
        run()
        t_exact, result = timed(run, repeats)
        t_ode, ode = timed(lambda: ketpk.simulate(model, regimen, times, subjects=subject,
                                                  solver="ode"), 5)
        t_naive, naive = timed(lambda: naive_loop(model, regimen, minutes, [subject]), 5)
        exact = stack(result)[None]
        rows.append(
            f"| W3 | {model.id}, 1 subject, 25 mg {route}, 24 h at 1 min | {t_exact * 1e3:.1f} ms | "
            f"{t_ode * 1e3:.0f} ms | {t_naive * 1e3:.0f} ms | {t_naive / t_exact:.0f}× | "
            f"{rel_diff(exact, stack(ode)[None]):.1e} / {rel_diff(exact, naive):.1e} | |"
        )
    return rows


def startup(repeats: int) -> list[str]:
    """Wall time of ``import ketpk`` and of the ``ketpk --help`` console script, in subprocesses."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = lambda cmd: subprocess.run(cmd, env=env, check=True, capture_output=True)  # noqa: E731
    t_python, _ = timed(lambda: run([sys.executable, "-c", "pass"]), repeats)
    t_import, _ = timed(lambda: run([sys.executable, "-c", "import ketpk"]), repeats)
    script = Path(sys.executable).with_name("ketpk")  # the console script of this interpreter
    cli, label = ([str(script), "--help"], "`ketpk --help`") if script.exists() else \
        ([sys.executable, "-m", "ketpk", "--help"], "`python -m ketpk --help` (console script not installed)")
    t_cli, _ = timed(lambda: run(cli), repeats)
    return [f"| import | `python -c 'import ketpk'` (bare interpreter {t_python:.2f} s) | "
            f"{t_import:.2f} s | | | | | |",
            f"| CLI | {label} | {t_cli:.2f} s | | | | | |"]


def cpu_model() -> str:
    """The CPU model from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    info = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in info.read_text().splitlines()
             if line.startswith("model name")] if info.exists() else []
    return names[0] if names else platform.processor() or platform.machine()


def machine() -> str:
    """nproc, CPU model, load average, versions and date: the conditions of this run."""
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (f"machine: {cpu_model()}, nproc {os.cpu_count()}, load average {load}; Python "
            f"{platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"ketpk {ketpk.__version__}; {time.strftime('%Y-%m-%d %H:%M %Z')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and baseline subjects")
    parser.add_argument("--only", choices=("W1", "W2", "W3", "startup"), nargs="*")
    args = parser.parse_args()
    repeats = 2 if args.quick else 5
    print(machine(), flush=True)
    print("| workload | what | exact core (median) | ode solver | naive solve_ivp loop | "
          "loop / exact | max rel diff ode / loop | peak memory (tracemalloc) |")
    print("|---|---|---|---|---|---|---|---|")
    only = set(args.only or ("W1", "W2", "W3", "startup"))
    jobs = {"W1": lambda: workload_1(repeats, 20 if args.quick else 100),
            "W2": lambda: workload_2(repeats, 10 if args.quick else 50),
            "W3": lambda: workload_3(10 if args.quick else 20),
            "startup": lambda: startup(repeats)}
    for name, job in jobs.items():
        if name in only:
            for row in job():
                print(row, flush=True)
    print(f"load average at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
