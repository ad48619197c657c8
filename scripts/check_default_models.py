"""Compare the two default models with published observations (prints a table).

Run from the repository root:  PYTHONPATH=$PWD python3 scripts/check_default_models.py
Observed values: /work/shared/research validation_data.md, routes.md, pk_gaps.md (sources in the
rows). Typical subject 70 kg unless stated; concentrations ng/mL, times h.
"""

from __future__ import annotations

import numpy as np

from ketpk import Bolus, Infusion, Q_, Subject, models, simulate
from ketpk.routes import route_bioavailability

TIMES = Q_(np.arange(0, 24 * 60 + 0.25, 0.25), "min")


def peak(model, regimen, analyte, weight=70.0):
    res = simulate(model, regimen, TIMES, subjects=Subject(weight=f"{weight} kg"), record="plasma")
    c = res.concentration(analyte, "ng/mL").magnitude
    return c.max(), TIMES.magnitude[c.argmax()] / 60, c


ROWS = [
    # (label, model, regimen, analyte, observed Cmax, observed Tmax h, source)
    ("oral 25 mg racemic, K", "racemic", Bolus("0 h", "25 mg", "oral"), "ketamine", 22.8, 0.96, "Chong 2006"),
    ("oral 25 mg racemic, NK", "racemic", Bolus("0 h", "25 mg", "oral"), "norketamine", 82, 1.6, "Chong 2006"),
    ("SL 25 mg racemic, K", "racemic", Bolus("0 h", "25 mg", "sublingual"), "ketamine", 28.6, 0.76, "Chong 2006"),
    ("SL 25 mg racemic, NK", "racemic", Bolus("0 h", "25 mg", "sublingual"), "norketamine", 66, 1.9, "Chong 2006"),
    ("IV 10 mg racemic (bolus), K", "racemic", Bolus("0 h", "10 mg"), "ketamine", 296, 2 / 60, "Pharmacotherapy 2022 T6"),
    ("IN 10 mg racemic, K", "racemic", Bolus("0 h", "10 mg", "intranasal"), "ketamine", 22.9, 23 / 60, "Pharmacotherapy 2022 T6"),
    ("IN 30 mg racemic, K", "racemic", Bolus("0 h", "30 mg", "intranasal"), "ketamine", 60.8, 14 / 60, "Pharmacotherapy 2022 T6"),
    ("IN 50 mg racemic, K", "racemic", Bolus("0 h", "50 mg", "intranasal"), "ketamine", 77.6, 16 / 60, "Pharmacotherapy 2022 T6"),
    ("IN 50 mg racemic, NK", "racemic", Bolus("0 h", "50 mg", "intranasal"), "norketamine", 105, 56 / 60, "Pharmacotherapy 2022 T6"),
    ("IM 1 mg/kg racemic, K", "racemic", Bolus("0 h", "70 mg", "im"), "ketamine", 474, 0.25, "Hirlinger 1984 (median)"),
    ("IM 0.5 mg/kg racemic, K", "racemic", Bolus("0 h", "35 mg", "im"), "ketamine", 147, 0.5, "Hirlinger 1984 (median)"),
    ("IN 0.2 mg/kg S, S-K", "esketamine", Bolus("0 h", "14 mg", "intranasal"), "ketamine", 27.7, 10 / 60, "Huge 2010"),
    ("IN 0.4 mg/kg S, S-K", "esketamine", Bolus("0 h", "28 mg", "intranasal"), "ketamine", 34.3, 13.8 / 60, "Huge 2010"),
    ("IN 0.4 mg/kg S, S-NK", "esketamine", Bolus("0 h", "28 mg", "intranasal"), "norketamine", 34.3, 75 / 60, "Huge 2010"),
    ("SL film 50 mg S, S-K (arterial)", "esketamine", Bolus("0 h", "50 mg", "sublingual"), "ketamine", 96, 18.8 / 60, "Simons 2022 T2"),
    ("SL film 50 mg S, S-NK (arterial)", "esketamine", Bolus("0 h", "50 mg", "sublingual"), "norketamine", 276, 61 / 60, "Simons 2022 T2"),
]


def main() -> None:
    print(f"{'case':36} {'model Cmax':>10} {'obs':>7} {'ratio':>6} {'model Tmax':>10} {'obs':>6}  source")
    for label, model, reg, analyte, cmax, tmax, source in ROWS:
        c, t, _ = peak(model, reg, analyte)
        print(f"{label:36} {c:10.1f} {cmax:7.1f} {c / cmax:6.2f} {t:10.2f} {tmax:6.2f}  {source}")
    print()
    for form in ("esketamine", "racemic"):
        m = models.get(form)
        row = ", ".join(f"{r} {route_bioavailability(m, r):.3f}/{route_bioavailability(m, r, analyte='norketamine'):.2f}"
                        for r in m.routes)
        print(f"{form}: F parent / NK AUC relative to IV: {row}")
    p = models.get("racemic").individual({}, {}, 1)
    cl = 60 / (0.5 / p.CL[0] + 0.5 / (p.CL[0] * p.fCL_R[0]))
    print(f"racemic total ketamine CL = dose/AUC = {cl:.1f} L/h at 70 kg (Pharmacotherapy 2022: 10 mg "
          "/ 113 µg·h/L = 88.5 L/h; Kamp 2020 meta-analysis 79, 69-90 L/h/70 kg)")
    oral = simulate("racemic", Bolus("0 h", "25 mg", "oral"), TIMES, record="plasma")
    iv = simulate("racemic", Bolus("0 h", "10 mg"), TIMES, record="plasma")
    a = {k: np.trapezoid(r.concentration(k, "nmol/mL").magnitude, TIMES.magnitude) for k, r in
         (("ketamine", oral), ("norketamine", oral))}
    b = {k: np.trapezoid(iv.concentration(k, "nmol/mL").magnitude, TIMES.magnitude) for k in ("ketamine", "norketamine")}
    print(f"Chong 'K + NK as ketamine equivalents' (molar AUC sums, 0-24 h, dose-normalised): "
          f"{(a['ketamine'] + a['norketamine']) / 25 / ((b['ketamine'] + b['norketamine']) / 10):.2f} (obs 0.59)")


if __name__ == "__main__":
    main()
