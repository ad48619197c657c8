"""Racemic vs S(+) oral: after the same 50 mg oral dose, how do the parent and norketamine
exposures of racemic ketamine and of S(+)-ketamine (esketamine) compare in a 70-kg adult?

Models: the default racemic (``racemic.multiroute``) and S(+)-ketamine (``esketamine.multiroute``)
models, both on the Otto 2021 disposition (Eur J Clin Pharmacol 77:1181,
doi:10.1007/s00228-021-03104-1) with the oral route's first pass; citations and every route
assumption are printed. Writes a PNG to examples/output/.
Research and teaching only; not a dosing device.
"""

from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)

dose = ketpk.Bolus("0 min", "50 mg", route="oral")
comparison = ketpk.compare_regimens({"racemic": ("racemic", dose), "S(+)-ketamine": ("esketamine", dose)},
                                    subject=ketpk.Subject(weight="70 kg"),
                                    times=ketpk.Q_(np.arange(0, 24 * 60 + 1, 2), "min"))
for name, result in comparison.results.items():
    ratio = ketpk.nca.metabolite_ratio(result, "auc")
    print(f"{name}: {result.model_id}; cite {result.citation}")
    print(f"  norketamine/ketamine molar AUC(0-24 h) ratio: {ratio.magnitude:.2f}")
print(comparison.format_table(analytes=("ketamine", "norketamine")))
for label in comparison.assumptions:
    print("  assumption:", label)
fig = comparison.plot(schedule=False, title="50 mg oral: racemic vs S(+)-ketamine, 70-kg adult")
save_figure(fig, out / "racemic_vs_esketamine.png")
print(f"wrote {out / 'racemic_vs_esketamine.png'}")
