"""Otto 2021 typical S-ketamine and S-norketamine vs the observed CHDR1311 medians.

    python3 scripts/check_otto2021.py

Prints model / observed / ratio at each sampled time; the data file names its source and the
tolerance its test (tests/test_models_core.py) uses.
"""

from __future__ import annotations

from pathlib import Path

from ketpk import Infusion, Q_, Subject, simulate
from ketpk.fileio import read_csv

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "otto2021_chdr1311.csv"


def compare() -> list[tuple[float, str, float, float]]:
    """(time h, analyte, model ng/mL, observed ng/mL) for every observed point."""
    _, columns, table = read_csv(DATA)
    hours = table[:, 0]
    result = simulate("esketamine.otto2021", Infusion("0 min", amount="10 mg", duration="30 min"),
                      Q_(hours, "h"), subjects=Subject(weight="68 kg"))
    rows = []
    for j, column in enumerate(columns[1:], start=1):
        analyte = column.split(" ")[0]
        model = result.concentration(analyte, "ng/mL").magnitude
        rows += [(h, analyte, m, o) for h, m, o in zip(hours, model, table[:, j])]
    return rows


if __name__ == "__main__":
    print("time [h]  analyte      model  observed  ratio")
    for hours, analyte, model, observed in compare():
        print(f"{hours:8.1f}  {analyte:11s} {model:6.1f}  {observed:8.1f}  {model / observed:5.2f}")
