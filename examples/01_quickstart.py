"""Quick start: 10 mg S(+)-ketamine IV over 30 min — what are the S-ketamine and
S-norketamine plasma curves over 12 h in a 70-kg adult?

Model: Otto ME et al. Eur J Clin Pharmacol 2021;77:1181 (doi:10.1007/s00228-021-03104-1),
the CHDR1311 regimen it was validated on. Writes a CSV and a PNG to examples/output/.
Research and teaching only; not a dosing device.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402

import ketpk  # noqa: E402

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)

model = ketpk.models.get("esketamine")
regimen = ketpk.Infusion(start="0 min", amount="10 mg", duration="30 min", route="iv")
result = ketpk.simulate(model, regimen, times=ketpk.Q_(np.arange(0, 12 * 60 + 1, 5), "min"),
                        subjects=ketpk.Subject(weight="70 kg"))

peak = result.concentration("ketamine").max()
print(f"{model.id}: S-ketamine peak {peak:.1f~P}; citation doi:{model.citation.doi}")
result.to_csv(out / "quickstart.csv")
fig = result.plot(time_unit="h", title=f"10 mg S(+)-ketamine IV over 30 min, 70-kg adult — model {model.id}")
fig.savefig(out / "quickstart.png", dpi=120)
print(f"wrote {out / 'quickstart.csv'} and {out / 'quickstart.png'}")
