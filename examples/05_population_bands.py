"""Population bands: across 200 virtual adults, what range (5th-95th percentile) of S-ketamine
and S-norketamine concentrations follows 0.25 mg/kg S(+)-ketamine IV over 40 min?

Model: the default S(+)-ketamine model (citation printed). With ``ketpk.population`` (when this
version has it) subjects carry the model's published inter-individual variability; without it,
subjects differ by body weight only (typical parameters), and the example says so.
Writes a PNG and a percentile CSV to examples/output/.
Research and teaching only; not a dosing device.
"""

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ketpk  # noqa: E402

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
model = ketpk.models.get("esketamine")

try:
    from ketpk import population

    subjects = population.sample(model, 200, seed=2024)
    spread = "published inter-individual variability"
except ImportError:
    weights = np.clip(np.random.default_rng(2024).normal(72, 10, 200), 50, 95)
    subjects = [ketpk.Subject(weight=f"{w:.1f} kg") for w in weights]
    spread = "body weight 50-95 kg only (no ketpk.population in this version)"

regimen = ketpk.Infusion("0 min", amount="0.25 mg/kg", duration="40 min")
result = ketpk.simulate(model, regimen, ketpk.Q_(np.arange(0, 8 * 60 + 1, 2), "min"),
                        subjects=subjects, record="plasma")
print(f"{model.id}: 200 subjects, spread from {spread}\ncite: {model.citation}")

hours = result.times.to("h").magnitude
fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), layout="constrained")
rows = {"time [h]": hours}
for ax, analyte in zip(axes, ("ketamine", "norketamine")):
    p5, p50, p95 = np.percentile(result.concentration(analyte, "ng/mL").magnitude, [5, 50, 95], axis=0)
    rows.update({f"{analyte} P{p} [ng/mL]": v for p, v in zip((5, 50, 95), (p5, p50, p95))})
    print(f"  {analyte}: peak median {p50.max():.0f} ng/mL (P5-P95 at that time "
          f"{p5[p50.argmax()]:.0f}-{p95[p50.argmax()]:.0f})")
    ax.fill_between(hours, p5, p95, alpha=0.3, label="5th-95th percentile")
    ax.plot(hours, p50, lw=1.6, label="median")
    ax.set(xlabel="time [h]", ylabel=f"{analyte} [ng/mL]")
    ax.grid(alpha=0.3)
axes[0].legend(frameon=False, fontsize=8)
fig.suptitle(f"0.25 mg/kg S(+)-ketamine over 40 min, 200 adults ({model.id})", fontsize=10)
fig.savefig(out / "population_bands.png", dpi=120)

with open(out / "population_bands.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(rows)
    writer.writerows(zip(*(np.round(v, 6) for v in rows.values())))
print(f"wrote {out / 'population_bands.png'} and {out / 'population_bands.csv'}")
