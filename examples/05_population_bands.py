"""Population bands: across 500 virtual adults, what range (5th-95th percentile) of S-ketamine
and S-norketamine concentrations follows 0.25 mg/kg S(+)-ketamine IV over 40 min?

Model: the default S(+)-ketamine model, ``esketamine.multiroute`` (Otto 2021, Eur J Clin
Pharmacol 77:1181, doi:10.1007/s00228-021-03104-1), whose published inter-individual
variability ``ketpk.population.sample`` draws (weights log-normal around 70 kg, an assumption
stated in ketpk/population.py). ``ketpk.summarize`` computes the percentiles in bounded memory and
``ketpk.bands.plot_percentiles`` draws them. Writes a PNG and a percentile CSV to
examples/output/. Research and teaching only; not a dosing device.
"""

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ketpk  # noqa: E402
from ketpk.bands import plot_percentiles  # noqa: E402
from ketpk.plotting import save_figure  # noqa: E402

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
model = ketpk.models.get("esketamine")
q = (5, 25, 50, 75, 95)

population = ketpk.population.sample(model, 500, seed=2024)
regimen = ketpk.Infusion("0 min", amount="0.25 mg/kg", duration="40 min")
summary = ketpk.summarize(model, regimen, ketpk.Q_(np.arange(0, 8 * 60 + 1, 2), "min"),
                          subjects=population, q=q)
print(f"{model.id}: {summary.n_subjects} subjects (seed 2024)\ncite: {model.citation}")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for ax, analyte in zip(axes, ("ketamine", "norketamine")):
    cmax = summary.cmax(analyte).magnitude
    print(f"  {analyte} Cmax: median {np.median(cmax):.0f} ng/mL, "
          f"P5-P95 {np.percentile(cmax, 5):.0f}-{np.percentile(cmax, 95):.0f} ng/mL")
    plot_percentiles(summary, analyte, q=q, ax=ax)
    ax.set_title(f"S-{analyte}", fontsize=10)
    ax.grid(alpha=0.3)
fig.suptitle(f"0.25 mg/kg S(+)-ketamine IV over 40 min, {summary.n_subjects} virtual adults "
             f"({model.id})", fontsize=10)
save_figure(fig, out / "population_bands.png")

with open(out / "population_bands.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    columns = [(a, p) for a in ("ketamine", "norketamine") for p in q]
    writer.writerow(["time [h]", *(f"{a} P{p} [ng/mL]" for a, p in columns)])
    values = [summary.percentile(a, p).magnitude for a, p in columns]
    for t, hours in enumerate(summary.times.to("h").magnitude):
        writer.writerow([f"{hours:.6g}", *(f"{v[t]:.6g}" for v in values)])
print(f"wrote {out / 'population_bands.png'} and {out / 'population_bands.csv'}")
