"""Compare routes: how do the ketamine and norketamine curves differ when the same 25 mg dose of
racemic ketamine is given IV, IM, intranasally, sublingually, orally or rectally to a 70-kg adult?

Model: ketpk's default racemic model, ``racemic.multiroute`` (Otto 2021 disposition, Eur J Clin
Pharmacol 77:1181, doi:10.1007/s00228-021-03104-1, as an R/S composite, with the route layer
documented in docs/models.md); its citation and every route assumption are printed. Prints Cmax,
Tmax and AUC per route and writes the curves (CSV) and a log-axis figure (PNG) to
examples/output/. Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)

model = ketpk.models.get("racemic")
routes = ("iv", "im", "intranasal", "sublingual", "oral", "rectal")
comparison = ketpk.compare_routes(model, "25 mg", routes, subject=ketpk.Subject(weight="70 kg"),
                                  times=ketpk.Q_(np.arange(0, 12 * 60 + 1), "min"))

print(f"{model.id}\ncite: {model.citation}\n")
print(comparison.format_table(analytes=("ketamine", "norketamine")))
for label in comparison.assumptions:
    print("  assumption:", label)
comparison.to_csv(out / "compare_routes.csv")
save_figure(comparison.plot(log=True, title="25 mg racemic ketamine by six routes, 70-kg adult"),
            out / "compare_routes.png")
print(f"wrote {out / 'compare_routes.csv'} and {out / 'compare_routes.png'}")
