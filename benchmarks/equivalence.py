"""Dump benchmark-workload outputs (public API only) to an npz, to compare two code versions.

    PYTHONPATH=<old checkout> python3 benchmarks/equivalence.py old.npz
    PYTHONPATH=$PWD python3 benchmarks/equivalence.py new.npz
    python3 benchmarks/equivalence.py --compare new.npz old.npz

W1 (1,000 subjects), W2 with 3,000 subjects in chunks of 1,000 (``--full``: 100,000 in chunks
of 10,000), W3 by 7 routes (exact and ode, ``record="all"``), an oral steady state, and every
library model (and a user model card) by each of its routes (8 sampled subjects, ``record="all"``).
"""
import sys

import numpy as np


def compare(new: str, old: str) -> None:
    """Print the arrays that differ (max |diff| / max |old|) and how many are bit-identical."""
    a, b = np.load(new), np.load(old)
    assert set(a) == set(b), set(a) ^ set(b)
    worst, same = 0.0, 0
    for key in sorted(a):
        if np.array_equal(a[key], b[key], equal_nan=True):
            same += 1
            continue
        d = float(np.nanmax(np.abs(a[key] - b[key])) / (np.nanmax(np.abs(b[key])) or 1.0))
        print(f"{key}: {d:.2e}")
        worst = max(worst, d)
    print(f"{same}/{len(a)} arrays bit-identical; worst relative difference {worst:.2e}")


if sys.argv[1] == "--compare":
    compare(sys.argv[2], sys.argv[3])
    sys.exit()

import ketpk  # noqa: E402
from ketpk import Bolus, Q_, Regimen  # noqa: E402

out = {}
full = "--full" in sys.argv
m1 = ketpk.models.get("esketamine")
pop1 = ketpk.population.sample(m1, 1000, seed=2009)
r1 = ketpk.simulate(m1, ketpk.protocols.get("sigtermans2009"), Q_(np.arange(0, 100.8 * 60 + 1), "min"), subjects=pop1)
for a in r1.analytes:
    out[f"W1/{a}"] = r1.concentrations_umol_per_l[a]
m2 = ketpk.models.get("racemic")
n2 = 100_000 if full else 3000
pop2 = ketpk.population.sample(m2, n2, seed=2009)
s2 = ketpk.summarize(m2, ketpk.protocols.get("schwartzman2009"), Q_(np.arange(0, 10 * 1440 + 1, 5.0), "min"),
                     subjects=pop2, analytes=("ketamine", "norketamine"), chunk_subjects=1000 if not full else 10_000)
for a in s2.analytes:
    out[f"W2/{a}/pct"] = s2.percentiles_umol_per_l[a]
    out[f"W2/{a}/mean"] = s2.mean_umol_per_l[a]
    out[f"W2/{a}/cmax"] = s2.cmax_umol_per_l[a]
    out[f"W2/{a}/tmax"] = s2.tmax_min[a]
    out[f"W2/{a}/auc"] = s2.auc_umol_min_per_l[a]
subject = ketpk.Subject(weight="70 kg")
T3 = Q_(np.arange(0, 24 * 60 + 1.0), "min")
for route in ("iv", "im", "intranasal", "sublingual", "oral", "rectal", "sc"):
    for solver in ("exact", "ode"):
        r = ketpk.simulate(m2, Regimen([Bolus("0 min", "25 mg", route)]), T3, subjects=subject, solver=solver, record="all")
        for a in r.analytes:
            out[f"W3/{route}/{solver}/{a}"] = r.concentrations_umol_per_l[a]
        out[f"W3/{route}/{solver}/amounts"] = r.amounts_umol
dose = Bolus("0 h", "50 mg", "oral")
ss = dose.repeat(every="6 h", count=3).with_steady_state(dose, every="6 h")
for solver in ("exact", "ode"):
    r = ketpk.simulate(m2, ss, Q_(np.linspace(0, 1440, 97), "min"), subjects=pop2[:20], solver=solver)
    for a in r.analytes:
        out[f"SS/{solver}/{a}"] = r.concentrations_umol_per_l[a]
CARD = {
    "id": "racemic.equivalence_card", "drug": "racemic", "population": "adults", "sampling": "venous",
    "citation": {"authors": "Doe J", "year": 2024, "title": "A card", "journal": "J", "doi": "10.0000/example"},
    "parameters": {"CL": {"value": "80 L/h", "source": "x", "weight_exponent": 0.75},
                   "V": {"value": "250 L", "source": "x", "weight_exponent": 1},
                   "VM": {"value": "300 L", "source": "x"}, "CLM": {"value": "60 L/h", "source": "x"},
                   "F": {"value": "0.2", "source": "x"}, "FP": {"value": "0.5", "source": "x"},
                   "ka": {"value": "1 1/h", "source": "x"}, "tlag": {"value": "10 min", "source": "x"}},
    "compartments": [{"name": "ketamine.central", "species": "ketamine", "volume": "V", "analytes": ["ketamine"]},
                     {"name": "norketamine.central", "species": "norketamine", "volume": "VM",
                      "analytes": ["norketamine"]}],
    "flows": [{"type": "clearance", "from": "ketamine.central", "value": "CL", "to": {"norketamine.central": 0.8}},
              {"type": "clearance", "from": "norketamine.central", "value": "CLM"}],
    "routes": {"iv": {"type": "iv", "lag": "tlag"},
               "oral": {"type": "absorption", "F": "F", "ka": "ka", "lag": "tlag", "presystemic": "FP",
                        "metabolite": "norketamine.central"},
               "sublingual": {"type": "absorption", "F": "F", "ka": "ka"}},
}
T4 = Q_(np.arange(0, 24 * 60 + 1, 5.0), "min")
library = [ketpk.models.get(e.id) for e in ketpk.models.available()]
for m in library + [ketpk.usermodels.from_dict(CARD)]:
    pop = ketpk.population.sample(m, 8, seed=11)
    for route in m.routes:
        r = ketpk.simulate(m, Regimen([Bolus("0 min", "56 mg", route), Bolus("6 h", "28 mg", route)]), T4,
                           subjects=pop, record="all")
        for a in r.analytes:
            out[f"M/{m.id}/{route}/{a}"] = r.concentrations_umol_per_l[a]
        out[f"M/{m.id}/{route}/amounts"] = r.amounts_umol
np.savez(sys.argv[1], **out)
print(len(out), "arrays")
