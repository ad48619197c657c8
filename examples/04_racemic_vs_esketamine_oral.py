"""Racemic vs S(+) oral: after the same 50 mg oral dose, how do parent and norketamine
exposures of racemic ketamine and of S(+)-ketamine (esketamine) compare?

Models: the default racemic and S(+)-ketamine models (citations and every route assumption are
printed). If a default model in this version has no oral route yet, the example says so and
compares the two forms by IV instead (40-min infusion), so that it always runs.
Writes a PNG to examples/output/. Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)

forms = {"racemic": ketpk.models.get("racemic"), "S(+)-ketamine": ketpk.models.get("esketamine")}
if all("oral" in m.routes for m in forms.values()):
    dose = ketpk.Bolus("0 min", "50 mg", route="oral")
else:
    print("note: a default model has no oral route in this version; comparing IV (40 min) instead")
    dose = ketpk.Infusion("0 min", amount="50 mg", duration="40 min")

comparison = ketpk.compare_regimens({name: (model, dose) for name, model in forms.items()},
                                    subject=ketpk.Subject(weight="70 kg"),
                                    times=ketpk.Q_(np.arange(0, 24 * 60 + 1, 2), "min"))
for name, result in comparison.results.items():
    print(f"{name}: {result.model_id}; cite {result.citation}")
    if "norketamine" in result.analytes:
        ratio = ketpk.nca.metabolite_ratio(result, "auc")
        print(f"  norketamine/ketamine molar AUC(0-24 h) ratio: {ratio.magnitude:.2f}")
print(comparison.format_table())
for label in comparison.assumptions:
    print("  assumption:", label)
fig = comparison.plot(schedule=False, title=f"50 mg {dose.route}: racemic vs S(+)-ketamine, 70 kg")
save_figure(fig, out / "racemic_vs_esketamine.png")
print(f"wrote {out / 'racemic_vs_esketamine.png'}")
