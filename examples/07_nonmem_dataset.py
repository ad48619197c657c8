"""NONMEM-style dataset: given a dosing dataset with the usual columns (ID, TIME, EVID, AMT, RATE,
CMT, II, ADDL, SS) and sampling rows, which regimen does each subject receive, does ketpk read it
back exactly, and how do the two subjects' S-ketamine curves compare over the 4-week course?

Model: the default S(+)-ketamine model, ``esketamine.multiroute`` (Otto 2021, Eur J Clin
Pharmacol 77:1181, doi:10.1007/s00228-021-03104-1); CMT numbers are the model's compartments
(``ketpk.eventtable.cmt_map``). ID 1 is the esketamine nasal-spray induction course
(``ketpk.protocols.get("spravato_induction")``, Popova 2019); ID 2 is 0.5 mg/kg IV over 40 min
twice weekly (an illustrative regimen). The dataset is written with ``Regimen.to_event_table``,
sampling rows (EVID 0, skipped on reading) are added, and ``ketpk.read_event_table`` reads each ID
back. Writes the dataset (CSV) and a figure (PNG) to examples/output/.
Research and teaching only; not a dosing device.
"""

import csv
from pathlib import Path

import numpy as np

import ketpk
from ketpk.plotting import save_figure

out = Path(__file__).parent / "output"
out.mkdir(exist_ok=True)
model = ketpk.models.get("esketamine")
subjects = {1: ketpk.Subject(weight="70 kg"), 2: ketpk.Subject(weight="80 kg")}
regimens = {1: ketpk.protocols.get("spravato_induction"),
            2: ketpk.Infusion("0 h", amount="0.5 mg/kg", duration="40 min").repeat(every="84 h", count=8)}

# 1. Write the dataset: dose records per ID (ADDL/II compress repeats), then sampling rows.
rows = []
for id_, regimen in regimens.items():
    table = regimen.to_event_table(subjects[id_], model=model, id=id_)
    rows += [dict(row, DV=".") for row in table]
    rows += [{**dict.fromkeys(table.columns, 0), "ID": id_, "TIME": t, "CMT": 1, "DV": "."}
             for t in (1, 4, 24, 168, 576)]  # EVID 0: observation records (no values here)
rows.sort(key=lambda row: (row["ID"], row["TIME"], -row["EVID"]))
dataset = out / "nonmem_dataset.csv"
with open(dataset, "w", newline="") as handle:
    writer = csv.DictWriter(handle, fieldnames=[*table.columns, "DV"])
    writer.writeheader()
    writer.writerows(rows)
print(f"wrote {dataset} ({len(rows)} records)")

# 2. Read each ID back, check it is the regimen that was written, and simulate it.
times = ketpk.Q_(np.arange(0, 28 * 24 * 60 + 1, 5), "min")
labels = {1: "ID 1: nasal spray 56 mg", 2: "ID 2: 0.5 mg/kg IV over 40 min"}
results = {}
for id_, regimen in regimens.items():
    back = ketpk.read_event_table(dataset, model=model, id=id_)
    original = ketpk.simulate(model, regimen, times, subjects=subjects[id_], record="plasma")
    results[labels[id_]] = ketpk.simulate(model, back, times, subjects=subjects[id_], record="plasma")
    difference = np.max(np.abs(results[labels[id_]].concentration("ketamine")
                               - original.concentration("ketamine")))
    print(f"ID {id_}: {len(back.doses)} doses, total {back.total_amount(subjects[id_]):.4g~P}; "
          f"largest difference from the regimen written: {difference:.2g~P}")

# 3. Compare the two subjects (each with their own weight) on one time axis.
comparison = ketpk.compare.Comparison(results, kind="regimens")
print(f"cite: {model.citation}")
print(comparison.format_table(analytes=("ketamine", "norketamine")))
save_figure(comparison.plot(time_unit="day", schedule=False,
                            title=f"Two subjects read from a NONMEM-style dataset ({model.id})"),
            out / "nonmem_dataset.png")
print(f"wrote {out / 'nonmem_dataset.png'}")
