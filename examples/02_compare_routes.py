"""Compare routes: how do ketamine and norketamine curves differ when the same 25 mg dose of
racemic ketamine is given by each route the default racemic model supports (IV, IM, intranasal,
sublingual, oral, rectal... as available in this version)?

Model: ketpk's default racemic model (``ketpk.models.get("racemic")``); its citation and the
assumption labels of each route are printed. Prints Cmax, Tmax and AUC per route and writes the
curves (CSV) and a log-axis figure (PNG) to examples/output/.
Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)

model = ketpk.models.get("racemic")
comparison = ketpk.compare_routes(model, "25 mg", subject=ketpk.Subject(weight="70 kg"),
                                  times=ketpk.Q_(np.arange(0, 12 * 60 + 1), "min"))

print(f"{model.id}; routes: {', '.join(model.routes)}\ncite: {model.citation}\n")
print(comparison.format_table())
for label in comparison.assumptions:
    print("  assumption:", label)
comparison.to_csv(out / "compare_routes.csv")
save_figure(comparison.plot(log=True, title="25 mg racemic ketamine by route, 70 kg"),
            out / "compare_routes.png")
print(f"wrote {out / 'compare_routes.csv'} and {out / 'compare_routes.png'}")
