"""Equivalent dose: which oral S(+)-ketamine dose gives the same model-predicted exposure as
20 mg IV, and which intranasal racemic dose matches 50 mg IM — on parent AUC∞, parent Cmax, and
AUC∞ of parent + norketamine in ketamine equivalents?

Models: the default S(+)-ketamine (``esketamine.multiroute``) and racemic (``racemic.multiroute``)
models, Otto 2021 disposition (Eur J Clin Pharmacol 77:1181, doi:10.1007/s00228-021-03104-1)
with ketpk's route layer; citations printed. The models are linear, so exposure scales with dose
and the equivalent dose is dose × exposure(route A) / exposure(route B); every answer lists the
assumption labels of both routes. Writes a CSV to examples/output/.
Research and teaching only; not a dosing device: an "equivalent" dose here matches one
model-predicted number, not clinical effect or safety.
"""

import csv
from pathlib import Path

import numpy as np

import ketpk

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
subject = ketpk.Subject(weight="70 kg")
times = ketpk.Q_(np.arange(0, 48 * 60 + 1, 2), "min")
targets = (("auc_inf", "ketamine"), ("cmax", "ketamine"), ("auc_inf", ketpk.nca.KETAMINE_EQUIVALENTS))
questions = (("esketamine", "20 mg", "iv", "oral"), ("racemic", "50 mg", "im", "intranasal"))
rows = [("model", "reference", "route", "metric", "analyte", "equivalent dose [mg]", "assumptions")]

for form, dose, from_route, to_route in questions:
    model = ketpk.models.get(form)
    print(f"{model.id}\ncite: {model.citation}")
    for metric, analyte in targets:
        answer = ketpk.equivalent_dose(model, dose, from_route=from_route, to_route=to_route,
                                       metric=metric, analyte=analyte, subject=subject, times=times)
        print(f"  {str(answer).splitlines()[0]}")
        rows.append((model.id, f"{dose} {from_route}", to_route, metric, analyte,
                     f"{answer.dose.to('mg').magnitude:.4g}", len(answer.assumptions)))
    for label in answer.assumptions:  # the same for every metric: both routes' labels
        print("    assumption:", label)

with open(out / "equivalent_dose.csv", "w", newline="") as handle:
    csv.writer(handle).writerows(rows)
print(f"wrote {out / 'equivalent_dose.csv'}")
