"""Equivalent dose: which dose by each non-IV route gives the same model-predicted exposure
(AUC∞ of the parent, Cmax of the parent, and AUC∞ of parent + norketamine in ketamine
equivalents) as 20 mg IV, for S(+)-ketamine and for racemic ketamine?

Models: the default S(+)-ketamine and racemic models (citations printed). The models are linear,
so exposure scales with dose and the equivalent dose is 20 mg × exposure(IV) / exposure(route);
every answer lists the assumption labels of both routes. Routes appear as the default models
gain them; in a version whose defaults are IV-only the example says so. Writes a CSV to
examples/output/. Research and teaching only; not a dosing device: an "equivalent" dose here
matches one model-predicted number, not clinical effect or safety.
"""

import csv
from pathlib import Path

import numpy as np

import ketpk

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
subject = ketpk.Subject(weight="70 kg")
times = ketpk.Q_(np.arange(0, 48 * 60 + 1, 2), "min")
rows = [("model", "route", "metric", "analyte", "equivalent dose [mg]", "assumptions")]

for form in ("esketamine", "racemic"):
    model = ketpk.models.get(form)
    print(f"{model.id}: routes {', '.join(model.routes)}\ncite: {model.citation}")
    routes = [r for r in model.routes if r != "iv"]
    if not routes:
        print("  note: this model has no non-IV route in this version; nothing to match yet")
    targets = [("auc_inf", "ketamine"), ("cmax", "ketamine")]
    if "norketamine" in model.system(model.individual({}, {}, 1)).observe:
        targets.append(("auc_inf", ketpk.nca.KETAMINE_EQUIVALENTS))
    for route in routes:
        for metric, analyte in targets:
            answer = ketpk.equivalent_dose(model, "20 mg", to_route=route, metric=metric,
                                           analyte=analyte, subject=subject, times=times)
            print(" ", answer)
            rows.append((model.id, route, metric, analyte, f"{answer.dose.to('mg').magnitude:.4g}",
                         len(answer.assumptions)))

with open(out / "equivalent_dose.csv", "w", newline="") as handle:
    csv.writer(handle).writerows(rows)
print(f"wrote {out / 'equivalent_dose.csv'}")
