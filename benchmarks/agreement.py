"""Exact vs ODE solver on every registered model and route (typical 70-kg subject, 24 h at 1 min).

    python3 benchmarks/agreement.py

Regimen per route: IV 5-mg bolus + 20 mg over 37 min from 1 h; other routes 25 mg at 0 and
7.3 h. The difference is relative, floored at 1e-4 of the analyte's peak (deep in a tail the
ODE's absolute tolerance, not the agreement, sets the digits).
"""

from __future__ import annotations

import warnings

import numpy as np

from ketpk import Bolus, CovariateRangeWarning, Infusion, Q_, Subject, models, simulate

TIMES = Q_(np.arange(0, 24 * 60 + 1, 1.0), "min")


def regimen(route: str):
    """The test regimen for ``route``."""
    if route == "iv":
        return Bolus("0 min", "5 mg") + Infusion("60 min", amount="20 mg", duration="37 min")
    return Bolus("0 min", "25 mg", route) + Bolus("7.3 h", "25 mg", route)


def worst_difference(model, route: str) -> float:
    """Largest floored relative exact-vs-ode difference over all analytes."""
    runs = [simulate(model, regimen(route), TIMES, subjects=Subject(weight="70 kg"), solver=s)
            for s in ("exact", "ode")]
    worst = 0.0
    for analyte in runs[0].analytes:
        x, y = (r.concentration(analyte).magnitude for r in runs)
        worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-4 * y.max()))))
    return worst


if __name__ == "__main__":
    warnings.simplefilter("ignore", CovariateRangeWarning)  # Flint 2017 is a paediatric model
    overall = 0.0
    for summary in models.available():
        model = models.get(summary.id)
        diffs = {route: worst_difference(model, route) for route in model.routes}
        overall = max(overall, *diffs.values())
        print(f"{summary.id:28s} " + "  ".join(f"{r} {d:.1e}" for r, d in diffs.items()))
    print(f"max over every model and route: {overall:.2e}")
